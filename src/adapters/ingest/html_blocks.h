// HTML (as parsed by libxml2) into document blocks: h1–h6 become headings, p/li/dd/td/blockquote
// and other block elements paragraphs, <pre> a code paragraph; navigation and page furniture are
// left out — script/style, <nav>, role="navigation", and the bars, sidebars and tables of contents
// that DocBook, Sphinx, mdBook and texinfo put on every page (by their class names), and Sphinx's
// "¶" header links. Shared by the HTML and EPUB readers; internal to adapters/ingest.
//
// Thread safety: stateless functions over the caller's document.
#pragma once

#include <libxml/tree.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/document_outline.h"

namespace docprof::adapters::ingest {

struct HtmlWalk {
  // h1–h6 as headings (true), or as paragraphs (when a table of contents gives the structure).
  bool headings = true;
  // Called for every element with an id (or an <a name>), before its content: the EPUB reader
  // places its table of contents' headings there.
  std::function<void(std::string_view id, std::vector<domain::DocumentBlock>& out)> on_anchor;
};

// Appends the blocks of the document's <body> (or of the whole tree when it has none).
void append_html_blocks(xmlDoc* document, const HtmlWalk& walk, std::vector<domain::DocumentBlock>& out);

// The text of an element's subtree, white space collapsed.
std::string html_text(xmlNode* node);

// The document's <title>, and <meta name="author" content>; "" when absent.
std::string html_title(xmlDoc* document);
std::string html_author(xmlDoc* document);

// The value of an attribute ("" when absent).
std::string attribute(xmlNode* node, const char* name);

// Depth-first search for the first element with that (lower-case) name.
xmlNode* find_element(xmlNode* node, std::string_view name);

}  // namespace docprof::adapters::ingest
