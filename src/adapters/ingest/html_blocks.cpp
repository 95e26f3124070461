#include "adapters/ingest/html_blocks.h"

#include <cctype>

#include "domain/text.h"

namespace docprof::adapters::ingest {
namespace {

bool ascii_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto x = static_cast<unsigned char>(a[i]);
    const auto y = static_cast<unsigned char>(b[i]);
    if (std::tolower(x) != std::tolower(y)) return false;
  }
  return true;
}

std::string_view name_of(const xmlNode* node) {
  return node->name == nullptr ? std::string_view() : reinterpret_cast<const char*>(node->name);
}

bool is_one_of(std::string_view name, std::initializer_list<std::string_view> names) {
  for (const auto n : names) {
    if (ascii_equal(name, n)) return true;
  }
  return false;
}

bool has_class_token(const std::string& classes, std::initializer_list<std::string_view> tokens) {
  std::size_t start = 0;
  while (start < classes.size()) {
    while (start < classes.size() && classes[start] == ' ') ++start;
    std::size_t end = classes.find(' ', start);
    if (end == std::string::npos) end = classes.size();
    const std::string_view token(classes.data() + start, end - start);
    for (const auto t : tokens) {
      if (token == t) return true;
    }
    start = end;
  }
  return false;
}

bool is_block(std::string_view name);

// Page furniture of the documentation generators we read, and markup that carries no text.
bool is_skipped(xmlNode* node) {
  const std::string_view name = name_of(node);
  if (is_one_of(name, {"script", "style", "nav", "noscript", "template", "head", "button", "form", "select",
                       "iframe", "svg", "object", "map"}))
    return true;
  if (ascii_equal(attribute(node, "role"), "navigation")) return true;
  if (ascii_equal(name, "header") && attribute(node, "id") == "title-block-header") return true;  // pandoc's
  const std::string classes = attribute(node, "class");
  if (classes.empty()) return false;
  // Inline elements keep their text whatever their class (mdBook wraps every heading's text in
  // <a class="header">), except Sphinx's "¶" links.
  if (!is_block(name)) return has_class_token(classes, {"headerlink"});
  return has_class_token(classes, {"navheader", "navfooter", "sphinxsidebar", "related", "sidebar", "toc",
                                   "breadcrumb", "breadcrumbs", "headerlink", "nav-chapters", "mobile-nav-chapters",
                                   "nav-wrapper", "menu-bar", "header", "footer", "navigation", "copyright-notice",
                                   "contents", "shortcontents", "nav-panel"});
}

bool is_block(std::string_view name) {
  return is_one_of(name, {"p", "div", "li", "dd", "dt", "td", "th", "tr", "blockquote", "section", "article", "table",
                          "ul", "ol", "dl", "figure", "figcaption", "caption", "main", "body", "hr", "br",
                          "address", "center", "aside", "header", "footer", "details", "summary", "tbody",
                          "thead"});
}

int heading_level(std::string_view name) {
  if (name.size() == 2 && (name[0] == 'h' || name[0] == 'H') && name[1] >= '1' && name[1] <= '6') return name[1] - '0';
  return 0;
}

void append_collapsed(std::string& out, std::string_view text) {
  for (const char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
}

void collect_text(xmlNode* node, std::string& out, bool keep_lines) {
  for (xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) {
      if (child->content == nullptr) continue;
      const std::string_view text(reinterpret_cast<const char*>(child->content));
      if (keep_lines) {
        out += text;
      } else {
        append_collapsed(out, text);
      }
    } else if (child->type == XML_ELEMENT_NODE && !is_skipped(child)) {
      const bool block = is_block(name_of(child));
      if (block && !keep_lines) append_collapsed(out, " ");
      collect_text(child, out, keep_lines);
      if (block && !keep_lines) append_collapsed(out, " ");
    }
  }
}

class Walker {
 public:
  Walker(const HtmlWalk& walk, std::vector<domain::DocumentBlock>& out) : walk_(walk), out_(out) {}

  void visit(xmlNode* node) {
    for (xmlNode* child = node->children; child != nullptr; child = child->next) {
      if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) {
        if (child->content != nullptr) append_collapsed(current_, reinterpret_cast<const char*>(child->content));
        continue;
      }
      if (child->type != XML_ELEMENT_NODE || is_skipped(child)) continue;
      if (walk_.on_anchor) {
        std::string id = attribute(child, "id");
        if (id.empty() && ascii_equal(name_of(child), "a")) id = attribute(child, "name");
        if (!id.empty()) {
          flush();
          walk_.on_anchor(id, out_);
        }
      }
      const std::string_view name = name_of(child);
      if (const int level = heading_level(name); level > 0) {
        flush();
        visit_anchors_only(child);
        std::string text = domain::trim(html_text(child));
        if (!text.empty()) {
          out_.push_back({walk_.headings ? domain::BlockKind::heading : domain::BlockKind::paragraph,
                          walk_.headings ? level : 0, std::move(text), 0});
        }
      } else if (ascii_equal(name, "pre")) {
        flush();
        std::string code;
        collect_text(child, code, true);
        std::string trimmed = domain::trim(code);
        if (!trimmed.empty()) {
          domain::DocumentBlock block{domain::BlockKind::paragraph, 0, std::move(trimmed), 0};
          block.code = true;
          out_.push_back(std::move(block));
        }
      } else if (is_block(name)) {
        flush();
        visit(child);
        flush();
      } else {
        visit(child);
      }
    }
  }

  void flush() {
    std::string text = domain::trim(current_);
    current_.clear();
    if (!text.empty()) out_.push_back({domain::BlockKind::paragraph, 0, std::move(text), 0});
  }

 private:
  // Anchors inside a heading (<h2><a id="…"></a>Title</h2>) still count as places.
  void visit_anchors_only(xmlNode* node) {
    if (!walk_.on_anchor) return;
    for (xmlNode* child = node->children; child != nullptr; child = child->next) {
      if (child->type != XML_ELEMENT_NODE) continue;
      std::string id = attribute(child, "id");
      if (id.empty() && ascii_equal(name_of(child), "a")) id = attribute(child, "name");
      if (!id.empty()) walk_.on_anchor(id, out_);
      visit_anchors_only(child);
    }
  }

  const HtmlWalk& walk_;
  std::vector<domain::DocumentBlock>& out_;
  std::string current_;
};

}  // namespace

std::string attribute(xmlNode* node, const char* name) {
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) return "";
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

xmlNode* find_element(xmlNode* node, std::string_view name) {
  for (xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && ascii_equal(name_of(n), name)) return n;
    if (xmlNode* found = find_element(n->children, name)) return found;
  }
  return nullptr;
}

std::string html_text(xmlNode* node) {
  std::string out;
  collect_text(node, out, false);
  return domain::trim(out);
}

std::string html_title(xmlDoc* document) {
  xmlNode* title = find_element(xmlDocGetRootElement(document), "title");
  return title == nullptr ? "" : html_text(title);
}

std::string html_author(xmlDoc* document) {
  xmlNode* head = find_element(xmlDocGetRootElement(document), "head");
  for (xmlNode* n = head == nullptr ? nullptr : head->children; n != nullptr; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && ascii_equal(name_of(n), "meta") && ascii_equal(attribute(n, "name"), "author")) {
      return domain::trim(attribute(n, "content"));
    }
  }
  return "";
}

void append_html_blocks(xmlDoc* document, const HtmlWalk& walk, std::vector<domain::DocumentBlock>& out) {
  xmlNode* root = xmlDocGetRootElement(document);
  if (root == nullptr) return;
  xmlNode* body = find_element(root, "body");
  Walker walker(walk, out);
  if (body != nullptr) {
    walker.visit(body);
  } else {
    walker.visit(root);
  }
  walker.flush();
}

}  // namespace docprof::adapters::ingest
