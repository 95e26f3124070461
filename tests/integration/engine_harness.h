// Test support for the engine's integration tests: the embedded runtime wired against a real SQLite
// file in a temp dir (runs, queue, courses and library), a small library of real book summaries
// from examples/library, and model stacks that answer from cassettes the test writes itself.
//
// Nothing here mocks the database or the queue. The only stand-ins are the providers the design
// allows in tests: ReplayModel (cassettes), FaultInjectingModel, and RecordingModel, used to count
// the model calls a test caused (one cassette line per call).
//
// Thread safety: a harness belongs to one test; the ports and stacks it hands out are as
// thread-safe as the product classes behind them.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/embed/stemming_analyzer.h"
#include "adapters/embed/hashing_embedder.h"
#include "adapters/llm/fault_injecting_model.h"
#include "adapters/llm/recording_model.h"
#include "adapters/llm/replay_model.h"
#include "adapters/sqlite/sqlite_course_repository.h"
#include "adapters/sqlite/sqlite_database.h"
#include "adapters/sqlite/sqlite_dead_letters.h"
#include "adapters/sqlite/sqlite_event_queue.h"
#include "adapters/sqlite/sqlite_library.h"
#include "adapters/sqlite/sqlite_run_store.h"
#include "engine/course_service.h"
#include "engine/engine_settings.h"
#include "engine/library_service.h"
#include "engine/model_limiter.h"
#include "engine/step_runner.h"
#include "engine/system_clock.h"
#include "engine/worker_pool.h"
#include "ports/random_source.h"
#include "integration/cassette_writer.h"
#include "integration/temp_dir.h"

namespace docprof::test_support {

// Short backoffs and polls so that retries and pools finish in milliseconds; everything else keeps
// the documented defaults (6 deliveries, 16 steps in flight).
inline engine::EngineSettings fast_engine_settings() {
  engine::EngineSettings s;
  s.backoff_base_ms = 5;
  s.backoff_cap_ms = 50;
  s.poll_ms = 10;
  s.shutdown_grace_ms = 5'000;
  // The hashing embedder's calibrated threshold, as the CLI's Runtime sets it.
  s.workflow.min_similarity = adapters::embed::HashingEmbedder::kDefaultMinSimilarity;
  return s;
}

// ---- cassettes ------------------------------------------------------------------------------

// The answers of a 2-hour corporate valuation course: two parts of 60 minutes whose sections add
// up to the target exactly, so the run needs no review (3 model calls, 9 steps in all).
inline constexpr const char* kPartsAnswer =
    "Course title: Corporate Valuation in Two Hours\n\n"
    "Part 1: Cash Flows and the Cost of Capital - 60 minutes\n"
    "Part 2: DCF Valuation and Cross-Checks with Multiples - 60 minutes\n\n"
    "Total: 120 minutes";
inline constexpr const char* kPart0Answer =
    "## Part 1: Cash Flows and the Cost of Capital\n\n"
    "### Section 1: From Financial Statements to Free Cash Flow - 30 minutes\n"
    "Learning objectives:\n"
    "- Separate operating items from financing items on the balance sheet\n"
    "- Compute NOPAT and invested capital for a real company\n\n"
    "### Section 2: Estimating the Weighted Average Cost of Capital - 30 minutes\n"
    "Learning objectives:\n"
    "- Estimate the cost of equity with the CAPM\n"
    "- Weight debt and equity by a target capital structure\n\n"
    "Total for this part: 60 minutes";
inline constexpr const char* kPart1Answer =
    "## Part 2: DCF Valuation and Cross-Checks with Multiples\n\n"
    "### Section 1: Building the Enterprise DCF - 35 minutes\n"
    "Learning objectives:\n"
    "- Discount forecast free cash flows at the WACC\n"
    "- Bridge from enterprise value to equity value per share\n\n"
    "### Section 2: Triangulating with EV/EBITDA Multiples - 25 minutes\n"
    "Learning objectives:\n"
    "- Choose a peer group of comparable companies\n"
    "- Compare forward EV/EBITDA multiples with the DCF result\n\n"
    "Total for this part: 60 minutes";

inline constexpr const char* kPartsTask = "generate_course_parts";
inline constexpr const char* kPart0Task = "generate_part_sections_0";
inline constexpr const char* kPart1Task = "generate_part_sections_1";
inline constexpr int kStepsPerRun = 9;       // CourseRequested … CourseStored
inline constexpr int kModelCallsPerRun = 3;  // parts, part 1's sections, part 2's sections
inline constexpr int kRowsPerCourse = 6;     // 2 part rows + 4 section rows

inline nlohmann::json answer_line(const std::string& task, const std::string& response,
                                  std::int64_t delay_ms = 0) {
  nlohmann::json line{{"task", task},
                      {"response", response},
                      {"usage", {{"input_tokens", 1000}, {"output_tokens", 100}}}};
  if (delay_ms > 0) line["delay_ms"] = delay_ms;
  return line;
}

inline nlohmann::json error_line(const std::string& task, int status, const std::string& message,
                                 std::optional<std::int64_t> retry_after_ms = std::nullopt) {
  nlohmann::json error{{"status", status}, {"message", message}};
  if (retry_after_ms) error["retry_after_ms"] = *retry_after_ms;
  return nlohmann::json{{"task", task}, {"error", error}};
}

// The three answers of a clean run; `delays` (by task) slows chosen calls down.
inline std::vector<nlohmann::json> valuation_lines(
    const std::map<std::string, std::int64_t>& delays = {}) {
  auto delay = [&](const char* task) {
    auto it = delays.find(task);
    return it == delays.end() ? std::int64_t{0} : it->second;
  };
  return {answer_line(kPartsTask, kPartsAnswer, delay(kPartsTask)),
          answer_line(kPart0Task, kPart0Answer, delay(kPart0Task)),
          answer_line(kPart1Task, kPart1Answer, delay(kPart1Task))};
}

// ---- the embedded stores on one file --------------------------------------------------------

// One connection's worth of adapters on a database file, as one worker process would open it.
struct Stores {
  explicit Stores(const std::string& path)
      : db(adapters::sqlite::SqliteDatabase::open_and_migrate(path)),
        runs(db),
        queue(db),
        dead_letters(db),
        courses(db),
        library(db, adapters::embed::default_analyzer()) {}

  std::shared_ptr<adapters::sqlite::SqliteDatabase> db;
  adapters::sqlite::SqliteRunStore runs;
  adapters::sqlite::SqliteEventQueue queue;
  adapters::sqlite::SqliteDeadLetters dead_letters;
  adapters::sqlite::SqliteCourseRepository courses;
  adapters::sqlite::SqliteLibrary library;

  // Rows of a stored course's sections.
  int course_rows(const std::string& course_id) {
    return db->read([&](adapters::sqlite::Session& session) {
      auto row =
          session.query("SELECT COUNT(*) FROM course_sections WHERE course_id = ?", course_id);
      row.step();
      return row.int32(0);
    });
  }
};

// The books every harness imports: the sample library's valuation shelf.
inline constexpr const char* kValuationBooks[] = {"damodaran-investment-valuation-2e.json",
                                                  "mckinsey-valuation-7e.json",
                                                  "graham-intelligent-investor.json"};

// A book of the sample library (examples/library).
inline std::filesystem::path sample_book(const std::string& file_name) {
  return std::filesystem::path(DOCPROF_SOURCE_DIR) / "examples" / "library" / file_name;
}

// Imports a book's summary_json file through `library` (throws when the import fails).
inline void import_book_file(engine::LibraryService& library, const std::filesystem::path& path) {
  std::ifstream in(path);
  auto imported = library.import_book(nlohmann::json::parse(in));
  if (!imported)
    throw std::runtime_error("import of " + path.string() + " failed: " + imported.error().message);
}

// A model stack as a worker process builds one: replay (the provider) → optional fault injection
// → recording (so the test can count calls by task) → the process-wide concurrency limiter.
class ModelStack {
 public:
  ModelStack(const std::filesystem::path& cassette, const std::filesystem::path& calls_log,
             int max_in_flight, std::optional<adapters::llm::FaultOptions> faults = std::nullopt)
      : calls_log_(calls_log) {
    replay_ = std::make_shared<adapters::llm::ReplayModel>(cassette);
    std::shared_ptr<ports::LanguageModel> inner = replay_;
    if (faults) {
      faults_ = std::make_shared<adapters::llm::FaultInjectingModel>(inner, *faults);
      inner = faults_;
    }
    recording_ = std::make_shared<adapters::llm::RecordingModel>(inner, calls_log_);
    limited_ = std::make_unique<engine::ConcurrencyLimitedModel>(*recording_, max_in_flight);
  }

  ports::LanguageModel& model() { return *limited_; }
  engine::ConcurrencyLimitedModel& limiter() { return *limited_; }
  adapters::llm::FaultInjectingModel* faults() { return faults_.get(); }

  // Model calls made so far (every call is one recorded line), of one task or of all.
  int calls(const std::string& task = "") const {
    std::ifstream in(calls_log_);
    int n = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      if (task.empty() || nlohmann::json::parse(line).value("task", "") == task) ++n;
    }
    return n;
  }

 private:
  std::filesystem::path calls_log_;
  std::shared_ptr<adapters::llm::ReplayModel> replay_;
  std::shared_ptr<adapters::llm::FaultInjectingModel> faults_;
  std::shared_ptr<adapters::llm::RecordingModel> recording_;
  std::unique_ptr<engine::ConcurrencyLimitedModel> limited_;
};

// A RandomSource whose every draw is the top of the window asked for, and which remembers the
// windows: a test can tell which retries were jittered, and over what range. Thread-safe.
class TopOfWindowRandom final : public ports::RandomSource {
 public:
  std::int64_t uniform(std::int64_t low, std::int64_t high) override {
    std::lock_guard lock(mu_);
    windows_.emplace_back(low, high);
    return high;
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> windows() const {
    std::lock_guard lock(mu_);
    return windows_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::pair<std::int64_t, std::int64_t>> windows_;
};

// Polls `done` until it holds or `timeout` passes; returns its last value.
inline bool wait_until(const std::function<bool()>& done,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(10'000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return done();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

// The whole embedded runtime of one test: a fresh database file with the valuation books imported.
class EngineHarness {
 public:
  explicit EngineHarness(engine::EngineSettings engine_settings = fast_engine_settings())
      : settings(engine_settings),
        stores(dir.file("docprof.db")),
        service(stores.runs, stores.queue, stores.dead_letters, stores.courses, clock, ids, settings.workflow),
        library_service(stores.library, embedder, clock) {
    service.use_library(library_service);  // as the composition root does (a revision's material)
    for (const char* book : kValuationBooks) import_book(sample_book(book));
  }

  std::string db_path() const { return dir.file("docprof.db"); }

  void import_book(const std::filesystem::path& path) { import_book_file(library_service, path); }

  // A cassette file in the test's directory.
  std::filesystem::path cassette(const std::vector<nlohmann::json>& lines,
                                 const std::string& name = "cassette") {
    return write_cassette(dir.path() / (name + ".jsonl"), lines);
  }

  std::unique_ptr<ModelStack> model_stack(
      const std::filesystem::path& cassette_path,
      std::optional<adapters::llm::FaultOptions> faults = std::nullopt,
      const std::string& name = "calls") {
    return std::make_unique<ModelStack>(cassette_path, dir.path() / (name + ".jsonl"),
                                        settings.max_model_calls, faults);
  }

  // `random` (may be null: the runner's own generator) draws the jitter of retry delays.
  std::unique_ptr<engine::StepRunner> runner(ports::LanguageModel& model, Stores* on = nullptr,
                                             ports::RandomSource* random = nullptr) {
    Stores& s = on != nullptr ? *on : stores;
    return std::make_unique<engine::StepRunner>(
        engine::StepPorts{s.runs, s.queue, s.dead_letters, model, embedder, s.library, clock, ids, random}, settings);
  }

  std::string request(const std::string& user = "user-1", double hours = 2.0) {
    domain::RawCourseRequest raw;
    raw.query =
        "Corporate valuation: discounted cash flow, cost of capital and valuation multiples";
    raw.hours = hours;
    auto id = service.request_course(user, raw);
    if (!id) throw std::runtime_error("request_course failed: " + id.error().message);
    return id.value();
  }

  // Leases the next deliverable event as `worker` (nullopt when none is ready).
  std::optional<ports::Delivery> lease(const std::string& worker = "test-worker") {
    auto leased = stores.queue.lease(1, worker, clock.now_ms(), settings.lease_ms);
    if (leased.empty()) return std::nullopt;
    return leased.front();
  }

  // Leases the next event, waiting out a delayed retry; nullopt once the queue is idle.
  std::optional<ports::Delivery> lease_waiting(const std::string& worker = "test-worker") {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto delivery = lease(worker)) return delivery;
      if (stores.queue.counts(clock.now_ms()).idle()) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    throw std::runtime_error("no delivery within 10 s while the queue was not idle");
  }

  // Delivers events one at a time (lease → run → commit) until the queue is idle, or until the
  // next event is of type `stop_before` (left queued, not leased). Returns each step's result.
  std::vector<engine::StepResult> deliver_all(
      engine::StepRunner& step_runner,
      std::optional<domain::EventType> stop_before = std::nullopt) {
    std::vector<engine::StepResult> results;
    for (int guard = 0; guard < 200; ++guard) {
      if (stop_before && next_queued_type() == stop_before) return results;
      auto delivery = lease_waiting();
      if (!delivery) return results;
      results.push_back(step_runner.run(*delivery).result);
    }
    throw std::runtime_error("deliver_all: more than 200 steps");
  }

  // The type of the oldest queued event (delayed ones included), if any.
  std::optional<domain::EventType> next_queued_type() {
    return stores.db->read(
        [](adapters::sqlite::Session& session) -> std::optional<domain::EventType> {
          auto row =
              session.query("SELECT type FROM event_queue ORDER BY available_at, id LIMIT 1");
          if (!row.step()) return std::nullopt;
          return domain::parse_event_type(row.text(0)).value();
        });
  }

  std::vector<ports::HistoryEntry> history(const std::string& course_id) {
    return stores.runs.history(course_id, 0);
  }

  int queued_rows() {
    return stores.db->read([](adapters::sqlite::Session& session) {
      auto row = session.query("SELECT COUNT(*) FROM event_queue");
      row.step();
      return row.int32(0);
    });
  }

  int course_rows(const std::string& course_id) { return stores.course_rows(course_id); }

  int stored_courses() {
    return stores.db->read([](adapters::sqlite::Session& session) {
      auto row = session.query("SELECT COUNT(*) FROM courses");
      row.step();
      return row.int32(0);
    });
  }

  // Members in construction order: the directory first, the services after the stores they use.
  TempDir dir;
  engine::EngineSettings settings;
  engine::SystemClock clock;
  engine::UuidSource ids;
  adapters::embed::HashingEmbedder embedder;
  Stores stores;
  engine::CourseService service;
  engine::LibraryService library_service;
};

inline bool has_message(const std::vector<ports::HistoryEntry>& history,
                        const std::string& needle) {
  for (const auto& entry : history) {
    if (entry.message.find(needle) != std::string::npos) return true;
  }
  return false;
}

inline int count_messages(const std::vector<ports::HistoryEntry>& history,
                          const std::string& needle) {
  int n = 0;
  for (const auto& entry : history) {
    if (entry.message.find(needle) != std::string::npos) ++n;
  }
  return n;
}

}  // namespace docprof::test_support
