// DeadLetters: the events that will not be delivered again until replayed (DESIGN.md §3), each
// with the error that ended it. A port of its own, beside the queue: a run's failure writes its
// dead letter with the run's commit (RunStore::commit), and `course retry` replays it through
// CourseService, which reopens the run and commits the event again — so the dead letters live with
// the runs, not with the broker that delivers events (a broker keeps no readable history of them).
//
// Thread safety: implementations must allow concurrent calls from many threads and processes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/events.h"

namespace docprof::ports {

// A run of either kind leaves dead letters (issue 14): their `kind` is run_kind_of(event.type())
// and their run id is course_id (stored as the columns kind and run_id).
struct DeadLetter {
  std::string id;  // assigned by the store
  std::string course_id;  // the run's id (a course's or an ingestion's)
  domain::Envelope event;
  int attempts = 0;
  std::string error_code;
  std::string error;
  std::int64_t at_ms = 0;
};

class DeadLetters {
 public:
  virtual ~DeadLetters() = default;
  // Every dead letter, oldest first.
  virtual std::vector<DeadLetter> list() = 0;
  virtual std::optional<DeadLetter> get(const std::string& id) = 0;
  virtual std::int64_t count() = 0;
  // Stores a dead letter outside a run's commit: a delivered event whose run cannot even be read or
  // written, so that it is never delivered again (the caller then acknowledges the delivery).
  // `letter.id` is ignored; a second letter for the same event_id replaces the first.
  virtual void bury(const DeadLetter& letter) = 0;
};

}  // namespace docprof::ports
