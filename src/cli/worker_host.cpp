#include "cli/worker_host.h"

#include "engine/metered_model.h"
#include "engine/model_limiter.h"
#include "engine/step_runner.h"

namespace docprof::cli {

WorkerHost::WorkerHost(std::shared_ptr<ports::LanguageModel> model, std::unique_ptr<engine::MeteredModel> metered,
                       std::unique_ptr<engine::ConcurrencyLimitedModel> limited,
                       std::unique_ptr<engine::StepRunner> runner, std::unique_ptr<engine::WorkerPool> pool,
                       const engine::EngineSettings& settings)
    : settings_(settings),
      model_(std::move(model)),
      metered_(std::move(metered)),
      limited_(std::move(limited)),
      runner_(std::move(runner)),
      pool_(std::move(pool)) {}

WorkerHost::~WorkerHost() = default;

}  // namespace docprof::cli
