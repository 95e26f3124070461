// RecentRuns: the runs this process's steps committed last, as they committed them, so that the
// step of a run's next event — often delivered to the same process — need not read the run again
// (a database round trip and the state's parse, on every step).
//
// An entry is a guess, never trusted for a write: every commit is a compare-and-set on the version
// the entry says (a store's commit makes version + 1), so a stale entry — another process moved the
// run on, cancelled or replayed it — writes nothing, and the step reads the run and decides again.
// A stale entry can only be behind the stored run, never ahead, so it never calls an event new that
// the store has applied; a step that finds its event a duplicate or early by an entry reads the run
// before acting on that. An entry serves only the event its commit emitted: any other event of the
// run (a replay's, a retry's) means the run changed elsewhere, and the entry is dropped unused, so
// that no model call is made on a stale record. take() removes the entry: one step of a run at a
// time uses it.
//
// Thread safety: safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "ports/run_store.h"

namespace docprof::engine {

class RecentRuns {
 public:
  explicit RecentRuns(std::size_t capacity) : capacity_(capacity) {}

  // The run as this process last committed it, taken out, when that commit emitted `event_id`;
  // nullopt when not kept (an entry for another event is dropped).
  std::optional<ports::RunRecord> take(const std::string& run_id, const std::string& event_id);
  // Keeps `record` (the run at record.version, whose commit emitted `emitted`), replacing an older
  // entry; the oldest go first.
  void put(ports::RunRecord record, std::string emitted);

 private:
  struct Entry {
    std::uint64_t put_at = 0;  // the put's number
    ports::RunRecord record;
    std::string emitted;  // the id of the event its commit emitted
  };
  std::size_t capacity_;
  std::mutex mu_;
  std::uint64_t puts_ = 0;
  std::unordered_map<std::string, Entry> runs_;
  std::deque<std::pair<std::string, std::uint64_t>> order_;  // (id, put's number), oldest first
};

}  // namespace docprof::engine
