#include "domain/line_grammar.h"

#include "domain/reference_lines.h"

#include <array>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace docprof::domain::grammar {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (lower(s[i]) != lower(prefix[i])) return false;
  }
  return true;
}

// Length in bytes of the white space character at s[i] (0 when there is none).
std::size_t space_at(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const std::size_t left = s.size() - i;
  if (left == 0) return 0;
  if (s[i] == ' ' || s[i] == '\t' || s[i] == '\v' || s[i] == '\f' || s[i] == '\r' || s[i] == '\n')
    return 1;
  if (left >= 2 && b(0) == 0xC2 && b(1) == 0xA0) return 2;  // U+00A0
  if (left >= 3 && b(0) == 0xE2 && b(1) == 0x80 && b(2) >= 0x80 && b(2) <= 0x8B)
    return 3;                                                               // U+2000..200B
  if (left >= 3 && b(0) == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return 3;  // U+3000
  if (left >= 3 && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) return 3;  // U+FEFF
  return 0;
}

// Dashes models put between a title and its time: '-', en dash, em dash, minus sign.
std::size_t dash_at(std::string_view s, std::size_t i) {
  if (i < s.size() && s[i] == '-') return 1;
  if (s.substr(i, 3) == "\xE2\x80\x93" || s.substr(i, 3) == "\xE2\x80\x94" ||
      s.substr(i, 3) == "\xE2\x88\x92")
    return 3;
  return 0;
}
// Same, looking backwards from the end of s.
std::size_t dash_before(std::string_view s) {
  if (!s.empty() && s.back() == '-') return 1;
  if (s.size() >= 3) {
    const auto tail = s.substr(s.size() - 3);
    if (tail == "\xE2\x80\x93" || tail == "\xE2\x80\x94" || tail == "\xE2\x88\x92") return 3;
  }
  return 0;
}

std::string_view trim_right_space(std::string_view s) {
  for (;;) {
    bool cut = false;
    for (std::size_t n : {1U, 2U, 3U}) {
      if (s.size() >= n && space_at(s, s.size() - n) == n) {
        s.remove_suffix(n);
        cut = true;
        break;
      }
    }
    if (!cut) return s;
  }
}

// ---- durations -------------------------------------------------------------------------------

struct Number {
  double value = 0;
  std::size_t end = 0;
};

std::optional<Number> read_number(std::string_view s, std::size_t i) {
  if (i >= s.size() || !is_digit(s[i])) return std::nullopt;
  std::size_t j = i;
  double value = 0;
  while (j < s.size() && is_digit(s[j])) {
    if (j - i >= 6) return std::nullopt;  // not a time anyone plans a course in
    value = value * 10 + (s[j] - '0');
    ++j;
  }
  if (j + 1 < s.size() && s[j] == '.' && is_digit(s[j + 1])) {
    double scale = 0.1;
    ++j;
    while (j < s.size() && is_digit(s[j])) {
      value += (s[j] - '0') * scale;
      scale /= 10;
      ++j;
    }
  }
  // Vulgar fractions: "1½ hours".
  if (s.substr(j, 2) == "\xC2\xBD")
    value += 0.5, j += 2;
  else if (s.substr(j, 2) == "\xC2\xBC")
    value += 0.25, j += 2;
  else if (s.substr(j, 2) == "\xC2\xBE")
    value += 0.75, j += 2;
  return Number{value, j};
}

enum class Unit { hours, minutes };
struct UnitWord {
  Unit unit = Unit::minutes;
  std::size_t end = 0;
  bool hyphen = false;
};

// A unit right after a number: optional blanks or a single hyphen, then a whole word.
std::optional<UnitWord> read_unit(std::string_view s, std::size_t j) {
  bool hyphen = false;
  if (j < s.size() && s[j] == '-') {
    hyphen = true;
    ++j;
  } else {
    while (std::size_t n = space_at(s, j)) j += n;  // "45 minutes", "45\u00A0minutes"
  }
  std::size_t k = j;
  while (k < s.size() && is_alpha(s[k])) ++k;
  const std::string word = to_lower(s.substr(j, k - j));
  static constexpr std::array<std::string_view, 5> kHours{"h", "hr", "hrs", "hour", "hours"};
  static constexpr std::array<std::string_view, 6> kMinutes{"m",      "min",     "mins",
                                                            "minute", "minutes", "mn"};
  for (auto w : kHours) {
    if (word == w) return UnitWord{Unit::hours, k, hyphen};
  }
  for (auto w : kMinutes) {
    if (word == w) return UnitWord{Unit::minutes, k, hyphen};
  }
  return std::nullopt;
}

int round_minutes(double minutes) {
  return static_cast<int>(std::lround(minutes));
}

// A range "30-45 minutes", "30–45 min", "30 to 45 minutes": where the second number starts.
std::optional<std::size_t> range_second(std::string_view s, std::size_t j) {
  if (j < s.size() && (s[j] == '-' || s[j] == '/') && j + 1 < s.size() && is_digit(s[j + 1]))
    return j + 1;
  const std::size_t d = dash_at(s, j);
  if (d == 3 && j + 3 < s.size() && is_digit(s[j + 3])) return j + 3;
  if (starts_with_ci(s.substr(j), " to ") && j + 4 < s.size() && is_digit(s[j + 4])) return j + 4;
  return std::nullopt;
}

std::optional<Duration> read_duration(std::string_view s, std::size_t i) {
  const auto first = read_number(s, i);
  if (!first) return std::nullopt;
  if (const auto second_at = range_second(s, first->end)) {
    const auto second = read_number(s, *second_at);
    if (second && second->value > first->value) {
      if (const auto unit = read_unit(s, second->end); unit && !unit->hyphen) {
        const double factor = unit->unit == Unit::hours ? 60.0 : 1.0;
        return Duration{i, unit->end, round_minutes((first->value + second->value) / 2 * factor),
                        false};
      }
    }
  }
  const auto unit = read_unit(s, first->end);
  if (!unit) return std::nullopt;
  if (unit->unit == Unit::minutes) {
    return Duration{i, unit->end, round_minutes(first->value), unit->hyphen};
  }
  double minutes = first->value * 60;
  std::size_t end = unit->end;
  // "1 hour 15 minutes", "1 hr, 15 min", "1 hour and 15 minutes", "1h 30m", "1h30".
  std::size_t k = end;
  while (k < s.size() && (s[k] == ' ' || s[k] == ',')) ++k;
  if (starts_with_ci(s.substr(k), "and "))
    k += 4;
  else if (k < s.size() && (s[k] == '&' || s[k] == '+'))
    ++k;
  while (k < s.size() && s[k] == ' ') ++k;
  if (const auto extra = read_number(s, k)) {
    if (const auto unit2 = read_unit(s, extra->end); unit2 && unit2->unit == Unit::minutes) {
      minutes += extra->value;
      end = unit2->end;
    } else if (!unit2 && k == unit->end && (extra->end == s.size() || !is_alpha(s[extra->end]))) {
      minutes += extra->value;  // "1h30"
      end = extra->end;
    }
  }
  return Duration{i, end, round_minutes(minutes), unit->hyphen};
}

// ---- titles ----------------------------------------------------------------------------------

bool is_decoration(char c) {
  return c == '*' || c == '_' || c == '`' || c == '.' || c == ')' || c == ']' || c == ':' ||
         c == ';' || c == ',' || c == '!' || c == ' ' || c == '\t';
}

std::string remove_all(std::string_view s, std::string_view what) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s.substr(i, what.size()) == what) {
      i += what.size();
    } else {
      out += s[i++];
    }
  }
  return out;
}

// Words that may stand between a separator and the time: "- approx. 45 minutes",
// "— Duration: 45 min", "(Estimated time: 30 minutes)".
std::string_view strip_time_qualifiers(std::string_view s) {
  static constexpr std::array<std::string_view, 16> kWords{
      "approximately", "approx.",         "approx",     "about", "around",    "roughly", "~",
      "ca.",           "estimated time:", "estimated:", "est.",  "duration:", "time:",   "length:",
      "timing:",       "estimated"};
  for (bool again = true; again;) {
    again = false;
    s = trim_right_space(s);
    // An emphasis marker opening the time: "— *30 minutes*", "- _45 min_".
    if (!s.empty() && (s.back() == '*' || s.back() == '_' || s.back() == '`')) {
      s.remove_suffix(1);
      again = true;
      continue;
    }
    for (auto w : kWords) {
      if (s.size() >= w.size() && starts_with_ci(s.substr(s.size() - w.size()), w) &&
          (s.size() == w.size() || !is_alpha(s[s.size() - w.size() - 1]))) {
        s.remove_suffix(w.size());
        again = true;
        break;
      }
    }
  }
  return s;
}

bool ends_with_separator(std::string_view s) {
  if (s.empty()) return true;  // the time opens the text: "Part 1: 45 minutes - Intro"
  const char c = s.back();
  return dash_before(s) > 0 || c == ':' || c == '|' || c == ',' || c == ';' || c == '/';
}

// For each duration, the unclosed '(' or '[' before it (the time sits inside parentheses), in one
// pass over the text so that long lines with many numbers stay linear.
std::vector<std::optional<std::size_t>> open_parens(std::string_view s,
                                                    const std::vector<Duration>& durations) {
  std::vector<std::optional<std::size_t>> out;
  std::vector<std::size_t> open;
  std::size_t i = 0;
  for (const auto& d : durations) {
    for (; i < d.begin; ++i) {
      if (s[i] == '(' || s[i] == '[') open.push_back(i);
      if ((s[i] == ')' || s[i] == ']') && !open.empty()) open.pop_back();
    }
    out.push_back(open.empty() ? std::nullopt : std::optional<std::size_t>(open.back()));
  }
  return out;
}

// The word right before position `pos`, lower-cased.
std::string word_before(std::string_view s, std::size_t pos) {
  std::size_t end = pos;
  while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\t')) --end;
  std::size_t begin = end;
  while (begin > 0 && is_alpha(s[begin - 1])) --begin;
  return to_lower(s.substr(begin, end - begin));
}

std::string_view after_time(std::string_view rest, std::size_t end) {
  std::string_view after = rest.substr(end);
  while (!after.empty() && (after.front() == ')' || after.front() == ']')) after.remove_prefix(1);
  return after;
}

TitledTime titled(std::string_view rest, const Duration& d, std::size_t title_end, bool separated) {
  TitledTime out;
  out.minutes = d.minutes;
  out.separated = separated;
  out.title = clean_title(rest.substr(0, title_end));
  if (out.title.empty()) out.title = clean_title(after_time(rest, d.end));  // "(45 min): Title"
  return out;
}

bool starts_with_word(std::string_view lower_text, std::string_view word) {
  return lower_text.substr(0, word.size()) == word &&
         (lower_text.size() == word.size() || !is_alpha(lower_text[word.size()]));
}

// ---- line classification ---------------------------------------------------------------------

// A list marker at the start of s: its length including the following blank, or 0.
std::size_t list_marker(std::string_view s) {
  const auto blank_after = [&](std::size_t n) {
    return n == s.size() || s[n] == ' ' || s[n] == '\t';
  };
  if (!s.empty() && (s[0] == '-' || s[0] == '*' || s[0] == '+') && s.size() > 1 && blank_after(1))
    return 2;
  static constexpr std::array<std::string_view, 6> kBullets{"\xE2\x80\xA2", "\xE2\x97\xA6",
                                                            "\xE2\x96\xAA", "\xE2\x97\x8F",
                                                            "\xE2\x80\x93", "\xE2\x80\x94"};
  for (auto b : kBullets) {
    if (s.substr(0, b.size()) == b && s.size() > b.size() && blank_after(b.size()))
      return b.size() + 1;
  }
  if (s.size() >= 3 && s[0] >= 'a' && s[0] <= 'z' && (s[1] == '.' || s[1] == ')') && blank_after(2))
    return 3;  // "a. ", "b) "
  std::size_t n = 0;
  while (n < s.size() && n < 3 && is_digit(s[n])) ++n;
  if (n > 0 && n < s.size() && (s[n] == '.' || s[n] == ')') && s.size() > n + 1 &&
      blank_after(n + 1))
    return n + 2;
  return 0;
}

bool is_rule(std::string_view s) {  // "---", "***", "___", "==="
  if (s.size() < 3) return false;
  for (char c : s) {
    if (c != s[0] && c != ' ') return false;
  }
  return s[0] == '-' || s[0] == '*' || s[0] == '_' || s[0] == '=';
}

// The text without emphasis markers: **bold** anywhere, *italic* or _italic_ around it.
std::string make_plain(std::string_view s) {
  std::string text = remove_all(s, "**");
  std::string_view v = trim_space(text);
  if (!v.empty() && v.front() == '*') {
    text = remove_all(v, "*");
    v = trim_space(text);
  }
  if (v.size() >= 2 && v.front() == '_' && v.back() == '_' && v.substr(0, 2) != "__") {
    v = v.substr(1, v.size() - 2);
  }
  return std::string(trim_space(v));
}

bool is_number_word(std::string_view w) {
  static constexpr std::array<std::string_view, 12> kWords{"one",  "two", "three",  "four",
                                                           "five", "six", "seven",  "eight",
                                                           "nine", "ten", "eleven", "twelve"};
  for (auto k : kWords) {
    if (w == k) return true;
  }
  return false;
}

// "Part 3: …", "Section 1.2 – …", "Part IV. …": the text after the numbered prefix, or nullopt.
std::optional<std::string_view> numbered_prefix(std::string_view plain, std::string_view word) {
  if (!starts_with_ci(plain, word)) return std::nullopt;
  std::size_t i = word.size();
  if (i >= plain.size() || (plain[i] != ' ' && plain[i] != '\t')) return std::nullopt;
  while (i < plain.size() && (plain[i] == ' ' || plain[i] == '\t')) ++i;
  const std::size_t start = i;
  if (i < plain.size() && is_digit(plain[i])) {
    while (i < plain.size() && is_digit(plain[i])) ++i;
    while (i + 1 < plain.size() && plain[i] == '.' && is_digit(plain[i + 1])) {
      ++i;
      while (i < plain.size() && is_digit(plain[i])) ++i;
    }
  } else {
    while (i < plain.size() && is_alpha(plain[i])) ++i;
    const std::string token = to_lower(plain.substr(start, i - start));
    const bool roman =
        !token.empty() && token.size() <= 5 && token.find_first_not_of("ivxl") == std::string::npos;
    const bool letter = token.size() == 1;
    if (!roman && !letter && !is_number_word(token)) return std::nullopt;
  }
  if (i == start) return std::nullopt;
  std::size_t j = i;
  while (j < plain.size() && (plain[j] == ' ' || plain[j] == '\t')) ++j;
  if (j == plain.size()) return plain.substr(j);
  if (plain[j] == ':' || plain[j] == '.' || plain[j] == ')' || plain[j] == '|') {
    return trim_space(plain.substr(j + 1));
  }
  if (const std::size_t d = dash_at(plain, j); d > 0) return trim_space(plain.substr(j + d));
  if (plain[j] == '(') return plain.substr(j);  // "Part 1 (60 minutes): Title"
  return std::nullopt;
}

// "Total: 120 minutes", "Total for this part: 90 minutes", "Grand total: …", "Part 2 total: …".
bool is_total(std::string_view lower_plain) {
  if (starts_with_word(lower_plain, "total")) {
    std::string_view rest = lower_plain.substr(5);
    static constexpr std::array<std::string_view, 20> kFillers{
        "time",   "duration", "length",    "minutes",  "for",       "this",   "part",
        "course", "outline",  "section",   "sections", "estimated", "of",     "all",
        "parts",  "planned",  "allocated", "revised",  "adjusted",  "overall"};
    for (int words = 0; words < 6; ++words) {
      rest = trim_space(rest);
      bool skipped = false;
      for (auto f : kFillers) {
        if (starts_with_word(rest, f)) {
          rest.remove_prefix(f.size());
          skipped = true;
          break;
        }
      }
      if (!skipped) break;
    }
    rest = trim_space(rest);
    if (!rest.empty() && is_digit(rest.front())) {  // "Part 2 total 90 minutes" / "total 90"
      return true;
    }
    return rest.empty() || rest.front() == ':' || rest.front() == '=' || rest.front() == '(' ||
           rest.front() == '~' || dash_at(rest, 0) > 0;
  }
  const std::size_t colon = lower_plain.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view label = lower_plain.substr(0, colon);
  std::size_t words = 1;
  for (char c : label) words += c == ' ' ? 1 : 0;
  for (std::size_t p = label.find("total"); p != std::string_view::npos;
       p = label.find("total", p + 1)) {
    const bool start_ok = p == 0 || !is_alpha(label[p - 1]);
    const bool end_ok = p + 5 == label.size() || !is_alpha(label[p + 5]);
    if (start_ok && end_ok && words <= 5) return true;
  }
  return false;
}

bool contains_any(std::string_view text, std::initializer_list<std::string_view> needles) {
  for (auto n : needles) {
    if (text.find(n) != std::string_view::npos) return true;
  }
  return false;
}

bool starts_with_any(std::string_view text, std::initializer_list<std::string_view> prefixes) {
  for (auto p : prefixes) {
    if (text.substr(0, p.size()) == p) return true;
  }
  return false;
}

// Commentary about the outline ("Changes made:", "Summary of changes"): nothing after it is
// outline.
bool is_commentary(std::string_view lower_plain, bool label) {
  if (starts_with_any(lower_plain, {"changes made",
                                    "summary of changes",
                                    "summary of adjustments",
                                    "summary of revisions",
                                    "key changes",
                                    "changes:",
                                    "change log",
                                    "changelog",
                                    "adjustments made",
                                    "adjustments:",
                                    "key adjustments",
                                    "explanation of changes",
                                    "what changed",
                                    "revisions made",
                                    "revision notes",
                                    "modifications",
                                    "summary:",
                                    "in summary",
                                    "i made the following",
                                    "the following changes",
                                    "here's what i changed",
                                    "here is what i changed"}))
    return true;
  return label && contains_any(lower_plain, {"changes", "adjustments", "revisions", "modifications",
                                             "i changed", "i made", "i adjusted", "i've "});
}

// A remark block ("Notes:", "Rationale:") that may sit between sections of the outline.
bool is_note(std::string_view lower_plain) {
  return starts_with_any(lower_plain,
                         {"notes:", "note:", "note (", "rationale", "tip:", "tips:"});
}

bool is_objectives_phrase(std::string_view lower_plain) {
  return starts_with_any(
      lower_plain, {"learning objective", "objective", "learning outcome", "outcome",
                    "learning goal", "goals", "key objective", "section objective", "by the end",
                    "after this section", "after completing", "upon completion", "on completion",
                    "students will", "learners will", "participants will", "you will be able"});
}

bool is_other_list_label(std::string_view lower_plain) {
  return starts_with_any(
      lower_plain,
      {"topics",       "key topics", "topics covered", "key concepts", "concepts",    "activities",
       "activity",     "resources",  "readings",       "reading",      "exercises",   "exercise",
       "assessment",   "materials",  "prerequisites",  "examples",     "case stud",   "discussion",
       "deliverables", "tools",      "key terms",      "content",      "description", "overview",
       "format",       "practice",   "hands-on",       "assignment",   "homework",    "quiz"});
}

// "1. ", "1.2 ", "Lesson 3: ", "Module 2 - " before a title from a heading without "Section".
std::string_view strip_numbering(std::string_view title) {
  for (std::string_view word :
       {"section", "lesson", "module", "unit", "topic", "session", "chapter"}) {
    if (const auto rest = numbered_prefix(title, word)) return *rest;
  }
  std::size_t i = 0;
  while (i < title.size() && (is_digit(title[i]) || title[i] == '.')) ++i;
  if (i > 0 && i < title.size() && (title[i] == ' ' || title[i] == ')' || title[i] == ':')) {
    return trim_space(title.substr(title[i] == ' ' ? i : i + 1));
  }
  return title;
}

}  // namespace

std::vector<std::string_view> split_lines(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      lines.push_back(text.substr(start, i - start));
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

std::string_view trim_space(std::string_view text) {
  std::size_t n = 0;
  while ((n = space_at(text, 0)) > 0) text.remove_prefix(n);
  return trim_right_space(text);
}

std::vector<Duration> find_durations(std::string_view text) {
  std::vector<Duration> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const bool starts_number =
        is_digit(text[i]) && (i == 0 || (!is_alpha(text[i - 1]) && text[i - 1] != '.'));
    if (!starts_number) {
      ++i;
      continue;
    }
    if (const auto d = read_duration(text, i)) {
      out.push_back(*d);
      i = d->end;
    } else {
      while (i < text.size() && (is_digit(text[i]) || text[i] == '.')) ++i;
    }
  }
  return out;
}

TitledTime split_title_and_time(std::string_view rest) {
  const auto durations = find_durations(rest);
  const auto parens = open_parens(rest, durations);
  std::size_t content_end = rest.size();  // the text after content_end is only decoration
  while (content_end > 0 && is_decoration(rest[content_end - 1])) --content_end;
  for (std::size_t k = 0; k < durations.size(); ++k) {
    const Duration& d = durations[k];
    // "The 90-Minute Valuation": an adjective inside the title, unless the line ends there.
    if (d.hyphen_joined && d.end < content_end) continue;
    if (parens[k]) return titled(rest, d, *parens[k], true);
    const std::string_view before = strip_time_qualifiers(rest.substr(0, d.begin));
    if (ends_with_separator(before)) {
      std::string_view title = before;
      if (const std::size_t dash = dash_before(title); dash > 0) title.remove_suffix(dash);
      return titled(rest, d, title.size(), true);
    }
  }
  // "Part 1: Introduction 30 minutes": a bare time closing the line, unless it reads as part of
  // the title ("Rome in 24 Hours").
  if (!durations.empty()) {
    const Duration& last = durations.back();
    static constexpr std::array<std::string_view, 17> kGlue{
        "in",    "under", "within", "than", "for", "over", "of", "per", "every",
        "first", "last",  "next",   "to",   "by",  "from", "at", "with"};
    bool glued = false;
    const std::string word = word_before(rest, last.begin);
    for (auto g : kGlue) glued = glued || word == g;
    if (!glued && last.end >= content_end) {
      return titled(rest, last, strip_time_qualifiers(rest.substr(0, last.begin)).size(), false);
    }
  }
  return TitledTime{clean_title(rest), std::nullopt, false};
}

std::string clean_title(std::string_view text) {
  std::string s = remove_all(text, "**");
  std::string_view v = trim_space(s);
  for (bool again = true; again && !v.empty();) {
    again = false;
    const std::size_t before = v.size();
    for (char pair : {'*', '_', '`', '"'}) {
      if (v.size() >= 2 && v.front() == pair && v.back() == pair) v = v.substr(1, v.size() - 2);
    }
    if (v.size() >= 6 && v.substr(0, 3) == "\xE2\x80\x9C" &&
        v.substr(v.size() - 3) == "\xE2\x80\x9D")
      v = v.substr(3, v.size() - 6);
    // Stray emphasis markers: "*Title", "Title *" (from "Title *(20 minutes)*").
    if (!v.empty() && v.front() == '*') v.remove_prefix(1);
    if (v.size() >= 2 && (v.back() == '*' || v.back() == '_') && v[v.size() - 2] == ' ')
      v.remove_suffix(1);
    while (!v.empty() && (v.front() == ':' || v.front() == '|' || v.front() == '.'))
      v.remove_prefix(1);
    if (const std::size_t dash = dash_at(v, 0); dash > 0 && v.size() > dash && v[dash] == ' ')
      v.remove_prefix(dash);
    while (!v.empty() && (v.back() == ':' || v.back() == '|' || v.back() == ',' || v.back() == ';'))
      v.remove_suffix(1);
    if (const std::size_t dash = dash_before(v);
        dash > 0 && v.size() > dash && v[v.size() - dash - 1] == ' ')
      v.remove_suffix(dash);
    v = trim_space(v);
    again = v.size() != before;
  }
  return std::string(v);
}

std::optional<int> duration_only(std::string_view plain) {
  const auto durations = find_durations(plain);
  if (durations.empty()) return std::nullopt;
  std::string rest;
  std::size_t at = 0;
  for (const auto& d : durations) {
    rest.append(plain.substr(at, d.begin - at));
    rest += ' ';
    at = d.end;
  }
  rest.append(plain.substr(at));
  static constexpr std::array<std::string_view, 16> kLabelWords{
      "duration", "time",   "estimated", "est",       "approx",     "approximately",
      "about",    "around", "length",    "allocated", "allocation", "timing",
      "roughly",  "ca",     "suggested", "total"};
  for (std::size_t i = 0; i < rest.size();) {
    if (is_alpha(rest[i])) {
      std::size_t j = i;
      while (j < rest.size() && is_alpha(rest[j])) ++j;
      const std::string word = to_lower(std::string_view(rest).substr(i, j - i));
      bool known = false;
      for (auto w : kLabelWords) known = known || word == w;
      if (!known) return std::nullopt;
      i = j;
    } else if (const std::size_t d = dash_at(rest, i); d > 0) {
      i += d;
    } else if (is_decoration(rest[i]) || rest[i] == '(' || rest[i] == '[' || rest[i] == '~' ||
               rest[i] == '|') {
      ++i;
    } else {
      return std::nullopt;
    }
  }
  return durations.front().minutes;
}

Line classify_line(std::string_view raw) {
  Line line;
  line.indented = !raw.empty() && space_at(raw, 0) > 0;
  std::string_view s = trim_space(raw);
  if (s.empty() || is_rule(s)) return line.kind = LineKind::blank, line;
  if (s.substr(0, 3) == "```" || s.substr(0, 3) == "~~~") return line.kind = LineKind::fence, line;
  while (!s.empty() && s.front() == '>') s = trim_space(s.substr(1));
  int heading = 0;
  while (heading < static_cast<int>(s.size()) && s[static_cast<std::size_t>(heading)] == '#')
    ++heading;
  s = trim_space(s.substr(static_cast<std::size_t>(heading)));
  if (const std::size_t marker = list_marker(s); marker > 0) {
    line.list_item = true;
    s = trim_space(s.substr(marker));
  }
  line.bold = s.substr(0, 2) == "**";
  line.plain = make_plain(s);
  const std::string_view plain = line.plain;
  const std::string low = to_lower(plain);
  const bool label = !plain.empty() && plain.back() == ':';

  // "Read: …" under a section names what to read; it is never a header, an objective or a total.
  if (is_read_line(plain)) return line.kind = LineKind::read, line;
  if ((starts_with_ci(plain, "course title") || starts_with_ci(plain, "course name")) &&
      plain.find(':') != std::string_view::npos) {
    line.kind = LineKind::course_title;
    line.text = clean_title(plain.substr(plain.find(':') + 1));
    return line;
  }
  if (is_total(low)) {
    line.kind = LineKind::total;
    if (const auto d = find_durations(plain); !d.empty()) line.minutes = d.front().minutes;
    return line;
  }
  for (const auto& [word, kind] : {std::pair{std::string_view("part"), LineKind::part},
                                   std::pair{std::string_view("section"), LineKind::section}}) {
    if (const auto rest = numbered_prefix(plain, word)) {
      const TitledTime t = split_title_and_time(*rest);
      line.kind = kind;
      line.text = t.title;
      line.minutes = t.minutes;
      return line;
    }
  }
  if (!line.list_item && is_commentary(low, label || heading > 0)) {
    return line.kind = LineKind::commentary, line;
  }
  if (!line.list_item && is_note(low)) return line.kind = LineKind::note, line;
  if (is_objectives_phrase(low) && (!line.list_item || plain.find(':') != std::string_view::npos)) {
    const std::size_t colon = plain.find(':');
    std::size_t words = 1;
    for (char c : plain) words += c == ' ' ? 1 : 0;
    if (colon != std::string_view::npos || heading > 0 || words <= 3) {
      line.kind = LineKind::objectives_label;
      if (colon != std::string_view::npos) line.text = clean_title(plain.substr(colon + 1));
      return line;
    }
  }
  // A heading or a bold line with a separated time is a section even without "Section N:"
  // ("#### Title - 20 minutes", "**Title (25 min)**", "1. **Title** - 20 minutes"), unless it
  // names the whole course or outline.
  const bool names_course =
      heading <= 2 && contains_any(low, {"outline", "course", "revised", "total"});
  if ((heading >= 2 || line.bold) && !names_course) {
    const TitledTime t = split_title_and_time(plain);
    // "**Duration:** 20 minutes" states a time; it heads nothing.
    if (t.minutes && t.separated && !t.title.empty() && !duration_only(plain)) {
      line.kind = LineKind::section;
      line.text = clean_title(strip_numbering(t.title));
      line.minutes = t.minutes;
      return line;
    }
  }
  if (line.list_item && !label) {
    line.kind = LineKind::item;
    line.text = std::string(plain);
    return line;
  }
  if (heading > 0 || label) {
    if (is_other_list_label(low)) return line.kind = LineKind::other_label, line;
    if (label && contains_any(low, {"objective", "outcome", "able to", "will", "learn", "goal"}))
      return line.kind = LineKind::objectives_label, line;
    line.kind = heading > 0 ? LineKind::heading : LineKind::label;
    return line;
  }
  line.kind = LineKind::prose;
  return line;
}

}  // namespace docprof::domain::grammar
