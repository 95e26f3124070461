#include "engine/seeded_random.h"

namespace docprof::engine {

SeededRandom::SeededRandom() : rng_(std::random_device{}()) {}

SeededRandom::SeededRandom(std::uint64_t seed) : rng_(seed) {}

std::int64_t SeededRandom::uniform(std::int64_t low, std::int64_t high) {
  std::lock_guard lock(mu_);
  return std::uniform_int_distribution<std::int64_t>(low, high)(rng_);
}

}  // namespace docprof::engine
