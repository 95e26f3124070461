#include "engine/retry_policy.h"

#include <algorithm>

namespace docprof::engine {

RetryPolicy::RetryPolicy(std::int64_t base_ms, std::int64_t cap_ms, std::uint64_t seed)
    : base_ms_(std::max<std::int64_t>(0, base_ms)), cap_ms_(std::max<std::int64_t>(0, cap_ms)), rng_(seed) {}

std::int64_t RetryPolicy::ceiling_ms(int attempt) const {
  std::int64_t ceiling = base_ms_;
  for (int i = 1; i < attempt && ceiling < cap_ms_; ++i) ceiling *= 2;
  return std::min(ceiling, cap_ms_);
}

std::int64_t RetryPolicy::delay_ms(int attempt, std::optional<std::int64_t> retry_after_ms) {
  std::int64_t delay = 0;
  {
    std::lock_guard lock(mu_);
    delay = std::uniform_int_distribution<std::int64_t>(0, ceiling_ms(attempt))(rng_);
  }
  if (retry_after_ms) delay = std::max(delay, *retry_after_ms);
  return delay;
}

}  // namespace docprof::engine
