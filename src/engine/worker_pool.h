// WorkerPool: the threads of a worker process. One poller thread leases events for the whole pool —
// as many as step threads are free and a quarter of the threads more, in one lease call (so a
// thread that finishes a step usually finds its next event leased already, instead of waiting for
// the lease's round trip) — and hands them to the step threads, which
// run them with the StepRunner; the poller polls every poll_ms while idle, and at once when a step
// finishes (it usually enqueued the next event) or notify_work() is called. So an idle worker makes
// one lease transaction per poll_ms, whatever its concurrency. A keeper thread extends the leases of
// running steps every third of the lease so a slow model call is never handed to a second worker; a
// janitor expires stranded runs and drops old state.
//
// Stopping is graceful: no new event is taken (events leased but not yet started are given back
// without spending an attempt), running steps may finish within the grace period, and whatever is
// left is redelivered to the next worker (its lease is reclaimed).
// Drain mode stops by itself once nothing is queued, delayed for a retry, or leased. A pool may be
// restricted to one run's events (restrict_to_run).
//
// Metrics (optional): every step run is observed in metric::kStepDuration by event type and outcome
// (applied, duplicate, retry_scheduled, dropped, or failed when it threw).
//
// Thread safety: start/stop/wait from one controlling thread; notify_work and stats from any.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine_settings.h"
#include "engine/metrics.h"
#include "engine/step_runner.h"
#include "ports/clock.h"
#include "ports/event_queue.h"
#include "ports/run_store.h"

namespace docprof::engine {

struct WorkerStats {
  std::int64_t steps = 0;
  std::int64_t duplicates = 0;
  std::int64_t retries = 0;
  std::int64_t dropped = 0;
  std::int64_t errors = 0;  // steps that threw (logged, and left to be redelivered)
};

class WorkerPool {
 public:
  // worker_id names this process for its leases (see the queue adapter's worker id format);
  // each thread appends its index. `metrics` (may be null: none) must outlive the pool.
  WorkerPool(StepRunner& runner, ports::EventQueue& queue, ports::RunStore& runs, ports::Clock& clock,
             EngineSettings settings, std::string worker_id, bool drain, Metrics* metrics = nullptr);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Before start(): lease only the events of this run (`course create` and `course retry` follow
  // their own run; other queued runs stay for `docprof worker`). By default any run's events.
  void restrict_to_run(std::string course_id);

  void start();
  void request_stop();
  // Waits for the threads; true when all running steps finished within the grace period (counted
  // from request_stop, or unbounded in drain mode while not stopped).
  bool wait();
  bool drained() const { return drained_.load(); }
  void notify_work();
  WorkerStats stats() const;

 private:
  void step_loop();
  void poller_loop();
  void keeper_loop();
  bool queue_idle();

  StepRunner& runner_;
  ports::EventQueue& queue_;
  ports::RunStore& runs_;
  ports::Clock& clock_;
  EngineSettings settings_;
  std::string worker_id_;
  std::string only_run_;  // empty: every run
  bool drain_;
  Metrics* metrics_;
  int prefetch_;  // deliveries leased ahead of a free thread

  std::atomic<bool> stopping_{false};
  std::atomic<bool> drained_{false};
  std::vector<std::thread> threads_;
  std::thread poller_;
  std::thread keeper_;
  std::int64_t stop_requested_at_ms_ = 0;

  mutable std::mutex mu_;
  std::condition_variable wake_;      // the poller: poll now (a step finished, work was notified, stop)
  std::condition_variable work_;      // the step threads: a delivery is ready, or stop
  std::condition_variable finished_;
  std::map<std::string, ports::Delivery> in_flight_;  // by delivery id: leased, ready or running
  std::deque<ports::Delivery> ready_;                 // leased by the poller, not yet taken by a thread
  int idle_threads_ = 0;                              // step threads waiting for a delivery
  bool poll_now_ = false;
  int running_threads_ = 0;                           // step threads and the poller
  WorkerStats stats_;
};

}  // namespace docprof::engine
