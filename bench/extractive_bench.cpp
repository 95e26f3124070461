// How long the extractive planner takes to write a whole course (parts, every part's sections, and
// the review) from a 1,000-book library in a real SQLite file, through the model port and the
// domain parsers, as the workflow would call it.
//
// The library: the 18 sample books (examples/library) varied into 1,000 — each copy with its own
// title and author (so its own book id) and its chapters shuffled by a seeded generator —
// imported with the hashing embedder into a temporary database (removed at exit).
//
// Benchmarks:
//   Course/cold      a new model per course: one library search and the scoring of the found
//                    books' chapters, then the plan at every step (one process running a course).
//   Course/uncached  no material cache: every step searches the library again (each step in a
//                    different worker process).
//   Course/warm      the model's cache already holds the request's material.
//   LibrarySearch    one brute-force search of the 1,000-book library, for reference.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "adapters/embed/hashing_embedder.h"
#include "adapters/embed/stemming_analyzer.h"
#include "adapters/llm/extractive_model.h"
#include "adapters/sqlite/sqlite_database.h"
#include "adapters/sqlite/sqlite_library.h"
#include "domain/outline_parser.h"
#include "domain/prompts.h"
#include "domain/time_rule.h"
#include "engine/library_service.h"

namespace {

using namespace docprof;

constexpr int kBooks = 1000;
constexpr double kHours = 6.0;

const std::vector<std::string>& requests() {
  static const std::vector<std::string> all{
      "I want to learn how to value a company",   "teach me C programming",
      "evolution by natural selection and genes", "the history of human societies",
      "estimating the cost of capital",           "understanding randomness and probability"};
  return all;
}

class FixedClock final : public ports::Clock {
 public:
  std::int64_t now_ms() override { return 1'800'000'000'000; }
};

// The 1,000-book library, built once per process.
struct Library {
  std::filesystem::path dir;
  std::shared_ptr<adapters::sqlite::SqliteDatabase> database;
  std::unique_ptr<adapters::sqlite::SqliteLibrary> library;
  adapters::embed::HashingEmbedder embedder;
  FixedClock clock;
  std::unique_ptr<engine::LibraryService> service;

  Library() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/docprof-bench-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (mkdtemp(buffer.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir = buffer.data();
    database = adapters::sqlite::SqliteDatabase::open_and_migrate((dir / "library.db").string());
    library = std::make_unique<adapters::sqlite::SqliteLibrary>(database, adapters::embed::default_analyzer());
    service = std::make_unique<engine::LibraryService>(*library, embedder, clock);

    std::vector<nlohmann::json> samples;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(
             std::filesystem::path(DOCPROF_SOURCE_DIR) / "examples/library")) {
      if (entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      std::ifstream in(file);
      samples.push_back(nlohmann::json::parse(in));
    }
    if (samples.empty()) throw std::runtime_error("no sample books found");

    std::mt19937 shuffle(20261128);
    for (int i = 0; i < kBooks; ++i) {
      nlohmann::json book = samples[static_cast<std::size_t>(i) % samples.size()];
      if (i >= static_cast<int>(samples.size())) {
        book["source_title"] =
            book["source_title"].get<std::string>() + " (variant " + std::to_string(i) + ")";
        book["author"] = book["author"].get<std::string>() + " and editors " + std::to_string(i);
        auto& chapters = book["chapters"];
        std::shuffle(chapters.begin(), chapters.end(), shuffle);
        for (std::size_t c = 0; c < chapters.size(); ++c) chapters[c]["chapter_number"] = c + 1;
      }
      auto imported = service->import_book(book);
      if (!imported) throw std::runtime_error(imported.error().message);
    }
  }
  ~Library() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }

  adapters::llm::ExtractiveOptions options(std::size_t cache) const {
    return adapters::llm::ExtractiveOptions{10, embedder.default_min_similarity(), cache,
                                            &adapters::embed::default_analyzer()};
  }
};

Library& library() {
  static Library instance;
  return instance;
}

// The run state a course starts from: what the workflow's own search found for the request.
domain::RunState start_state(const std::string& query) {
  domain::RunState state;
  state.course_id = "bench";
  state.query = query;
  state.hours = kHours;
  auto found = library().service->search(query, 10, library().embedder.default_min_similarity());
  if (!found) throw std::runtime_error(found.error().message);
  state.books = found.value();
  return state;
}

std::string ask(ports::LanguageModel& model, const domain::Result<domain::LlmRequest>& request) {
  if (!request) throw std::runtime_error(request.error().message);
  auto result = model.complete(request.value(), ports::CallContext{"bench"});
  if (const auto* error = std::get_if<ports::ProviderError>(&result))
    throw std::runtime_error(error->message);
  return std::get<domain::ModelOutcome>(result).text;
}

// A whole course through the model: parts, every part, and the review; returns its total minutes.
int write_course(ports::LanguageModel& model, domain::RunState state) {
  const domain::PromptSettings settings;
  auto parts = domain::parse_parts(ask(model, domain::generate_parts_request(state, settings)));
  if (!parts) throw std::runtime_error(parts.error().message);
  state.parts = parts->parts;
  for (std::size_t i = 0; i < state.parts.size(); ++i) {
    auto sections = domain::parse_sections(
        ask(model, domain::expand_part_request(state, static_cast<int>(i), settings)));
    if (!sections) throw std::runtime_error(sections.error().message);
    state.outline.parts.push_back(
        {state.parts[i].title, state.parts[i].minutes, sections->sections});
  }
  auto reviewed =
      domain::parse_outline(ask(model, domain::review_outline_request(state, settings)));
  if (!reviewed) throw std::runtime_error(reviewed.error().message);
  if (reviewed->total_minutes() != domain::target_minutes(kHours))
    throw std::runtime_error("total is off");
  return reviewed->total_minutes();
}

std::vector<domain::RunState> start_states() {
  std::vector<domain::RunState> states;
  for (const auto& query : requests()) states.push_back(start_state(query));
  return states;
}

void Course(benchmark::State& bench, std::size_t cache, bool fresh_model) {
  const auto states = start_states();
  adapters::llm::ExtractiveModel shared(*library().library, library().embedder,
                                        library().options(cache));
  if (!fresh_model) {
    for (const auto& state : states) write_course(shared, state);  // warm the cache
  }
  std::size_t next = 0;
  for (auto _ : bench) {
    const auto& state = states[next++ % states.size()];
    if (fresh_model) {
      adapters::llm::ExtractiveModel model(*library().library, library().embedder,
                                           library().options(cache));
      benchmark::DoNotOptimize(write_course(model, state));
    } else {
      benchmark::DoNotOptimize(write_course(shared, state));
    }
  }
  bench.counters["books"] = kBooks;
}

void CourseCold(benchmark::State& bench) {
  Course(bench, 64, true);
}
void CourseUncached(benchmark::State& bench) {
  Course(bench, 0, true);
}
void CourseWarm(benchmark::State& bench) {
  Course(bench, 64, false);
}

void LibrarySearch(benchmark::State& bench) {
  const auto query = library().embedder.embed_text(requests().front());
  for (auto _ : bench) {
    benchmark::DoNotOptimize(library().library->search(ports::LibrarySearch{
        requests().front(), query, library().embedder.model(), 10, library().embedder.default_min_similarity()}));
  }
}

BENCHMARK(CourseCold)->Name("Course/cold")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(CourseUncached)->Name("Course/uncached")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(CourseWarm)->Name("Course/warm")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(LibrarySearch)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
