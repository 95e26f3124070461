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

namespace {

// The file's size, or an error naming it (missing, unreadable, larger than `max_bytes`).
domain::Result<std::uint64_t> checked_size(const std::string& path, std::uint64_t max_bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return invalid_document(path, "cannot read the file: " + ec.message());
  if (size > max_bytes) {
    return invalid_document(path, "the file has " + std::to_string(size) + " bytes, more than the " +
                                      std::to_string(max_bytes) + " this reader accepts");
  }
  return static_cast<std::uint64_t>(size);
}

}  // namespace

domain::Result<std::string> read_file_bytes(const std::string& path, std::uint64_t max_bytes) {
  auto checked = checked_size(path, max_bytes);
  if (!checked) return checked.error();
  const std::uint64_t size = checked.value();
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

domain::Result<ports::ReadDocument> new_streamed_document(const std::string& path, std::string format,
                                                          std::uint64_t max_bytes) {
  auto checked = checked_size(path, max_bytes);
  if (!checked) return checked.error();
  auto digest = util::sha256_file_hex(path);
  if (!digest) return invalid_document(path, "cannot read the file");
  ports::ReadDocument document = new_document(path, std::move(format), std::string_view());
  document.sha256 = std::move(*digest);
  return document;
}

}  // namespace docprof::adapters::ingest
