#include "domain/reference_lines.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "domain/line_grammar.h"
#include "domain/text.h"

namespace docprof::domain {
namespace {

constexpr std::string_view kSectionSign = "\xC2\xA7";  // §
constexpr int kMaxChapterNumber = 100000;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

// "<word>" then optional blanks then ':' at the start of `text` (any case): the text after the colon.
std::optional<std::string_view> after_label(std::string_view text, std::string_view word) {
  if (text.size() < word.size() || ascii_lower(text.substr(0, word.size())) != word) return std::nullopt;
  std::size_t i = word.size();
  while (i < text.size() && is_blank(text[i])) ++i;
  if (i >= text.size() || text[i] != ':') return std::nullopt;
  return text.substr(i + 1);
}

// Where a chapter keyword ("ch", "ch.", "chapter", any case) that starts a word at `i` ends, or 0.
std::size_t chapter_keyword(std::string_view text, std::size_t i) {
  const std::string lower = ascii_lower(text.substr(i, 7));
  if (lower == "chapter") return i + 7;
  if (lower.substr(0, 2) == "ch") {
    std::size_t end = i + 2;
    if (end < text.size() && text[end] == '.') ++end;
    return end;
  }
  return 0;
}

struct ChapterAt {
  std::size_t keyword = 0;  // where the keyword starts
  int number = 0;
};

// The last "ch <n>" of the text that follows some text of its own (the book id).
std::optional<ChapterAt> find_chapter(std::string_view text) {
  std::optional<ChapterAt> found;
  for (std::size_t i = 1; i < text.size(); ++i) {
    const char before = text[i - 1];
    if (!(is_blank(before) || before == ',' || before == ';' || before == '(' || before == '`'))
      continue;
    std::size_t j = chapter_keyword(text, i);
    if (j == 0) continue;
    if (j < text.size() && is_alnum(text[j]) && !is_digit(text[j])) continue;  // "chart", "chemistry"
    while (j < text.size() && (is_blank(text[j]) || text[j] == '.' || text[j] == '#')) ++j;
    if (j >= text.size() || !is_digit(text[j])) continue;
    int number = 0;
    while (j < text.size() && is_digit(text[j]) && number < kMaxChapterNumber) number = number * 10 + (text[j++] - '0');
    if (number <= 0 || number >= kMaxChapterNumber) continue;
    found = ChapterAt{i, number};
  }
  return found;
}

// A book id as written: without blanks, separators and quoting around it.
std::string clean_book_id(std::string_view text) {
  std::string id = trim(text);
  while (!id.empty() && (id.back() == ',' || id.back() == ';' || id.back() == '-' || id.back() == ':')) {
    id.pop_back();
    id = trim(id);
  }
  return grammar::clean_title(id);
}

// Lower-cased, blanks and hyphens as '_'; nullopt unless the result is a lower_snake word.
std::optional<std::string> note_kind(std::string_view text) {
  std::string kind = ascii_lower(trim(text));
  for (char& c : kind) {
    if (is_blank(c) || c == '-') c = '_';
  }
  if (kind.empty()) return std::nullopt;
  for (const char c : kind) {
    if (!(is_digit(c) || (c >= 'a' && c <= 'z') || c == '_')) return std::nullopt;
  }
  return kind;
}

}  // namespace

bool is_read_line(std::string_view plain) {
  return after_label(grammar::trim_space(plain), "read").has_value();
}

std::optional<ReadingRef> parse_read_line(std::string_view plain) {
  const auto rest = after_label(grammar::trim_space(plain), "read");
  if (!rest) return std::nullopt;
  std::string_view body = *rest;
  std::string section;
  if (const std::size_t sign = body.find(kSectionSign); sign != std::string_view::npos) {
    section = grammar::clean_title(body.substr(sign + kSectionSign.size()));
    body = body.substr(0, sign);
  }
  body = grammar::trim_space(body);
  // The keyword must follow the book id: search after a leading blank so "ch 3" alone has none.
  const auto chapter = find_chapter(body);
  if (!chapter) return std::nullopt;
  std::string book_id = clean_book_id(body.substr(0, chapter->keyword));
  if (book_id.empty()) return std::nullopt;
  return ReadingRef{std::move(book_id), chapter->number, std::move(section)};
}

std::string render_read_line(const ReadingRef& ref) {
  std::string line = "Read: " + ref.book_id + " ch " + std::to_string(ref.chapter_number);
  if (!ref.section_title.empty()) line += " \xC2\xA7 " + ref.section_title;
  return line;
}

std::optional<CourseNote> parse_note_line(std::string_view plain) {
  const std::string_view text = grammar::trim_space(plain);
  if (text.size() < 4 || ascii_lower(text.substr(0, 4)) != "note") return std::nullopt;
  std::size_t i = 4;
  while (i < text.size() && is_blank(text[i])) ++i;
  CourseNote note{"note", "", ""};
  if (i < text.size() && text[i] == '(') {
    int depth = 0;
    std::size_t close = std::string_view::npos;
    for (std::size_t j = i; j < text.size(); ++j) {
      if (text[j] == '(') ++depth;
      if (text[j] == ')' && --depth == 0) {
        close = j;
        break;
      }
    }
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view inner = text.substr(i + 1, close - i - 1);
    const std::size_t colon = inner.find(':');
    const auto kind = note_kind(inner.substr(0, colon));
    if (!kind) return std::nullopt;
    note.kind = *kind;
    if (colon != std::string_view::npos) note.topic = trim(inner.substr(colon + 1));
    i = close + 1;
    while (i < text.size() && is_blank(text[i])) ++i;
  }
  if (i >= text.size() || text[i] != ':') return std::nullopt;
  note.message = trim(text.substr(i + 1));
  if (note.message.empty()) return std::nullopt;
  return note;
}

std::string render_note_line(const CourseNote& note) {
  const std::string kind = note.kind.empty() ? "note" : note.kind;
  if (note.topic.empty()) {
    if (kind == "note") return "Note: " + note.message;
    return "Note (" + kind + "): " + note.message;
  }
  return "Note (" + kind + ": " + note.topic + "): " + note.message;
}

}  // namespace docprof::domain
