// CircuitBreaker: stops calling a provider that keeps failing, and tells the user why (issue 6,
// item 3). CircuitBreakerModel and CircuitBreakerEmbedder put one in front of any LanguageModel or
// Embedder; build one per provider and share it between every step of the process.
//
//   closed     calls go through. failure_threshold transient failures in a row open the circuit.
//   open       calls fail at once, without reaching the provider, with a transient ProviderError
//              {code "circuit_open", retry_after_ms = the cooldown left} whose message names the
//              provider, the failures and the wait, e.g. "openai:gpt-4o-mini is failing (5 calls in
//              a row; last: 503 upstream unavailable); not calling it for 30 s". The step engine
//              then backs the step off until the cooldown ends instead of hammering the provider.
//   half-open  the first call after the cooldown is a probe (state() reports half_open from then
//              on); others are refused (retry_after_ms = probe_retry_ms) while it runs. Its success
//              closes the circuit and resets the cooldown; its failure re-opens it with the
//              cooldown doubled, up to max_cooldown_ms.
//
// What counts: transient errors (429, 408, 5xx, timeouts, resets) are failures. A permanent error
// (400, 401, 404, …) is an answer: the provider is up and the request or the configuration is at
// fault, so it counts as a success (it resets the run of failures and closes a half-open circuit),
// and the step engine fails the run at once anyway. An exception from the provider counts as
// neither. Outcomes of calls let through before the circuit last changed state are ignored.
//
// Thread safety: all members may be used concurrently from any number of threads.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

#include "engine/steady_timer.h"
#include "ports/embedder.h"
#include "ports/language_model.h"

namespace docprof::engine {

struct CircuitBreakerOptions {
  int failure_threshold = 5;               // transient failures in a row that open the circuit
  std::int64_t cooldown_ms = 30'000;       // the first open period
  std::int64_t max_cooldown_ms = 300'000;  // the doubling stops here
  std::int64_t probe_retry_ms = 1'000;     // retry_after_ms of calls refused while a probe runs
};

enum class CircuitState { closed, open, half_open };
const char* to_string(CircuitState state);

class CircuitBreaker {
 public:
  // A call let through; hand it back to record().
  struct Permit {
    std::uint64_t generation = 0;
    bool probe = false;
  };
  enum class Outcome { success, failure, neutral };

  CircuitBreaker(CircuitBreakerOptions options, SteadyTimer& timer = system_steady_timer());

  // A permit to call the provider named `provider`, or the circuit_open error to return instead.
  std::variant<Permit, ports::ProviderError> admit(const std::string& provider);
  // `error` is the failure (for the message), when outcome is failure.
  void record(const Permit& permit, Outcome outcome, const ports::ProviderError* error = nullptr);

  // success for a result, failure for a transient error, success for a permanent one (see above).
  static Outcome classify(const ports::ProviderError* error);

  CircuitState state() const;
  std::int64_t trips() const;  // times the circuit opened, re-opens included
  int consecutive_failures() const;
  std::int64_t current_cooldown_ms() const;  // of the present or last open period

 private:
  void open(std::int64_t now, bool after_probe);  // requires mu_
  ports::ProviderError refusal(const std::string& provider, std::int64_t retry_after_ms,
                               bool probing) const;  // requires mu_

  const CircuitBreakerOptions options_;
  SteadyTimer& timer_;
  mutable std::mutex mu_;
  CircuitState state_ = CircuitState::closed;
  std::uint64_t generation_ = 0;
  bool probe_running_ = false;
  int consecutive_ = 0;
  std::string last_failure_;
  std::int64_t cooldown_ms_ = 0;
  std::int64_t open_until_ms_ = 0;
  std::int64_t trips_ = 0;
};

class CircuitBreakerModel final : public ports::LanguageModel {
 public:
  // Throws std::invalid_argument for a null inner model.
  CircuitBreakerModel(std::shared_ptr<ports::LanguageModel> inner,
                      CircuitBreakerOptions options = {},
                      SteadyTimer& timer = system_steady_timer());

  ports::LlmResult complete(const domain::LlmRequest& request,
                            const ports::CallContext& context) override;
  std::string name() const override { return inner_->name(); }

  const CircuitBreaker& breaker() const { return breaker_; }
  CircuitState state() const { return breaker_.state(); }
  std::int64_t trips() const { return breaker_.trips(); }

 private:
  std::shared_ptr<ports::LanguageModel> inner_;
  CircuitBreaker breaker_;
};

class CircuitBreakerEmbedder final : public ports::Embedder {
 public:
  // Throws std::invalid_argument for a null inner embedder.
  CircuitBreakerEmbedder(std::shared_ptr<ports::Embedder> inner, CircuitBreakerOptions options = {},
                         SteadyTimer& timer = system_steady_timer());

  ports::EmbedResult embed(std::span<const std::string> texts) override;
  int dims() const override { return inner_->dims(); }
  std::string model() const override { return inner_->model(); }
  double default_min_similarity() const override { return inner_->default_min_similarity(); }

  const CircuitBreaker& breaker() const { return breaker_; }
  CircuitState state() const { return breaker_.state(); }
  std::int64_t trips() const { return breaker_.trips(); }

 private:
  std::shared_ptr<ports::Embedder> inner_;
  CircuitBreaker breaker_;
};

}  // namespace docprof::engine
