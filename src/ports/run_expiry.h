// What the SQL run stores' janitors write when they fail a stranded run as expired (RunStore::
// expire_states): the message, the error history entry and the dead letter of the event the run
// waits for, worded for the run's kind (a course's run is retried with `course retry`; any run with
// `dlq replay`). Each backend keeps its own reason (what it can see of a run's pending work).
//
// For the adapters only. Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/events.h"
#include "ports/dead_letters.h"
#include "ports/run_store.h"

namespace docprof::ports::stored {

// `reason`, then how to resume the run: by a replay when its pending event is dead-lettered
// (`resumable`), else by asking for it again.
std::string expired_message(domain::RunKind kind, std::string_view reason, bool resumable);

// The run's error entry "<code>: <message>" at `seq` (CourseFailed or IngestFailed, by kind).
HistoryEntry expired_entry(domain::RunKind kind, std::string_view code, const std::string& message, std::int64_t seq,
                           std::int64_t at_ms);

// The dead letter of `pending`, the event the run waits for: no delivery of it finished (0 attempts).
DeadLetter expired_letter(const std::string& run_id, const domain::Envelope& pending, std::string_view code,
                          const std::string& message, std::int64_t at_ms);

}  // namespace docprof::ports::stored
