#include "adapters/embed/stemming_analyzer.h"

#include "adapters/embed/english_stemmer.h"
#include "adapters/embed/tokenizer.h"

namespace docprof::adapters::embed {
namespace {

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

// Porter2 keeps "valuat" (valuation) apart from "valu" (value, valuing), and "programm"
// (programmer) apart from "program" (programming): both cost recall on exactly the words learners
// use. Applied to every text alike, so index and query agree.
std::string conflate(std::string stem) {
  if (stem.size() >= 5 && stem.ends_with("uat")) {
    stem.resize(stem.size() - 2);
    return stem;
  }
  const std::size_t n = stem.size();
  if (n >= 4 && stem[n - 1] == stem[n - 2] && !is_vowel(stem[n - 1]) && stem[n - 1] != 'l' &&
      stem[n - 1] != 's' && stem[n - 1] != 'z' && stem[n - 1] >= 'a' && stem[n - 1] <= 'z') {
    stem.pop_back();
  }
  return stem;
}

}  // namespace

std::string term_of(std::string_view lower_case_word) {
  return conflate(stem_english(lower_case_word));
}

std::vector<domain::AnalyzedWord> StemmingAnalyzer::words(std::string_view text) const {
  std::vector<domain::AnalyzedWord> out;
  for (Token& token : tokenize(text)) {
    std::string term = term_of(token.word);
    out.push_back({std::move(term), std::move(token.word), token.starts_phrase});
  }
  return out;
}

const StemmingAnalyzer& default_analyzer() {
  static const StemmingAnalyzer analyzer;
  return analyzer;
}

}  // namespace docprof::adapters::embed
