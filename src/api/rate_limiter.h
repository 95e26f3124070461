// RateLimiter: a token bucket per user for course creation. Each user's bucket holds up to
// `per_minute` tokens (the burst) and refills at per_minute / 60 tokens a second. A per_minute of 0
// disables the limit.
//
// Thread safety: safe for concurrent use (one mutex over the buckets).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace docprof::api {

class RateLimiter {
 public:
  explicit RateLimiter(double per_minute) : per_minute_(per_minute) {}

  // Takes a token: nullopt when allowed, otherwise the seconds to wait (>= 1) before a retry.
  std::optional<std::int64_t> try_acquire(const std::string& user_id, std::int64_t now_ms);

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t at_ms = 0;
  };
  double per_minute_;
  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace docprof::api
