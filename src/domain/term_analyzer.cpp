#include "domain/term_analyzer.h"


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

std::set<std::string> term_set(const TermAnalyzer& analyzer, std::string_view text) {
  std::set<std::string> terms;
  for (auto& w : analyzer.words(text)) terms.insert(std::move(w.term));
  return terms;
}

}  // namespace docprof::domain
