#include "api/jwks_cache.h"

#include <spdlog/spdlog.h>

namespace docprof::api {

JwksCache::JwksCache(JwksSource source, JwksCacheOptions options)
    : source_(std::move(source)), options_(std::move(options)) {}

domain::Result<std::shared_ptr<JwksCache>> JwksCache::open(JwksSource source, JwksCacheOptions options) {
  std::shared_ptr<JwksCache> cache(new JwksCache(std::move(source), std::move(options)));
  auto text = cache->source_.read();
  if (!text) return domain::Error{text.error().code, "auth.jwks: " + text.error().message};
  auto keys = JwkSet::parse(*text);
  if (!keys) {
    return domain::Error{keys.error().code, "auth.jwks: " + cache->source_.location() + ": " + keys.error().message};
  }
  if (keys->size() == 0) {
    return domain::Error{"invalid_jwks", "auth.jwks: " + cache->source_.location() +
                                             ": no RSA or P-256 signing key with a kid"};
  }
  const auto now = cache->options_.now();
  cache->keys_ = std::make_shared<const JwkSet>(std::move(keys).value());
  cache->loaded_at_ = now;
  cache->attempted_at_ = now;
  cache->fetches_ = 1;
  return cache;
}

std::shared_ptr<const JsonWebKey> JwksCache::find(const std::string& kid) {
  std::shared_ptr<const JwkSet> keys;
  bool stale = false;
  {
    std::lock_guard lock(mu_);
    keys = keys_;
    stale = options_.now() - loaded_at_ >= options_.max_age;
  }
  if (stale || keys->find(kid) == nullptr) {
    refresh_if_allowed();
    std::lock_guard lock(mu_);
    keys = keys_;
  }
  const JsonWebKey* key = keys->find(kid);
  // Aliasing: the key lives as long as the set it belongs to.
  return key == nullptr ? nullptr : std::shared_ptr<const JsonWebKey>(keys, key);
}

void JwksCache::refresh_if_allowed() {
  std::unique_lock fetching(fetch_mu_, std::try_to_lock);
  if (!fetching.owns_lock()) return;  // another thread is fetching: use what is loaded
  {
    std::lock_guard lock(mu_);
    const auto now = options_.now();
    if (now - attempted_at_ < options_.min_refresh_interval) return;
    attempted_at_ = now;
    ++fetches_;
  }
  auto text = source_.read();
  auto keys = text ? JwkSet::parse(*text) : domain::Result<JwkSet>(text.error());
  if (keys && keys->size() == 0) {
    // A provider caught half-way through a rotation must not sign everyone out.
    keys = domain::Error{"invalid_jwks", "no RSA or P-256 signing key with a kid"};
  }
  if (!keys) {
    spdlog::warn("auth: refreshing the JWKS from {} failed ({}); the keys loaded before stay in use",
                 source_.location(), keys.error().message);
    return;
  }
  spdlog::info("auth: JWKS refreshed from {} ({} key(s))", source_.location(), keys->size());
  std::lock_guard lock(mu_);
  keys_ = std::make_shared<const JwkSet>(std::move(keys).value());
  loaded_at_ = options_.now();
}

std::size_t JwksCache::fetch_count() const {
  std::lock_guard lock(mu_);
  return fetches_;
}

}  // namespace docprof::api
