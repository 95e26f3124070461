// OpenAiModel: a LanguageModel speaking the OpenAI chat-completions protocol, for OpenAI itself and
// for local servers that speak it (Ollama, vLLM, llama.cpp's server, LM Studio, LiteLLM).
//
// One call is POST {base_url}/chat/completions with {model, messages:[{role:user, content}],
// temperature, max_tokens}; the answer's choices[0].message.content, finish_reason and usage
// {prompt_tokens, completion_tokens} become the ModelOutcome. Inside one complete() call:
//   * finish_reason "length" is asked again once with max_tokens doubled; still truncated, the
//     outcome comes back with finish_reason "length" (the workflow decides what that means);
//   * nothing else is retried here: failures come back as ProviderErrors classified by
//     classify_http_status (429/408/409/5xx transient, other 4xx permanent with the provider's own
//     message from the JSON body; Retry-After / retry-after-ms into retry_after_ms), "timeout" and
//     "connection_error" (transient) for transport failures, "bad_response" (transient) for an
//     answer that is not the JSON expected, "invalid_endpoint" (permanent) for an unusable URL.
// Budgets (calls in flight, requests and tokens per minute) are not here: the engine's
// BudgetedModel applies them to every remote provider alike (cli/provider_registry.h).
//
// Thread safety: complete() may be called concurrently from many threads; each HTTP request uses
// its own libcurl easy handle.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ports/language_model.h"

namespace docprof::adapters::llm {

struct OpenAiOptions {
  std::string base_url;  // "https://api.openai.com/v1", "http://127.0.0.1:11434/v1", …
  std::string model;     // "gpt-4o-mini", "llama3.1", …
  std::string api_key;   // sent as "Authorization: Bearer <key>" when not empty
  std::vector<std::pair<std::string, std::string>> extra_headers;
  std::int64_t timeout_ms = 120000;  // whole request
  std::int64_t connect_timeout_ms = 10000;
};

class OpenAiModel final : public ports::LanguageModel {
 public:
  // Throws std::invalid_argument when base_url or model is empty.
  explicit OpenAiModel(OpenAiOptions options);

  ports::LlmResult complete(const domain::LlmRequest& request,
                            const ports::CallContext& context) override;
  std::string name() const override;  // "openai:<model>"

 private:
  ports::LlmResult post_once(const domain::LlmRequest& request, int max_tokens);

  const OpenAiOptions options_;
};

// The provider's own error message from an error body ({"error":{"message":…}},
// {"error":"…"}, {"message":…}, or the body itself, shortened); exposed for tests.
std::string openai_error_message(const std::string& body);

// "Name: value; Name2: value" -> pairs (blank items skipped). Throws std::invalid_argument for an
// item without ':' or with an empty name.
std::vector<std::pair<std::string, std::string>> parse_header_list(const std::string& text);

}  // namespace docprof::adapters::llm
