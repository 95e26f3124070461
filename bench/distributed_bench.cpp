// The engine on its two deployments, side by side: embedded (one SQLite file, its queue) and
// distributed (PostgreSQL stores, NATS JetStream bus), with 1, 2 and 4 workers. Each worker is built
// as a worker process builds its own — its own database connections (pool), its own bus connection
// and consumers, its own StepRunner — so the figures include every round trip a real deployment
// makes; they share this machine's 2 cores with PostgreSQL and nats-server (started here, throwaway,
// on loopback: tests/support).
//
//   BM_Throughput  W workers, each a WorkerPool of 16 step threads (DOCPROF_BENCH_CONCURRENCY sets
//                  another number), drain a batch of 48 courses
//                  with an instant model (ReplayModel, no delays): steps/s and courses/s
//                  (a course is 9 steps here; 12step_courses_per_s counts the same steps in the
//                  twelve-step courses of issue 12's target), and cpu_us_per_step: the CPU the
//                  whole machine spent per step (workers, PostgreSQL and nats-server together).
//   BM_StepOverhead W workers, each one thread leasing one event at a time and timing
//                  StepRunner::run (load, decide, commit, publish, ack): step_p50_us/step_p99_us.
//   BM_CourseLatency one worker, one course at a time, every model call taking 500 ms: the time
//                  from the request to the stored course (3 sequential model calls here:
//                  the parts and each of the two parts' sections; ≈ 1.5 s plus the engine).
//
// Run: build/bench/distributed_bench [--benchmark_filter=…]. Nothing here asserts on time.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <unistd.h>

#include "adapters/nats/nats_event_queue.h"
#include "adapters/postgres/pg_course_repository.h"
#include "adapters/postgres/pg_dead_letters.h"
#include "adapters/postgres/pg_library.h"
#include "adapters/postgres/pg_migrations.h"
#include "adapters/postgres/pg_pool.h"
#include "adapters/postgres/pg_run_store.h"
#include "integration/engine_harness.h"
#include "support/nats_server.h"
#include "support/postgres_server.h"

namespace {

using namespace docprof;
using Clock = std::chrono::steady_clock;

enum Backend : std::int64_t { embedded = 0, distributed = 1 };
// Courses per batch; DOCPROF_BENCH_COURSES sets another (more: a longer window, e.g. for a profiler).
const int kCourses = [] {
  const char* set = std::getenv("DOCPROF_BENCH_COURSES");
  const int n = set != nullptr ? std::atoi(set) : 0;
  return n > 0 ? n : 48;
}();

// The ports of one worker process.
struct WorkerPorts {
  std::unique_ptr<ports::RunStore> runs;
  std::unique_ptr<ports::EventQueue> queue;
  std::unique_ptr<ports::DeadLetters> dead_letters;
  std::unique_ptr<ports::CourseRepository> courses;
  std::unique_ptr<ports::Library> library;
};

// One deployment: the shared data (a SQLite file, or a PostgreSQL schema and a NATS stream), and a
// way to open one worker's ports on it.
class Deployment {
 public:
  explicit Deployment(Backend backend) : backend_(backend) {
    if (backend_ == distributed) {
      url_ = test_support::PostgresServer::shared().fresh_schema_url();
      const auto names = test_support::NatsServer::fresh_names();
      bus_.url = test_support::NatsServer::shared().url();
      bus_.stream = names.stream;
      bus_.subject_prefix = names.subject_prefix;
      bus_.ack_wait_ms = 60'000;
      auto pool = std::make_shared<adapters::postgres::PgPool>(url_, 2);
      adapters::postgres::pg_migrate(*pool);
    }
    main_ = open();
    service_ = std::make_unique<engine::CourseService>(*main_.runs, *main_.queue, *main_.dead_letters, *main_.courses,
                                                       clock, ids, settings.workflow);
    library_service_ = std::make_unique<engine::LibraryService>(*main_.library, embedder, clock);
    for (const char* book : test_support::kValuationBooks) {
      test_support::import_book_file(*library_service_, test_support::sample_book(book));
    }
  }

  WorkerPorts open() {
    WorkerPorts p;
    const auto& analyzer = adapters::embed::default_analyzer();
    if (backend_ == embedded) {
      auto db = adapters::sqlite::SqliteDatabase::open_and_migrate(dir_.file("docprof.db"));
      p.runs = std::make_unique<adapters::sqlite::SqliteRunStore>(db);
      p.queue = std::make_unique<adapters::sqlite::SqliteEventQueue>(db);
      p.dead_letters = std::make_unique<adapters::sqlite::SqliteDeadLetters>(db);
      p.courses = std::make_unique<adapters::sqlite::SqliteCourseRepository>(db);
      p.library = std::make_unique<adapters::sqlite::SqliteLibrary>(db, analyzer);
    } else {
      auto pool = std::make_shared<adapters::postgres::PgPool>(url_, 8);
      p.runs = std::make_unique<adapters::postgres::PgRunStore>(pool);
      p.queue = std::make_unique<adapters::nats::NatsEventQueue>(bus_);
      p.dead_letters = std::make_unique<adapters::postgres::PgDeadLetters>(pool);
      p.courses = std::make_unique<adapters::postgres::PgCourseRepository>(pool);
      p.library = std::make_unique<adapters::postgres::PgLibrary>(pool, analyzer);
    }
    return p;
  }

  std::unique_ptr<engine::StepRunner> runner(WorkerPorts& p, ports::LanguageModel& model) {
    return std::make_unique<engine::StepRunner>(
        engine::StepPorts{*p.runs, *p.queue, *p.dead_letters, model, embedder, *p.library, clock, ids}, settings);
  }

  std::vector<std::string> request(int courses) {
    std::vector<std::string> ids_out;
    for (int i = 0; i < courses; ++i) {
      domain::RawCourseRequest raw;
      raw.query = "Corporate valuation: discounted cash flow, cost of capital and valuation multiples";
      raw.hours = 2.0;
      auto id = service_->request_course("user-" + std::to_string(i % 8), raw);
      if (!id) throw std::runtime_error(id.error().message);
      ids_out.push_back(id.value());
    }
    return ids_out;
  }

  // Whether every run of `course_ids` is complete. `checked` (0 at first) counts the runs found
  // complete by earlier calls, which are not read again: one read per call, not one per run.
  // (BM_Throughput watches the pools' counts instead while it times, and checks this after.)
  bool all_complete(const std::vector<std::string>& course_ids, std::size_t& checked) {
    while (checked < course_ids.size()) {
      const auto run = main_.runs->load(course_ids[checked]);
      if (!run || run->status != ports::RunStatus::complete) return false;
      ++checked;
    }
    return true;
  }

  std::filesystem::path cassette(const std::vector<nlohmann::json>& lines) {
    return test_support::write_cassette(dir_.path() / "bench.jsonl", lines);
  }

  engine::EngineSettings settings = [] {
    auto s = test_support::fast_engine_settings();
    s.poll_ms = 2;
    s.lease_ms = 60'000;
    if (const char* set = std::getenv("DOCPROF_BENCH_CONCURRENCY"); set != nullptr && std::atoi(set) > 0)
      s.concurrency = std::atoi(set);
    return s;
  }();
  engine::SystemClock clock;
  engine::UuidSource ids;
  adapters::embed::HashingEmbedder embedder;

 private:
  Backend backend_;
  test_support::TempDir dir_{"docprof-bench"};
  std::string url_;
  adapters::nats::NatsBusOptions bus_;
  WorkerPorts main_;
  std::unique_ptr<engine::CourseService> service_;
  std::unique_ptr<engine::LibraryService> library_service_;
};

// W workers' ports and runners over one deployment, each as its own process would open them.
struct Workers {
  Workers(Deployment& deployment, ports::LanguageModel& model, int count) {
    for (int w = 0; w < count; ++w) {
      ports.push_back(deployment.open());
      runners.push_back(deployment.runner(ports.back(), model));
    }
  }
  std::vector<WorkerPorts> ports;
  std::vector<std::unique_ptr<engine::StepRunner>> runners;
};

// CPU seconds the whole machine has spent (every process: the workers, PostgreSQL, nats-server),
// from /proc/stat: with the cores saturated, throughput is cores / CPU per step, and CPU per step
// varies far less from run to run than throughput does on a shared VM.
double machine_cpu_seconds() {
  std::ifstream stat("/proc/stat");
  std::string cpu;
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  stat >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  return (user + nice + system + irq + softirq) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0.0;
  const auto rank = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rank), values.end());
  return values[rank];
}

void BM_Throughput(benchmark::State& state) {
  const auto backend = static_cast<Backend>(state.range(0));
  const int workers = static_cast<int>(state.range(1));
  Deployment deployment(backend);
  adapters::llm::ReplayModel model(deployment.cassette(test_support::valuation_lines()));
  Workers crew(deployment, model, workers);
  auto& ports = crew.ports;
  auto& runners = crew.runners;
  double seconds = 0;
  double cpu_seconds = 0;
  std::int64_t courses = 0;
  for (auto _ : state) {
    const auto course_ids = deployment.request(kCourses);
    const auto start = Clock::now();
    const double cpu_before = machine_cpu_seconds();
    std::vector<std::unique_ptr<engine::WorkerPool>> pools;
    for (int w = 0; w < workers; ++w) {
      pools.push_back(std::make_unique<engine::WorkerPool>(*runners[w], *ports[w].queue, *ports[w].runs,
                                                           deployment.clock, deployment.settings,
                                                           "bench-" + std::to_string(w), false));
      // As a worker process does (cli/worker_host.cpp): the bus wakes an idle pool at each publish.
      if (auto* bus = dynamic_cast<adapters::nats::NatsEventQueue*>(ports[w].queue.get())) {
        engine::WorkerPool* pool = pools.back().get();
        bus->on_work([pool] { pool->notify_work(); });
      }
      pools.back()->start();
    }
    // Watched through the pools' own counts (no reads of the system under test while it works):
    // a course is done when its last step has committed. Then the runs are checked, untimed.
    const auto applied = [&] {
      std::int64_t steps = 0;
      for (const auto& pool : pools) steps += pool->stats().steps;
      return steps;
    };
    while (applied() < static_cast<std::int64_t>(course_ids.size()) * test_support::kStepsPerRun) {
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    cpu_seconds += machine_cpu_seconds() - cpu_before;
    std::size_t checked = 0;
    while (!deployment.all_complete(course_ids, checked)) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    for (int w = 0; w < workers; ++w) {
      if (auto* bus = dynamic_cast<adapters::nats::NatsEventQueue*>(ports[w].queue.get())) bus->on_work(nullptr);
    }
    for (auto& pool : pools) pool->request_stop();
    for (auto& pool : pools) pool->wait();
    state.SetIterationTime(elapsed);
    seconds += elapsed;
    courses += kCourses;
  }
  state.counters["courses_per_s"] = seconds > 0 ? static_cast<double>(courses) / seconds : 0;
  const double steps_per_s = seconds > 0 ? static_cast<double>(courses * test_support::kStepsPerRun) / seconds : 0;
  state.counters["steps_per_s"] = steps_per_s;
  // The yardstick is a twelve-step course (five parts): the same steps/s, counted in those.
  state.counters["12step_courses_per_s"] = steps_per_s / 12.0;
  // What a step costs the machine in CPU, all processes together (see machine_cpu_seconds).
  state.counters["cpu_us_per_step"] =
      courses > 0 ? cpu_seconds * 1e6 / static_cast<double>(courses * test_support::kStepsPerRun) : 0;
}

void BM_StepOverhead(benchmark::State& state) {
  const auto backend = static_cast<Backend>(state.range(0));
  const int workers = static_cast<int>(state.range(1));
  Deployment deployment(backend);
  adapters::llm::ReplayModel model(deployment.cassette(test_support::valuation_lines()));
  Workers crew(deployment, model, workers);
  auto& ports = crew.ports;
  auto& runners = crew.runners;
  std::vector<double> step_us;
  std::mutex mu;
  for (auto _ : state) {
    const auto course_ids = deployment.request(kCourses / 4);
    const auto start = Clock::now();
    std::atomic<bool> done{false};
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) {
      threads.emplace_back([&, w] {
        std::vector<double> mine;
        while (!done.load()) {
          auto leased = ports[w].queue->lease(1, "bench-" + std::to_string(w), deployment.clock.now_ms(),
                                              deployment.settings.lease_ms);
          if (leased.empty()) {
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            continue;
          }
          const auto t0 = Clock::now();
          runners[w]->run(leased.front());
          mine.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
        }
        std::lock_guard lock(mu);
        step_us.insert(step_us.end(), mine.begin(), mine.end());
      });
    }
    std::size_t checked = 0;
    while (!deployment.all_complete(course_ids, checked)) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    done.store(true);
    for (auto& t : threads) t.join();
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
  }
  state.counters["step_p50_us"] = percentile(step_us, 0.50);
  state.counters["step_p99_us"] = percentile(step_us, 0.99);
}

void BM_CourseLatency(benchmark::State& state) {
  const auto backend = static_cast<Backend>(state.range(0));
  Deployment deployment(backend);
  adapters::llm::ReplayModel model(deployment.cassette(test_support::valuation_lines(
      {{test_support::kPartsTask, 500}, {test_support::kPart0Task, 500}, {test_support::kPart1Task, 500}})));
  WorkerPorts ports = deployment.open();
  auto runner = deployment.runner(ports, model);
  engine::WorkerPool pool(*runner, *ports.queue, *ports.runs, deployment.clock, deployment.settings, "bench", false);
  // As a worker process does (cli/worker_host.cpp): the bus wakes the idle pool at each publish.
  auto* bus = dynamic_cast<adapters::nats::NatsEventQueue*>(ports.queue.get());
  if (bus != nullptr) bus->on_work([&pool] { pool.notify_work(); });
  pool.start();
  std::vector<double> latencies;
  for (auto _ : state) {
    const auto start = Clock::now();
    const auto ids = deployment.request(1);
    pool.notify_work();
    std::size_t checked = 0;
    while (!deployment.all_complete(ids, checked)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    latencies.push_back(elapsed * 1000);
    state.SetIterationTime(elapsed);
  }
  if (bus != nullptr) bus->on_work(nullptr);
  pool.request_stop();
  pool.wait();
  state.counters["course_p50_ms"] = percentile(latencies, 0.5);
}

void deployments(benchmark::internal::Benchmark* b) {
  b->ArgNames({"distributed", "workers"});
  for (std::int64_t backend : {embedded, distributed}) {
    for (std::int64_t workers : {1, 2, 4}) b->Args({backend, workers});
  }
  b->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(3);
}

BENCHMARK(BM_Throughput)->Apply(deployments);
BENCHMARK(BM_StepOverhead)->Apply(deployments);
BENCHMARK(BM_CourseLatency)
    ->ArgNames({"distributed"})
    ->Arg(embedded)
    ->Arg(distributed)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
