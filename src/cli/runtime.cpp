#include "cli/runtime.h"

#include <filesystem>

#include "adapters/embed/hashing_embedder.h"
#include "adapters/nats/nats_event_queue.h"
#include "cli/lazy_event_queue.h"
#include "adapters/postgres/pg_corpus.h"
#include "adapters/postgres/pg_course_repository.h"
#include "adapters/postgres/pg_dead_letters.h"
#include "adapters/postgres/pg_library.h"
#include "adapters/postgres/pg_migrations.h"
#include "adapters/postgres/pg_pool.h"
#include "adapters/postgres/pg_run_store.h"
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
namespace pg = adapters::postgres;

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

// A connection string with its password (if any) hidden, for messages: "scheme://user:***@host…"
// and "… password=*** …".
std::string redacted(std::string url) {
  const auto key = url.find("password=");
  if (key != std::string::npos) {
    const auto start = key + 9;
    auto end = start;
    if (end < url.size() && url[end] == '\'') {
      end = url.find('\'', end + 1);
      end = end == std::string::npos ? url.size() : end + 1;
    } else {
      while (end < url.size() && url[end] != ' ') ++end;
    }
    url = url.substr(0, start) + "***" + url.substr(end);
  }
  const auto scheme = url.find("://");
  const auto at = url.rfind('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::shared_ptr<pg::PgPool> open_postgres(const config::Config& config) {
  try {
    auto pool = std::make_shared<pg::PgPool>(config.storage_url, static_cast<std::size_t>(config.storage_pool_size));
    pg::pg_migrate(*pool);  // under an advisory lock: processes starting together migrate once
    return pool;
  } catch (const std::exception& e) {
    throw CliError(kExitFailure, "cannot open the PostgreSQL database (storage.url " + redacted(config.storage_url) +
                                     "): " + e.what());
  }
}

}  // namespace

adapters::nats::NatsBusOptions Runtime::bus_options(const std::vector<domain::EventType>& event_types) const {
  adapters::nats::NatsBusOptions options;
  options.url = config_.bus_url;
  options.credentials_file = config_.bus_credentials_file;
  options.ack_wait_ms = domain::saturating_mul(config_.queue_lease_seconds, 1000);
  options.replicas = static_cast<int>(config_.bus_replicas);
  options.event_types = event_types;
  return options;
}

std::unique_ptr<ports::EventQueue> Runtime::open_queue(const std::vector<domain::EventType>& event_types) const {
  if (database_) return std::make_unique<sqlite::SqliteEventQueue>(database_, event_types);
  try {
    return std::make_unique<adapters::nats::NatsEventQueue>(bus_options(event_types));
  } catch (const std::exception& e) {
    throw CliError(kExitFailure, "cannot use the event bus (bus.url " + redacted(config_.bus_url) + "): " + e.what());
  }
}

Runtime::Runtime(config::Config config) : config_(std::move(config)) {
  const auto& analyzer = adapters::embed::default_analyzer();
  if (config::distributed(config_)) {
    pool_ = open_postgres(config_);
    runs_ = std::make_unique<pg::PgRunStore>(pool_);
    dead_letters_ = std::make_unique<pg::PgDeadLetters>(pool_);
    courses_ = std::make_unique<pg::PgCourseRepository>(pool_);
    auto library = std::make_unique<pg::PgLibrary>(pool_, analyzer);
    corpus_ = std::make_unique<pg::PgCorpus>(pool_, *library, analyzer);
    library_ = std::move(library);
  } else {
    database_ = open_database(config_.storage_path);
    runs_ = std::make_unique<sqlite::SqliteRunStore>(database_);
    dead_letters_ = std::make_unique<sqlite::SqliteDeadLetters>(database_);
    courses_ = std::make_unique<sqlite::SqliteCourseRepository>(database_);
    auto library = std::make_unique<sqlite::SqliteLibrary>(database_, analyzer);
    corpus_ = std::make_unique<sqlite::SqliteCorpus>(database_, *library, analyzer);
    library_ = std::move(library);
  }
  // The bus is connected by the first command that publishes, leases or counts: reading commands
  // work while it is down (SQLite's queue is a table of the open database: nothing to defer).
  if (database_) {
    queue_ = open_queue({});
  } else {
    queue_ = std::make_unique<LazyEventQueue>([this] { return open_queue({}); });
  }
  reader_ = std::make_unique<adapters::ingest::FileDocumentReader>();
  embedder_ = make_embedder(config_);
  const auto settings = engine_settings();
  course_service_ =
      std::make_unique<engine::CourseService>(*runs_, *queue_, *dead_letters_, *courses_, clock_, ids_,
                                              settings.workflow);
  library_service_ = std::make_unique<engine::LibraryService>(*library_, *embedder_, clock_);
  course_service_->use_library(*library_service_);
  ingest_service_ = std::make_unique<engine::IngestService>(*reader_, *corpus_, *embedder_, clock_, analyzer);
  ingest_runs_ = std::make_unique<engine::IngestRunService>(*runs_, *queue_, clock_, ids_, config_.ingest_summarizer,
                                                            settings.workflow.state_ttl_ms);
}

std::string Runtime::upload_dir() const {
  if (!config_.ingest_upload_dir.empty()) return config_.ingest_upload_dir;
  return config_.storage_path + ".uploads";
}

void Runtime::connect_bus() {
  if (auto* lazy = dynamic_cast<LazyEventQueue*>(queue_.get())) lazy->open();
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
  s.workflow.summary_part_tokens = static_cast<int>(config_.ingest_summary_part_tokens);
  s.workflow.min_similarity = config_.search_min_similarity.value_or(
      embedder_ ? embedder_->default_min_similarity() : adapters::embed::HashingEmbedder::kDefaultMinSimilarity);
  return s;
}

void Runtime::check_model_spec(const config::Config& config, const std::string& spec) { check_model(config, spec); }

bool Runtime::offline_planner(const config::Config& config, const std::string& spec) {
  return (spec.empty() ? config.llm_provider : spec) == "extractive";
}

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
  // The workers' own queue: restricted to some event types (`worker --events`), and on NATS a
  // connection whose deliveries this process acknowledges.
  std::unique_ptr<ports::EventQueue> queue = open_queue(options.event_types);
  auto runner = std::make_unique<engine::StepRunner>(
      engine::StepPorts{*runs_, *queue, *dead_letters_, *limited, *embedder_, *library_, clock_, ids_, nullptr,
                        corpus_.get(), ingest_service_.get()},
      settings);
  auto pool = std::make_unique<engine::WorkerPool>(*runner, *queue, *runs_, clock_, settings,
                                                   sqlite::make_worker_id(options.role), options.drain,
                                                   options.metrics);
  // A shared broker's consumers cannot be filtered by run: a following process helps with every run.
  if (!options.only_run.empty() && database_) pool->restrict_to_run(options.only_run);
  std::function<void()> detach;
  if (auto* bus = dynamic_cast<adapters::nats::NatsEventQueue*>(queue.get())) {
    engine::WorkerPool* woken = pool.get();
    bus->on_work([woken] { woken->notify_work(); });  // an idle worker leases a new event at once
    detach = [bus] { bus->on_work(nullptr); };
  }
  return std::make_unique<WorkerHost>(std::move(queue), std::move(detach), std::move(model), std::move(metered), std::move(limited),
                                      std::move(runner), std::move(pool), settings);
}

std::string Runtime::migrate(const config::Config& config) {
  int from = 0, to = 0, applied = 0;
  if (config::distributed(config)) {
    pg::PgPool pool(config.storage_url, 1);
    const auto report = pg::pg_migrate(pool);
    from = report.from_version, to = report.to_version, applied = report.applied;
  } else {
    auto database = sqlite::SqliteDatabase::open(config.storage_path);
    const auto report = sqlite::migrate(*database);
    from = report.from_version, to = report.to_version, applied = report.applied;
  }
  return "schema version " + std::to_string(to) + " (" + std::to_string(applied) + " migration(s) applied, was " +
         std::to_string(from) + ")";
}

std::string Runtime::storage_name(const config::Config& config) {
  return config::distributed(config) ? "PostgreSQL " + redacted(config.storage_url) + " + NATS " + redacted(config.bus_url)
                                     : config.storage_path;
}

}  // namespace docprof::cli
