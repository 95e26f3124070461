#include "api/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace docprof::api {

std::optional<std::int64_t> RateLimiter::try_acquire(const std::string& user_id,
                                                     std::int64_t now_ms) {
  if (per_minute_ <= 0) return std::nullopt;
  const double capacity = std::max(1.0, per_minute_);
  const double per_ms = per_minute_ / 60000.0;
  std::lock_guard lock(mu_);
  auto [it, inserted] = buckets_.try_emplace(user_id, Bucket{capacity, now_ms});
  Bucket& b = it->second;
  if (!inserted) {
    const auto elapsed = static_cast<double>(std::max<std::int64_t>(0, now_ms - b.at_ms));
    b.tokens = std::min(capacity, b.tokens + elapsed * per_ms);
    b.at_ms = now_ms;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return std::nullopt;
  }
  const double wait_ms = (1.0 - b.tokens) / per_ms;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(wait_ms / 1000.0)));
}

}  // namespace docprof::api
