// RandomSource: uniform random draws for the engine (the jitter of retry delays), as a port so
// that tests can make the draws known and the functional core never touches randomness.
// Thread safety: implementations must be safe to call from any thread.
#pragma once

#include <cstdint>

namespace docprof::ports {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // A uniform draw in [low, high] (both included); low <= high.
  virtual std::int64_t uniform(std::int64_t low, std::int64_t high) = 0;
};

}  // namespace docprof::ports
