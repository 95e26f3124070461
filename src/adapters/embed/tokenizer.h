// Tokenizer of the hashing embedder: lower-cases ASCII, splits on everything that is not a letter
// or digit (bytes of UTF-8 multi-byte sequences count as letters, so "Gödel" or "経済" survive as
// words), and drops what carries no topic:
//   * English stop words and the filler of learner requests ("I want to learn … in 6 hours",
//     "teach me", "an intro course"), so that two requests do not match on their phrasing;
//   * one-letter tokens and numbers of one or two digits ("6 hours"); "1914" is kept, and so are
//     "c++", "c#" and "f#".
// Punctuation that ends a phrase (. , ; : ! ? brackets, line breaks) starts a new phrase, so that
// word pairs (bigrams) are only formed inside one phrase; dropped stop words do not break a phrase
// ("cost of capital" pairs "cost" with "capital").
//
// Thread safety: pure functions; the stop-word table is immutable.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace docprof::adapters::embed {

struct Token {
  std::string word;            // lower-case, not yet stemmed
  bool starts_phrase = false;  // no bigram with the token before
  bool operator==(const Token&) const = default;
};

std::vector<Token> tokenize(std::string_view text);

// True for a lower-case word of the built-in stop list (English function words + request filler).
bool is_stop_word(std::string_view lower_case_word);

}  // namespace docprof::adapters::embed
