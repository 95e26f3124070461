// BedrockEmbedder: an Embedder over AWS Bedrock Runtime's InvokeModel for Amazon Titan text
// embeddings, signed with our SigV4 signer (bedrock_runtime.h).
//
// One text is one call (Titan takes no batch): POST {endpoint}/model/{model id}/invoke with
//   amazon.titan-embed-text-v1 (and amazon.titan-embed-g1-text-02): {"inputText": …}, 1536 dims;
//   amazon.titan-embed-text-v2:0: {"inputText": …, "dimensions": N, "normalize": true}, N one of
//   256, 512, 1024 (default 1024);
// the answer {"embedding": […], "inputTextTokenCount": n} is L2-normalised (v1's vectors are not).
// A blank text is not sent (Titan refuses empty input): it gets the zero vector, which matches
// nothing, as with the hashing embedder. Texts are embedded one after the other, in order; the
// first failure fails the whole embed() with its ProviderError (bedrock_error's classification);
// an answer whose vector has another length than dims() is the permanent "bad_response".
//
// default_min_similarity() is 0.35, NOT calibrated here (no real Titan access from this machine):
// the original system used 0.2 with whole-book Titan v1 vectors; docprof scores books by their
// best chapter/section vector, which raises relevant scores, so a higher starting point is used.
// Calibrate with docs/calibration.md against real Titan vectors and set search.min_similarity.
//
// Thread safety: embed() may be called concurrently; the instance is immutable after construction
// and each request uses its own libcurl handle.
#pragma once

#include <span>
#include <string>

#include "adapters/llm/bedrock_runtime.h"
#include "ports/embedder.h"

namespace docprof::adapters::llm {

struct BedrockEmbedderOptions {
  BedrockConnection connection;                         // region, endpoint, credentials, timeouts
  std::string model_id = "amazon.titan-embed-text-v1";  // or "amazon.titan-embed-text-v2:0"
  int dimensions = 0;  // 0: the model's default (v1 1536, v2 1024); v2: 256, 512 or 1024
};

class BedrockEmbedder final : public ports::Embedder {
 public:
  static constexpr double kDefaultMinSimilarity = 0.35;

  // Throws std::invalid_argument for a model other than Titan text embeddings v1/v2, dimensions
  // the model does not offer, or an unusable connection.
  explicit BedrockEmbedder(BedrockEmbedderOptions options);

  ports::EmbedResult embed(std::span<const std::string> texts) override;
  int dims() const override { return dims_; }
  std::string model() const override;  // "bedrock:<model id>/<dims>"
  double default_min_similarity() const override { return kDefaultMinSimilarity; }

 private:
  std::variant<ports::Embedding, ports::ProviderError> embed_one(const std::string& text) const;

  const BedrockEmbedderOptions options_;
  const BedrockRuntime runtime_;
  bool v2_ = false;
  int dims_ = 0;
};

}  // namespace docprof::adapters::llm
