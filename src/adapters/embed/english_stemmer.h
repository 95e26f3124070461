// EnglishStemmer: reduces an English word to its stem ("valuations" -> "valuat", "running" ->
// "run") with the Snowball English (Porter2) algorithm of libstemmer (Debian: libstemmer-dev).
// Words are expected lower-case UTF-8; words the algorithm does not know pass through unchanged.
//
// Thread safety: an instance is NOT thread-safe (libstemmer keeps its result buffer inside the
// stemmer); use one per thread, e.g. stem_english() below, which keeps a thread_local instance.
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct sb_stemmer;

namespace docprof::adapters::embed {

class EnglishStemmer {
 public:
  EnglishStemmer();  // throws std::runtime_error when libstemmer has no English UTF-8 stemmer
  EnglishStemmer(const EnglishStemmer&) = delete;
  EnglishStemmer& operator=(const EnglishStemmer&) = delete;

  std::string stem(std::string_view word);

 private:
  struct Deleter {
    void operator()(sb_stemmer* stemmer) const;
  };
  std::unique_ptr<sb_stemmer, Deleter> stemmer_;
};

// stem() on this thread's own EnglishStemmer.
std::string stem_english(std::string_view word);

}  // namespace docprof::adapters::embed
