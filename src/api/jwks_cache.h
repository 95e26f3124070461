// JwksCache: the current keys of a JwksSource, loaded at start and refreshed when needed — on a kid
// it does not know (the provider rotated its keys) or once the set is older than max_age (a key the
// provider withdrew stops being trusted) — but never more than once per min_refresh_interval (60 s),
// so tokens with made-up kids cannot make the server hammer the provider. A refresh that fails, or
// that finds no usable key, keeps the keys it had (logged).
//
// A refresh runs on the thread that asked (an io thread of the server), bounded by the source's
// timeout; that one request waits for it, every other one goes on with the keys already loaded.
//
// Thread safety: find() may be called from any number of threads; one of them fetches at a time,
// the others go on with the keys already loaded.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "api/jwks.h"
#include "api/jwks_source.h"

namespace docprof::api {

struct JwksCacheOptions {
  std::chrono::seconds min_refresh_interval{60};
  std::chrono::seconds max_age{3600};
  // The monotonic clock (tests move it by hand).
  std::function<std::chrono::steady_clock::time_point()> now = [] { return std::chrono::steady_clock::now(); };
};

class JwksCache {
 public:
  // Loads the set once. Errors: the source's (jwks_unavailable) and the set's (invalid_jwks).
  static domain::Result<std::shared_ptr<JwksCache>> open(JwksSource source, JwksCacheOptions options = {});

  // The key of `kid` (refreshing first when allowed and needed); null when there is none.
  std::shared_ptr<const JsonWebKey> find(const std::string& kid);

  std::size_t fetch_count() const;  // loads so far, the first included (for tests and logs)

 private:
  JwksCache(JwksSource source, JwksCacheOptions options);
  // Fetches and swaps in a new set when the last attempt is min_refresh_interval ago and no other
  // thread is fetching.
  void refresh_if_allowed();

  JwksSource source_;
  JwksCacheOptions options_;
  std::mutex fetch_mu_;  // one fetch at a time
  mutable std::mutex mu_;  // guards what follows
  std::shared_ptr<const JwkSet> keys_;
  std::chrono::steady_clock::time_point loaded_at_{};
  std::chrono::steady_clock::time_point attempted_at_{};
  std::size_t fetches_ = 0;
};

}  // namespace docprof::api
