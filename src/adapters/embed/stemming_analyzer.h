// StemmingAnalyzer: the default TermAnalyzer (domain/term_analyzer.h). Words come from the
// tokenizer (tokenizer.h: lower case, no stop words or request filler), are stemmed with Snowball
// English (english_stemmer.h), then conflated a little further where Porter2 leaves related forms
// apart: "-uate" verbs and their nouns ("valuat" -> "valu", so valuation matches value) and
// doubled final consonants ("programm" -> "program", "debugg" -> "debug").
//
// Thread safety: words() may be called concurrently (each thread has its own stemmer).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/term_analyzer.h"

namespace docprof::adapters::embed {

class StemmingAnalyzer final : public domain::TermAnalyzer {
 public:
  std::vector<domain::AnalyzedWord> words(std::string_view text) const override;
  std::string name() const override { return "snowball-en-v2"; }
};

// The analysed term of one lower-case word (stem + conflation), as words() computes it.
std::string term_of(std::string_view lower_case_word);

// The process's analyzer (stateless, so one is enough).
const StemmingAnalyzer& default_analyzer();

}  // namespace docprof::adapters::embed
