#include "engine/retry_policy.h"

#include <algorithm>

namespace docprof::engine {

RetryPolicy::RetryPolicy(std::int64_t base_ms, std::int64_t cap_ms, ports::RandomSource& random)
    : base_ms_(std::max<std::int64_t>(0, base_ms)), cap_ms_(std::max<std::int64_t>(0, cap_ms)), random_(random) {}

std::int64_t RetryPolicy::ceiling_ms(int attempt) const {
  std::int64_t ceiling = std::min(base_ms_, cap_ms_);
  // Doubling stops at the cap, so it never overflows, even for a cap near INT64_MAX.
  for (int i = 1; i < attempt && ceiling < cap_ms_; ++i) ceiling = ceiling > cap_ms_ / 2 ? cap_ms_ : ceiling * 2;
  return ceiling;
}

std::int64_t RetryPolicy::delay_ms(int attempt, std::optional<std::int64_t> retry_after_ms) {
  std::int64_t delay = random_.uniform(0, ceiling_ms(attempt));
  if (retry_after_ms) delay = std::max(delay, *retry_after_ms);
  return delay;
}

}  // namespace docprof::engine
