#include "engine/metered_model.h"

#include <algorithm>
#include <cstdint>
#include <exception>

namespace docprof::engine {

MeteredModel::MeteredModel(ports::LanguageModel& inner, Metrics& metrics)
    : inner_(inner), metrics_(metrics), provider_(provider_of(inner.name())) {
  metrics_.declare_counter(metric::kModelCalls, "Model calls by provider and outcome (ok, error).");
  metrics_.declare_counter(metric::kModelTokens,
                           "Model tokens by provider and direction (prompt, completion).");
  metrics_.declare_counter(metric::kModelErrors, "Failed model calls by provider and error code.");
}

std::string MeteredModel::provider_of(const std::string& model_name) {
  const auto end = model_name.find_first_of(":+");
  std::string provider = model_name.substr(0, end);
  return provider.empty() ? "unknown" : provider;
}

ports::LlmResult MeteredModel::complete(const domain::LlmRequest& request, const ports::CallContext& context) {
  ports::LlmResult result;
  try {
    result = inner_.complete(request, context);
  } catch (...) {
    metrics_.add(metric::kModelCalls, {{"provider", provider_}, {"outcome", "error"}});
    metrics_.add(metric::kModelErrors, {{"provider", provider_}, {"code", "exception"}});
    throw;
  }
  if (const auto* outcome = std::get_if<domain::ModelOutcome>(&result)) {
    metrics_.add(metric::kModelCalls, {{"provider", provider_}, {"outcome", "ok"}});
    metrics_.add(metric::kModelTokens, {{"provider", provider_}, {"direction", "prompt"}},
                 static_cast<double>(std::max<std::int64_t>(0, outcome->usage.input_tokens)));
    metrics_.add(metric::kModelTokens, {{"provider", provider_}, {"direction", "completion"}},
                 static_cast<double>(std::max<std::int64_t>(0, outcome->usage.output_tokens)));
  } else {
    const auto& error = std::get<ports::ProviderError>(result);
    metrics_.add(metric::kModelCalls, {{"provider", provider_}, {"outcome", "error"}});
    metrics_.add(metric::kModelErrors, {{"provider", provider_}, {"code", error.code.empty() ? "unknown" : error.code}});
  }
  return result;
}

}  // namespace docprof::engine
