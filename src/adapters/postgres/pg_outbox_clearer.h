// PgOutboxClearer: clears runs' published outbox entries in batches, off the step's path, and
// mostly not at all.
//
// Once the bus has stored an event, its run's outbox entry is only a relay's reminder: clearing it
// need not hold up the step (the engine hands the clear over from the bus's publish confirmation,
// ports/event_queue.h). A clear is queued and applied kDelayMs later, or at flush(), by a thread of
// its own, in one statement over both kinds' runs tables — the clears of a whole delay in one round
// trip. Meanwhile the run's next step has usually committed, replacing the outbox: the store then
// forgets the run's queued clears (forget()), and the statement skips those another process's
// commit made moot, writing nothing. A clear that is lost (the process dies first, the server is
// away) leaves the entry to the relay pass, which publishes it again: the bus drops the copy by its
// event id, and a step finds it a duplicate. Only an entry still holding the event is cleared.
// kDelayMs is well below the relay's least age (engine settings' outbox_relay_ms, 5 s by default),
// so the relay does not republish what a queued clear is about to clear.
//
// Thread safety: safe from any thread. The destructor clears what is queued, then stops.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "adapters/postgres/pg_pool.h"

namespace docprof::adapters::postgres {

class PgOutboxClearer {
 public:
  static constexpr std::chrono::milliseconds kDelayMs{1'000};

  explicit PgOutboxClearer(std::shared_ptr<PgPool> pool, std::chrono::milliseconds delay = kDelayMs);
  ~PgOutboxClearer();
  PgOutboxClearer(const PgOutboxClearer&) = delete;
  PgOutboxClearer& operator=(const PgOutboxClearer&) = delete;

  // Queues the clear of run `run_id`'s outbox while it holds `event_id`; returns at once. A later
  // clear of the run replaces an earlier one (the outbox holds the later event, or a newer one).
  void clear(const std::string& run_id, const std::string& event_id);
  // Applies every clear queued before the call, then returns (errors propagate; those clears are
  // then lost, for the relay).
  void flush();
  // The event a clear of the run is queued (or being applied) for, if any.
  std::optional<std::string> pending(const std::string& run_id);
  // Drops the run's queued clear unless it is for `kept_event_id`: a commit of this store replaced
  // the outbox (with kept_event_id, or empty for none).
  void forget(const std::string& run_id, const std::string& kept_event_id);

 private:
  struct Clear {
    std::string run_id;
    std::string event_id;
    std::chrono::steady_clock::time_point due;
  };
  void loop();
  // Takes the queued clears (those due by `until`) that are still wanted, under mu_.
  std::vector<Clear> take(std::chrono::steady_clock::time_point until);
  // Applies the queued clears due by `until` as one batch, after the batch in progress (errors
  // propagate).
  void apply_due(std::chrono::steady_clock::time_point until);
  void apply(const std::vector<Clear>& clears);

  std::shared_ptr<PgPool> pool_;
  std::chrono::milliseconds delay_;
  std::mutex mu_;
  std::condition_variable queued_;
  std::deque<Clear> queue_;                               // in the order queued (so by due time)
  std::unordered_map<std::string, std::string> wanted_;   // run id -> the event its clear is for
  std::unordered_map<std::string, std::string> applying_; // taken from the queue, being applied
  bool stopping_ = false;
  std::mutex apply_mu_;  // one batch at a time: flush() waits for the one in progress
  std::thread thread_;   // started at the first clear
};

}  // namespace docprof::adapters::postgres
