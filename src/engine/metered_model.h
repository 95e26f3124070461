// MeteredModel: a LanguageModel decorator that counts the calls of the model it wraps in a Metrics
// registry — calls by outcome, prompt and completion tokens, and errors by code — under the
// provider's name (the part of the model's name before any ':' or '+', so a cassette path or a
// model id never becomes a label value). Answers and errors pass through unchanged; an exception
// from the wrapped model is counted (error code "exception") and rethrown.
//
// Thread safety: safe for concurrent use when the wrapped model is (the registry is thread-safe).
#pragma once

#include <string>

#include "engine/metrics.h"
#include "ports/language_model.h"

namespace docprof::engine {

class MeteredModel final : public ports::LanguageModel {
 public:
  // Declares the model families (metric::kModelCalls, kModelTokens, kModelErrors) in `metrics`.
  MeteredModel(ports::LanguageModel& inner, Metrics& metrics);

  ports::LlmResult complete(const domain::LlmRequest& request, const ports::CallContext& context) override;
  std::string name() const override { return inner_.name(); }

  const std::string& provider() const { return provider_; }
  // "openai:gpt-4o" -> "openai", "replay:/x.jsonl" -> "replay", "extractive+faults" -> "extractive".
  static std::string provider_of(const std::string& model_name);

 private:
  ports::LanguageModel& inner_;
  Metrics& metrics_;
  const std::string provider_;
};

}  // namespace docprof::engine
