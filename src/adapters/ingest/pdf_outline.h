// The outline (bookmarks) of a PDF with the page each entry points to, read with poppler-glib
// (poppler-cpp 22.12's toc_item has no page target). Internal to adapters/ingest, so that glib's
// headers stay out of everything else.
// Thread safety: stateless; each call opens its own document.
#pragma once

#include <string>
#include <vector>

namespace docprof::adapters::ingest {

struct PdfOutlineEntry {
  int level = 1;  // 1 = top level
  std::string title;
  int page = 0;   // 1-based; 0 = no page target
};

// The outline of the PDF file at `path`, in order; empty when it has none (or cannot be read).
// poppler reads the file as it needs it.
std::vector<PdfOutlineEntry> pdf_outline(const std::string& path);

}  // namespace docprof::adapters::ingest
