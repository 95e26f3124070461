#include "adapters/ingest/file_document_reader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "domain/text.h"
#include "util/digest.h"

namespace docprof::adapters::ingest {
namespace {

namespace fs = std::filesystem;

std::string first_bytes(const std::string& path, std::size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes(n, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(n));
  bytes.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return bytes;
}

}  // namespace

std::optional<ports::DocumentReader::Fingerprint> FileDocumentReader::fingerprint(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;  // a folder is a manual: only read() knows its pages
  const std::string extension = domain::ascii_lower(fs::path(path).extension().string());
  if (extension == ".html" || extension == ".htm" || extension == ".xhtml") return std::nullopt;
  auto digest = util::sha256_file_hex(path);  // a block at a time, whatever the file's size
  if (!digest) return std::nullopt;
  return Fingerprint{fs::absolute(path).lexically_normal().string(), std::move(*digest)};
}

domain::Result<ports::ReadDocument> FileDocumentReader::read(const std::string& path,
                                                             const ports::ReadProgress& progress) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const char* start : {"index.html", "index.htm", "index.xhtml"}) {
      const fs::path first = fs::path(path) / start;
      if (fs::is_regular_file(first, ec)) return read_html(first.string(), true, limits_, progress);
    }
    return invalid_document(path, "a folder is read as an HTML manual, but it has no index.html");
  }
  if (!fs::is_regular_file(path, ec)) return invalid_document(path, "no such file");
  const std::string head = first_bytes(path, 64);
  const std::string extension = domain::ascii_lower(fs::path(path).extension().string());
  if (head.starts_with("%PDF-")) return read_pdf(path, limits_, progress);
  if (head.starts_with("PK\x03\x04")) {
    // EPUB puts an uncompressed "mimetype" entry first (OCF); some writers do not, so the name counts
    // too (read_epub then needs META-INF/container.xml).
    if (head.find("mimetypeapplication/epub+zip") != std::string::npos || extension == ".epub") {
      return read_epub(path, limits_, progress);
    }
    if (extension != ".docx" && extension != ".odt") {  // zips too, read through pandoc below
      return invalid_document(path, "a zip archive that is not an EPUB (no application/epub+zip mimetype entry)");
    }
  }
  if (extension == ".epub") return read_epub(path, limits_, progress);  // not a zip: read_epub says it is corrupt
  if (extension == ".pdf") return invalid_document(path, "not a PDF file (no %PDF- header): corrupt or misnamed");
  if (extension == ".md" || extension == ".markdown" || extension == ".mdown" || extension == ".mkd") {
    return read_markdown(path, limits_);
  }
  if (extension == ".html" || extension == ".htm" || extension == ".xhtml") return read_html(path, false, limits_, progress);
  if (extension == ".txt" || extension == ".text" || extension.empty()) return read_text(path, limits_);
  if (extension == ".docx") return read_with_pandoc(path, "docx", "docx", limits_);
  if (extension == ".odt") return read_with_pandoc(path, "odt", "odt", limits_);
  if (extension == ".rst" || extension == ".rest") return read_with_pandoc(path, "rst", "rst", limits_);
  if (extension == ".dbk" || extension == ".docbook") return read_with_pandoc(path, "docbook", "docbook", limits_);
  if (extension == ".tex" || extension == ".latex") return read_with_pandoc(path, "latex", "latex", limits_);
  return invalid_document(path, "unknown format '" + extension +
                                    "' (docprof reads PDF, EPUB, HTML (a file or a manual's folder), Markdown "
                                    "(.md), plain text (.txt), and through pandoc DOCX, ODT, reStructuredText "
                                    "(.rst), DocBook (.dbk) and LaTeX (.tex))");
}

}  // namespace docprof::adapters::ingest
