// Clock and IdSource: time and identifiers for the engine, as ports so tests can drive time.
// Thread safety: implementations must be safe to call from any thread.
#pragma once

#include <cstdint>
#include <string>

namespace docprof::ports {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t now_ms() = 0;  // milliseconds since the Unix epoch
};

class IdSource {
 public:
  virtual ~IdSource() = default;
  virtual std::string new_id() = 0;  // a fresh UUID
};

}  // namespace docprof::ports
