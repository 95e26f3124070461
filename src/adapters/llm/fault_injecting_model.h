// FaultInjectingModel: wraps any LanguageModel and makes a seeded share of its calls fail, to test
// retries, dead letters and repairs against realistic trouble. Each call first draws whether it
// fails (probability `rate`); a failing call is one of, weighted by `mix`:
//   rate_limited  ProviderError 429 "rate_limited", transient, with retry_after_ms
//   server_error  ProviderError 500 "server_error", transient
//   timeout       ProviderError "timeout" (no HTTP status), transient
//   garbage       a ModelOutcome whose text is nonsense no parser accepts (the inner model is not
//                 called), to exercise repairs
// A failing call never reaches the inner model.
//
// Thread safety: complete() may be called concurrently (a mutex guards the generator and the
// counts; the inner call runs outside it). With one thread, a seed gives the same sequence of
// faults on every run and machine (std::mt19937_64 with our own mapping to [0, 1)).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "ports/language_model.h"

namespace docprof::adapters::llm {

enum class FaultKind { none, rate_limited, server_error, timeout, garbage };

// Relative weights of the fault kinds; zero leaves a kind out.
struct FaultMix {
  double rate_limited = 1.0;
  double server_error = 1.0;
  double timeout = 1.0;
  double garbage = 1.0;
};

struct FaultOptions {
  double rate = 0.1;  // in [0, 1]
  std::uint64_t seed = 1;
  FaultMix mix;
  std::int64_t retry_after_ms = 1000;  // carried by injected 429s
};

struct FaultCounts {
  std::int64_t calls = 0;
  std::int64_t passed = 0;  // handed to the inner model
  std::int64_t rate_limited = 0;
  std::int64_t server_error = 0;
  std::int64_t timeout = 0;
  std::int64_t garbage = 0;
};

class FaultInjectingModel final : public ports::LanguageModel {
 public:
  // Throws std::invalid_argument for a null inner model, a rate outside [0, 1], a negative
  // weight, or a positive rate with all weights zero.
  FaultInjectingModel(std::shared_ptr<ports::LanguageModel> inner, FaultOptions options);

  ports::LlmResult complete(const domain::LlmRequest& request,
                            const ports::CallContext& context) override;
  std::string name() const override;  // "<inner name>+faults"

  FaultCounts counts() const;

 private:
  FaultKind draw(std::string& garbage_text);  // requires mutex_

  std::shared_ptr<ports::LanguageModel> inner_;
  FaultOptions options_;
  mutable std::mutex mutex_;
  std::mt19937_64 rng_;
  FaultCounts counts_;
};

}  // namespace docprof::adapters::llm
