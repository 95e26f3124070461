// The step engine alone, with instant providers: how many workflow steps and whole courses per
// second one process gets through, and what one StepRunner::run costs (p50/p99), with 1 worker
// thread and with the default 16, on a WAL database at synchronous=NORMAL (the default) and FULL.
//
// Providers are instant so that the figures are the engine's own overhead: a ReplayModel cassette
// with no delays, the hashing embedder, and a library of three real book summaries from
// examples/library imported into a fresh SQLite file. Each iteration requests a batch of courses
// and runs them to completion.
//
//   BM_WorkerPool  the real WorkerPool in drain mode (what `docprof worker --drain` does).
//   BM_StepRunner  the same lease → run → commit loop on T threads, timing each StepRunner::run
//                  with steady_clock: step_p50_us / step_p99_us are percentiles over all steps.
//
// Run: build/bench/engine_bench [--benchmark_filter=…]. Nothing here asserts on time.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "integration/engine_harness.h"

namespace {

using namespace docprof;
using Clock = std::chrono::steady_clock;

constexpr int kCoursesPerIteration = 16;  // enough independent runs to keep 16 threads busy

enum Synchronous : std::int64_t { normal = 1, full = 2 };

// One benchmark's runtime: a fresh database with the books, the instant model and a runner.
struct Bench {
  explicit Bench(int threads, std::int64_t synchronous) : harness(settings_for(threads)) {
    if (synchronous == full) {
      harness.stores.db->unguarded(
          [](adapters::sqlite::Session& s) { s.exec("PRAGMA synchronous=FULL"); });
    }
    replay = std::make_unique<adapters::llm::ReplayModel>(
        harness.cassette(test_support::valuation_lines()));
    limited = std::make_unique<engine::ConcurrencyLimitedModel>(*replay,
                                                                harness.settings.max_model_calls);
    runner = harness.runner(*limited);
  }

  static engine::EngineSettings settings_for(int threads) {
    auto s = test_support::fast_engine_settings();
    s.concurrency = threads;
    s.poll_ms = 2;  // idle threads notice the end of a batch promptly
    return s;
  }

  void request_batch() {
    for (int i = 0; i < kCoursesPerIteration; ++i) harness.request("user-" + std::to_string(i % 4));
  }

  test_support::EngineHarness harness;
  std::unique_ptr<adapters::llm::ReplayModel> replay;
  std::unique_ptr<engine::ConcurrencyLimitedModel> limited;
  std::unique_ptr<engine::StepRunner> runner;
};

double percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0.0;
  const auto rank = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rank),
                   values.end());
  return values[rank];
}

void report(benchmark::State& state, std::int64_t steps, std::int64_t courses, double seconds) {
  state.counters["steps"] = static_cast<double>(steps);
  state.counters["steps_per_s"] = seconds > 0 ? static_cast<double>(steps) / seconds : 0.0;
  state.counters["courses_per_s"] = seconds > 0 ? static_cast<double>(courses) / seconds : 0.0;
}

void BM_WorkerPool(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  Bench bench(threads, state.range(1));
  auto& h = bench.harness;
  std::int64_t steps = 0;
  std::int64_t courses = 0;
  double seconds = 0.0;
  for (auto _ : state) {
    bench.request_batch();
    const auto start = Clock::now();
    engine::WorkerPool pool(*bench.runner, h.stores.queue, h.stores.runs, h.clock, h.settings,
                            "bench", true);
    pool.start();
    const bool finished = pool.wait();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    state.SetIterationTime(elapsed);
    if (!finished || pool.stats().steps != kCoursesPerIteration * test_support::kStepsPerRun) {
      state.SkipWithError("the batch did not complete");
      break;
    }
    seconds += elapsed;
    steps += pool.stats().steps;
    courses += kCoursesPerIteration;
  }
  report(state, steps, courses, seconds);
}

void BM_StepRunner(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  Bench bench(threads, state.range(1));
  auto& h = bench.harness;
  std::vector<double> step_us;
  std::mutex step_mu;
  std::int64_t steps = 0;
  std::int64_t courses = 0;
  double seconds = 0.0;
  for (auto _ : state) {
    bench.request_batch();
    std::atomic<std::int64_t> applied{0};
    const auto start = Clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        const std::string worker = "bench-" + std::to_string(t);
        std::vector<double> mine;
        for (;;) {
          auto leased = h.stores.queue.lease(1, worker, h.clock.now_ms(), h.settings.lease_ms);
          if (leased.empty()) {
            // Leased rows count as busy, so idle means every run of the batch has finished.
            if (h.stores.queue.counts(h.clock.now_ms()).idle()) break;
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            continue;
          }
          const auto t0 = Clock::now();
          const auto result = bench.runner->run(leased.front()).result;
          mine.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
          if (result == engine::StepResult::applied) ++applied;
        }
        std::lock_guard lock(step_mu);
        step_us.insert(step_us.end(), mine.begin(), mine.end());
      });
    }
    for (auto& w : workers) w.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    state.SetIterationTime(elapsed);
    if (applied.load() != kCoursesPerIteration * test_support::kStepsPerRun) {
      state.SkipWithError("the batch did not complete");
      break;
    }
    seconds += elapsed;
    steps += applied.load();
    courses += kCoursesPerIteration;
  }
  report(state, steps, courses, seconds);
  state.counters["step_p50_us"] = percentile(step_us, 0.50);
  state.counters["step_p99_us"] = percentile(step_us, 0.99);
}

void engine_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"threads", "sync"});  // sync: 1 = NORMAL (default), 2 = FULL
  for (std::int64_t sync : {normal, full}) {
    for (std::int64_t threads : {1, 16}) b->Args({threads, sync});
  }
  b->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(1.0);
}

BENCHMARK(BM_WorkerPool)->Apply(engine_args);
BENCHMARK(BM_StepRunner)->Apply(engine_args);

}  // namespace

BENCHMARK_MAIN();
