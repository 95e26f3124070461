// PgOutboxClearer: clears runs' published outbox entries in batches, off the step's path.
//
// Once the bus has stored an event, its run's outbox entry is only a relay's reminder: clearing it
// need not hold up the step (the engine hands the clear over from the bus's publish confirmation,
// ports/event_queue.h). A clear is queued, and a thread of its own clears what is queued in one
// statement over both kinds' runs tables — many steps' clears in one round trip under load. A clear that is
// lost (the process dies first, the server is away) leaves the entry to the relay pass, which
// publishes it again: the bus drops the copy by its event id, and a step finds it a duplicate.
// Only an entry still holding that event is cleared (a later step may have replaced it).
//
// Thread safety: safe from any thread. The destructor clears what is queued, then stops.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "adapters/postgres/pg_pool.h"

namespace docprof::adapters::postgres {

class PgOutboxClearer {
 public:
  explicit PgOutboxClearer(std::shared_ptr<PgPool> pool);
  ~PgOutboxClearer();
  PgOutboxClearer(const PgOutboxClearer&) = delete;
  PgOutboxClearer& operator=(const PgOutboxClearer&) = delete;

  // Queues the clear of run `run_id`'s outbox while it holds `event_id`; returns at once.
  void clear(std::string run_id, std::string event_id);
  // Clears everything queued before the call, then returns (errors propagate).
  void flush();
  // Whether a clear of the run is queued and not yet done.
  bool pending(const std::string& run_id);

 private:
  using Clears = std::vector<std::pair<std::string, std::string>>;  // run id, event id
  void loop();
  void apply(const Clears& clears);

  std::shared_ptr<PgPool> pool_;
  std::mutex mu_;
  std::condition_variable queued_;
  Clears queue_;
  Clears applying_batch_;  // taken from queue_, being applied (changed under applying_ and mu_)
  bool stopping_ = false;
  std::mutex applying_;  // one batch at a time: flush() waits for the one in progress
  std::thread thread_;   // started at the first clear
};

}  // namespace docprof::adapters::postgres
