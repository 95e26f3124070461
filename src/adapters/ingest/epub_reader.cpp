// EPUB 2 and 3 (libzip + libxml2): META-INF/container.xml names the package (OPF); its metadata
// gives title and author, its spine the reading order, and its table of contents — the EPUB 3 nav
// document, else the EPUB 2 NCX — the chapters (top-level entries) and sections (second level),
// placed where their targets (file and fragment) occur in the text. Without a table of contents
// the documents' own headings give the structure.
//
// Every entry is decompressed with a bound (limits.max_entry_bytes each, limits.max_archive_bytes
// in all), counted as it is read rather than trusted from the archive's directory: a zip bomb is
// refused, not inflated.
#include <zip.h>

#include <cctype>
#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "adapters/ingest/format_readers.h"
#include "adapters/ingest/html_blocks.h"
#include "adapters/ingest/html_document.h"
#include "domain/text.h"

namespace docprof::adapters::ingest {
namespace {

struct ZipCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

// A document before the table of contents' first one with fewer words is a cover or title page.
constexpr int kShortFrontPageWords = 150;

struct TocEntry {
  int level = 1;
  std::string title;
  std::string file;      // path inside the archive
  std::string fragment;  // "" = the start of the file
};

std::string local_name(const xmlNode* node) {
  return node->name == nullptr ? "" : domain::ascii_lower(reinterpret_cast<const char*>(node->name));
}

std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// `href` (relative to the archive path `base_file`) as an archive path and a fragment.
std::pair<std::string, std::string> resolve(const std::string& base_file, const std::string& href) {
  const auto hash = href.find('#');
  const std::string target = percent_decoded(href.substr(0, hash));
  const std::string fragment = hash == std::string::npos ? "" : percent_decoded(href.substr(hash + 1));
  if (target.empty()) return {base_file, fragment};
  const std::filesystem::path base = std::filesystem::path(base_file).parent_path();
  return {(base / target).lexically_normal().generic_string(), fragment};
}

class EpubArchive {
 public:
  EpubArchive(std::string path, const ReaderLimits& limits) : path_(std::move(path)), limits_(limits) {}

  // Opens the archive from its file: libzip reads the entries it is asked for, so memory holds
  // one entry at a time (within the limits), not the file.
  std::optional<domain::Error> open() {
    int code = 0;
    archive_.reset(zip_open(path_.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code));
    if (!archive_) {
      zip_error_t error;
      zip_error_init_with_code(&error, code);
      const std::string message = zip_error_strerror(&error);
      zip_error_fini(&error);
      return corrupt(message);
    }
    return std::nullopt;
  }

  // The entry's bytes, decompressed within the limits; an error when missing, corrupt or too big.
  domain::Result<std::string> entry(const std::string& name) {
    const zip_int64_t index = zip_name_locate(archive_.get(), name.c_str(), 0);
    if (index < 0) return invalid_document(path_, "the EPUB has no entry '" + name + "'");
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive_.get(), static_cast<zip_uint64_t>(index), 0, &stat) == 0 &&
        (stat.valid & ZIP_STAT_SIZE) != 0 && stat.size > limits_.max_entry_bytes) {
      return too_big(name);
    }
    std::unique_ptr<zip_file_t, ZipFileCloser> file(zip_fopen_index(archive_.get(), static_cast<zip_uint64_t>(index), 0));
    if (!file) return corrupt("cannot open entry '" + name + "': " + zip_strerror(archive_.get()));
    std::string out;
    char buffer[65536];
    for (;;) {
      const zip_int64_t n = zip_fread(file.get(), buffer, sizeof buffer);
      if (n < 0) return corrupt("entry '" + name + "': " + zip_file_strerror(file.get()));
      if (n == 0) break;
      out.append(buffer, static_cast<std::size_t>(n));
      total_ += static_cast<std::uint64_t>(n);
      if (out.size() > limits_.max_entry_bytes || total_ > limits_.max_archive_bytes) return too_big(name);
    }
    return out;
  }

  domain::Error corrupt(const std::string& why) const {
    return invalid_document(path_, "a corrupt EPUB (zip archive): " + why);
  }

 private:
  domain::Error too_big(const std::string& name) const {
    return invalid_document(path_, "EPUB entry '" + name + "' decompresses to more than " +
                                       std::to_string(limits_.max_entry_bytes >> 20) + " MiB (or the archive to more than " +
                                       std::to_string(limits_.max_archive_bytes >> 20) +
                                       " MiB): refused as a possible zip bomb");
  }

  std::string path_;
  const ReaderLimits& limits_;
  std::unique_ptr<zip_t, ZipCloser> archive_;
  std::uint64_t total_ = 0;
};

void children_named(xmlNode* node, std::string_view name, std::vector<xmlNode*>& out) {
  for (xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && local_name(n) == name) out.push_back(n);
    children_named(n->children, name, out);
  }
}

// EPUB 3 nav: <nav epub:type="toc"><ol><li><a href>title</a><ol>…</ol></li></ol></nav>.
void read_nav_list(xmlNode* list, int level, const std::string& nav_file, std::vector<TocEntry>& out) {
  for (xmlNode* li = list->children; li != nullptr; li = li->next) {
    if (li->type != XML_ELEMENT_NODE || local_name(li) != "li") continue;
    for (xmlNode* child = li->children; child != nullptr; child = child->next) {
      if (child->type != XML_ELEMENT_NODE) continue;
      const std::string name = local_name(child);
      if (name == "a") {
        auto [file, fragment] = resolve(nav_file, attribute(child, "href"));
        const std::string title = html_text(child);
        if (!title.empty()) out.push_back(TocEntry{level, title, file, fragment});
      } else if (name == "ol" || name == "ul") {
        read_nav_list(child, level + 1, nav_file, out);
      }
    }
  }
}

std::vector<TocEntry> nav_toc(xmlDoc* nav, const std::string& nav_file) {
  std::vector<xmlNode*> navs;
  children_named(xmlDocGetRootElement(nav), "nav", navs);
  xmlNode* toc = nullptr;
  for (xmlNode* n : navs) {
    if (domain::ascii_lower(attribute(n, "type")) == "toc") toc = n;
  }
  if (toc == nullptr && !navs.empty()) toc = navs.front();
  std::vector<TocEntry> entries;
  if (toc == nullptr) return entries;
  std::vector<xmlNode*> lists;
  for (xmlNode* c = toc->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && (local_name(c) == "ol" || local_name(c) == "ul")) {
      read_nav_list(c, 1, nav_file, entries);
      break;
    }
  }
  return entries;
}

// EPUB 2 NCX: <navMap><navPoint><navLabel><text>…</text></navLabel><content src/><navPoint>…
void read_nav_points(xmlNode* parent, int level, const std::string& ncx_file, std::vector<TocEntry>& out) {
  for (xmlNode* point = parent->children; point != nullptr; point = point->next) {
    if (point->type != XML_ELEMENT_NODE || local_name(point) != "navpoint") continue;
    std::string title;
    std::string src;
    for (xmlNode* c = point->children; c != nullptr; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      if (local_name(c) == "navlabel") title = html_text(c);
      if (local_name(c) == "content") src = attribute(c, "src");
    }
    if (!title.empty() && !src.empty()) {
      auto [file, fragment] = resolve(ncx_file, src);
      out.push_back(TocEntry{level, title, file, fragment});
    }
    read_nav_points(point, level + 1, ncx_file, out);
  }
}

std::vector<TocEntry> ncx_toc(xmlDoc* ncx, const std::string& ncx_file) {
  std::vector<xmlNode*> maps;
  children_named(xmlDocGetRootElement(ncx), "navmap", maps);
  std::vector<TocEntry> entries;
  if (!maps.empty()) read_nav_points(maps.front(), 1, ncx_file, entries);
  return entries;
}

void collect_ids(xmlNode* node, std::set<std::string>& ids) {
  for (xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (auto id = attribute(n, "id"); !id.empty()) ids.insert(std::move(id));
    if (local_name(n) == "a") {
      if (auto name = attribute(n, "name"); !name.empty()) ids.insert(std::move(name));
    }
    collect_ids(n->children, ids);
  }
}

domain::DocumentBlock heading_of(const TocEntry& entry) {
  return domain::DocumentBlock{domain::BlockKind::heading, std::min(entry.level, 3), entry.title, 0};
}

}  // namespace

domain::Result<ports::ReadDocument> read_epub(const std::string& path, const ReaderLimits& limits,
                                              const ports::ReadProgress& progress) {
  auto opened = new_streamed_document(path, "epub", limits.max_streamed_file_bytes);
  if (!opened) return opened.error();
  EpubArchive archive(path, limits);
  if (auto error = archive.open()) return *error;

  ports::ReadDocument document = std::move(opened.value());
  document.files = 0;

  auto container_bytes = archive.entry("META-INF/container.xml");
  if (!container_bytes) return container_bytes.error();
  auto container = parse_xml(container_bytes.value(), "container.xml");
  std::vector<xmlNode*> rootfiles;
  if (container) children_named(xmlDocGetRootElement(container.get()), "rootfile", rootfiles);
  if (rootfiles.empty()) return invalid_document(path, "META-INF/container.xml names no package (rootfile)");
  const std::string opf_path = percent_decoded(attribute(rootfiles.front(), "full-path"));
  auto opf_bytes = archive.entry(opf_path);
  if (!opf_bytes) return opf_bytes.error();
  auto opf = parse_xml(opf_bytes.value(), opf_path.c_str());
  if (!opf) return invalid_document(path, "the package document " + opf_path + " is not well-formed XML");
  xmlNode* opf_root = xmlDocGetRootElement(opf.get());

  std::vector<xmlNode*> found;
  children_named(opf_root, "title", found);
  if (!found.empty()) document.title = html_text(found.front());
  found.clear();
  children_named(opf_root, "creator", found);
  for (xmlNode* creator : found) {
    const std::string name = html_text(creator);
    if (name.empty()) continue;
    document.author += (document.author.empty() ? "" : ", ") + name;
  }

  struct Item {
    std::string file;
    std::string media_type;
    std::string properties;
  };
  std::map<std::string, Item> manifest;
  found.clear();
  children_named(opf_root, "item", found);
  for (xmlNode* item : found) {
    manifest[attribute(item, "id")] = Item{resolve(opf_path, attribute(item, "href")).first,
                                           attribute(item, "media-type"), attribute(item, "properties")};
  }
  std::vector<std::string> spine;
  std::string ncx_id;
  found.clear();
  children_named(opf_root, "spine", found);
  if (!found.empty()) {
    ncx_id = attribute(found.front(), "toc");
    for (xmlNode* ref = found.front()->children; ref != nullptr; ref = ref->next) {
      if (ref->type != XML_ELEMENT_NODE || local_name(ref) != "itemref") continue;
      const auto item = manifest.find(attribute(ref, "idref"));
      if (item != manifest.end()) spine.push_back(item->second.file);
    }
  }
  if (spine.empty()) return invalid_document(path, "the EPUB's spine lists no documents");

  std::vector<TocEntry> toc;
  for (const auto& [id, item] : manifest) {
    if (item.properties.find("nav") == std::string::npos) continue;
    auto nav_bytes = archive.entry(item.file);
    if (!nav_bytes) return nav_bytes.error();
    if (auto nav = parse_html(nav_bytes.value(), item.file.c_str())) toc = nav_toc(nav.get(), item.file);
    break;
  }
  if (toc.empty()) {
    std::string ncx_file;
    if (const auto it = manifest.find(ncx_id); it != manifest.end()) ncx_file = it->second.file;
    for (const auto& [id, item] : manifest) {
      if (ncx_file.empty() && item.media_type == "application/x-dtbncx+xml") ncx_file = item.file;
    }
    if (!ncx_file.empty()) {
      auto ncx_bytes = archive.entry(ncx_file);
      if (!ncx_bytes) return ncx_bytes.error();
      if (auto ncx = parse_xml(ncx_bytes.value(), ncx_file.c_str())) toc = ncx_toc(ncx.get(), ncx_file);
    }
  }

  // An NCX entry for the title page, named like the book, is no chapter.
  if (!toc.empty() && toc.front().level == 1 && domain::ascii_lower(domain::trim(toc.front().title)) ==
                                                    domain::ascii_lower(domain::trim(document.title))) {
    toc.erase(toc.begin());
  }
  // Cover, title and copyright pages before the first document the table of contents points to
  // are left out when short; a real introduction there is kept.
  std::size_t first_listed = 0;
  if (!toc.empty()) {
    while (first_listed < spine.size() &&
           std::none_of(toc.begin(), toc.end(), [&](const TocEntry& e) { return e.file == spine[first_listed]; }))
      ++first_listed;
    if (first_listed == spine.size()) first_listed = 0;
  }

  std::set<std::string> read_files;
  for (std::size_t position = 0; position < spine.size(); ++position) {
    const std::string& file = spine[position];
    if (!read_files.insert(file).second) continue;
    auto page = archive.entry(file);
    if (!page) return page.error();
    auto parsed = parse_html(page.value(), file.c_str());
    if (!parsed) return invalid_document(path, "document " + file + " cannot be parsed");
    ++document.files;
    if (progress) progress(static_cast<int>(position) + 1, static_cast<int>(spine.size()), "documents");
    // Entries of this file: at their anchors, or at its start when they name none (or one not found).
    std::set<std::string> ids;
    collect_ids(xmlDocGetRootElement(parsed.get()), ids);
    std::multimap<std::string, const TocEntry*> at_anchor;
    for (const auto& entry : toc) {
      if (entry.file != file) continue;
      if (entry.fragment.empty() || !ids.contains(entry.fragment)) {
        document.blocks.push_back(heading_of(entry));
      } else {
        at_anchor.emplace(entry.fragment, &entry);
      }
    }
    HtmlWalk walk;
    walk.headings = toc.empty();
    if (!at_anchor.empty()) {
      walk.on_anchor = [&](std::string_view id, std::vector<domain::DocumentBlock>& out) {
        const auto [first, last] = at_anchor.equal_range(std::string(id));
        for (auto it = first; it != last; ++it) out.push_back(heading_of(*it->second));
        at_anchor.erase(first, last);
      };
    }
    const std::size_t from = document.blocks.size();
    append_html_blocks(parsed.get(), walk, document.blocks);
    if (position < first_listed) {
      int words = 0;
      for (std::size_t i = from; i < document.blocks.size(); ++i) words += domain::count_words(document.blocks[i].text);
      if (words < kShortFrontPageWords) {
        document.blocks.resize(from);
        continue;
      }
    }
    // The document's own heading repeats the table of contents' title just placed: once is enough.
    for (std::size_t i = std::max<std::size_t>(from, 1); i < document.blocks.size(); ++i) {
      auto& block = document.blocks[i];
      const auto& before = document.blocks[i - 1];
      if (block.kind == domain::BlockKind::paragraph && before.kind == domain::BlockKind::heading &&
          domain::ascii_lower(block.text) == domain::ascii_lower(before.text)) {
        block.text.clear();  // build_outline skips empty blocks
      }
    }
  }
  return document;
}

}  // namespace docprof::adapters::ingest
