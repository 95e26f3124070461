// Plain text: UTF-8 only (a byte-order mark is skipped); paragraphs and headings by
// plain_text_blocks.h; a short first line above the headings is the title.
#include <algorithm>

#include "adapters/ingest/format_readers.h"
#include "adapters/ingest/plain_text_blocks.h"

namespace docprof::adapters::ingest {

domain::Result<ports::ReadDocument> read_text(const std::string& path, const ReaderLimits& limits) {
  auto bytes = read_file_bytes(path, limits.max_file_bytes);
  if (!bytes) return bytes.error();
  auto utf8 = utf8_text(path, bytes.value());
  if (!utf8) return utf8.error();
  std::string_view text = utf8.value();
  if (text.find('\0') != std::string_view::npos) return invalid_document(path, "a binary file, not text");
  ports::ReadDocument document = new_document(path, "text", bytes.value());
  append_plain_text_blocks(text, 0, true, document.blocks);
  // A first line of its own, short and without a full stop, above headings is the title.
  auto& blocks = document.blocks;
  const bool has_headings = std::any_of(blocks.begin(), blocks.end(),
                                        [](const domain::DocumentBlock& b) { return b.kind == domain::BlockKind::heading; });
  if (has_headings && !blocks.empty() && blocks.front().kind == domain::BlockKind::paragraph &&
      domain::count_words(blocks.front().text) <= 12 && blocks.front().text.size() <= 100 &&
      blocks.front().text.back() != '.') {
    document.title = blocks.front().text;
    blocks.erase(blocks.begin());
  }
  return document;
}

}  // namespace docprof::adapters::ingest
