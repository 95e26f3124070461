// EngineSettings: the knobs of the step engine (DESIGN.md §3), with the documented defaults.
// Thread safety: plain value, copied into each component.
#pragma once

#include <cstdint>

#include "domain/workflow.h"

namespace docprof::engine {

struct EngineSettings {
  std::int64_t lease_ms = 300'000;         // queue.lease_seconds × 1000
  int max_deliveries = 6;                  // the first try and 5 retries
  std::int64_t backoff_base_ms = 1'000;    // exponential backoff with full jitter…
  std::int64_t backoff_cap_ms = 60'000;    // …capped here
  std::int64_t max_retry_after_ms = 300'000;  // a provider's longer Retry-After fails the run at once
  int concurrency = 16;                    // steps in flight per worker process
  int max_model_calls = 8;                 // concurrent model calls per worker process
  std::int64_t poll_ms = 200;              // idle wait between queue polls
  std::int64_t shutdown_grace_ms = 30'000; // running steps may finish within this on SIGINT/SIGTERM
  std::int64_t janitor_interval_ms = 60'000;
  // Stores that do not hand off events: every this often, a worker republishes outbox events at
  // least this old (engine/outbox_relay.h).
  std::int64_t outbox_relay_ms = 5'000;
  int max_lost_races = 8;                  // re-decides after a lost compare-and-set before giving up the step
  domain::WorkflowSettings workflow;
};

}  // namespace docprof::engine
