// Shared helpers of the format readers: errors naming the file, bounded reads.
#include <filesystem>
#include <fstream>

#include "adapters/ingest/format_readers.h"
#include "adapters/ingest/utf8_check.h"
#include "util/digest.h"

namespace docprof::adapters::ingest {

domain::Error invalid_document(const std::string& path, const std::string& message) {
  return domain::Error{"invalid_document", path + ": " + message};
}

domain::Result<std::string> read_file_bytes(const std::string& path, std::uint64_t max_bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return invalid_document(path, "cannot read the file: " + ec.message());
  if (size > max_bytes) {
    return invalid_document(path, "the file has " + std::to_string(size) + " bytes, more than the " +
                                      std::to_string(max_bytes) + " this reader accepts");
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (!in || static_cast<std::uint64_t>(in.gcount()) != size) return invalid_document(path, "cannot read the file");
  return bytes;
}

domain::Result<std::string_view> utf8_text(const std::string& path, std::string_view bytes) {
  std::string_view text = bytes;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (const auto bad = first_invalid_utf8(text)) {
    return invalid_document(path, "not UTF-8 text (invalid byte at offset " + std::to_string(*bad) +
                                      "); convert it first, e.g. iconv -f LATIN1 -t UTF-8");
  }
  return text;
}

ports::ReadDocument new_document(const std::string& path, std::string format, std::string_view bytes) {
  ports::ReadDocument document;
  document.source_path = std::filesystem::absolute(path).lexically_normal().string();
  document.format = std::move(format);
  document.sha256 = util::sha256_hex(bytes);
  document.file_stem = std::filesystem::path(path).stem().string();
  return document;
}

}  // namespace docprof::adapters::ingest
