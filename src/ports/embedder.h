// Embedder: turns texts into vectors for library search. Vectors are L2-normalised so that cosine
// similarity is a dot product. Each embedder names its model (vectors made by another model are not
// comparable) and carries its calibrated default similarity threshold.
//
// Thread safety: implementations must allow concurrent embed() calls.
#pragma once

#include <span>
#include <string>
#include <variant>
#include <vector>

#include "ports/provider_error.h"

namespace docprof::ports {

using Embedding = std::vector<float>;
using EmbedResult = std::variant<std::vector<Embedding>, ProviderError>;

class Embedder {
 public:
  virtual ~Embedder() = default;
  virtual EmbedResult embed(std::span<const std::string> texts) = 0;
  virtual int dims() const = 0;
  // Identifies the vector space, e.g. "hashing-v1/1024"; stored with every vector.
  virtual std::string model() const = 0;
  // The min_similarity that finds clearly relevant books and not unrelated ones, for this model.
  virtual double default_min_similarity() const = 0;
};

}  // namespace docprof::ports
