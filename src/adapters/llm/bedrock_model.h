// BedrockModel: a LanguageModel over AWS Bedrock Runtime's Converse API (Claude, Llama, Titan,
// Mistral… through one request format), signed with our SigV4 signer (bedrock_runtime.h).
//
// One call is POST {endpoint}/model/{model id}/converse with
//   {"messages":[{"role":"user","content":[{"text":<prompt>}]}],
//    "inferenceConfig":{"maxTokens":…,"temperature":…}}
// and the answer's output.message.content text blocks (joined), stopReason and usage
// {inputTokens, outputTokens} become the ModelOutcome. Inside one complete() call:
//   * stopReason "max_tokens" is asked again once with maxTokens doubled; still truncated, the
//     outcome comes back with finish_reason "length" (the workflow decides what that means);
//   * an answer saying the daily token quota is spent (ThrottlingException or
//     ServiceQuotaExceededException whose message matches /tokens per day|daily/i) switches to
//     `fallback_model`, when one is set: this call is asked again there, and every later call of
//     this instance (one per process in the CLI) goes there too; the switch is logged once (spdlog
//     warn). Without a fallback (or when the fallback's quota is spent too) the call fails with
//     the permanent "quota_exhausted" error: retrying within minutes cannot help;
//   * nothing else is retried here: errors come back classified by bedrock_error (throttling, 5xx
//     and timeouts transient; ValidationException, AccessDenied, UnrecognizedClient,
//     ResourceNotFound permanent, with AWS's message), "bad_response" (transient) for an answer
//     that is not a Converse answer.
//
// Thread safety: complete() may be called concurrently from many threads; the only shared mutable
// state is the "switched to the fallback" flag (an atomic).
#pragma once

#include <atomic>
#include <string>

#include "adapters/llm/bedrock_runtime.h"
#include "ports/language_model.h"

namespace docprof::adapters::llm {

struct BedrockOptions {
  BedrockConnection connection;   // region, endpoint, credentials, timeouts
  std::string model_id;           // "anthropic.claude-3-haiku-20240307-v1:0", "us.anthropic.…"
  std::string fallback_model_id;  // "" = none
};

class BedrockModel final : public ports::LanguageModel {
 public:
  // Throws std::invalid_argument when model_id is empty or the connection is unusable.
  explicit BedrockModel(BedrockOptions options);

  ports::LlmResult complete(const domain::LlmRequest& request,
                            const ports::CallContext& context) override;
  // "bedrock:<model id>": the model in use (the fallback's once switched to it).
  std::string name() const override;
  bool using_fallback() const { return use_fallback_.load(); }

 private:
  ports::LlmResult complete_with(const std::string& model_id, const domain::LlmRequest& request);
  ports::LlmResult converse(const std::string& model_id, const domain::LlmRequest& request,
                            int max_tokens);

  const BedrockOptions options_;
  const BedrockRuntime runtime_;
  std::atomic<bool> use_fallback_{false};
};

}  // namespace docprof::adapters::llm
