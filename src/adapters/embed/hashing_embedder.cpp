#include "adapters/embed/hashing_embedder.h"

#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "adapters/embed/fnv1a.h"
#include "adapters/embed/stemming_analyzer.h"

namespace docprof::adapters::embed {
namespace {

// Each feature goes to kProbes buckets, each with its own sign and 1/sqrt(kProbes) of its weight:
// a chance collision between two unrelated features then moves a similarity by an eighth of what a
// single-bucket collision would, which keeps unrelated short texts (a request, a section) from
// scoring like a real match. Changing any of these constants changes every vector: bump the
// model name ("hashing-v2") with them. v2: terms from StemmingAnalyzer (value/valuation,
// program/programmer conflated).
constexpr std::uint64_t kProbes = 8;
const double kProbeNorm = std::sqrt(static_cast<double>(kProbes));
constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

// MurmurHash3's 64-bit finaliser: spreads every bit of FNV-1a over the whole word (the low bits of
// FNV-1a, which pick the bucket, otherwise depend only on the low bits of each byte step).
constexpr std::uint64_t mix64(std::uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

}  // namespace

std::map<std::string, int> hashing_features(std::string_view text) {
  std::map<std::string, int> counts;  // ordered, so that summation order is fixed
  for (const auto& [term, count] : domain::term_counts(default_analyzer().words(text), true)) {
    counts[term] = static_cast<int>(count);
  }
  return counts;
}

HashingEmbedder::HashingEmbedder(int dims) : dims_(dims) {
  if (dims < 1) throw std::invalid_argument("hashing embedder: dims must be >= 1");
}

std::string HashingEmbedder::model() const {
  return "hashing-v2/" + std::to_string(dims_);
}

ports::Embedding HashingEmbedder::embed_text(std::string_view text) const {
  std::vector<double> sums(static_cast<std::size_t>(dims_), 0.0);
  for (const auto& [feature, count] : hashing_features(text)) {
    const double weight = (1.0 + std::log(static_cast<double>(count))) / kProbeNorm;
    const std::uint64_t base = fnv1a64(feature);
    for (std::uint64_t probe = 0; probe < kProbes; ++probe) {
      const std::uint64_t hash = mix64(base + probe * kGolden);
      const double sign = (hash >> 63) != 0 ? -1.0 : 1.0;
      sums[hash % static_cast<std::uint64_t>(dims_)] += sign * weight;
    }
  }
  double norm = 0.0;
  for (const double v : sums) norm += v * v;
  norm = std::sqrt(norm);
  ports::Embedding out(sums.size(), 0.0F);
  if (norm == 0.0) return out;  // no content word, or features that cancelled out exactly
  for (std::size_t i = 0; i < sums.size(); ++i) out[i] = static_cast<float>(sums[i] / norm);
  return out;
}

ports::EmbedResult HashingEmbedder::embed(std::span<const std::string> texts) {
  std::vector<ports::Embedding> out;
  out.reserve(texts.size());
  for (const std::string& text : texts) out.push_back(embed_text(text));
  return out;
}

double cosine(std::span<const float> a, std::span<const float> b) {
  if (a.size() != b.size()) return 0.0;
  double dot = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) dot += static_cast<double>(a[i]) * b[i];
  return dot;
}

}  // namespace docprof::adapters::embed
