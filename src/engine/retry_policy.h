// RetryPolicy: when a failed step is delivered again — exponential backoff with full jitter (a
// uniform draw in [0, min(cap, base · 2^(attempt−1))]), never earlier than a provider's
// Retry-After. The same policy serves classified transient errors and steps that threw. The draw
// comes from an injected RandomSource; all arithmetic saturates, so no setting or Retry-After can
// overflow it. (Whether a Retry-After is too long to wait for is the step runner's call.)
//
// Thread safety: safe for concurrent use when the RandomSource is (the engine's SeededRandom is).
#pragma once

#include <cstdint>
#include <optional>

#include "ports/random_source.h"

namespace docprof::engine {

class RetryPolicy {
 public:
  // `random` must outlive the policy.
  RetryPolicy(std::int64_t base_ms, std::int64_t cap_ms, ports::RandomSource& random);

  // Delay before delivery attempt + 1, after `attempt` failed.
  std::int64_t delay_ms(int attempt, std::optional<std::int64_t> retry_after_ms = std::nullopt);
  // The upper bound of the jitter window for `attempt` (for tests and docs).
  std::int64_t ceiling_ms(int attempt) const;

 private:
  std::int64_t base_ms_;
  std::int64_t cap_ms_;
  ports::RandomSource& random_;
};

}  // namespace docprof::engine
