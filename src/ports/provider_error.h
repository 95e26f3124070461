// ProviderError: how a model or embedding provider reports a failed call, classified so the engine
// knows whether to retry (transient: 429, 408, 409, 5xx, timeouts, connection resets) or to fail
// the run at once (permanent: bad key, unknown model, refused request, missing cassette entry).
//
// Thread safety: plain value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace docprof::ports {

struct ProviderError {
  std::string code;     // short machine name: "rate_limited", "server_error", "timeout", "unauthorized", …
  std::string message;  // the provider's own words where it gave any, for the user
  bool transient = false;
  int http_status = 0;                         // 0 when no HTTP answer was received
  std::optional<std::int64_t> retry_after_ms;  // the provider's Retry-After, when it sent one
};

// The code of a call held back by a circuit breaker without reaching the provider: the step engine
// waits for its retry_after_ms without spending one of the step's attempts.
inline constexpr const char* kCircuitOpen = "circuit_open";

}  // namespace docprof::ports
