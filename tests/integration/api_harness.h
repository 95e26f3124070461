// Test support for the HTTP API's integration tests: the embedded runtime of EngineHarness (a real
// SQLite file in a temp dir) with the whole sample library (examples/library) imported, the
// ApiServer listening on an ephemeral loopback port, and — unless a test drives the steps itself —
// a WorkerPool running the offline extractive model. Tokens: "alice-token" (user alice),
// "bob-token" (user bob), "admin-token" (user root, admin) — unless the test brings its own
// Authenticator (ApiHarnessOptions::auth, e.g. JWT sign-in). As `docprof serve` does, the harness
// keeps one Metrics registry: the model is metered, the workers observe their steps, and the server
// serves it (with the queue's counts) at /metrics — unless the test's options name their own.
// With `ingestion`, the harness also ingests books as runs (issue 14): the SQLite corpus, the
// document reader and IngestService in the workers' steps, and an IngestRunService (offline
// summaries) behind the API's /books/ingest routes.
//
// Thread safety: one harness per test; the server and the workers run on their own threads.
#pragma once

#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/embed/stemming_analyzer.h"
#include "adapters/ingest/file_document_reader.h"
#include "adapters/sqlite/sqlite_corpus.h"
#include "adapters/llm/extractive_model.h"
#include "api/auth.h"
#include "api/http_server.h"
#include "engine/ingest_runs.h"
#include "engine/ingest_service.h"
#include "engine/metered_model.h"
#include "engine/metrics.h"
#include "integration/engine_harness.h"

#include <spdlog/spdlog.h>

namespace docprof::test_support {

inline const std::string kAlice = "alice-token";
inline const std::string kBob = "bob-token";
inline const std::string kAdmin = "admin-token";
inline const char* kValuationQuery =
    "Corporate valuation: discounted cash flow, cost of capital and valuation multiples";

struct ApiHarnessOptions {
  bool workers = true;
  api::ApiOptions api;
  ports::RunStore* api_runs = nullptr;  // the run store the API reads, when not the engine's own
  std::optional<api::Authenticator> auth = {};  // unset: the tokens file of alice, bob and root
  bool ingestion = false;
};

inline api::ApiOptions relaxed_api_options() {
  api::ApiOptions o;
  o.rate_per_minute = 0;
  o.max_concurrent_runs = 0;
  o.sse_poll_ms = 20;
  o.sse_heartbeat_ms = 15000;
  return o;
}

class ApiHarness {
 public:
  explicit ApiHarness(ApiHarnessOptions options = {true, relaxed_api_options()})
      : model(engine.stores.library, engine.embedder,
              adapters::llm::ExtractiveOptions{engine.settings.workflow.top_k,
                                               engine.settings.workflow.min_similarity, 64,
                                               &adapters::embed::default_analyzer()}) {
    spdlog::set_level(spdlog::level::warn);
    for (const auto& entry : std::filesystem::directory_iterator(
             std::filesystem::path(DOCPROF_SOURCE_DIR) / "examples" / "library")) {
      if (entry.path().extension() == ".json") engine.import_book(entry.path());
    }
    const std::string tokens = engine.dir.file("tokens.txt");
    for (const auto& [token, user, admin] : std::vector<std::tuple<std::string, std::string, bool>>{
             {kAlice, "alice", false}, {kBob, "bob", false}, {kAdmin, "root", true}}) {
      auto line = api::append_token(tokens, user, admin, token);
      if (!line) throw std::runtime_error(line.error().message);
    }
    auto auth = options.auth ? domain::Result<api::Authenticator>(*options.auth)
                             : api::Authenticator::from_tokens_file(tokens);
    if (!auth) throw std::runtime_error(auth.error().message);
    if (options.ingestion) {
      const auto& analyzer = adapters::embed::default_analyzer();
      corpus = std::make_unique<adapters::sqlite::SqliteCorpus>(engine.stores.db, engine.stores.library, analyzer);
      ingest = std::make_unique<engine::IngestService>(reader, *corpus, engine.embedder, engine.clock, analyzer);
      ingest_runs = std::make_unique<engine::IngestRunService>(engine.stores.runs, engine.stores.queue, engine.clock,
                                                               engine.ids, "extractive",
                                                               engine.settings.workflow.state_ttl_ms);
      runner = std::make_unique<engine::StepRunner>(
          engine::StepPorts{engine.stores.runs, engine.stores.queue, engine.stores.dead_letters, metered,
                            engine.embedder, engine.stores.library, engine.clock, engine.ids, nullptr, corpus.get(),
                            ingest.get()},
          engine.settings);
    } else {
      runner = engine.runner(metered);
    }
    if (options.workers) {
      pool = std::make_unique<engine::WorkerPool>(*runner, engine.stores.queue, engine.stores.runs,
                                                  engine.clock, engine.settings, "api-test", false,
                                                  &metrics);
      pool->start();
    }
    if (options.api.metrics == nullptr) options.api.metrics = &metrics;
    if (options.api.queue == nullptr) options.api.queue = &engine.stores.queue;
    if (options.api.dead_letters == nullptr) options.api.dead_letters = &engine.stores.dead_letters;
    server = std::make_unique<api::ApiServer>(
        api::ApiServices{engine.service,
                         options.api_runs != nullptr ? *options.api_runs : engine.stores.runs,
                         engine.stores.courses,
                         engine.library_service, engine.clock, ingest.get(), ingest_runs.get()},
        std::move(auth).value(), options.api);
    port = server->bind("127.0.0.1", 0);
    thread = std::thread([this] { server->run(); });
    for (int i = 0; i < 200; ++i) {
      if (client().Get("/healthz")) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  ~ApiHarness() {
    server->stop();
    if (thread.joinable()) thread.join();
    if (pool) {
      pool->request_stop();
      pool->wait();
    }
  }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(30, 0);
    return c;
  }

  static httplib::Headers auth(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }

  // POST /courses as `token`; returns the course id (throws unless 202).
  std::string create_course(const std::string& token, const std::string& query = kValuationQuery,
                            double hours = 2) {
    auto res = client().Post("/courses", auth(token),
                             nlohmann::json{{"query", query}, {"hours", hours}}.dump(),
                             "application/json");
    if (!res || res->status != 202) {
      throw std::runtime_error(
          "POST /courses failed: " +
          (res ? std::to_string(res->status) + " " + res->body : "no response"));
    }
    return nlohmann::json::parse(res->body).at("course_id").get<std::string>();
  }

  // Waits for the run to leave `processing`; returns its status.
  std::string wait_finished(const std::string& course_id,
                            std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    std::string status = "processing";
    wait_until(
        [&] {
          auto run = engine.stores.runs.load(course_id);
          if (run) status = std::string(ports::to_string(run->status));
          return status != "processing";
        },
        timeout);
    return status;
  }

  EngineHarness engine;
  adapters::llm::ExtractiveModel model;
  engine::Metrics metrics;
  engine::MeteredModel metered{model, metrics};
  adapters::ingest::FileDocumentReader reader;
  std::unique_ptr<adapters::sqlite::SqliteCorpus> corpus;       // with ingestion only
  std::unique_ptr<engine::IngestService> ingest;                // with ingestion only
  std::unique_ptr<engine::IngestRunService> ingest_runs;        // with ingestion only
  std::unique_ptr<engine::StepRunner> runner;
  std::unique_ptr<engine::WorkerPool> pool;
  std::unique_ptr<api::ApiServer> server;
  int port = 0;
  std::thread thread;
};

// One parsed Server-Sent Event.
struct SseEvent {
  std::optional<std::int64_t> id;
  std::string event;
  nlohmann::json data;
};

// Splits an SSE byte stream into events (comments and `retry:` lines are counted, not returned).
class SseParser {
 public:
  void feed(const char* data, std::size_t size) {
    buffer_.append(data, size);
    for (auto end = buffer_.find("\n\n"); end != std::string::npos; end = buffer_.find("\n\n")) {
      const std::string block = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      SseEvent e;
      bool has_event = false;
      std::size_t start = 0;
      while (start <= block.size()) {
        auto nl = block.find('\n', start);
        if (nl == std::string::npos) nl = block.size();
        const std::string line = block.substr(start, nl - start);
        start = nl + 1;
        if (line.rfind(": ", 0) == 0)
          ++comments;
        else if (line.rfind("id: ", 0) == 0)
          e.id = std::stoll(line.substr(4));
        else if (line.rfind("event: ", 0) == 0) {
          e.event = line.substr(7);
          has_event = true;
        } else if (line.rfind("data: ", 0) == 0)
          e.data = nlohmann::json::parse(line.substr(6));
      }
      if (has_event) events.push_back(std::move(e));
    }
  }
  std::vector<SseEvent> events;
  int comments = 0;

 private:
  std::string buffer_;
};

}  // namespace docprof::test_support
