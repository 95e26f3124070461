// DocumentReader: reads a source document (a PDF, an EPUB, an HTML file or a multi-page HTML manual,
// Markdown, plain text) into the flat blocks domain::build_outline structures, with what its
// metadata says (title, author), its format, and the SHA-256 of its bytes (for a manual, of all the
// pages it followed, in order) that decides whether a re-ingest is a no-op.
//
// Expected failures are values: code "invalid_document" with a message that names the file and
// says what is wrong (unknown format, not UTF-8, a corrupt or oversized archive, an encrypted or
// image-only PDF, no text at all).
//
// Thread safety: implementations must allow concurrent read() calls.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/document_outline.h"
#include "domain/result.h"

namespace docprof::ports {

struct ReadDocument {
  std::string source_path;  // absolute
  std::string format;       // text | markdown | html | epub | pdf
  std::string sha256;
  std::string title;        // from metadata; "" when the document does not say
  std::string author;
  std::string file_stem;    // the file's (or folder's) name without extension: the title of last resort
  int pages = 0;            // paged formats: the page count; else 0
  int files = 1;            // files read (pages of a manual, documents of an EPUB)
  std::vector<domain::DocumentBlock> blocks;
};

// Told how far a long read has come: `done` of `total` units ("pages" of a PDF or an HTML manual,
// "documents" of an EPUB); total 0 = not known in advance.
using ReadProgress = std::function<void(int done, int total, std::string_view unit)>;

class DocumentReader {
 public:
  virtual ~DocumentReader() = default;
  virtual domain::Result<ReadDocument> read(const std::string& path, const ReadProgress& progress) = 0;
  domain::Result<ReadDocument> read(const std::string& path) { return read(path, ReadProgress{}); }
  // The source's absolute path and the SHA-256 read() would report, when they can be had without
  // reading the document (a single file); nullopt when only read() can tell (an HTML page may lead
  // to others) or the file cannot be read (read() then says why).
  struct Fingerprint {
    std::string source_path;
    std::string sha256;
  };
  virtual std::optional<Fingerprint> fingerprint(const std::string& path) = 0;
};

}  // namespace docprof::ports
