// WorkerPool against a real SQLite file: drain mode, lease extension across two pools on one file,
// graceful stop, the janitor, the model concurrency cap under 16 concurrent steps, and many runs
// under injected transient faults.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "integration/engine_harness.h"

namespace {

using namespace docprof;
using engine::StepResult;
using engine::WorkerPool;
using test_support::EngineHarness;
using test_support::has_message;
using test_support::kModelCallsPerRun;
using test_support::kPart0Task;
using test_support::kPartsTask;
using test_support::kRowsPerCourse;
using test_support::kStepsPerRun;

// The real SQLite queue, with a count of lease calls by calling thread (not a stand-in: every call
// goes through to the queue).
class LeaseCountingQueue final : public ports::EventQueue {
 public:
  explicit LeaseCountingQueue(ports::EventQueue& inner) : inner_(inner) {}
  void publish(const domain::Envelope& e, std::int64_t at) override { inner_.publish(e, at); }
  std::vector<ports::Delivery> lease(int max, const std::string& worker, std::int64_t now, std::int64_t lease_ms) override {
    note(max);
    return inner_.lease(max, worker, now, lease_ms);
  }
  std::vector<ports::Delivery> lease_run(const std::string& course_id, int max, const std::string& worker,
                                         std::int64_t now, std::int64_t lease_ms) override {
    note(max);
    return inner_.lease_run(course_id, max, worker, now, lease_ms);
  }
  bool extend(const ports::Delivery& d, std::int64_t until) override { return inner_.extend(d, until); }
  void ack(const ports::Delivery& d) override { inner_.ack(d); }
  void retry_later(const ports::Delivery& d, std::int64_t at, const std::string& error) override {
    inner_.retry_later(d, at, error);
  }
  ports::QueueCounts counts(std::int64_t now) override { return inner_.counts(now); }

  std::size_t calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  std::size_t calling_threads() const {
    std::lock_guard lock(mu_);
    return threads_.size();
  }
  int max_asked() const {
    std::lock_guard lock(mu_);
    return max_asked_;
  }

 private:
  void note(int max) {
    std::lock_guard lock(mu_);
    ++calls_;
    threads_.insert(std::this_thread::get_id());
    max_asked_ = std::max(max_asked_, max);
  }
  ports::EventQueue& inner_;
  mutable std::mutex mu_;
  std::size_t calls_ = 0;
  std::set<std::thread::id> threads_;
  int max_asked_ = 0;
};

TEST(EngineWorkerPool, OnePollerLeasesForAllTheThreadsOfAWorker) {
  // Issue 11, defect 6 (idle cost): each of the 16 threads leased on its own (80 lease
  // transactions a second, each taking SQLite's write lock, when idle; every finished step woke
  // every idle thread). One poller per pool leases for all of its threads, as many events as
  // threads are free.
  auto settings = test_support::fast_engine_settings();
  ASSERT_EQ(settings.concurrency, 16);
  EngineHarness h(settings);
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model());
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(h.request("user-" + std::to_string(i)));
  LeaseCountingQueue queue(h.stores.queue);

  WorkerPool pool(*runner, queue, h.stores.runs, h.clock, settings, "pool", /*drain=*/false);
  pool.start();
  ASSERT_TRUE(test_support::wait_until([&] {
    for (const auto& id : ids) {
      if (h.service.run(id)->status != ports::RunStatus::complete) return false;
    }
    return true;
  }));
  // Idle for a while: many polls.
  const std::size_t before = queue.calls();
  ASSERT_TRUE(test_support::wait_until([&] { return queue.calls() >= before + 5; }));
  pool.request_stop();
  ASSERT_TRUE(pool.wait());

  EXPECT_EQ(queue.calling_threads(), 1U) << "every lease call comes from the one poller";
  EXPECT_GT(queue.max_asked(), 1) << "the poller leases for every free thread at once";
  EXPECT_EQ(pool.stats().steps, 4 * kStepsPerRun);
  EXPECT_EQ(stack->calls(), 4 * kModelCallsPerRun);
}

TEST(EngineWorkerPool, DrainModeRunsEverythingAndExitsWhenTheQueueIsIdle) {
  EngineHarness h;
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model());
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(h.request("user-" + std::to_string(i)));

  WorkerPool pool(*runner, h.stores.queue, h.stores.runs, h.clock, h.settings, "pool",
                  /*drain=*/true);
  pool.start();
  ASSERT_TRUE(pool.wait());

  EXPECT_TRUE(pool.drained());
  EXPECT_TRUE(h.stores.queue.counts(h.clock.now_ms()).idle());
  const auto stats = pool.stats();
  EXPECT_EQ(stats.steps, 3 * kStepsPerRun);
  EXPECT_EQ(stats.duplicates + stats.retries + stats.dropped + stats.errors, 0);
  for (const auto& id : ids) EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::complete) << id;
  EXPECT_EQ(h.stored_courses(), 3);
  EXPECT_EQ(stack->calls(), 3 * kModelCallsPerRun);
}

TEST(EngineWorkerPool, DrainModeWaitsForADelayedRetry) {
  // A retry waiting out a Retry-After is work still to do: drain must not exit before it runs.
  EngineHarness h;
  auto lines = test_support::valuation_lines();
  lines.insert(lines.begin(), test_support::error_line(kPartsTask, 429, "slow down", 300));
  auto stack = h.model_stack(h.cassette(lines));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();

  WorkerPool pool(*runner, h.stores.queue, h.stores.runs, h.clock, h.settings, "pool",
                  /*drain=*/true);
  pool.start();
  ASSERT_TRUE(pool.wait());

  EXPECT_TRUE(pool.drained());
  EXPECT_EQ(pool.stats().retries, 1);
  EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::complete);
  EXPECT_EQ(stack->calls(kPartsTask), 2);
}

TEST(EngineWorkerPool, LeaseExtensionKeepsASlowStepFromRunningTwice) {
  // Two worker pools on the same database file, as two processes would be. The parts call takes
  // 1 s with a 300 ms lease: only the keeper's extensions keep the other pool from reclaiming it.
  auto settings = test_support::fast_engine_settings();
  settings.lease_ms = 300;
  settings.concurrency = 2;
  EngineHarness h(settings);
  const auto cassette = h.cassette(test_support::valuation_lines({{kPartsTask, 1000}}));
  auto stack_a = h.model_stack(cassette, std::nullopt, "calls-a");
  auto stack_b = h.model_stack(cassette, std::nullopt, "calls-b");
  test_support::Stores other(h.db_path());
  auto runner_a = h.runner(stack_a->model());
  auto runner_b = h.runner(stack_b->model(), &other);
  const std::string id = h.request();

  WorkerPool pool_a(*runner_a, h.stores.queue, h.stores.runs, h.clock, settings, "pool-a",
                    /*drain=*/true);
  WorkerPool pool_b(*runner_b, other.queue, other.runs, h.clock, settings, "pool-b",
                    /*drain=*/true);
  pool_a.start();
  pool_b.start();
  ASSERT_TRUE(pool_a.wait());
  ASSERT_TRUE(pool_b.wait());

  EXPECT_EQ(stack_a->calls(kPartsTask) + stack_b->calls(kPartsTask), 1)
      << "the slow call ran twice";
  EXPECT_EQ(stack_a->calls() + stack_b->calls(), kModelCallsPerRun);
  EXPECT_EQ(pool_a.stats().duplicates + pool_b.stats().duplicates, 0);
  EXPECT_EQ(pool_a.stats().steps + pool_b.stats().steps, kStepsPerRun);
  EXPECT_FALSE(has_message(h.history(id), "Delivered again"));
  EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::complete);
  EXPECT_EQ(h.stored_courses(), 1);
}

TEST(EngineWorkerPool, GracefulStopLetsTheRunningStepFinishAndLeavesTheRestQueued) {
  EngineHarness h;
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines({{kPartsTask, 500}})));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();
  {
    WorkerPool pool(*runner, h.stores.queue, h.stores.runs, h.clock, h.settings, "pool",
                    /*drain=*/false);
    pool.start();
    ASSERT_TRUE(test_support::wait_until([&] { return stack->limiter().in_flight() == 1; }));
    pool.request_stop();
    EXPECT_TRUE(pool.wait()) << "the 500 ms step fits in the 5 s grace period";
    EXPECT_EQ(pool.stats().steps, 3) << "CourseRequested, EmbeddingGenerated, BookSummariesFound";
  }

  // The running step committed; the event it emitted waits, unleased, for the next worker.
  auto run = h.service.run(id);
  EXPECT_EQ(run->status, ports::RunStatus::processing);
  EXPECT_EQ(run->next_seq, 3) << "BookSummariesFound (seq 2) was applied";
  EXPECT_EQ(stack->calls(kPartsTask), 1);
  EXPECT_EQ(stack->calls(kPart0Task), 0) << "no new event was taken after the stop";
  const auto counts = h.stores.queue.counts(h.clock.now_ms());
  EXPECT_EQ(counts.ready, 1);
  EXPECT_EQ(counts.leased, 0);
  EXPECT_EQ(h.next_queued_type(), domain::EventType::PartsGenerated);

  WorkerPool next(*runner, h.stores.queue, h.stores.runs, h.clock, h.settings, "next",
                  /*drain=*/true);
  next.start();
  ASSERT_TRUE(next.wait());
  EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::complete);
  EXPECT_EQ(stack->calls(), kModelCallsPerRun);
}

TEST(EngineWorkerPool, WithEveryThreadBusyAQuarterOfThemIsLeasedAheadAndGivenBackUnspentAtAStop) {
  auto settings = test_support::fast_engine_settings();
  settings.concurrency = 4;  // one event leased ahead
  EngineHarness h(settings);
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines({{kPartsTask, 700}})));
  auto runner = h.runner(stack->model());
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(h.request("user-" + std::to_string(i)));
  {
    WorkerPool pool(*runner, h.stores.queue, h.stores.runs, h.clock, settings, "pool", /*drain=*/false);
    pool.start();
    // Four parts calls running, one more event leased and waiting for a thread.
    ASSERT_TRUE(test_support::wait_until([&] {
      return stack->limiter().in_flight() == 4 && h.stores.queue.counts(h.clock.now_ms()).leased == 5;
    }));
    pool.request_stop();
    EXPECT_TRUE(pool.wait());
  }
  const auto counts = h.stores.queue.counts(h.clock.now_ms());
  EXPECT_EQ(counts.leased, 0) << "the event leased ahead was given back";
  EXPECT_EQ(counts.ready, 6) << "four runs' next events, and the two runs not yet at their parts";
  EXPECT_EQ(stack->calls(kPartsTask), 4);

  // The event given back unspent counts as a first attempt still: every run completes.
  WorkerPool next(*runner, h.stores.queue, h.stores.runs, h.clock, settings, "next", /*drain=*/true);
  next.start();
  ASSERT_TRUE(next.wait());
  for (const auto& id : ids) {
    const auto run = h.service.run(id);
    EXPECT_EQ(run->status, ports::RunStatus::complete) << id;
  }
  EXPECT_EQ(stack->calls(), 6 * kModelCallsPerRun);
}

TEST(EngineWorkerPool, StopReportsAStepThatOutlastsTheGracePeriod) {
  auto settings = test_support::fast_engine_settings();
  settings.shutdown_grace_ms = 100;
  EngineHarness h(settings);
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines({{kPartsTask, 800}})));
  auto runner = h.runner(stack->model());
  h.request();
  WorkerPool pool(*runner, h.stores.queue, h.stores.runs, h.clock, settings, "pool",
                  /*drain=*/false);
  pool.start();
  ASSERT_TRUE(test_support::wait_until([&] { return stack->limiter().in_flight() == 1; }));
  const auto stopped_at = std::chrono::steady_clock::now();
  pool.request_stop();
  EXPECT_FALSE(pool.wait());
  EXPECT_LT(std::chrono::steady_clock::now() - stopped_at, std::chrono::milliseconds(700))
      << "wait() must give up at the end of the grace period, not wait for the step";
  EXPECT_EQ(stack->limiter().in_flight(), 1) << "the step is still running";
  // The pool's destructor joins the step's thread once the call returns.
}

TEST(EngineWorkerPool, TheJanitorNeverExpiresARunInTheMiddleOfAStep) {
  // Issue 11, defect 4: a state TTL shorter than one step. The janitor used to expire the run while
  // its slow model call ran (no dead letter: `course retry` could not resume it); a run with an
  // event leased, queued or delayed is never expired, and the step's commit renews the state.
  auto settings = test_support::fast_engine_settings();
  settings.janitor_interval_ms = 20;
  settings.workflow.state_ttl_ms = 1'000;
  EngineHarness h(settings);
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines({{kPartsTask, 3'000}})));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();

  WorkerPool pool(*runner, h.stores.queue, h.stores.runs, h.clock, settings, "pool", /*drain=*/true);
  pool.start();
  ASSERT_TRUE(pool.wait());

  auto run = h.service.run(id);
  EXPECT_EQ(run->status, ports::RunStatus::complete) << (run->error ? run->error->message : "");
  EXPECT_FALSE(run->error);
  EXPECT_EQ(h.course_rows(id), kRowsPerCourse);
  EXPECT_EQ(stack->calls(kPartsTask), 1);
  EXPECT_TRUE(h.stores.dead_letters.list().empty());
}

TEST(EngineWorkerPool, TheJanitorLeavesARunWithADelayedRetryAlone) {
  // The parts call is rate limited with a 60 s Retry-After, so the run waits past its 200 ms state
  // TTL with its retry delayed in the queue: that is pending work, not a stranded run. (Before
  // issue 11, defect 4, the janitor failed it as expired.)
  auto settings = test_support::fast_engine_settings();
  settings.janitor_interval_ms = 20;
  settings.workflow.state_ttl_ms = 200;
  EngineHarness h(settings);
  auto lines = test_support::valuation_lines();
  lines.insert(lines.begin(), test_support::error_line(kPartsTask, 429, "slow down", 60'000));
  auto stack = h.model_stack(h.cassette(lines));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();

  WorkerPool pool(*runner, h.stores.queue, h.stores.runs, h.clock, settings, "pool",
                  /*drain=*/false);
  pool.start();
  ASSERT_TRUE(test_support::wait_until([&] { return stack->calls(kPartsTask) == 1; }));
  // Past the TTL, with many janitor passes.
  ASSERT_TRUE(test_support::wait_until(
      [&] { return h.clock.now_ms() > h.service.run(id)->expires_at_ms + 10 * settings.janitor_interval_ms; }));
  pool.request_stop();
  ASSERT_TRUE(pool.wait());

  auto run = h.service.run(id);
  EXPECT_EQ(run->status, ports::RunStatus::processing);
  EXPECT_FALSE(run->error);
  EXPECT_TRUE(run->state) << "the state of a run with pending work is kept";
  EXPECT_TRUE(h.stores.dead_letters.list().empty());

  // The retry comes due later and the run completes.
  auto due = h.stores.queue.lease(1, "late-worker", h.clock.now_ms() + 120'000, 60'000);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(due.front().event.type(), domain::EventType::BookSummariesFound);
  EXPECT_EQ(runner->run(due.front()).result, StepResult::applied);
  h.deliver_all(*runner);
  EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::complete);
  EXPECT_EQ(stack->calls(kPartsTask), 2);
  EXPECT_EQ(h.stored_courses(), 1);
}

TEST(EngineWorkerPool, AStrandedRunPastItsTtlFailsAsExpiredAndCourseRetryResumesIt) {
  // A run still processing with nothing queued, delayed or leased (its event was lost) cannot
  // finish: past its TTL the janitor fails it as `expired`, dead-letters the event it was waiting
  // for and keeps its state, so `course retry` (replay) resumes it.
  auto settings = test_support::fast_engine_settings();
  settings.janitor_interval_ms = 20;
  settings.workflow.state_ttl_ms = 200;
  EngineHarness h(settings);
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();
  h.deliver_all(*runner, domain::EventType::BookSummariesFound);
  h.stores.db->write([](adapters::sqlite::Session& session) {
    session.query("DELETE FROM event_queue").run();  // the pending event is lost
  });

  WorkerPool pool(*runner, h.stores.queue, h.stores.runs, h.clock, settings, "pool",
                  /*drain=*/false);
  pool.start();
  const bool failed = test_support::wait_until(
      [&] { return h.service.run(id)->status != ports::RunStatus::processing; });
  pool.request_stop();
  ASSERT_TRUE(pool.wait());
  ASSERT_TRUE(failed) << "the stranded run was left processing";

  auto run = h.service.run(id);
  EXPECT_EQ(run->status, ports::RunStatus::error);
  ASSERT_TRUE(run->error);
  EXPECT_EQ(run->error->code, "expired");
  EXPECT_EQ(run->phase, domain::Phase::error);
  EXPECT_TRUE(run->state) << "kept, so that the run can be resumed";
  const auto history = h.history(id);
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().kind, ports::HistoryKind::error);
  const auto dead = h.stores.dead_letters.list();
  ASSERT_EQ(dead.size(), 1U);
  EXPECT_EQ(dead[0].course_id, id);
  EXPECT_EQ(dead[0].event.type(), domain::EventType::BookSummariesFound);
  EXPECT_EQ(dead[0].error_code, "expired");
  EXPECT_EQ(stack->calls(), 0);

  auto replayed = h.service.replay(id);
  ASSERT_TRUE(replayed) << replayed.error().message;
  h.deliver_all(*runner);
  EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::complete);
  EXPECT_EQ(h.course_rows(id), kRowsPerCourse);
  EXPECT_EQ(stack->calls(), kModelCallsPerRun);
  EXPECT_TRUE(h.stores.dead_letters.list().empty());
}

TEST(EngineWorkerPool, AStepThatKeepsThrowingFailsItsRunAfterTheLastDelivery) {
  // The first step's commit always fails in SQLite (a trigger stands in for a disk or a bug that
  // refuses that write), so every delivery throws. Like any failure it must stop after
  // max_deliveries: the run fails as retries_exhausted and the event waits in the dead letters.
  auto settings = test_support::fast_engine_settings();
  settings.max_deliveries = 3;
  EngineHarness h(settings);
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();
  h.stores.db->write([](adapters::sqlite::Session& s) {
    s.exec(
        "CREATE TRIGGER refuse_first_step BEFORE UPDATE OF version ON course_runs "
        "WHEN NEW.status = 'processing' AND NEW.next_seq = 1 "
        "BEGIN SELECT RAISE(ABORT, 'the disk refused the write'); END");
  });

  WorkerPool pool(*runner, h.stores.queue, h.stores.runs, h.clock, settings, "pool",
                  /*drain=*/true);
  pool.start();
  ASSERT_TRUE(pool.wait());

  EXPECT_TRUE(pool.drained());
  EXPECT_EQ(pool.stats().errors, 3) << "one per delivery";
  auto run = h.service.run(id);
  EXPECT_EQ(run->status, ports::RunStatus::error);
  ASSERT_TRUE(run->error);
  EXPECT_EQ(run->error->code, "retries_exhausted");
  EXPECT_NE(run->error->message.find("the disk refused the write"), std::string::npos)
      << run->error->message;
  const auto dead = h.stores.dead_letters.list();
  ASSERT_EQ(dead.size(), 1U);
  EXPECT_EQ(dead[0].event.type(), domain::EventType::CourseRequested);
  EXPECT_EQ(dead[0].attempts, 3);
  EXPECT_EQ(h.queued_rows(), 0);
  EXPECT_EQ(stack->calls(), 0);
}

TEST(EngineWorkerPool, AThrowingStepIsBackedOffWithJitterBeforeEachRedelivery) {
  // Issue 11, defect 5: the pool used to give a thrown step back after a fixed backoff_base_ms.
  // Each retry now draws its delay from the policy's window, which doubles per attempt.
  auto settings = test_support::fast_engine_settings();
  settings.max_deliveries = 3;
  EngineHarness h(settings);
  test_support::TopOfWindowRandom random;
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model(), nullptr, &random);
  const std::string id = h.request();
  h.stores.db->write([](adapters::sqlite::Session& s) {
    s.exec(
        "CREATE TRIGGER refuse_first_step BEFORE UPDATE OF version ON course_runs "
        "WHEN NEW.status = 'processing' AND NEW.next_seq = 1 "
        "BEGIN SELECT RAISE(ABORT, 'the disk refused the write'); END");
  });

  WorkerPool pool(*runner, h.stores.queue, h.stores.runs, h.clock, settings, "pool",
                  /*drain=*/true);
  pool.start();
  ASSERT_TRUE(pool.wait());

  EXPECT_EQ(pool.stats().errors, 3);
  // Attempts 1 and 2 were retried (windows of 5 and 10 ms); attempt 3 failed the run.
  const std::vector<std::pair<std::int64_t, std::int64_t>> expected = {{0, 5}, {0, 10}};
  EXPECT_EQ(random.windows(), expected);
  const auto run = h.service.run(id);
  ASSERT_TRUE(run && run->error);
  EXPECT_EQ(run->error->code, "retries_exhausted");
}

TEST(EngineWorkerPool, ADamagedRunRecordEndsInTheDeadLetters) {
  // When the run record itself cannot be read back (its state JSON damaged behind docprof's back),
  // every delivery throws, and so would failing the run: after the last delivery the event goes
  // to the dead letters (EventQueue::bury) instead of being redelivered for ever.
  auto settings = test_support::fast_engine_settings();
  settings.max_deliveries = 3;
  settings.lease_ms = 150;  // so that redeliveries after an abandoned lease happen within the test
  EngineHarness h(settings);
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();
  h.stores.db->write([&](adapters::sqlite::Session& s) {
    s.query("UPDATE course_runs SET state = '{\"damaged' WHERE course_id = ?", id).run();
  });

  WorkerPool pool(*runner, h.stores.queue, h.stores.runs, h.clock, settings, "pool",
                  /*drain=*/true);
  pool.start();
  const bool dead_lettered = test_support::wait_until(
      [&] { return !h.stores.dead_letters.list().empty(); }, std::chrono::milliseconds(1'500));
  const auto stats = pool.stats();
  pool.request_stop();
  pool.wait();

  EXPECT_TRUE(dead_lettered) << "the event was delivered " << stats.errors
                             << " times and never dead-lettered";
  EXPECT_LE(stats.errors, settings.max_deliveries);
  EXPECT_EQ(stack->calls(), 0);
}

TEST(EngineWorkerPool, ModelCallsNeverExceedTheCapUnderSixteenConcurrentSteps) {
  auto settings = test_support::fast_engine_settings();
  settings.concurrency = 16;
  settings.max_model_calls = 4;
  EngineHarness h(settings);
  // Model calls long enough that 16 runs' calls overlap even in a slow (sanitizer) build.
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines(
      {{kPartsTask, 250}, {kPart0Task, 250}, {test_support::kPart1Task, 250}})));
  auto runner = h.runner(stack->model());
  constexpr int kRuns = 16;
  std::vector<std::string> ids;
  for (int i = 0; i < kRuns; ++i) ids.push_back(h.request());

  WorkerPool pool(*runner, h.stores.queue, h.stores.runs, h.clock, settings, "pool",
                  /*drain=*/true);
  pool.start();
  ASSERT_TRUE(pool.wait());

  EXPECT_LE(stack->limiter().peak_in_flight(), 4);
  // 16 runs reach their model steps together: the cap must actually have been reached, or this
  // test proved nothing about it.
  EXPECT_EQ(stack->limiter().peak_in_flight(), 4);
  EXPECT_EQ(stack->limiter().in_flight(), 0);
  for (const auto& id : ids) EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::complete) << id;
  EXPECT_EQ(h.stored_courses(), kRuns);
  EXPECT_EQ(stack->calls(), kRuns * kModelCallsPerRun);
}

TEST(EngineWorkerPool, TwentyRunsUnderThirtyPercentTransientFaultsAllComplete) {
  auto settings = test_support::fast_engine_settings();
  // 10 deliveries rather than 6: threads draw faults in no fixed order, and 0.3^6 per step over
  // 60 model steps would fail a run about once in 25 test runs; 0.3^10 makes that ~1 in 3000.
  settings.max_deliveries = 10;
  EngineHarness h(settings);
  adapters::llm::FaultOptions faults;
  faults.rate = 0.3;
  faults.seed = 20'240'917;
  faults.mix = adapters::llm::FaultMix{1.0, 1.0, 1.0, 0.0};  // transient kinds only
  faults.retry_after_ms = 5;
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()), faults);
  auto runner = h.runner(stack->model());
  constexpr int kRuns = 20;
  std::vector<std::string> ids;
  for (int i = 0; i < kRuns; ++i) ids.push_back(h.request("user-" + std::to_string(i % 4)));

  WorkerPool pool(*runner, h.stores.queue, h.stores.runs, h.clock, settings, "pool",
                  /*drain=*/true);
  pool.start();
  ASSERT_TRUE(pool.wait());

  for (const auto& id : ids) {
    auto run = h.service.run(id);
    EXPECT_EQ(run->status, ports::RunStatus::complete)
        << id << ": " << (run->error ? run->error->message : "");
    EXPECT_EQ(h.course_rows(id), kRowsPerCourse) << id;
  }
  EXPECT_EQ(h.stored_courses(), kRuns);
  EXPECT_TRUE(h.stores.dead_letters.list().empty());

  const auto injected = stack->faults()->counts();
  const auto faulted = injected.rate_limited + injected.server_error + injected.timeout;
  EXPECT_GT(faulted, 0) << "no fault was injected: the test proved nothing";
  EXPECT_EQ(injected.passed, kRuns * kModelCallsPerRun)
      << "every successful call was applied exactly once";
  const auto stats = pool.stats();
  EXPECT_EQ(stats.retries, faulted) << "each injected fault is one retry";
  EXPECT_EQ(stats.steps, kRuns * kStepsPerRun);
  EXPECT_EQ(stats.duplicates, 0);
  EXPECT_EQ(stats.errors, 0);
}

}  // namespace
