// WorkerHost: the step workers of one process, as the composition root builds them from
// configuration (Runtime::start_workers): the model an --llm spec names (provider_registry.h),
// metered when the process keeps metrics, behind the process-wide cap of model calls in flight; a
// StepRunner over the deployment's ports; and the WorkerPool that leases and runs the steps.
// `course create`, `course retry`, `worker` and `serve` all run steps through one of these.
//
// Thread safety: start/request_stop/wait from one thread; the pool runs its own threads.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "domain/events.h"
#include "ports/event_queue.h"
#include "engine/engine_settings.h"
#include "engine/worker_pool.h"
#include "ports/language_model.h"

namespace docprof::engine {
class ConcurrencyLimitedModel;
class MeteredModel;
class Metrics;
class StepRunner;
}  // namespace docprof::engine

namespace docprof::cli {

struct WorkerOptions {
  std::string llm;                   // --llm spec; empty: llm.provider
  std::string record;                // a cassette to record the model calls to; empty: llm.record
  std::string role;                  // names this process's leases: "worker", "cli", "serve"
  int concurrency = 0;               // steps at once; 0: worker.concurrency
  bool drain = false;                // stop once the queue is empty
  std::string only_run = {};         // lease only this run's events (a command following its run)
  engine::Metrics* metrics = nullptr;  // meters the model and the steps; must outlive the host
  std::vector<domain::EventType> event_types = {};  // lease only these (`worker --events`); empty: all
};

class WorkerHost {
 public:
  // Built by Runtime::start_workers; the pieces are owned here, innermost first.
  // `detach` (may be empty) runs first when the host goes: it unhooks whatever calls into the pool.
  WorkerHost(std::unique_ptr<ports::EventQueue> queue, std::function<void()> detach,
             std::shared_ptr<ports::LanguageModel> model, std::unique_ptr<engine::MeteredModel> metered,
             std::unique_ptr<engine::ConcurrencyLimitedModel> limited, std::unique_ptr<engine::StepRunner> runner,
             std::unique_ptr<engine::WorkerPool> pool, const engine::EngineSettings& settings);
  ~WorkerHost();
  WorkerHost(const WorkerHost&) = delete;
  WorkerHost& operator=(const WorkerHost&) = delete;

  engine::WorkerPool& pool() { return *pool_; }
  std::string model_name() const { return model_->name(); }
  int concurrency() const { return settings_.concurrency; }

 private:
  engine::EngineSettings settings_;
  std::unique_ptr<ports::EventQueue> queue_;  // the workers' own (restricted to their event types)
  std::function<void()> detach_;
  std::shared_ptr<ports::LanguageModel> model_;
  std::unique_ptr<engine::MeteredModel> metered_;
  std::unique_ptr<engine::ConcurrencyLimitedModel> limited_;
  std::unique_ptr<engine::StepRunner> runner_;
  std::unique_ptr<engine::WorkerPool> pool_;  // declared last: its threads stop before the rest goes
};

}  // namespace docprof::cli
