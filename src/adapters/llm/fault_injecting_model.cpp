#include "adapters/llm/fault_injecting_model.h"

#include <array>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "adapters/llm/provider_errors.h"

namespace docprof::adapters::llm {
namespace {

// Answers a real model does give now and then, none of which is an outline.
constexpr std::array<std::string_view, 5> kGarbage = {
    "I'm sorry, but I can't help with that request.",
    "{\"parts\": [{\"title\": \"Introduc",
    "lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor",
    "As an AI language model, I need more information about what you would like to learn.",
    "%%%% \xEF\xBF\xBD\xEF\xBF\xBD ### ??? ::: ---",
};

bool valid_weight(double w) {
  return w >= 0.0 && w <= 1e12;  // also rejects NaN
}

}  // namespace

FaultInjectingModel::FaultInjectingModel(std::shared_ptr<ports::LanguageModel> inner,
                                         FaultOptions options)
    : inner_(std::move(inner)), options_(options), rng_(options.seed) {
  if (!inner_) throw std::invalid_argument("fault injection: no model to wrap");
  if (!(options_.rate >= 0.0 && options_.rate <= 1.0)) {
    throw std::invalid_argument("fault injection: rate must be in [0, 1]");
  }
  const FaultMix& m = options_.mix;
  if (!valid_weight(m.rate_limited) || !valid_weight(m.server_error) || !valid_weight(m.timeout) ||
      !valid_weight(m.garbage)) {
    throw std::invalid_argument("fault injection: fault weights must be >= 0");
  }
  if (options_.rate > 0.0 && m.rate_limited + m.server_error + m.timeout + m.garbage <= 0.0) {
    throw std::invalid_argument("fault injection: a positive rate needs a fault kind with weight");
  }
  if (options_.retry_after_ms < 0) {
    throw std::invalid_argument("fault injection: retry_after_ms must be >= 0");
  }
}

std::string FaultInjectingModel::name() const {
  return inner_->name() + "+faults";
}

FaultCounts FaultInjectingModel::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

FaultKind FaultInjectingModel::draw(std::string& garbage_text) {
  // 53 random bits -> [0, 1), the same on every standard library (unlike the distributions).
  const auto uniform = [this] { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; };
  ++counts_.calls;
  if (!(uniform() < options_.rate)) {
    ++counts_.passed;
    return FaultKind::none;
  }
  const FaultMix& m = options_.mix;
  const std::array<std::pair<FaultKind, double>, 4> weights = {
      {{FaultKind::rate_limited, m.rate_limited},
       {FaultKind::server_error, m.server_error},
       {FaultKind::timeout, m.timeout},
       {FaultKind::garbage, m.garbage}}};
  double pick = uniform() * (m.rate_limited + m.server_error + m.timeout + m.garbage);
  FaultKind kind = FaultKind::none;
  for (const auto& [candidate, weight] : weights) {
    if (weight <= 0.0) continue;
    kind = candidate;  // the last kind with weight, should rounding carry `pick` past the end
    if (pick < weight) break;
    pick -= weight;
  }
  switch (kind) {
    case FaultKind::rate_limited:
      ++counts_.rate_limited;
      break;
    case FaultKind::server_error:
      ++counts_.server_error;
      break;
    case FaultKind::timeout:
      ++counts_.timeout;
      break;
    case FaultKind::garbage:
      ++counts_.garbage;
      garbage_text = kGarbage[rng_() % kGarbage.size()];
      break;
    case FaultKind::none:
      break;
  }
  return kind;
}

ports::LlmResult FaultInjectingModel::complete(const domain::LlmRequest& request,
                                               const ports::CallContext& context) {
  std::string garbage;
  FaultKind kind = FaultKind::none;
  {
    std::lock_guard lock(mutex_);
    kind = draw(garbage);
  }
  switch (kind) {
    case FaultKind::none:
      return inner_->complete(request, context);
    case FaultKind::rate_limited: {
      ports::ProviderError error = classify_http_status(429, "injected fault: rate limit exceeded");
      error.retry_after_ms = options_.retry_after_ms;
      return error;
    }
    case FaultKind::server_error:
      return classify_http_status(500, "injected fault: internal server error");
    case FaultKind::timeout:
      return ports::ProviderError{"timeout", "injected fault: the model did not answer in time",
                                  true, 0, std::nullopt};
    case FaultKind::garbage: {
      domain::TokenUsage usage;
      usage.input_tokens = static_cast<std::int64_t>(request.rendered.size() / 4);
      usage.output_tokens = static_cast<std::int64_t>(garbage.size() / 4);
      usage.calls = 1;
      return domain::ModelOutcome{std::move(garbage), usage, "stop"};
    }
  }
  return inner_->complete(request, context);
}

}  // namespace docprof::adapters::llm
