// An HTML page parsed with libxml2's forgiving HTML parser (no network, errors recovered), owned
// and freed with the object. Internal to adapters/ingest.
// Thread safety: one object per thread.
#pragma once

#include <libxml/HTMLparser.h>

#include <memory>
#include <string_view>

namespace docprof::adapters::ingest {

struct XmlDocDeleter {
  void operator()(xmlDoc* document) const { xmlFreeDoc(document); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocDeleter>;

// Parses HTML (or XHTML) bytes; the encoding comes from the document (meta charset, BOM), UTF-8
// otherwise. `url` is used for messages only. Null when nothing could be parsed.
XmlDocPtr parse_html(std::string_view bytes, const char* url);

// Parses XML (an EPUB's container, package or NCX): no network, no DTD loading, no entity expansion.
XmlDocPtr parse_xml(std::string_view bytes, const char* url);

}  // namespace docprof::adapters::ingest
