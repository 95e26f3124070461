// StepRunner: runs one delivered event through the workflow (DESIGN.md §3) —
// load the run → drop duplicates → decide → run the commands → build the next event → commit the
// new state, history, next event and acknowledgement atomically (or via the outbox).
//
// Transient failures are given back to the queue with backoff until the last delivery, then fail the
// run as retries_exhausted; permanent ones fail it at once, and so does a provider's Retry-After
// longer than max_retry_after_ms (provider_error, naming the wait asked for). A step that threw is
// backed off like a transient failure (after_exception). Every delay is jittered by the RetryPolicy
// and added to the clock with saturation. Every failed run ends with status error and its failed
// event in the dead letters. A lost compare-and-set re-reads and re-decides.
//
// The step of the event a step emitted usually starts from the record that step's commit wrote
// (RecentRuns), without reading the run: the commit's compare-and-set catches a record made stale
// elsewhere, and the step then reads the run and decides again. An event that such a record calls
// a duplicate or early is judged again on the run as read; a redelivery, and any event but the one
// emitted (a replay's), read the run first. What a stale record can cost is the step's work done in
// vain — e.g. one model call after the run was cancelled elsewhere, as when the cancel comes mid-step.
//
// Attempts: the queue counts every delivery (as a broker does; nothing is given back to it); the
// engine subtracts the deliveries it gave back unspent, recorded in the run (RunRecord::postponed):
// a circuit breaker that held the provider call back, or a worker that stopped before the step.
//
// Poison events: every delivery counts as an attempt, finished or not. A delivery past
// max_deliveries means the earlier ones never finished (their worker crashed or was killed in the
// step, or kept losing its lease): the step is not run again; the run fails as retries_exhausted,
// naming how the last delivery ended, and the event goes to the dead letters (`course retry`).
//
// Thread safety: run() may be called concurrently from many threads for different deliveries.
#pragma once

#include <memory>
#include <string>

#include "engine/command_executor.h"
#include "engine/engine_settings.h"
#include "engine/book_view_cache.h"
#include "engine/recent_runs.h"
#include "engine/retry_policy.h"
#include "engine/seeded_random.h"
#include "ports/clock.h"
#include "ports/corpus.h"
#include "ports/embedder.h"
#include "ports/event_queue.h"
#include "ports/language_model.h"
#include "ports/dead_letters.h"
#include "ports/library.h"
#include "ports/random_source.h"
#include "ports/run_store.h"

namespace docprof::engine {

class IngestService;

struct StepPorts {
  ports::RunStore& runs;
  ports::EventQueue& queue;
  ports::DeadLetters& dead_letters;
  ports::LanguageModel& model;
  ports::Embedder& embedder;
  ports::Library& library;
  ports::Clock& clock;
  ports::IdSource& ids;
  ports::RandomSource* random = nullptr;  // the jitter of retry delays; null: a SeededRandom of the runner's own
  // The passages of ingested books: a stored section gets the ids of the chunks of the chapter
  // sections it is read from (its sources). Null: sections keep no chunk ids.
  ports::Corpus* corpus = nullptr;
  // Carries out ingestion runs' parse and store steps (issue 14). Null: they fail (not_configured).
  IngestService* ingest = nullptr;
};

enum class StepResult {
  applied,          // the event was applied (the run goes on, completed or failed)
  duplicate,        // already applied, or the run is finished: acknowledged without work
  retry_scheduled,  // a transient failure: delivered again later
  dropped,          // the run no longer exists or its state expired: acknowledged
};

struct StepReport {
  StepResult result = StepResult::applied;
  std::string message;
};

class StepRunner {
 public:
  StepRunner(StepPorts ports, EngineSettings settings);

  StepReport run(const ports::Delivery& delivery);

  // For a step whose run() threw (a bug, a corrupt row, a refused write): before the last delivery
  // the event goes back to the queue with the same jittered backoff as a transient failure; at the
  // last one the run fails (give_up). Throws only when the queue itself cannot be reached.
  StepReport after_exception(const ports::Delivery& delivery, const std::string& error);

  // Gives back a delivery this process leased but did not run (it is stopping) without spending an
  // attempt: the run records it as given back (RunRecord::postponed), then the queue redelivers it.
  // Throws what the stores throw.
  void give_back(const ports::Delivery& delivery, const std::string& reason);

  // For a step that kept throwing (a bug, a corrupt row) through its last delivery: fails the run
  // as retries_exhausted with the error and dead-letters the event, instead of retrying for ever.
  void give_up(const ports::Delivery& delivery, const std::string& error);

 private:
  // One attempt at the step. `fresh`: read the run from the store (else the run as this runner
  // last committed it may be used, RecentRuns). lost_race when the attempt must be made again.
  StepReport run_once(const ports::Delivery& delivery, bool& lost_race, bool fresh);
  // The attempt of a delivered event as the engine counts it: the queue's deliveries of it less
  // those given back unspent (RunRecord::postponed). The second form reads the run (best effort).
  static int counted_attempt(const domain::Envelope& event, const ports::RunRecord& record);
  int counted_attempt(const ports::Delivery& delivery);
  // Fails the run of `delivery` for good (code, message) and dead-letters its event; a run that can
  // no longer be failed (gone, finished) just has the delivery acknowledged. `attempts` is what the
  // dead letter records. lost_race when another writer changed the run meanwhile (nothing written).
  // Throws what the stores throw.
  ports::CommitResult fail_run(const ports::Delivery& delivery, int attempts, const std::string& code,
                               const std::string& message);

  StepPorts ports_;
  EngineSettings settings_;
  CommandExecutor executor_;
  std::unique_ptr<SeededRandom> own_random_;  // when StepPorts::random is null
  RetryPolicy retry_;
  RecentRuns recent_;  // the runs this runner committed, for their next steps
  BookViewCache book_views_;  // what steps work out from a run's books, once per book list
};

}  // namespace docprof::engine
