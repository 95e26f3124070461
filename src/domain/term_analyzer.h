// TermAnalyzer: how text becomes the terms that lexical search and the planner compare — content
// words (no stop words or request filler), each normalised to a term ("valuations" and "valuing"
// both to "valu") and kept as written for display. The core defines the interface; an adapter
// implements it with a real stemmer (adapters/embed/stemming_analyzer.h), so the core stays free of
// libraries while the library search, the planner and the embedder all agree on what a term is.
//
// Thread safety: implementations must allow concurrent calls of words().
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace docprof::domain {

struct AnalyzedWord {
  std::string term;           // normalised form: what is compared
  std::string word;           // lower-case, as written: what is shown
  bool starts_phrase = false; // no word pair with the word before (punctuation between them)

  bool operator==(const AnalyzedWord&) const = default;
};

class TermAnalyzer {
 public:
  virtual ~TermAnalyzer() = default;
  // The content words of `text`, in order.
  virtual std::vector<AnalyzedWord> words(std::string_view text) const = 0;
  // An identifier of the analysis ("snowball-en-v2"): stored terms made by another analysis are
  // not comparable, like vectors of another embedder.
  virtual std::string name() const = 0;
};

// Term counts of analysed words: every term, and (when `pairs`) every pair of adjacent terms
// within a phrase, joined by one space ("cost capit").
std::map<std::string, double> term_counts(const std::vector<AnalyzedWord>& words, bool pairs);

// The set of single terms of a text (no pairs), e.g. to test whether two texts share a word.
std::set<std::string> term_set(const TermAnalyzer& analyzer, std::string_view text);

}  // namespace docprof::domain
