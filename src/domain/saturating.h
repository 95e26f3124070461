// Saturating arithmetic on millisecond counts: times and delays that would overflow an int64 stop
// at its limits instead (signed overflow is undefined behaviour, and a wrapped `now + delay` lies
// in the past). A provider may ask for any wait, and settings may be huge: every `now + delay`,
// every seconds-to-milliseconds conversion and every doubling of a backoff goes through these.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <limits>

namespace docprof::domain {

inline constexpr std::int64_t kMaxMillis = std::numeric_limits<std::int64_t>::max();
inline constexpr std::int64_t kMinMillis = std::numeric_limits<std::int64_t>::min();

// a + b, clamped to the int64 range.
constexpr std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return b > 0 ? kMaxMillis : kMinMillis;
  return sum;
}

// a × b, clamped to the int64 range.
constexpr std::int64_t saturating_mul(std::int64_t a, std::int64_t b) {
  std::int64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product)) return (a < 0) == (b < 0) ? kMaxMillis : kMinMillis;
  return product;
}

// A count of seconds (possibly fractional) in whole milliseconds, truncated; NaN and negative
// values give 0, values past the int64 range give kMaxMillis.
inline std::int64_t saturating_millis_from_seconds(double seconds) {
  if (!(seconds > 0)) return 0;
  const double millis = seconds * 1000.0;
  // 2^63 is exactly representable; anything at or above it does not fit.
  if (!(millis < 9223372036854775808.0)) return kMaxMillis;
  return static_cast<std::int64_t>(millis);
}

// A count of milliseconds given as a double (a header's "retry-after-ms"), like the above.
inline std::int64_t saturating_millis(double millis) {
  if (!(millis > 0)) return 0;
  if (!(millis < 9223372036854775808.0)) return kMaxMillis;
  return static_cast<std::int64_t>(millis);
}

}  // namespace docprof::domain
