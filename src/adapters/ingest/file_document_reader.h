// FileDocumentReader: the DocumentReader of local files. It recognises the format by content first
// ("%PDF-", a zip whose first entry is the EPUB mimetype) and then by name (.md/.markdown,
// .html/.htm/.xhtml, .txt/.text or no extension), and a folder as an HTML manual (its index.html).
// Anything else is an "unknown format" error naming the file and the formats that are read.
//
// Thread safety: read() may be called concurrently.
#pragma once

#include "adapters/ingest/format_readers.h"
#include "ports/document_reader.h"

namespace docprof::adapters::ingest {

class FileDocumentReader final : public ports::DocumentReader {
 public:
  explicit FileDocumentReader(ReaderLimits limits = {}) : limits_(limits) {}
  using ports::DocumentReader::read;
  domain::Result<ports::ReadDocument> read(const std::string& path, const ports::ReadProgress& progress) override;
  std::optional<Fingerprint> fingerprint(const std::string& path) override;

 private:
  ReaderLimits limits_;
};

}  // namespace docprof::adapters::ingest
