// Markdown (CommonMark, with libcmark): ATX and setext headings give the structure, paragraphs
// (also those of list items and block quotes) and code blocks the text; raw HTML blocks are markup
// and left out. A YAML front-matter block ("---" … "---") at the top gives the title and author.
#include <cmark.h>

#include <memory>

#include "adapters/ingest/format_readers.h"
#include "domain/text.h"

namespace docprof::adapters::ingest {
namespace {

struct NodeDeleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};
struct IterDeleter {
  void operator()(cmark_iter* iter) const { cmark_iter_free(iter); }
};

// "title: X" / "author: Y" of a leading front-matter block; returns the text after the block.
std::string_view strip_front_matter(std::string_view text, ports::ReadDocument& document) {
  if (!text.starts_with("---\n") && !text.starts_with("---\r\n")) return text;
  const auto close = text.find("\n---", 3);
  if (close == std::string_view::npos) return text;
  std::string_view block = text.substr(4, close - 4 + 1);
  std::size_t start = 0;
  while (start < block.size()) {
    auto end = block.find('\n', start);
    if (end == std::string_view::npos) end = block.size();
    const std::string_view line = block.substr(start, end - start);
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) {
      const std::string key = domain::ascii_lower(domain::trim(line.substr(0, colon)));
      std::string value = domain::trim(line.substr(colon + 1));
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
        value = value.substr(1, value.size() - 2);
      }
      if (key == "title") document.title = value;
      if (key == "author") document.author = value;
    }
    start = end + 1;
  }
  const auto after = text.find('\n', close + 4);
  return after == std::string_view::npos ? std::string_view() : text.substr(after + 1);
}

}  // namespace

domain::Result<ports::ReadDocument> read_markdown(const std::string& path, const ReaderLimits& limits) {
  auto bytes = read_file_bytes(path, limits.max_file_bytes);
  if (!bytes) return bytes.error();
  auto utf8 = utf8_text(path, bytes.value());
  if (!utf8) return utf8.error();
  std::string_view text = utf8.value();
  ports::ReadDocument document = new_document(path, "markdown", bytes.value());
  text = strip_front_matter(text, document);

  std::unique_ptr<cmark_node, NodeDeleter> root(cmark_parse_document(text.data(), text.size(), CMARK_OPT_DEFAULT));
  if (!root) return invalid_document(path, "the Markdown parser failed");
  std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(root.get()));
  std::string current;
  int depth = 0;  // > 0 while inside a heading or paragraph whose text is collected
  cmark_event_type event;
  while ((event = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    const cmark_node_type type = cmark_node_get_type(node);
    switch (type) {
      case CMARK_NODE_HEADING:
      case CMARK_NODE_PARAGRAPH:
        if (event == CMARK_EVENT_ENTER) {
          current.clear();
          ++depth;
        } else {
          --depth;
          std::string block = domain::trim(current);
          if (!block.empty()) {
            if (type == CMARK_NODE_HEADING) {
              document.blocks.push_back({domain::BlockKind::heading, cmark_node_get_heading_level(node), block, 0});
            } else {
              document.blocks.push_back({domain::BlockKind::paragraph, 0, block, 0});
            }
          }
        }
        break;
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        if (depth > 0 && cmark_node_get_literal(node) != nullptr) current += cmark_node_get_literal(node);
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        if (depth > 0) current += ' ';
        break;
      case CMARK_NODE_CODE_BLOCK:
        if (const char* literal = cmark_node_get_literal(node); literal != nullptr) {
          std::string code = domain::trim(literal);
          if (!code.empty()) {
            domain::DocumentBlock block{domain::BlockKind::paragraph, 0, std::move(code), 0};
            block.code = true;
            document.blocks.push_back(std::move(block));
          }
        }
        break;
      default:
        break;  // emphasis, links and lists only wrap text; raw HTML is markup
    }
  }
  return document;
}

}  // namespace docprof::adapters::ingest
