#include "adapters/ingest/html_document.h"

#include <libxml/parser.h>

namespace docprof::adapters::ingest {

XmlDocPtr parse_html(std::string_view bytes, const char* url) {
  return XmlDocPtr(htmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), url, nullptr,
                                  HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET));
}

XmlDocPtr parse_xml(std::string_view bytes, const char* url) {
  return XmlDocPtr(xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), url, nullptr,
                                 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
}

}  // namespace docprof::adapters::ingest
