// Small word helpers shared by the offline planner's wording (course_plan_title.h,
// course_plan_objectives.h): ASCII case tests, splitting and joining on white space, a word's bare
// lower-case form, trailing punctuation. Internal to the planner.
//
// Thread safety: stateless inline functions.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "domain/text.h"

namespace docprof::domain::words {

inline bool is_ascii_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
inline bool is_ascii_lower(char c) {
  return c >= 'a' && c <= 'z';
}
inline bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}
inline char to_upper(char c) {
  return is_ascii_lower(c) ? static_cast<char>(c - 'a' + 'A') : c;
}

template <std::size_t N>
inline bool one_of(std::string_view word, const std::array<std::string_view, N>& words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// Splits on white space, a no-break space (U+00A0) included: DocBook titles read "Chapter&nbsp;3.".
inline std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool no_break = c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0';
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || no_break) {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
      if (no_break) ++i;
    } else {
      current += c;
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

inline std::string join_words(const std::vector<std::string>& words, std::size_t from = 0) {
  std::string out;
  for (std::size_t i = from; i < words.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += words[i];
  }
  return out;
}

// A word as the filler lists spell it: lower case, without surrounding punctuation.
inline std::string bare(std::string_view word) {
  std::size_t begin = 0;
  std::size_t end = word.size();
  const auto is_punct = [](char c) {
    return c == ',' || c == '.' || c == ';' || c == ':' || c == '!' || c == '?' || c == '"' ||
           c == '(' || c == ')' || c == '\'';
  };
  while (begin < end && is_punct(word[begin])) ++begin;
  while (end > begin && is_punct(word[end - 1])) --end;
  return ascii_lower(word.substr(begin, end - begin));
}

inline bool has_upper(std::string_view word) {
  return std::any_of(word.begin(), word.end(), is_ascii_upper);
}

inline std::string trim_trailing_punctuation(std::string text) {
  while (!text.empty() &&
         (text.back() == '.' || text.back() == ',' || text.back() == ';' || text.back() == ':' ||
          text.back() == '!' || text.back() == '?' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// The sentences of a learner's request: split at ".", "?", "!" followed by a space or the end,
// at ";" and at line breaks — not inside "Node.js", "3.5" or after "Mr.", "Dr.", "e.g.", "vs.".
// Each trimmed, empty ones dropped; the terminator is kept ("?" tells a question).
inline std::vector<std::string> request_sentences(std::string_view query) {
  static constexpr std::array<std::string_view, 12> kAbbreviations{
      "mr", "mrs", "ms", "dr", "st", "vs", "e.g", "i.e", "etc", "prof", "jr", "sr"};
  std::vector<std::string> out;
  std::string current;
  const auto flush = [&] {
    std::string t = trim(current);
    if (!t.empty()) out.push_back(std::move(t));
    current.clear();
  };
  for (std::size_t i = 0; i < query.size(); ++i) {
    const char c = query[i];
    if (c == '\n' || c == ';') {
      flush();
      continue;
    }
    current += c;
    if (c != '.' && c != '?' && c != '!') continue;
    if (i + 1 < query.size() && query[i + 1] != ' ' && query[i + 1] != '\n') continue;
    if (c == '.') {
      const auto start = current.find_last_of(' ', current.size() - 1);
      const std::string last =
          ascii_lower(current.substr(start == std::string::npos ? 0 : start + 1,
                                     current.size() - 1 - (start == std::string::npos ? 0 : start + 1)));
      if (one_of(std::string_view(last), kAbbreviations)) continue;
    }
    flush();
  }
  flush();
  return out;
}

}  // namespace docprof::domain::words
