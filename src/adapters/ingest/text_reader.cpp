// Plain text: UTF-8 only (a byte-order mark is skipped); paragraphs and headings by
// plain_text_blocks.h.
#include <filesystem>

#include "adapters/ingest/format_readers.h"
#include "adapters/ingest/plain_text_blocks.h"
#include "adapters/ingest/utf8_check.h"
#include "util/digest.h"

namespace docprof::adapters::ingest {

domain::Result<ports::ReadDocument> read_text(const std::string& path, const ReaderLimits& limits) {
  auto bytes = read_file_bytes(path, limits.max_file_bytes);
  if (!bytes) return bytes.error();
  std::string_view text = bytes.value();
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (const auto bad = first_invalid_utf8(text)) {
    return invalid_document(path, "not UTF-8 text (invalid byte at offset " + std::to_string(*bad) +
                                      "); convert it first, e.g. iconv -f LATIN1 -t UTF-8");
  }
  if (text.find('\0') != std::string_view::npos) return invalid_document(path, "a binary file, not text");
  ports::ReadDocument document;
  document.source_path = std::filesystem::absolute(path).lexically_normal().string();
  document.format = "text";
  document.sha256 = util::sha256_hex(bytes.value());
  document.file_stem = std::filesystem::path(path).stem().string();
  append_plain_text_blocks(text, 0, true, document.blocks);
  return document;
}

}  // namespace docprof::adapters::ingest
