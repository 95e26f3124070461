#include "adapters/embed/english_stemmer.h"

#include <climits>
#include <stdexcept>

#include <libstemmer.h>

namespace docprof::adapters::embed {

void EnglishStemmer::Deleter::operator()(sb_stemmer* stemmer) const {
  sb_stemmer_delete(stemmer);
}

EnglishStemmer::EnglishStemmer() : stemmer_(sb_stemmer_new("english", "UTF_8")) {
  if (!stemmer_) throw std::runtime_error("libstemmer: no English stemmer for UTF-8");
}

std::string EnglishStemmer::stem(std::string_view word) {
  if (word.empty() || word.size() > static_cast<std::size_t>(INT_MAX)) return std::string(word);
  const sb_symbol* stemmed =
      sb_stemmer_stem(stemmer_.get(), reinterpret_cast<const sb_symbol*>(word.data()),
                      static_cast<int>(word.size()));
  if (stemmed == nullptr) return std::string(word);  // out of memory: keep the word as it is
  const int length = sb_stemmer_length(stemmer_.get());
  return std::string(reinterpret_cast<const char*>(stemmed), static_cast<std::size_t>(length));
}

std::string stem_english(std::string_view word) {
  thread_local EnglishStemmer stemmer;
  return stemmer.stem(word);
}

}  // namespace docprof::adapters::embed
