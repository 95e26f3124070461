#include "cli/runtime.h"

#include <filesystem>

#include "adapters/embed/hashing_embedder.h"
#include "adapters/embed/stemming_analyzer.h"
#include "adapters/ingest/file_document_reader.h"
#include "adapters/sqlite/migrations.h"
#include "adapters/sqlite/process_liveness.h"
#include "adapters/sqlite/sqlite_corpus.h"
#include "adapters/sqlite/sqlite_course_repository.h"
#include "adapters/sqlite/sqlite_database.h"
#include "adapters/sqlite/sqlite_dead_letters.h"
#include "adapters/sqlite/sqlite_event_queue.h"
#include "adapters/sqlite/sqlite_library.h"
#include "adapters/sqlite/sqlite_run_store.h"
#include "cli/cli_error.h"
#include "cli/provider_registry.h"
#include "domain/saturating.h"
#include "engine/metered_model.h"
#include "engine/model_limiter.h"
#include "engine/step_runner.h"

namespace docprof::cli {

namespace sqlite = adapters::sqlite;

namespace {

std::shared_ptr<sqlite::SqliteDatabase> open_database(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent)) {
    throw bad_input("the database folder does not exist: " + parent.string());
  }
  try {
    return sqlite::SqliteDatabase::open_and_migrate(path);
  } catch (const std::exception& e) {
    throw CliError(kExitFailure, "cannot open the database " + path + ": " + e.what());
  }
}

}  // namespace

Runtime::Runtime(config::Config config) : config_(std::move(config)) {
  database_ = open_database(config_.storage_path);
  runs_ = std::make_unique<sqlite::SqliteRunStore>(database_);
  queue_ = std::make_unique<sqlite::SqliteEventQueue>(database_);
  dead_letters_ = std::make_unique<sqlite::SqliteDeadLetters>(database_);
  courses_ = std::make_unique<sqlite::SqliteCourseRepository>(database_);
  auto library = std::make_unique<sqlite::SqliteLibrary>(database_, adapters::embed::default_analyzer());
  corpus_ = std::make_unique<sqlite::SqliteCorpus>(database_, *library, adapters::embed::default_analyzer());
  library_ = std::move(library);
  reader_ = std::make_unique<adapters::ingest::FileDocumentReader>();
  embedder_ = make_embedder(config_);
  const auto settings = engine_settings();
  course_service_ =
      std::make_unique<engine::CourseService>(*runs_, *queue_, *dead_letters_, *courses_, clock_, ids_,
                                              settings.workflow);
  library_service_ = std::make_unique<engine::LibraryService>(*library_, *embedder_, clock_);
  ingest_service_ = std::make_unique<engine::IngestService>(*reader_, *corpus_, *embedder_, clock_,
                                                            adapters::embed::default_analyzer());
}

Runtime::~Runtime() = default;

engine::EngineSettings Runtime::engine_settings() const {
  engine::EngineSettings s;
  s.lease_ms = domain::saturating_mul(config_.queue_lease_seconds, 1000);
  s.max_deliveries = static_cast<int>(config_.queue_max_deliveries);
  s.backoff_base_ms = config_.queue_backoff_base_ms;
  s.backoff_cap_ms = config_.queue_backoff_cap_ms;
  s.max_retry_after_ms = config_.queue_max_retry_after_ms;
  s.concurrency = static_cast<int>(config_.worker_concurrency);
  s.max_model_calls = static_cast<int>(config_.worker_max_model_calls);
  s.poll_ms = config_.worker_poll_ms;
  s.shutdown_grace_ms = domain::saturating_mul(config_.worker_shutdown_grace_seconds, 1000);
  s.janitor_interval_ms = domain::saturating_mul(config_.worker_janitor_interval_seconds, 1000);
  s.workflow.max_repairs = static_cast<int>(config_.workflow_max_repairs);
  s.workflow.state_ttl_ms = domain::saturating_millis_from_seconds(config_.workflow_state_ttl_days * 24 * 3600);
  s.workflow.context_budget_tokens = static_cast<int>(config_.workflow_context_budget_tokens);
  s.workflow.top_k = static_cast<int>(config_.search_top_k);
  s.workflow.min_similarity = config_.search_min_similarity.value_or(
      embedder_ ? embedder_->default_min_similarity() : adapters::embed::HashingEmbedder::kDefaultMinSimilarity);
  return s;
}

void Runtime::check_model_spec(const config::Config& config, const std::string& spec) { check_model(config, spec); }

std::unique_ptr<WorkerHost> Runtime::start_workers(const WorkerOptions& options) {
  auto settings = engine_settings();
  if (options.concurrency > 0) settings.concurrency = options.concurrency;
  auto model = make_model(config_, options.llm,
                          ModelSources{library_.get(), embedder_.get(), settings.workflow.top_k,
                                       settings.workflow.min_similarity},
                          options.record);
  std::unique_ptr<engine::MeteredModel> metered;
  if (options.metrics != nullptr) metered = std::make_unique<engine::MeteredModel>(*model, *options.metrics);
  auto limited = std::make_unique<engine::ConcurrencyLimitedModel>(
      metered ? static_cast<ports::LanguageModel&>(*metered) : *model, settings.max_model_calls);
  auto runner = std::make_unique<engine::StepRunner>(
      engine::StepPorts{*runs_, *queue_, *dead_letters_, *limited, *embedder_, *library_, clock_, ids_, nullptr,
                        corpus_.get()},
      settings);
  auto pool = std::make_unique<engine::WorkerPool>(*runner, *queue_, *runs_, clock_, settings,
                                                   sqlite::make_worker_id(options.role), options.drain,
                                                   options.metrics);
  if (!options.only_run.empty()) pool->restrict_to_run(options.only_run);
  return std::make_unique<WorkerHost>(std::move(model), std::move(metered), std::move(limited), std::move(runner),
                                      std::move(pool), settings);
}

std::string Runtime::migrate(const std::string& path) {
  auto database = sqlite::SqliteDatabase::open(path);
  const auto report = sqlite::migrate(*database);
  return "schema version " + std::to_string(report.to_version) + " (" + std::to_string(report.applied) +
         " migration(s) applied, was " + std::to_string(report.from_version) + ")";
}

}  // namespace docprof::cli
