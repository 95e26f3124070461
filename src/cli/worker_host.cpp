#include "cli/worker_host.h"

#include "engine/metered_model.h"
#include "engine/model_limiter.h"
#include "engine/step_runner.h"

namespace docprof::cli {

WorkerHost::WorkerHost(std::unique_ptr<ports::EventQueue> queue, std::function<void()> detach,
                       std::shared_ptr<ports::LanguageModel> model, std::unique_ptr<engine::MeteredModel> metered,
                       std::unique_ptr<engine::ConcurrencyLimitedModel> limited,
                       std::unique_ptr<engine::StepRunner> runner, std::unique_ptr<engine::WorkerPool> pool,
                       const engine::EngineSettings& settings)
    : settings_(settings),
      queue_(std::move(queue)),
      detach_(std::move(detach)),
      model_(std::move(model)),
      metered_(std::move(metered)),
      limited_(std::move(limited)),
      runner_(std::move(runner)),
      pool_(std::move(pool)) {}

WorkerHost::~WorkerHost() {
  if (detach_) detach_();
}

}  // namespace docprof::cli
