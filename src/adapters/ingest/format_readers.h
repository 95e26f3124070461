// The readers of each source format, behind FileDocumentReader (file_document_reader.h), which
// picks one by the file's content and name. Each turns a file into ports::ReadDocument blocks and
// reports a bad file as domain::Error{"invalid_document", "<path>: <what is wrong>"}.
//
// Thread safety: stateless functions (the libraries they call are used without shared state).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/result.h"
#include "ports/document_reader.h"

namespace docprof::adapters::ingest {

// Bounds that keep a hostile or broken file from exhausting memory.
struct ReaderLimits {
  std::uint64_t max_file_bytes = 512ull << 20;        // one source file read into memory (text, HTML, …)
  // A PDF or an EPUB: its library reads it from the file as needed, so memory does not grow with
  // its size; this only refuses absurd inputs.
  std::uint64_t max_streamed_file_bytes = 16ull << 30;
  std::uint64_t max_entry_bytes = 64ull << 20;        // one decompressed EPUB entry
  std::uint64_t max_archive_bytes = 1024ull << 20;    // all decompressed entries of one EPUB
  int max_manual_pages = 5000;                        // pages of an HTML manual followed
};

domain::Error invalid_document(const std::string& path, const std::string& message);

// The file's bytes, or an error naming it (missing, unreadable, larger than `max_bytes`).
domain::Result<std::string> read_file_bytes(const std::string& path, std::uint64_t max_bytes);

// A text file's bytes as text: without a UTF-8 byte-order mark, and refused with an error naming
// the file (and the offset of the first bad byte) when they are not UTF-8. Views into `bytes`.
domain::Result<std::string_view> utf8_text(const std::string& path, std::string_view bytes);

// A document read from the file at `path` in `format`: its absolute path, its bytes' SHA-256 (what
// decides "unchanged") and its file name without extension (the title of last resort).
ports::ReadDocument new_document(const std::string& path, std::string format, std::string_view bytes);
// The same for a file that is not held in memory (PDF, EPUB): its SHA-256 is read from the file a
// block at a time. An error naming the file when it is missing, unreadable or over `max_bytes`.
domain::Result<ports::ReadDocument> new_streamed_document(const std::string& path, std::string format,
                                                          std::uint64_t max_bytes);

// Plain text (UTF-8; a BOM is skipped) and Markdown (CommonMark, libcmark).
domain::Result<ports::ReadDocument> read_text(const std::string& path, const ReaderLimits& limits);
domain::Result<ports::ReadDocument> read_markdown(const std::string& path, const ReaderLimits& limits);
// One HTML file, or a manual of many pages starting from `path` (its rel="next" chain, or for a
// folder the pages its index links to, in order), with libxml2's HTML parser.
domain::Result<ports::ReadDocument> read_html(const std::string& path, bool whole_folder, const ReaderLimits& limits,
                                              const ports::ReadProgress& progress);
// EPUB 2 and 3 (libzip + libxml2).
domain::Result<ports::ReadDocument> read_epub(const std::string& path, const ReaderLimits& limits,
                                              const ports::ReadProgress& progress);
// PDF (poppler): text per page, chapters from the outline or from numbered headings.
domain::Result<ports::ReadDocument> read_pdf(const std::string& path, const ReaderLimits& limits,
                                             const ports::ReadProgress& progress);
// DOCX, ODT, reStructuredText, DocBook XML, LaTeX through the pandoc program (`pandoc_format` is
// pandoc's name of the input format; `format` the one docprof stores: docx, odt, rst, docbook, latex).
domain::Result<ports::ReadDocument> read_with_pandoc(const std::string& path, const std::string& format,
                                                     const std::string& pandoc_format, const ReaderLimits& limits);

}  // namespace docprof::adapters::ingest
