// StepRunner: runs one delivered event through the workflow (DESIGN.md §3) —
// load the run → drop duplicates → decide → run the commands → build the next event → commit the
// new state, history, next event and acknowledgement atomically (or via the outbox).
//
// Transient failures are given back to the queue with backoff until the last delivery, then fail the
// run as retries_exhausted; permanent ones fail it at once. Every failed run ends with status error
// and its failed event in the dead letters. A lost compare-and-set re-reads and re-decides.
//
// Thread safety: run() may be called concurrently from many threads for different deliveries.
#pragma once

#include <string>

#include "engine/command_executor.h"
#include "engine/engine_settings.h"
#include "engine/retry_policy.h"
#include "ports/clock.h"
#include "ports/embedder.h"
#include "ports/event_queue.h"
#include "ports/language_model.h"
#include "ports/library.h"
#include "ports/run_store.h"

namespace docprof::engine {

struct StepPorts {
  ports::RunStore& runs;
  ports::EventQueue& queue;
  ports::LanguageModel& model;
  ports::Embedder& embedder;
  ports::Library& library;
  ports::Clock& clock;
  ports::IdSource& ids;
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

  // For a step that kept throwing (a bug, a corrupt row) through its last delivery: fails the run
  // as retries_exhausted with the error and dead-letters the event, instead of retrying for ever.
  void give_up(const ports::Delivery& delivery, const std::string& error);

 private:
  StepReport run_once(const ports::Delivery& delivery, bool& lost_race);

  StepPorts ports_;
  EngineSettings settings_;
  CommandExecutor executor_;
  RetryPolicy retry_;
};

}  // namespace docprof::engine
