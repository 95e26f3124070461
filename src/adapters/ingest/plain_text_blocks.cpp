#include "adapters/ingest/plain_text_blocks.h"

#include <cctype>
#include <string>

#include "domain/text.h"

namespace docprof::adapters::ingest {
namespace {

bool is_blank(std::string_view line) {
  for (const char c : line) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\f') return false;
  }
  return true;
}

bool all_of_char(std::string_view line, char c) {
  const std::string t = domain::trim(line);
  if (t.size() < 3) return false;
  for (const char x : t) {
    if (x != c) return false;
  }
  return true;
}

bool upper(char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }
bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// "chapter 3", "part ii", "appendix a", "book 1": a structural word then a number or letter.
bool is_structural(std::string_view lower) {
  for (std::string_view word : {"chapter ", "part ", "appendix ", "book "}) {
    if (!lower.starts_with(word)) continue;
    std::string_view rest = lower.substr(word.size());
    std::size_t n = 0;
    while (n < rest.size() && (digit(rest[n]) || rest[n] == 'i' || rest[n] == 'v' || rest[n] == 'x' ||
                               rest[n] == 'l' || rest[n] == 'c'))
      ++n;
    if (n == 0 && !rest.empty() && rest[0] >= 'a' && rest[0] <= 'z') n = 1;  // "appendix a"
    if (n == 0) return false;
    return n == rest.size() || rest[n] == ' ' || rest[n] == '.' || rest[n] == ':' || rest[n] == '-';
  }
  return false;
}

// A paragraph's lines joined with single spaces.
std::string joined(const std::vector<std::string_view>& lines) {
  std::string text;
  for (const auto line : lines) {
    const std::string t = domain::trim(line);
    if (t.empty()) continue;
    if (!text.empty()) text += ' ';
    text += t;
  }
  return text;
}

}  // namespace

int plain_heading_level(std::string_view raw) {
  const std::string line = domain::trim(raw);
  if (line.empty() || line.size() > 100) return 0;
  const std::string lower = domain::ascii_lower(line);
  const char last = line.back();
  const int words = domain::count_words(line);
  // "CHAPTER IV." ends with a full stop; "Chapter 1 ends here." is a sentence.
  if (is_structural(lower) && words <= 12 && (last != '.' || words <= 2)) return 1;
  if (last == '.' || last == ',' || last == ';' || last == ':' || last == '?' || last == '!') return 0;
  // "2 Title", "2. Title", "2.1 Title", "2.1. Title"
  std::size_t i = 0;
  int numbers = 0;
  while (i < line.size() && digit(line[i])) {
    while (i < line.size() && digit(line[i])) ++i;
    ++numbers;
    if (i < line.size() && line[i] == '.') ++i;
    if (i < line.size() && !digit(line[i])) break;
  }
  if (numbers == 0 || numbers > 2 || i >= line.size() || line[i] != ' ') return 0;
  while (i < line.size() && line[i] == ' ') ++i;
  if (i >= line.size() || !upper(line[i])) return 0;
  if (words > 12) return 0;  // a title is short
  return numbers;
}

void append_plain_text_blocks(std::string_view text, int page, bool detect_headings,
                              std::vector<domain::DocumentBlock>& out) {
  std::vector<std::string_view> lines;
  const auto flush = [&] {
    if (lines.empty()) return;
    if (detect_headings && lines.size() == 2 && (all_of_char(lines[1], '=') || all_of_char(lines[1], '-'))) {
      out.push_back({domain::BlockKind::heading, all_of_char(lines[1], '=') ? 1 : 2, domain::trim(lines[0]), page});
    } else if (const int level = detect_headings && lines.size() == 1 ? plain_heading_level(lines[0]) : 0; level > 0) {
      out.push_back({domain::BlockKind::heading, level, domain::trim(lines[0]), page});
    } else if (std::string paragraph = joined(lines); !paragraph.empty()) {
      out.push_back({domain::BlockKind::paragraph, 0, std::move(paragraph), page});
    }
    lines.clear();
  };
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (is_blank(line)) {
      flush();
    } else {
      lines.push_back(line);
    }
    start = end + 1;
  }
  flush();
}

}  // namespace docprof::adapters::ingest
