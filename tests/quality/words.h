// Word-level text helpers of the quality checker: splitting titles and objectives into words,
// lower-casing, stop words, and the stemmed content words used to match a topic against a course
// (Snowball English stems, so "branches" matches "branching" and "valuations" "valuation").
//
// Thread safety: pure functions (stemming keeps one stemmer per thread).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace docprof::quality {

std::string lower(std::string_view text);
std::string trim(std::string_view text);

// The runs of ASCII letters of `text` ("Git's user.name" -> Git, s, user, name), case kept.
std::vector<std::string> letter_words(std::string_view text);

// The words of `text` split on white space with surrounding punctuation removed, case kept
// ("Compute free cash flow." -> Compute, free, cash, flow); empty tokens dropped.
std::vector<std::string> plain_words(std::string_view text);

// English function words (articles, pronouns, prepositions, conjunctions, auxiliaries).
bool is_function_word(std::string_view lower_case_word);

// The stems of the content words of `text` (letters and digits, lower-cased, function words and
// one-letter words dropped; "c", "r" and "go" kept as the language names they usually are).
std::set<std::string> content_stems(std::string_view text);

// True when every stem of `needle` is in `haystack` (and needle has at least one).
bool contains_all(const std::set<std::string>& haystack, const std::set<std::string>& needle);

}  // namespace docprof::quality
