// Formatting of instants given as milliseconds since the Unix epoch (the core never reads a clock:
// callers pass the time in). Thread safety: stateless.
#pragma once

#include <cstdint>
#include <string>

namespace docprof::domain {

// "2026-11-28T15:31:05.123Z"
std::string format_iso8601(std::int64_t epoch_ms);

}  // namespace docprof::domain
