#include "quality/words.h"

#include <algorithm>
#include <cctype>

#include "adapters/embed/english_stemmer.h"

namespace docprof::quality {

namespace {

bool is_letter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

const std::set<std::string, std::less<>>& function_words() {
  static const std::set<std::string, std::less<>> words = {
      "a",     "about", "across", "after", "against", "all",     "along",  "also",   "am",
      "among", "an",    "and",    "any",   "are",     "around",  "as",     "at",     "be",
      "been",  "before", "being", "between", "both",  "but",     "by",     "can",    "could",
      "did",   "do",    "does",   "during", "each",   "either",  "every",  "for",    "from",
      "had",   "has",   "have",   "he",    "her",     "his",     "how",    "i",      "if",
      "in",    "into",  "is",     "it",    "its",     "may",     "me",     "might",  "more",
      "most",  "must",  "my",     "no",    "nor",     "not",     "of",     "on",     "one",
      "only",  "onto",  "or",     "other", "our",     "over",    "own",    "per",    "shall",
      "she",   "should", "so",    "some",  "such",    "than",    "that",   "the",    "their",
      "them",  "then",  "there",  "these", "they",    "this",    "those",  "through", "to",
      "too",   "under", "until",  "up",    "upon",    "us",      "very",   "via",    "was",
      "we",    "were",  "what",   "when",  "where",   "whether", "which",  "while",  "who",
      "whom",  "whose", "why",    "will",  "with",    "within",  "without", "would", "you",
      "your"};
  return words;
}

bool kept_short_word(std::string_view w) { return w == "c" || w == "r" || w == "go"; }

}  // namespace

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> letter_words(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  for (const char c : text) {
    if (is_letter(c)) {
      current.push_back(c);
    } else if (!current.empty()) {
      out.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

std::vector<std::string> plain_words(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) != 0) ++i;
    std::size_t j = i;
    while (j < text.size() && std::isspace(static_cast<unsigned char>(text[j])) == 0) ++j;
    std::string_view token = text.substr(i, j - i);
    while (!token.empty() && !is_alnum(token.front())) token.remove_prefix(1);
    while (!token.empty() && !is_alnum(token.back()) && token.back() != '+' &&
           token.back() != '#')
      token.remove_suffix(1);
    if (!token.empty()) out.emplace_back(token);
    i = j;
  }
  return out;
}

bool is_function_word(std::string_view lower_case_word) {
  return function_words().count(lower_case_word) != 0;
}

std::set<std::string> content_stems(std::string_view text) {
  std::set<std::string> stems;
  std::string current;
  const auto flush = [&] {
    if (current.empty()) return;
    const std::string word = lower(current);
    current.clear();
    if (is_function_word(word) && !kept_short_word(word)) return;
    if (word.size() < 2 && !kept_short_word(word)) return;
    stems.insert(adapters::embed::stem_english(word));
  };
  for (const char c : text) {
    if (is_alnum(c)) {
      current.push_back(c);
    } else {
      flush();
    }
  }
  flush();
  return stems;
}

bool contains_all(const std::set<std::string>& haystack, const std::set<std::string>& needle) {
  if (needle.empty()) return false;
  return std::all_of(needle.begin(), needle.end(),
                     [&](const std::string& s) { return haystack.count(s) != 0; });
}

}  // namespace docprof::quality
