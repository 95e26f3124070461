// HashingEmbedder: the default, offline embedder (DESIGN.md §5). A text becomes the counts of its
// stemmed words and of its adjacent stemmed word pairs (bigrams) — tokenizer.h says which words
// count, english_stemmer.h how they are stemmed — weighted by sublinear term frequency
// (1 + ln tf), feature-hashed into `dims` buckets and L2-normalised. Hashing: 64-bit FNV-1a of the
// feature, spread over 8 probes (each the MurmurHash3 finaliser of hash + probe * golden ratio);
// a probe's low bits pick the bucket and its top bit the sign (+1/-1), so colliding features tend
// to cancel instead of piling up. Same text, same vector, on every machine and run.
//
// A text with no content word (empty, or only stop words and request filler) gets the zero
// vector: its similarity with anything is 0, so it never finds a book.
//
// default_min_similarity() (0.17) was calibrated at 1024 dims on the fixture library of
// tests/fixtures/books with realistic learner requests: docs/calibration.md has the score table.
//
// Thread safety: embed() may be called concurrently (no shared mutable state; each thread has its
// own stemmer).
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ports/embedder.h"

namespace docprof::adapters::embed {

// The features of a text and how often each occurs: terms of StemmingAnalyzer ("valu") and pairs
// of adjacent terms ("cash flow", joined by one space).
std::map<std::string, int> hashing_features(std::string_view text);

class HashingEmbedder final : public ports::Embedder {
 public:
  static constexpr int kDefaultDims = 1024;
  // Lowest relevant book 0.199, highest unrelated book sharing no word 0.138 (docs/calibration.md).
  static constexpr double kDefaultMinSimilarity = 0.17;

  explicit HashingEmbedder(int dims = kDefaultDims);  // throws std::invalid_argument if dims < 1

  ports::EmbedResult embed(std::span<const std::string> texts) override;
  int dims() const override { return dims_; }
  std::string model() const override;  // "hashing-v2/<dims>"
  double default_min_similarity() const override { return kDefaultMinSimilarity; }

  // The vector of one text (what embed() returns for it).
  ports::Embedding embed_text(std::string_view text) const;

 private:
  int dims_;
};

// Dot product of two vectors of the same length (= cosine similarity of normalised vectors);
// 0 when the lengths differ or either is the zero vector.
double cosine(std::span<const float> a, std::span<const float> b);

}  // namespace docprof::adapters::embed
