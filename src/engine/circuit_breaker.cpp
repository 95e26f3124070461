#include "engine/circuit_breaker.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace docprof::engine {

namespace {

CircuitBreakerOptions normalised(CircuitBreakerOptions options) {
  options.failure_threshold = std::max(1, options.failure_threshold);
  options.cooldown_ms = std::max<std::int64_t>(0, options.cooldown_ms);
  options.max_cooldown_ms = std::max(options.max_cooldown_ms, options.cooldown_ms);
  options.probe_retry_ms = std::max<std::int64_t>(0, options.probe_retry_ms);
  return options;
}

// "503 upstream unavailable", "timeout: no answer within 60 s".
std::string describe(const ports::ProviderError& error) {
  if (error.http_status != 0) {
    return std::to_string(error.http_status) + " " +
           (error.message.empty() ? error.code : error.message);
  }
  return error.message.empty() ? error.code : error.code + ": " + error.message;
}

std::string seconds(std::int64_t ms) {
  return std::to_string(std::max<std::int64_t>(1, (ms + 999) / 1000)) + " s";
}

}  // namespace

const char* to_string(CircuitState state) {
  switch (state) {
    case CircuitState::closed:
      return "closed";
    case CircuitState::open:
      return "open";
    case CircuitState::half_open:
      return "half_open";
  }
  return "closed";
}

CircuitBreaker::CircuitBreaker(CircuitBreakerOptions options, SteadyTimer& timer)
    : options_(normalised(options)), timer_(timer), cooldown_ms_(options_.cooldown_ms) {}

CircuitBreaker::Outcome CircuitBreaker::classify(const ports::ProviderError* error) {
  if (error == nullptr || !error->transient) return Outcome::success;
  return Outcome::failure;
}

std::variant<CircuitBreaker::Permit, ports::ProviderError> CircuitBreaker::admit(
    const std::string& provider) {
  std::lock_guard lock(mu_);
  if (state_ == CircuitState::open) {
    const std::int64_t now = timer_.now_ms();
    if (now < open_until_ms_) return refusal(provider, open_until_ms_ - now, false);
    state_ = CircuitState::half_open;
  }
  if (state_ == CircuitState::half_open) {
    if (probe_running_) return refusal(provider, options_.probe_retry_ms, true);
    probe_running_ = true;
    return Permit{generation_, true};
  }
  return Permit{generation_, false};
}

void CircuitBreaker::record(const Permit& permit, Outcome outcome,
                            const ports::ProviderError* error) {
  std::lock_guard lock(mu_);
  if (permit.probe && permit.generation == generation_) probe_running_ = false;
  if (permit.generation != generation_ || outcome == Outcome::neutral) return;
  if (outcome == Outcome::success) {
    consecutive_ = 0;
    if (state_ != CircuitState::closed) {
      state_ = CircuitState::closed;
      cooldown_ms_ = options_.cooldown_ms;
      ++generation_;
    }
    return;
  }
  ++consecutive_;
  if (error != nullptr) last_failure_ = describe(*error);
  if (state_ == CircuitState::half_open) {
    open(timer_.now_ms(), true);
  } else if (state_ == CircuitState::closed && consecutive_ >= options_.failure_threshold) {
    open(timer_.now_ms(), false);
  }
}

void CircuitBreaker::open(std::int64_t now, bool after_probe) {
  cooldown_ms_ =
      after_probe ? std::min(cooldown_ms_ * 2, options_.max_cooldown_ms) : options_.cooldown_ms;
  open_until_ms_ = now + cooldown_ms_;
  state_ = CircuitState::open;
  ++trips_;
  ++generation_;
}

ports::ProviderError CircuitBreaker::refusal(const std::string& provider,
                                             std::int64_t retry_after_ms, bool probing) const {
  std::string why =
      consecutive_ == 1 ? "1 failed call" : std::to_string(consecutive_) + " calls in a row";
  if (!last_failure_.empty()) why += "; last: " + last_failure_;
  std::string message = provider + " is failing (" + why + "); ";
  message += probing ? "a trial call is checking whether it has recovered"
                     : "not calling it for " + seconds(retry_after_ms);
  return ports::ProviderError{ports::kCircuitOpen, std::move(message), true, 0, retry_after_ms};
}

CircuitState CircuitBreaker::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

std::int64_t CircuitBreaker::trips() const {
  std::lock_guard lock(mu_);
  return trips_;
}

int CircuitBreaker::consecutive_failures() const {
  std::lock_guard lock(mu_);
  return consecutive_;
}

std::int64_t CircuitBreaker::current_cooldown_ms() const {
  std::lock_guard lock(mu_);
  return cooldown_ms_;
}

// ---- decorators ---------------------------------------------------------------------------------

namespace {

// Runs `call` under a permit of `breaker`, recording its outcome; an exception records nothing.
template <typename Result, typename Call>
Result guarded(CircuitBreaker& breaker, const std::string& provider, Call&& call) {
  auto admitted = breaker.admit(provider);
  if (auto* refused = std::get_if<ports::ProviderError>(&admitted))
    return Result{std::move(*refused)};
  const auto permit = std::get<CircuitBreaker::Permit>(admitted);
  Result result;
  try {
    result = call();
  } catch (...) {
    breaker.record(permit, CircuitBreaker::Outcome::neutral);
    throw;
  }
  const auto* error = std::get_if<ports::ProviderError>(&result);
  breaker.record(permit, CircuitBreaker::classify(error), error);
  return result;
}

}  // namespace

CircuitBreakerModel::CircuitBreakerModel(std::shared_ptr<ports::LanguageModel> inner,
                                         CircuitBreakerOptions options, SteadyTimer& timer)
    : inner_(std::move(inner)), breaker_(options, timer) {
  if (!inner_) throw std::invalid_argument("CircuitBreakerModel: no inner model");
}

ports::LlmResult CircuitBreakerModel::complete(const domain::LlmRequest& request,
                                               const ports::CallContext& context) {
  return guarded<ports::LlmResult>(breaker_, inner_->name(),
                                   [&] { return inner_->complete(request, context); });
}

CircuitBreakerEmbedder::CircuitBreakerEmbedder(std::shared_ptr<ports::Embedder> inner,
                                               CircuitBreakerOptions options, SteadyTimer& timer)
    : inner_(std::move(inner)), breaker_(options, timer) {
  if (!inner_) throw std::invalid_argument("CircuitBreakerEmbedder: no inner embedder");
}

ports::EmbedResult CircuitBreakerEmbedder::embed(std::span<const std::string> texts) {
  return guarded<ports::EmbedResult>(breaker_, inner_->model(),
                                     [&] { return inner_->embed(texts); });
}

}  // namespace docprof::engine
