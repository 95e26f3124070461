// HTML: one page, or a manual of many pages. From the page given, the reader follows the
// rel="next" chain (<link rel="next"> or <a rel="next">, or texinfo/DocBook's accesskey="n" links)
// through the manual's own folder; a folder given as such starts at its index.html and, when the
// index has no next link, reads the local pages it links to (its table of contents), in order.
// Pages are read once each, at most limits.max_manual_pages of them, never outside the folder of
// the first page.
#include <filesystem>
#include <set>

#include "adapters/ingest/format_readers.h"
#include "adapters/ingest/html_blocks.h"
#include "adapters/ingest/html_document.h"
#include "domain/text.h"
#include "util/digest.h"

namespace docprof::adapters::ingest {
namespace {

namespace fs = std::filesystem;

bool has_token(const std::string& value, std::string_view token) {
  std::size_t start = 0;
  const std::string lower = domain::ascii_lower(value);
  while (start < lower.size()) {
    while (start < lower.size() && lower[start] == ' ') ++start;
    auto end = lower.find(' ', start);
    if (end == std::string::npos) end = lower.size();
    if (std::string_view(lower).substr(start, end - start) == token) return true;
    start = end;
  }
  return false;
}

// A link's target as a local page inside `root`, without its fragment; empty when it leaves the
// folder, is remote, or is no HTML page.
fs::path local_page(const fs::path& page, const std::string& href, const fs::path& root) {
  if (href.empty() || href.find("://") != std::string::npos || href.starts_with("mailto:") || href.starts_with("#") ||
      href.starts_with("javascript:"))
    return {};
  std::string target = href.substr(0, href.find_first_of("#?"));
  if (target.empty()) return {};
  const fs::path resolved = (page.parent_path() / target).lexically_normal();
  const auto relative = resolved.lexically_relative(root);
  if (relative.empty() || *relative.begin() == "..") return {};
  const std::string extension = domain::ascii_lower(resolved.extension().string());
  if (extension != ".html" && extension != ".htm" && extension != ".xhtml") return {};
  std::error_code ec;
  if (!fs::is_regular_file(resolved, ec)) return {};
  return resolved;
}

void find_links(xmlNode* node, std::vector<xmlNode*>& links) {
  for (xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && n->name != nullptr) {
      const std::string name = domain::ascii_lower(reinterpret_cast<const char*>(n->name));
      if (name == "a" || name == "link") links.push_back(n);
    }
    find_links(n->children, links);
  }
}

fs::path next_page(xmlDoc* document, const fs::path& page, const fs::path& root) {
  std::vector<xmlNode*> links;
  find_links(xmlDocGetRootElement(document), links);
  for (xmlNode* link : links) {
    if (has_token(attribute(link, "rel"), "next") || attribute(link, "accesskey") == "n") {
      if (auto target = local_page(page, attribute(link, "href"), root); !target.empty()) return target;
    }
  }
  return {};
}

std::vector<fs::path> linked_pages(xmlDoc* document, const fs::path& page, const fs::path& root) {
  std::vector<xmlNode*> links;
  find_links(xmlDocGetRootElement(document), links);
  std::vector<fs::path> pages;
  std::set<fs::path> seen{page};
  for (xmlNode* link : links) {
    if (domain::ascii_lower(reinterpret_cast<const char*>(link->name)) != "a") continue;
    auto target = local_page(page, attribute(link, "href"), root);
    if (!target.empty() && seen.insert(target).second) pages.push_back(std::move(target));
  }
  return pages;
}

// mdBook titles its first page "<chapter> - <book>", which there is "<book> - <book>".
std::string without_repeated_half(const std::string& title) {
  for (std::string_view separator : {" - ", " — ", " | "}) {
    const auto at = title.find(separator);
    if (at == std::string::npos) continue;
    if (title.substr(0, at) == title.substr(at + separator.size())) return title.substr(0, at);
  }
  return title;
}

}  // namespace

domain::Result<ports::ReadDocument> read_html(const std::string& path, bool whole_folder, const ReaderLimits& limits,
                                              const ports::ReadProgress& progress) {
  const fs::path first = fs::absolute(path).lexically_normal();
  const fs::path root = first.parent_path();
  ports::ReadDocument document;
  document.source_path = whole_folder ? root.string() : first.string();
  document.format = "html";
  document.files = 0;
  std::string page_hashes;
  std::set<fs::path> visited;
  std::vector<fs::path> queue{first};  // pages still to read, in order (a table of contents' links)
  std::size_t next_in_queue = 0;
  const HtmlWalk walk;
  while (next_in_queue < queue.size()) {
    fs::path page = queue[next_in_queue++];
    // Each page of a next-chain is read, then its successor, until the chain ends.
    while (!page.empty() && visited.insert(page).second) {
      if (document.files >= limits.max_manual_pages) {
        return invalid_document(document.source_path, "the manual has more than " +
                                                          std::to_string(limits.max_manual_pages) + " pages");
      }
      auto bytes = read_file_bytes(page.string(), limits.max_file_bytes);
      if (!bytes) return bytes.error();
      auto parsed = parse_html(bytes.value(), page.string().c_str());
      if (!parsed) return invalid_document(page.string(), "not an HTML page the parser can read");
      ++document.files;
      page_hashes += util::sha256_hex(bytes.value());
      if (document.files == 1) {
        document.file_stem = without_repeated_half(html_title(parsed.get()));
        document.author = html_author(parsed.get());
      }
      append_html_blocks(parsed.get(), walk, document.blocks);
      if (progress) progress(document.files, 0, "pages");
      fs::path next = next_page(parsed.get(), page, root);
      if (document.files == 1 && whole_folder && next.empty()) {
        for (auto& linked : linked_pages(parsed.get(), page, root)) queue.push_back(std::move(linked));
      }
      page = std::move(next);
    }
  }
  if (document.file_stem.empty()) document.file_stem = whole_folder ? root.filename().string() : first.stem().string();
  document.sha256 = document.files == 1 ? page_hashes : util::sha256_hex(page_hashes);
  return document;
}

}  // namespace docprof::adapters::ingest
