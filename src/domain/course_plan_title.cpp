#include "domain/course_plan_title.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

#include "domain/course_plan_words.h"
#include "domain/text.h"

namespace docprof::domain {
namespace {

using namespace words;

// --- time phrases ("in 6 hours", "over a weekend", "a 2-hour course") --------------------------

constexpr std::array<std::string_view, 17> kTimeUnits{
    "hour", "hours", "hr",   "hrs",   "h",     "minute", "minutes", "min",      "mins",
    "day",  "days",  "week", "weeks", "month", "months", "weekend", "afternoon"};
constexpr std::array<std::string_view, 18> kCountWords{
    "a",     "an",   "one", "two",    "three",  "four", "five",   "six", "seven",
    "eight", "nine", "ten", "eleven", "twelve", "half", "couple", "few", "several"};
constexpr std::array<std::string_view, 12> kTimeLeadIns{
    "in",    "within", "over",  "for",           "during",  "across",
    "about", "around", "under", "approximately", "roughly", "just"};

bool is_number(std::string_view word) {
  if (word.empty()) return false;
  bool digit = false;
  for (const char c : word) {
    if (is_ascii_digit(c)) {
      digit = true;
    } else if (c != '.' && c != '/' && c != ',') {
      return false;
    }
  }
  return digit;
}

// "6h", "2-hour", "90-minute", "1.5hrs": a count glued to its unit.
bool is_glued_duration(std::string_view word) {
  std::size_t i = 0;
  while (i < word.size() && (is_ascii_digit(word[i]) || word[i] == '.')) ++i;
  if (i == 0 || i == word.size()) return false;
  if (word[i] == '-') ++i;
  return one_of(word.substr(i), kTimeUnits);
}

std::vector<std::string> drop_time_phrases(const std::vector<std::string>& words) {
  std::vector<bool> drop(words.size(), false);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string w = bare(words[i]);
    std::size_t end = 0;  // one past the time phrase starting at i, 0 when none
    if (is_glued_duration(w)) {
      end = i + 1;
    } else if ((is_number(w) || one_of(w, kCountWords)) && i + 1 < words.size()) {
      std::size_t j = i + 1;
      // "a couple of hours", "a few days", "half an hour"
      while (j < words.size() && (one_of(bare(words[j]), kCountWords) || bare(words[j]) == "of"))
        ++j;
      if (j < words.size() && one_of(bare(words[j]), kTimeUnits)) end = j + 1;
    }
    if (end == 0) continue;
    std::size_t begin = i;
    while (begin > 0 && one_of(bare(words[begin - 1]), kTimeLeadIns)) --begin;
    // A count in words is a time only after "in", "over", …: "a day in the life" is a subject.
    if (begin == i && !is_number(w) && !is_glued_duration(w)) continue;
    for (std::size_t k = begin; k < end; ++k) drop[k] = true;
    i = end - 1;
  }
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (!drop[i]) kept.push_back(words[i]);
  }
  return kept;
}

// --- leading filler ("I want to learn how to", "teach me about") -------------------------------

struct Filler {
  std::vector<std::string_view> words;
  bool verb_follows;  // the filler ends in "to": the subject starts with a verb ("value a company")
  // Filler only after other filler: "I want to study statistics", but "Study skills" is a subject.
  bool only_after_filler = false;
};

const std::vector<Filler>& fillers() {
  // Longer phrases first, so "teach me about" wins over "teach me".
  static const std::vector<Filler> all{
      {{"i", "would", "like", "to"}, true},
      {{"i", "would", "love", "to"}, true},
      {{"i", "am", "trying", "to"}, true},
      {{"i", "am", "looking", "to"}, true},
      {{"i'm", "trying", "to"}, true},
      {{"i'm", "looking", "to"}, true},
      {{"i", "want", "to"}, true},
      {{"i", "need", "to"}, true},
      {{"i", "hope", "to"}, true},
      {{"i'd", "like", "to"}, true},
      {{"i'd", "love", "to"}, true},
      {{"help", "me", "to"}, true},
      {{"be", "able", "to"}, true},
      {{"how", "to"}, true},
      {{"i", "wanna"}, true},
      {{"help", "me"}, true},
      {{"teach", "me", "about"}, false},
      {{"tell", "me", "about"}, false},
      {{"teach", "me"}, false},
      {{"show", "me"}, false},
      {{"can", "you"}, false},
      {{"could", "you"}, false},
      {{"would", "you"}, false},
      {{"get", "started", "with"}, false},
      {{"get", "better", "at"}, false},
      {{"a", "crash", "course", "on"}, false},
      {{"a", "crash", "course", "in"}, false},
      {{"a", "course", "on"}, false},
      {{"a", "course", "about"}, false},
      {{"a", "course", "in"}, false},
      {{"course", "on"}, false},
      {{"course", "about"}, false},
      {{"more", "about"}, false},
      {{"all", "about"}, false},
      {{"something", "about"}, false},
      {{"about"}, false},
      {{"learn"}, false},
      {{"understand"}, false},
      {{"study"}, false, true},
      {{"master"}, false, true},
      {{"know"}, false, true},
      {{"explore"}, false, true},
      {{"learning"}, false, true},
      {{"please"}, false},
      {{"hi"}, false},
      {{"hello"}, false},
      {{"hey"}, false},
      {{"so"}, false},
      {{"ok"}, false},
      {{"okay"}, false},
  };
  return all;
}

bool starts_with_words(const std::vector<std::string>& words, std::size_t at,
                       const std::vector<std::string_view>& phrase) {
  if (words.size() - at < phrase.size()) return false;
  for (std::size_t k = 0; k < phrase.size(); ++k) {
    if (bare(words[at + k]) != phrase[k]) return false;
  }
  return true;
}

constexpr std::array<std::string_view, 24> kSmallWords{
    "a",  "an", "the",  "and",  "but", "or", "nor", "for", "of",  "in",   "on",   "at",
    "to", "by", "with", "from", "as",  "vs", "vs.", "via", "per", "into", "over", "than"};

// Capitalises the first letter of each hyphen-joined piece: "cash-flow" -> "Cash-Flow".
std::string capitalize_pieces(std::string_view word) {
  std::string out(word);
  bool start = true;
  for (char& c : out) {
    if (start && is_ascii_lower(c)) c = to_upper(c);
    if (c == '-' || c == '/') {
      start = true;
    } else if (!(c == '(' || c == '"' || c == '\'')) {
      start = false;
    }
  }
  return out;
}

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

int vowel_groups(std::string_view word) {
  int groups = 0;
  bool in_group = false;
  for (const char c : word) {
    const bool v = is_vowel(c) || c == 'y';
    if (v && !in_group) ++groups;
    in_group = v;
  }
  return groups;
}

}  // namespace

std::string gerund(std::string_view verb) {
  std::string v(verb);
  if (v.empty()) return v;
  static constexpr std::array<std::string_view, 17> kDoubling{
      "program", "begin",  "refer",  "occur", "prefer", "control", "commit", "submit", "admit",
      "permit",  "regret", "forget", "upset", "equip",  "compel",  "rebel",  "patrol"};
  if (v == "be") return "being";
  if (v.size() >= 3 && v.ends_with("ie")) return v.substr(0, v.size() - 2) + "ying";
  if (v.ends_with("ee") || v.ends_with("ye") || v.ends_with("oe")) return v + "ing";
  if (v.size() > 2 && v.back() == 'e') return v.substr(0, v.size() - 1) + "ing";
  if (one_of(v, kDoubling)) return v + v.back() + "ing";
  // One syllable ending consonant-vowel-consonant doubles: run -> running, plan -> planning.
  const std::size_t n = v.size();
  if (n >= 3 && vowel_groups(v) == 1 && !is_vowel(v[n - 1]) && v[n - 1] != 'w' && v[n - 1] != 'x' &&
      v[n - 1] != 'y' && is_vowel(v[n - 2]) && !is_vowel(v[n - 3])) {
    return v + v.back() + "ing";
  }
  return v + "ing";
}

std::string title_case(std::string_view text) {
  auto words = split_words(text);
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string& word = words[i];
    if (has_upper(word)) continue;
    const bool edge = i == 0 || i + 1 == words.size();
    if (!edge && one_of(bare(word), kSmallWords)) continue;
    word = capitalize_pieces(word);
  }
  return join_words(words);
}

std::string course_title_from_request(std::string_view query) {
  constexpr std::size_t kMaxTitle = 80;
  // Only the first sentence or line names the subject; later ones add context.
  std::string first(trim(query));
  for (const std::string_view end : {"\n", ". ", "? ", "! "}) {
    const auto at = first.find(end);
    if (at != std::string::npos && at > 0) first.resize(at);
  }
  auto words = drop_time_phrases(split_words(first));

  std::size_t at = 0;
  bool verb_follows = false;
  for (bool stripped = true; stripped && at < words.size();) {
    stripped = false;
    for (const Filler& filler : fillers()) {
      if (filler.only_after_filler && at == 0) continue;
      if (starts_with_words(words, at, filler.words)) {
        at += filler.words.size();
        verb_follows = filler.verb_follows;
        stripped = true;
        break;
      }
    }
  }
  words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(at));
  // Trailing politeness adds nothing to a title.
  while (!words.empty() && (bare(words.back()) == "please" || bare(words.back()).empty())) {
    words.pop_back();
  }
  if (words.empty()) return "";
  if (verb_follows) {
    const std::string verb = bare(words.front());
    const bool plain_word = !verb.empty() && std::all_of(verb.begin(), verb.end(), [](char c) {
      return is_ascii_lower(c);
    }) && !has_upper(words.front());
    if (plain_word) words.front() = gerund(verb);
  }
  std::string title = trim_trailing_punctuation(title_case(join_words(words)));
  if (title.size() > kMaxTitle) {
    const auto cut = title.rfind(' ', kMaxTitle);
    title = trim_trailing_punctuation(cut == std::string::npos ? utf8_prefix(title, kMaxTitle)
                                                               : title.substr(0, cut));
  }
  return title;
}

std::string clean_heading(std::string_view text) {
  std::string out = trim_trailing_punctuation(join_words(split_words(text)));
  // " - " would read as the separator before a time in the outline grammar.
  for (auto at = out.find(" - "); at != std::string::npos; at = out.find(" - ", at)) {
    out.replace(at, 3, " \xE2\x80\x93 ");
  }
  if (!out.empty()) out[0] = to_upper(out[0]);
  return out;
}

bool is_generic_heading(std::string_view title) {
  static constexpr std::array<std::string_view, 20> kGeneric{
      "introduction", "overview",   "summary",         "conclusion",    "conclusions",
      "background",   "basics",     "review",          "preliminaries", "motivation",
      "examples",     "exercises",  "discussion",      "fundamentals",  "key ideas",
      "main ideas",   "the basics", "getting started", "wrap-up",       "recap"};
  return one_of(ascii_lower(trim_trailing_punctuation(trim(title))), kGeneric);
}

}  // namespace docprof::domain
