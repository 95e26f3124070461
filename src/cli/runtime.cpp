#include "cli/runtime.h"

#include <filesystem>
#include <sstream>

#include "adapters/embed/hashing_embedder.h"
#include "adapters/embed/stemming_analyzer.h"
#include "adapters/llm/extractive_model.h"
#include "adapters/llm/fault_injecting_model.h"
#include "adapters/llm/recording_model.h"
#include "adapters/llm/replay_model.h"
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
#include "cli/provider_factory.h"
#include "domain/saturating.h"

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

adapters::llm::FaultMix fault_mix(const std::string& kinds) {
  adapters::llm::FaultMix mix{0, 0, 0, 0};
  std::stringstream in(kinds);
  std::string kind;
  while (std::getline(in, kind, ',')) {
    if (kind == "rate_limited") mix.rate_limited = 1;
    else if (kind == "server_error") mix.server_error = 1;
    else if (kind == "timeout") mix.timeout = 1;
    else if (kind == "garbage") mix.garbage = 1;
    else if (!kind.empty()) throw bad_input("llm.fault_kinds: unknown fault kind '" + kind + "'");
  }
  return mix;
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

void Runtime::check_model_spec(const config::Config& config, const std::string& requested) {
  const std::string spec = requested.empty() ? config.llm_provider : requested;
  if (spec.rfind("replay:", 0) == 0) {
    const std::string path = spec.substr(7);
    if (path.empty()) throw bad_input("--llm replay: needs a cassette path (replay:PATH)");
    if (!std::filesystem::exists(path)) throw bad_input("cassette not found: " + path);
    try {
      adapters::llm::ReplayModel check(path);
    } catch (const std::exception& e) {
      throw bad_input(e.what());
    }
  } else if (is_remote_model(spec)) {
    check_remote_model(config, spec);  // throws the specific error
  } else if (spec != "extractive") {
    throw bad_input("unknown --llm '" + spec + "' (expected extractive, replay:PATH, openai or bedrock)");
  }
  if (config.llm_fault_rate > 0) fault_mix(config.llm_fault_kinds);
}

std::shared_ptr<ports::LanguageModel> Runtime::make_model(const std::string& requested, const std::string& record) {
  const std::string spec = requested.empty() ? config_.llm_provider : requested;
  std::shared_ptr<ports::LanguageModel> model;
  if (spec.rfind("replay:", 0) == 0) {
    const std::string path = spec.substr(7);
    if (path.empty()) throw bad_input("--llm replay: needs a cassette path (replay:PATH)");
    if (!std::filesystem::exists(path)) throw bad_input("cassette not found: " + path);
    try {
      model = std::make_shared<adapters::llm::ReplayModel>(path);
    } catch (const std::exception& e) {
      throw bad_input(e.what());
    }
  } else if (is_remote_model(spec)) {
    model = make_remote_model(config_, spec);
  } else if (spec == "extractive") {
    const auto settings = engine_settings();
    model = std::make_shared<adapters::llm::ExtractiveModel>(
        *library_, *embedder_, adapters::llm::ExtractiveOptions{settings.workflow.top_k, settings.workflow.min_similarity, 64,
                                          &adapters::embed::default_analyzer()});
  } else {
    check_model_spec(config_, spec);  // throws the specific error
  }
  if (config_.llm_fault_rate > 0) {
    adapters::llm::FaultOptions options;
    options.rate = config_.llm_fault_rate;
    options.seed = static_cast<std::uint64_t>(config_.llm_fault_seed);
    options.mix = fault_mix(config_.llm_fault_kinds);
    model = std::make_shared<adapters::llm::FaultInjectingModel>(model, options);
  }
  const std::string cassette = record.empty() ? config_.llm_record : record;
  if (!cassette.empty()) {
    try {
      model = std::make_shared<adapters::llm::RecordingModel>(model, cassette);
    } catch (const std::exception& e) {
      throw bad_input(e.what());
    }
  }
  return model;
}

std::string Runtime::worker_id(const std::string& suffix) { return sqlite::make_worker_id(suffix); }

std::string Runtime::migrate(const std::string& path) {
  auto database = sqlite::SqliteDatabase::open(path);
  const auto report = sqlite::migrate(*database);
  return "schema version " + std::to_string(report.to_version) + " (" + std::to_string(report.applied) +
         " migration(s) applied, was " + std::to_string(report.from_version) + ")";
}

}  // namespace docprof::cli
