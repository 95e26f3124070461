// Runtime: the composition root — the one place that builds a deployment from configuration: the
// stores and the queue — embedded (one SQLite file holding runs, queue, library, corpus and
// courses) or distributed (storage.backend = postgres: runs, dead letters, courses, library and
// corpus in PostgreSQL; bus.backend = nats: events on NATS JetStream) — the providers
// (provider_registry.h), the engine's services and, for the commands that run steps (`course
// create`/`retry`, `worker`, `serve`), the step workers (worker_host.h). Each CLI command builds
// one and uses what it needs.
//
// Thread safety: the services and ports it hands out are safe for concurrent use.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/worker_host.h"
#include "config/config.h"
#include "engine/course_service.h"
#include "engine/engine_settings.h"
#include "engine/ingest_runs.h"
#include "engine/ingest_service.h"
#include "engine/library_service.h"
#include "engine/system_clock.h"
#include "ports/course_repository.h"
#include "ports/embedder.h"
#include "ports/dead_letters.h"
#include "ports/event_queue.h"
#include "ports/language_model.h"
#include "ports/corpus.h"
#include "ports/document_reader.h"
#include "ports/library.h"
#include "ports/run_store.h"

namespace docprof::adapters::sqlite {
class SqliteDatabase;
}
namespace docprof::adapters::postgres {
class PgPool;
}
namespace docprof::adapters::nats {
struct NatsBusOptions;
}

namespace docprof::cli {

class Runtime {
 public:
  // Opens (creating and migrating) the database of config.storage_path, or the PostgreSQL database
  // and the NATS bus of a distributed deployment. Throws CliError.
  explicit Runtime(config::Config config);
  ~Runtime();

  const config::Config& config() const { return config_; }
  engine::EngineSettings engine_settings() const;

  ports::RunStore& runs() { return *runs_; }
  ports::EventQueue& queue() { return *queue_; }
  // Connects the event bus now (it is otherwise connected on first use): commands that will
  // publish call it before writing anything, so an unreachable bus fails them cleanly (exit 1)
  // rather than after their request was saved. A no-op on the embedded deployment.
  void connect_bus();
  ports::DeadLetters& dead_letters() { return *dead_letters_; }
  ports::CourseRepository& courses() { return *courses_; }
  ports::Library& library() { return *library_; }
  ports::Embedder& embedder() { return *embedder_; }
  ports::Clock& clock() { return clock_; }
  ports::IdSource& ids() { return ids_; }
  engine::CourseService& course_service() { return *course_service_; }
  engine::LibraryService& library_service() { return *library_service_; }
  // The corpus of ingested books (in the deployment's database, beside its library) and the
  // service that ingests documents into it; ingest_service_or_null() is the same service for the
  // HTTP server, whose routes take it by pointer.
  ports::Corpus& corpus() { return *corpus_; }
  engine::IngestService& ingest_service() { return *ingest_service_; }
  engine::IngestService* ingest_service_or_null() { return ingest_service_.get(); }
  // Ingestion runs (issue 14) with the configured summarizer (ingest.summarizer); a command given
  // --llm builds its own IngestRunService over runs()/queue() with that spec instead.
  engine::IngestRunService& ingest_runs() { return *ingest_runs_; }
  // Where uploads wait for their ingestion run: ingest.upload_dir, else <storage.path>.uploads.
  std::string upload_dir() const;

  // The step workers of this process (worker_host.h): the model of options.llm, a runner over this
  // deployment's ports, and the pool, not yet started. Throws CliError (exit 2) for a bad spec.
  std::unique_ptr<WorkerHost> start_workers(const WorkerOptions& options);

  // Checks an --llm spec without opening the database (a replay cassette must exist and parse), so
  // that bad input is refused before anything is written. Throws CliError (exit 2).
  static void check_model_spec(const config::Config& config, const std::string& spec);
  // True when an --llm spec (empty: llm.provider) is the offline planner (`extractive`), whose
  // revisions are checked when requested (CourseService::request_revision).
  static bool offline_planner(const config::Config& config, const std::string& spec);

  static std::string migrate(const config::Config& config);  // returns a report line
  // What the deployment's data is, for messages: the SQLite path, or the PostgreSQL and NATS URLs
  // without passwords.
  static std::string storage_name(const config::Config& config);

 private:
  adapters::nats::NatsBusOptions bus_options(const std::vector<domain::EventType>& event_types) const;
  std::unique_ptr<ports::EventQueue> open_queue(const std::vector<domain::EventType>& event_types) const;

  config::Config config_;
  std::shared_ptr<adapters::sqlite::SqliteDatabase> database_;  // embedded mode
  std::shared_ptr<adapters::postgres::PgPool> pool_;            // distributed mode
  std::unique_ptr<ports::RunStore> runs_;
  std::unique_ptr<ports::EventQueue> queue_;
  std::unique_ptr<ports::DeadLetters> dead_letters_;
  std::unique_ptr<ports::CourseRepository> courses_;
  std::unique_ptr<ports::Library> library_;
  std::unique_ptr<ports::Corpus> corpus_;  // over library_ (declared after it: destroyed first)
  std::unique_ptr<ports::DocumentReader> reader_;
  std::shared_ptr<ports::Embedder> embedder_;
  engine::SystemClock clock_;
  engine::UuidSource ids_;
  std::unique_ptr<engine::CourseService> course_service_;
  std::unique_ptr<engine::LibraryService> library_service_;
  std::unique_ptr<engine::IngestService> ingest_service_;
  std::unique_ptr<engine::IngestRunService> ingest_runs_;
};

}  // namespace docprof::cli
