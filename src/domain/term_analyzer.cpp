#include "domain/term_analyzer.h"

#include <algorithm>

namespace docprof::domain {

std::map<std::string, double> term_counts(const std::vector<AnalyzedWord>& words, bool pairs) {
  std::map<std::string, double> counts;
  const std::string* previous = nullptr;
  for (const AnalyzedWord& w : words) {
    counts[w.term] += 1.0;
    if (pairs && previous != nullptr && !w.starts_phrase) counts[*previous + ' ' + w.term] += 1.0;
    previous = &w.term;
  }
  return counts;
}

std::vector<std::string> distinct_terms(const TermAnalyzer& analyzer, std::string_view text) {
  std::vector<std::string> terms;
  for (auto& w : analyzer.words(text)) terms.push_back(std::move(w.term));
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

}  // namespace docprof::domain
