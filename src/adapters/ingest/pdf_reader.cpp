// PDF: text per page with poppler-cpp (reading order), chapters and sections from the outline
// (pdf_outline.h: top-level entries, their children), each placed at the line of its target page
// that carries its title (else at the top of that page); without an outline, headings by font size
// (short lines set clearly larger than the body text; the largest size level 1), or, when poppler
// gives no font information, numbered headings ("1 Introduction", "2.3 Pointers", "Chapter 4")
// found by plain_text_blocks.h. Lines become
// paragraphs: a blank line, or a short line ending a sentence, ends one; words hyphenated across
// lines are joined; page numbers, table-of-contents lines (dot leaders and a page number) and
// running headers/footers (the same first or last line on many pages) are dropped. A paragraph cut
// by a page break goes on across it (the next page continues in lower case, or after a comma or a
// hyphen); every paragraph keeps the page it starts on.
// A locked (password-protected) PDF, and one without a text layer (scanned images), are errors.
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <memory>
#include <mutex>

#include "adapters/ingest/format_readers.h"
#include "adapters/ingest/pdf_outline.h"
#include "adapters/ingest/plain_text_blocks.h"
#include "domain/text.h"

namespace docprof::adapters::ingest {
namespace {

// poppler prints its complaints about a broken or locked file on stderr; the reader reports them
// as its own errors instead.
void quiet_poppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

std::string utf8_of(const poppler::ustring& text) {
  const poppler::byte_array bytes = text.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\f')) line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

// Letters and digits only, lower case, single spaces: for comparing a line with a title.
std::string normalised(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c >= 0x80) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// "1 introduction" carries "introduction"; "chapter 2 pointers" carries "pointers".
bool line_carries_title(const std::string& line, const std::string& title) {
  if (title.empty() || line.size() < title.size()) return false;
  if (line == title) return true;
  if (!line.ends_with(title) || line[line.size() - title.size() - 1] != ' ') return false;
  const std::string prefix = line.substr(0, line.size() - title.size() - 1);
  for (const char c : prefix) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0 && c != ' ') {
      return prefix.starts_with("chapter ") || prefix.starts_with("part ") || prefix.starts_with("appendix ");
    }
  }
  return true;
}

bool is_page_number(std::string_view line) {
  const std::string t = domain::ascii_lower(domain::trim(line));
  if (t.empty() || t.size() > 8) return false;
  return std::all_of(t.begin(), t.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }) ||
         std::all_of(t.begin(), t.end(), [](char c) { return c == 'i' || c == 'v' || c == 'x' || c == 'l'; });
}

// A table-of-contents line: a title, dot leaders and a page number ("2.1 Installing . . . . 12").
bool is_contents_line(std::string_view line) {
  std::string_view t = line;
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  std::size_t digits = 0;
  while (digits < t.size() && std::isdigit(static_cast<unsigned char>(t[t.size() - 1 - digits])) != 0) ++digits;
  if (digits == 0) {
    while (digits < t.size() && (t[t.size() - 1 - digits] == 'i' || t[t.size() - 1 - digits] == 'v' ||
                                 t[t.size() - 1 - digits] == 'x'))
      ++digits;
  }
  if (digits == 0 || digits == t.size()) return false;
  const std::string_view before = t.substr(0, t.size() - digits);
  return before.find(". . .") != std::string_view::npos || before.find("....") != std::string_view::npos ||
         before.find("\xE2\x80\xA6\xE2\x80\xA6") != std::string_view::npos;  // "……"
}

// A running header or footer, compared without its digits (page numbers in it).
std::string furniture_key(std::string_view line) {
  std::string key;
  for (const char c : line) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) key += c;
  }
  return domain::trim(key);
}

struct Page {
  std::vector<std::string> lines;
  std::vector<double> sizes;  // font size of each line when read with fonts; empty otherwise
};

// A page's lines from its words with their font sizes (poppler's text boxes): words on one baseline
// form a line (its size the largest of its words); a gap of more than a line and a half between
// lines is a blank line, as in poppler's own text. Empty when poppler has no font information.
Page lines_with_fonts(const poppler::page& page) {
  Page out;
  const std::vector<poppler::text_box> boxes = page.text_list(poppler::page::text_list_include_font);
  std::string line;
  double size = 0;
  double baseline = 0;
  double height = 0;
  bool space_after = false;
  const auto push = [&] {
    if (line.empty()) return;
    out.lines.push_back(std::move(line));
    out.sizes.push_back(size);
    line.clear();
  };
  for (const auto& box : boxes) {
    if (!box.has_font_info()) return Page{};
    const poppler::rectf r = box.bbox();
    const double bottom = r.bottom();
    if (!line.empty() && std::abs(bottom - baseline) > std::max(r.height(), 1.0) * 0.5) {
      push();
      if (bottom - baseline > 1.6 * std::max(height, 1.0)) {
        out.lines.emplace_back();
        out.sizes.push_back(0);
      }
    }
    if (line.empty()) {
      baseline = bottom;
      height = r.height();
      size = 0;
    } else if (space_after) {
      line += ' ';
    }
    line += utf8_of(box.text());
    size = std::max(size, box.get_font_size());
    space_after = box.has_space_after();
  }
  push();
  return out;
}

// Heading levels by font size for a PDF without an outline: the body text's size is the one most
// words are set in; the sizes clearly larger (by 12 %) of short lines without a full stop are
// heading sizes, the largest level 1, the next level 2, the rest 3. Empty when no line has a size.
std::map<long, int> heading_levels_by_size(const std::vector<Page>& pages) {
  std::map<long, long> words_at;  // size in tenths of a point -> words
  for (const auto& page : pages) {
    for (std::size_t l = 0; l < page.sizes.size(); ++l) {
      if (page.sizes[l] > 0) words_at[std::lround(page.sizes[l] * 10)] += domain::count_words(page.lines[l]);
    }
  }
  if (words_at.empty()) return {};
  const long body = std::max_element(words_at.begin(), words_at.end(),
                                     [](const auto& a, const auto& b) { return a.second < b.second; })->first;
  std::set<long, std::greater<>> heading_sizes;
  for (const auto& page : pages) {
    for (std::size_t l = 0; l < page.sizes.size(); ++l) {
      const long tenths = std::lround(page.sizes[l] * 10);
      const std::string& text = page.lines[l];
      if (tenths * 100 < body * 112 || domain::count_words(text) > 12 || domain::trim(text).ends_with('.')) continue;
      heading_sizes.insert(tenths);
    }
  }
  std::map<long, int> levels;
  int level = 0;
  for (const long tenths : heading_sizes) levels[tenths] = std::min(++level, 3);
  return levels;
}

// Paragraphs rebuilt from the lines of the pages, in reading order. A paragraph that a page break
// cuts (its last line ends no sentence, and the next page goes on in lower case or after a comma or
// hyphen) goes on across the break; each keeps the page it starts on.
class Paragraphs {
 public:
  explicit Paragraphs(std::vector<domain::DocumentBlock>& out) : out_(out) {}

  void start_page(int page) {
    page_ = page;
    at_page_top_ = true;
  }

  void line(const std::string& text, std::size_t typical_length) {
    const std::string t = domain::trim(text);
    if (t.empty()) {
      blank_ = true;  // ends the paragraph, unless a page break comes first (see start_page)
      return;
    }
    if (!current_.empty() && at_page_top_) {
      const char last = current_.back();
      const bool ended = last == '.' || last == '?' || last == '!' || last == ':';
      const bool goes_on = std::islower(static_cast<unsigned char>(t.front())) != 0 || last == ',' || last == '-';
      if (ended || !goes_on) flush();
    } else if (!current_.empty() && blank_) {
      flush();
    }
    blank_ = false;
    at_page_top_ = false;
    if (current_.empty()) current_page_ = page_;
    if (!current_.empty()) {
      const auto last = static_cast<unsigned char>(current_.back());
      const auto first = static_cast<unsigned char>(t.front());
      if (current_.back() == '-' && current_.size() > 1 && std::isalpha(static_cast<unsigned char>(current_[current_.size() - 2])) &&
          std::islower(first) != 0) {
        current_.pop_back();  // "infor-" + "mation"
      } else if (last != ' ') {
        current_ += ' ';
      }
    }
    current_ += t;
    const char end = t.back();
    if ((end == '.' || end == '?' || end == '!' || end == ':') && t.size() * 4 < typical_length * 3) flush();
  }

  void heading(int level, std::string title) {
    flush();
    at_page_top_ = false;
    blank_ = false;
    out_.push_back({domain::BlockKind::heading, level, std::move(title), page_});
  }

  void flush() {
    std::string text = domain::trim(current_);
    current_.clear();
    if (!text.empty()) out_.push_back({domain::BlockKind::paragraph, 0, std::move(text), current_page_});
  }

 private:
  std::vector<domain::DocumentBlock>& out_;
  int page_ = 0;
  int current_page_ = 0;  // where the paragraph being read started
  bool at_page_top_ = false;
  bool blank_ = false;  // a blank line since the last text line
  std::string current_;
};

std::size_t typical_line_length(const std::vector<std::string>& lines) {
  std::vector<std::size_t> lengths;
  for (const auto& l : lines) {
    if (!l.empty()) lengths.push_back(l.size());
  }
  if (lengths.empty()) return 0;
  std::sort(lengths.begin(), lengths.end());
  return lengths[lengths.size() * 4 / 5];
}

}  // namespace

domain::Result<ports::ReadDocument> read_pdf(const std::string& path, const ReaderLimits& limits,
                                             const ports::ReadProgress& progress) {
  // poppler reads the file as it needs it: memory holds the text read, not the file.
  auto opened = new_streamed_document(path, "pdf", limits.max_streamed_file_bytes);
  if (!opened) return opened.error();
  quiet_poppler();
  std::unique_ptr<poppler::document> pdf(poppler::document::load_from_file(path));
  if (!pdf) return invalid_document(path, "not a readable PDF (corrupt, truncated or password-protected)");
  if (pdf->is_locked()) {
    return invalid_document(path, "an encrypted (password-protected) PDF: docprof cannot read it; remove the "
                                  "password first, e.g. qpdf --decrypt --password=PASSWORD in.pdf out.pdf");
  }
  ports::ReadDocument document = std::move(opened.value());
  document.title = domain::trim(utf8_of(pdf->get_title()));
  document.author = domain::trim(utf8_of(pdf->get_author()));
  document.pages = pdf->pages();

  std::vector<PdfOutlineEntry> outline = pdf_outline(path);
  std::erase_if(outline, [&](const PdfOutlineEntry& e) { return e.page < 1 || e.page > document.pages; });

  // With an outline, poppler's text of each page; without one, its words with their font sizes, so
  // that headings can be told by size (else by numbering).
  std::vector<Page> pages(static_cast<std::size_t>(document.pages));
  int words = 0;
  for (int i = 0; i < document.pages; ++i) {
    std::unique_ptr<poppler::page> page(pdf->create_page(i));
    if (!page) continue;
    Page& read = pages[static_cast<std::size_t>(i)];
    if (outline.empty()) read = lines_with_fonts(*page);
    if (read.lines.empty()) read = Page{lines_of(utf8_of(page->text())), {}};
    for (const auto& line : read.lines) words += domain::count_words(line);
    if (progress && ((i + 1) % 10 == 0 || i + 1 == document.pages)) progress(i + 1, document.pages, "pages");
  }
  if (words < std::max(1, document.pages) * 5) {
    return invalid_document(path, "the PDF has no text layer (" + std::to_string(words) + " words on " +
                                      std::to_string(document.pages) +
                                      " pages): a scanned or image-only PDF? OCR is not supported");
  }
  pdf.reset();

  // Running headers and footers: the same first or last line (digits aside) on many pages.
  std::map<std::string, int> edge_lines;
  for (const auto& page : pages) {
    std::vector<std::string> nonblank;
    for (const auto& l : page.lines) {
      if (!domain::trim(l).empty()) nonblank.push_back(l);
    }
    if (nonblank.empty()) continue;
    ++edge_lines[furniture_key(nonblank.front())];
    if (nonblank.size() > 1) ++edge_lines[furniture_key(nonblank.back())];
  }
  const int furniture_threshold = std::max(3, document.pages / 4);

  const std::map<long, int> size_levels = outline.empty() ? heading_levels_by_size(pages) : std::map<long, int>{};
  std::size_t next_entry = 0;
  Paragraphs paragraphs(document.blocks);
  for (int p = 0; p < document.pages; ++p) {
    auto& lines = pages[static_cast<std::size_t>(p)].lines;
    const int page_number = p + 1;
    paragraphs.start_page(page_number);
    // This page's outline entries: each at the first line (after the previous one) carrying its title.
    std::map<std::size_t, std::vector<const PdfOutlineEntry*>> at_line;
    std::vector<const PdfOutlineEntry*> at_top;
    std::size_t search_from = 0;
    while (next_entry < outline.size() && outline[next_entry].page <= page_number) {
      const auto& entry = outline[next_entry++];
      const std::string title = normalised(entry.title);
      std::size_t found = lines.size();
      for (std::size_t l = search_from; l < lines.size(); ++l) {
        if (line_carries_title(normalised(lines[l]), title)) {
          found = l;
          break;
        }
      }
      if (found < lines.size()) {
        at_line[found].push_back(&entry);
        search_from = found + 1;
      } else {
        at_top.push_back(&entry);
      }
    }
    for (const auto* entry : at_top) paragraphs.heading(std::min(entry->level, 3), entry->title);
    const std::size_t typical = typical_line_length(lines);
    for (std::size_t l = 0; l < lines.size(); ++l) {
      if (const auto it = at_line.find(l); it != at_line.end()) {
        for (const auto* entry : it->second) paragraphs.heading(std::min(entry->level, 3), entry->title);
        continue;  // the line is the heading
      }
      const std::string& line = lines[l];
      if (is_page_number(line) || is_contents_line(line)) continue;
      if (const std::string key = furniture_key(line); !key.empty()) {
        const auto seen = edge_lines.find(key);
        if (seen != edge_lines.end() && seen->second >= furniture_threshold) continue;
      }
      const auto& sizes = pages[static_cast<std::size_t>(p)].sizes;
      if (outline.empty() && !size_levels.empty() && l < sizes.size()) {
        const auto level = size_levels.find(std::lround(sizes[l] * 10));
        if (level != size_levels.end() && domain::count_words(line) <= 12 && !domain::trim(line).ends_with('.')) {
          paragraphs.heading(level->second, domain::trim(line));
          continue;
        }
      } else if (outline.empty() && line.size() <= 80) {
        if (const int level = plain_heading_level(line); level > 0) {
          paragraphs.heading(level, domain::trim(line));
          continue;
        }
      }
      paragraphs.line(line, typical);
    }
  }
  paragraphs.flush();
  return document;
}

}  // namespace docprof::adapters::ingest
