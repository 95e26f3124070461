// SystemClock and UuidSource: the real clock and random UUIDs (libuuid) behind the engine's ports.
// Thread safety: both are safe to use from any thread.
#pragma once

#include "ports/clock.h"

namespace docprof::engine {

class SystemClock final : public ports::Clock {
 public:
  std::int64_t now_ms() override;
};

class UuidSource final : public ports::IdSource {
 public:
  std::string new_id() override;  // a random (version 4) UUID, lower-case
};

}  // namespace docprof::engine
