// RetryPolicy: when a transiently failed step is delivered again — exponential backoff with full
// jitter (a uniform draw in [0, min(cap, base · 2^(attempt−1))]), never earlier than a provider's
// Retry-After.
//
// Thread safety: safe for concurrent use (the random source is guarded).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <random>

namespace docprof::engine {

class RetryPolicy {
 public:
  RetryPolicy(std::int64_t base_ms, std::int64_t cap_ms, std::uint64_t seed);

  // Delay before delivery attempt + 1, after `attempt` failed.
  std::int64_t delay_ms(int attempt, std::optional<std::int64_t> retry_after_ms = std::nullopt);
  // The upper bound of the jitter window for `attempt` (for tests and docs).
  std::int64_t ceiling_ms(int attempt) const;

 private:
  std::int64_t base_ms_;
  std::int64_t cap_ms_;
  std::mutex mu_;
  std::mt19937_64 rng_;
};

}  // namespace docprof::engine
