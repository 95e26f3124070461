// The outline (bookmarks) of a PDF with the page each entry points to, read with poppler-glib
// (poppler-cpp 22.12's toc_item has no page target). Internal to adapters/ingest, so that glib's
// headers stay out of everything else.
// Thread safety: stateless; each call opens its own document.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace docprof::adapters::ingest {

struct PdfOutlineEntry {
  int level = 1;  // 1 = top level
  std::string title;
  int page = 0;   // 1-based; 0 = no page target
};

// The outline of the PDF in `bytes`, in order; empty when it has none (or cannot be read).
std::vector<PdfOutlineEntry> pdf_outline(std::string_view bytes);

}  // namespace docprof::adapters::ingest
