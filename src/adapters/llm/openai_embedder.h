// OpenAiEmbedder: an Embedder speaking the OpenAI embeddings protocol, for OpenAI itself and for
// servers that speak it (Ollama, vLLM, llama.cpp's server, LiteLLM, gateways to Bedrock…).
//
// embed() sends POST {base_url}/embeddings with {"model", "input": [texts…]} (plus "dimensions"
// when request_dimensions is set: text-embedding-3-* shorten their vectors on request, other
// models and many servers reject the field), at most batch_size (≤ 64) texts per request, in
// order; each answer's data[i].embedding is placed by data[i].index and L2-normalised. A blank
// text is not sent: it gets the zero vector (it matches nothing), as with the hashing embedder.
//
// dims() is the configured `dimensions`, required up front because vectors are stored with their
// model and size before any call is made; an answer whose vectors have another length fails with
// the permanent "bad_response" (the configuration is wrong, retrying cannot help). An answer that
// is not an embeddings answer is a transient "bad_response"; HTTP errors are classified by
// classify_http_status with the provider's own message (429/5xx/timeouts transient, 401 permanent).
//
// default_min_similarity() is 0.30, NOT calibrated here (no real embedding model is reachable from
// this machine): a starting point for OpenAI text-embedding-3 models, whose scores for unrelated
// texts sit around 0.1–0.25; calibrate with docs/calibration.md and set search.min_similarity.
//
// Thread safety: embed() may be called concurrently; the instance is immutable after construction
// and each request uses its own libcurl handle.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "ports/embedder.h"

namespace docprof::adapters::llm {

struct OpenAiEmbedderOptions {
  std::string base_url;  // "https://api.openai.com/v1", "http://127.0.0.1:11434/v1", …
  std::string model;     // "text-embedding-3-small", "nomic-embed-text", …
  int dimensions = 0;    // required: the length of the model's vectors (1536 for 3-small)
  bool request_dimensions = false;  // send "dimensions" in the request
  std::string api_key;              // sent as "Authorization: Bearer <key>" when not empty
  std::vector<std::pair<std::string, std::string>> extra_headers;
  int batch_size = 64;  // texts per request, 1..64
  std::int64_t timeout_ms = 120000;
  std::int64_t connect_timeout_ms = 10000;
};

class OpenAiEmbedder final : public ports::Embedder {
 public:
  static constexpr int kMaxBatch = 64;
  static constexpr double kDefaultMinSimilarity = 0.30;

  // Throws std::invalid_argument for an empty base_url or model, dimensions < 1 or a batch size
  // outside 1..64.
  explicit OpenAiEmbedder(OpenAiEmbedderOptions options);

  ports::EmbedResult embed(std::span<const std::string> texts) override;
  int dims() const override { return options_.dimensions; }
  std::string model() const override;  // "openai:<model>/<dims>"
  double default_min_similarity() const override { return kDefaultMinSimilarity; }

 private:
  ports::EmbedResult embed_batch(std::span<const std::string> texts);

  const OpenAiEmbedderOptions options_;
};

// Scales a vector to unit length (the zero vector stays zero). Shared by the remote embedders.
void l2_normalise(std::vector<float>& vector);

// Whether a text has nothing but white space (such texts are not sent to a provider).
bool is_blank(const std::string& text);

}  // namespace docprof::adapters::llm
