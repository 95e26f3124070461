// Shared helpers of the format readers: errors naming the file, bounded reads.
#include <filesystem>
#include <fstream>

#include "adapters/ingest/format_readers.h"

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

}  // namespace docprof::adapters::ingest
