// SeededRandom: the engine's RandomSource — a 64-bit Mersenne Twister behind a mutex, seeded from
// std::random_device unless a seed is given.
// Thread safety: uniform() may be called from any thread.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>

#include "ports/random_source.h"

namespace docprof::engine {

class SeededRandom final : public ports::RandomSource {
 public:
  SeededRandom();  // seeded from std::random_device
  explicit SeededRandom(std::uint64_t seed);

  std::int64_t uniform(std::int64_t low, std::int64_t high) override;

 private:
  std::mutex mu_;
  std::mt19937_64 rng_;
};

}  // namespace docprof::engine
