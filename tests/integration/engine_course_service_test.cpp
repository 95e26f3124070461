// CourseService against a real SQLite file, with steps run by the real StepRunner / WorkerPool:
// replaying a dead letter reopens the run and it completes; cancelling a queued run makes the
// worker drop its events; deleting a course that is still being generated never lets it appear.
#include <thread>

#include <gtest/gtest.h>

#include "integration/engine_harness.h"

namespace {

using namespace docprof;
using engine::StepResult;
using test_support::EngineHarness;
using test_support::has_message;
using test_support::kModelCallsPerRun;
using test_support::kPart0Task;
using test_support::kPart1Task;
using test_support::kPartsTask;
using test_support::kRowsPerCourse;

TEST(EngineCourseService, ReplayOfAPermanentFailureReopensTheRunAndItCompletes) {
  EngineHarness h;
  auto lines = test_support::valuation_lines();
  // Part 1's first answer is refused; the cassette's next answer for it is the good one.
  lines.insert(lines.begin() + 1,
               test_support::error_line(kPart0Task, 401, "Incorrect API key provided."));
  auto stack = h.model_stack(h.cassette(lines));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();

  h.deliver_all(*runner);
  ASSERT_EQ(h.service.run(id)->status, ports::RunStatus::error);
  const auto dead = h.stores.dead_letters.list();
  ASSERT_EQ(dead.size(), 1U);

  auto replayed = h.service.replay(id);  // by course id: its most recent dead letter
  ASSERT_TRUE(replayed) << replayed.error().message;
  EXPECT_EQ(replayed.value(), id);
  auto reopened = h.service.run(id);
  EXPECT_EQ(reopened->status, ports::RunStatus::processing);
  EXPECT_FALSE(reopened->error);
  EXPECT_TRUE(h.stores.dead_letters.list().empty()) << "the replay consumes the dead letter";
  EXPECT_TRUE(has_message(h.history(id), "Replayed from the dead letters (was provider_error"));

  auto delivery = h.lease();
  ASSERT_TRUE(delivery);
  EXPECT_EQ(delivery->event.event_id, dead[0].event.event_id);
  EXPECT_EQ(delivery->event.seq, dead[0].event.seq) << "the failure consumed no seq";
  EXPECT_EQ(delivery->event.attempt, 1) << "attempts reset";
  EXPECT_EQ(runner->run(*delivery).result, StepResult::applied);
  h.deliver_all(*runner);

  auto run = h.service.run(id);
  EXPECT_EQ(run->status, ports::RunStatus::complete);
  EXPECT_FALSE(run->error);
  EXPECT_EQ(h.course_rows(id), kRowsPerCourse);
  EXPECT_EQ(h.stored_courses(), 1);
  EXPECT_EQ(stack->calls(kPartsTask), 1) << "the steps before the failure are not run again";
  EXPECT_EQ(stack->calls(kPart0Task), 2);
  EXPECT_EQ(stack->calls(kPart1Task), 1);
}

TEST(EngineCourseService, ReplayByDeadLetterIdAfterRetriesWereExhausted) {
  auto settings = test_support::fast_engine_settings();
  settings.max_deliveries = 2;
  EngineHarness h(settings);
  auto lines = test_support::valuation_lines();
  lines.insert(lines.begin(), test_support::error_line(kPartsTask, 503, "overloaded"));
  lines.insert(lines.begin(), test_support::error_line(kPartsTask, 503, "overloaded"));
  auto stack = h.model_stack(h.cassette(lines));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();

  h.deliver_all(*runner);
  ASSERT_EQ(h.service.run(id)->error->code, "retries_exhausted");
  const auto dead = h.stores.dead_letters.list();
  ASSERT_EQ(dead.size(), 1U);
  EXPECT_EQ(dead[0].attempts, 2);

  EXPECT_EQ(h.service.replay("no-such-id").error().code, "not_found");
  auto replayed = h.service.replay(dead[0].id);
  ASSERT_TRUE(replayed) << replayed.error().message;
  EXPECT_EQ(h.service.replay(id).error().code, "not_found") << "the dead letter is gone";

  h.deliver_all(*runner);
  EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::complete);
  EXPECT_EQ(h.stored_courses(), 1);
  EXPECT_EQ(stack->calls(kPartsTask), 3);
}

TEST(EngineCourseService, CancelOfAQueuedRunMakesTheWorkerDropItsEvents) {
  EngineHarness h;
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();

  auto cancelled = h.service.cancel(id, "changed my mind");
  ASSERT_TRUE(cancelled) << cancelled.error().message;
  EXPECT_EQ(cancelled.value().status, ports::RunStatus::error);

  engine::WorkerPool pool(*runner, h.stores.queue, h.stores.runs, h.clock, h.settings, "pool",
                          /*drain=*/true);
  pool.start();
  ASSERT_TRUE(pool.wait());
  EXPECT_TRUE(pool.drained());

  const auto stats = pool.stats();
  EXPECT_EQ(stats.steps, 0);
  EXPECT_EQ(stats.duplicates, 1) << "the queued CourseRequested is acknowledged and dropped";
  EXPECT_EQ(stack->calls(), 0);
  auto run = h.service.run(id);
  EXPECT_EQ(run->status, ports::RunStatus::error);
  ASSERT_TRUE(run->error);
  EXPECT_EQ(run->error->code, "cancelled");
  EXPECT_EQ(run->error->message, "changed my mind");
  const auto history = h.history(id);
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().kind, ports::HistoryKind::error);
  EXPECT_EQ(history.back().message, "cancelled: changed my mind");
  EXPECT_FALSE(h.stores.courses.get(id));
  EXPECT_EQ(h.queued_rows(), 0);
  EXPECT_EQ(h.service.cancel(id, "again").error().code, "not_running");
}

TEST(EngineCourseService, RemoveJustBeforeTheStoreStepLeavesNoCourse) {
  EngineHarness h;
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();
  h.deliver_all(*runner, domain::EventType::OutlineReviewed);
  auto store_step = h.lease();  // the step that would write the course, already delivered
  ASSERT_TRUE(store_step);
  ASSERT_EQ(store_step->event.type(), domain::EventType::OutlineReviewed);

  auto removed = h.service.remove(id);
  ASSERT_TRUE(removed) << removed.error().message;

  EXPECT_EQ(runner->run(*store_step).result, StepResult::dropped);
  EXPECT_FALSE(h.stores.courses.get(id));
  EXPECT_EQ(h.stored_courses(), 0);
  EXPECT_FALSE(h.service.run(id));
  EXPECT_TRUE(h.history(id).empty());
  EXPECT_EQ(h.queued_rows(), 0);
  EXPECT_EQ(h.service.remove(id).error().code, "not_found");
}

TEST(EngineCourseService, RemoveWhileASlowStepRunsNeverLetsTheCourseAppear) {
  EngineHarness h;
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines({{kPart1Task, 400}})));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();
  engine::WorkerPool pool(*runner, h.stores.queue, h.stores.runs, h.clock, h.settings, "pool",
                          /*drain=*/true);
  pool.start();

  // The last model call of the run is in flight (the step of PartSectionsGenerated(0), seq 4: the
  // run expects seq 4 and a call is running): its commit, and the store after it, must lose.
  ASSERT_TRUE(test_support::wait_until(
      [&] { return h.service.run(id)->next_seq == 4 && stack->limiter().in_flight() == 1; }));
  auto removed = h.service.remove(id);
  ASSERT_TRUE(removed) << removed.error().message;
  ASSERT_TRUE(pool.wait());

  EXPECT_EQ(pool.stats().dropped, 1) << "the slow step found its run gone";
  EXPECT_EQ(stack->calls(kPart1Task), 1);
  EXPECT_FALSE(h.stores.courses.get(id));
  EXPECT_EQ(h.stored_courses(), 0);
  EXPECT_FALSE(h.service.run(id));
  EXPECT_EQ(h.queued_rows(), 0);
  EXPECT_TRUE(h.stores.dead_letters.list().empty());
}

TEST(EngineCourseService, RemovesRacingRunningPoolsNeverLeaveACourseBehind) {
  // Removals at staggered moments of many concurrent runs, so that some land around the store
  // commit itself: whatever the interleaving, a removed course must not exist afterwards, and
  // the runs that were not removed complete normally.
  EngineHarness h;
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model());
  constexpr int kRuns = 12;
  std::vector<std::string> ids;
  for (int i = 0; i < kRuns; ++i) ids.push_back(h.request());
  engine::WorkerPool pool(*runner, h.stores.queue, h.stores.runs, h.clock, h.settings, "pool",
                          /*drain=*/true);
  pool.start();
  for (int i = 0; i < kRuns; i += 2) {
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    auto removed = h.service.remove(ids[static_cast<std::size_t>(i)]);
    EXPECT_TRUE(removed) << removed.error().message;
  }
  ASSERT_TRUE(pool.wait());

  for (int i = 0; i < kRuns; ++i) {
    const auto& id = ids[static_cast<std::size_t>(i)];
    if (i % 2 == 0) {
      EXPECT_FALSE(h.stores.courses.get(id)) << "removed course " << i << " reappeared";
      EXPECT_EQ(h.course_rows(id), 0) << i;
      EXPECT_FALSE(h.service.run(id)) << i;
    } else {
      ASSERT_TRUE(h.service.run(id)) << i;
      EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::complete) << i;
      EXPECT_EQ(h.course_rows(id), kRowsPerCourse) << i;
    }
  }
  EXPECT_EQ(h.stored_courses(), kRuns / 2);
  EXPECT_EQ(h.queued_rows(), 0);
}

// Issue 11, defect 3 (cancel races the store step): one compare-and-set decides. The store step
// writes the course in its commit; a cancel that lands after it (before CourseStored is handled)
// used to succeed, leaving the run error/cancelled while the course stayed stored and active.
TEST(EngineCourseService, CancelAfterTheStoreStepIsRefusedAsAlreadyComplete) {
  EngineHarness h;
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();
  h.deliver_all(*runner, domain::EventType::CourseStored);
  ASSERT_EQ(h.course_rows(id), kRowsPerCourse) << "the store step has written the course";
  ASSERT_EQ(h.service.run(id)->status, ports::RunStatus::processing);

  auto cancelled = h.service.cancel(id, "too late");
  ASSERT_FALSE(cancelled) << "the store step won: the cancel must lose";
  EXPECT_EQ(cancelled.error().code, "already_complete");
  EXPECT_NE(cancelled.error().message.find("already complete"), std::string::npos) << cancelled.error().message;
  EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::processing) << "the cancel wrote nothing";

  h.deliver_all(*runner);
  auto run = h.service.run(id);
  EXPECT_EQ(run->status, ports::RunStatus::complete);
  EXPECT_FALSE(run->error);
  EXPECT_EQ(h.course_rows(id), kRowsPerCourse);
  EXPECT_EQ(h.stores.courses.get(id)->course.status, domain::CourseStatus::active);
  EXPECT_FALSE(has_message(h.history(id), "cancelled"));
  EXPECT_EQ(h.service.cancel(id, "again").error().code, "not_running");
}

TEST(EngineCourseService, CancelThatWinsTheRaceWithTheStoreStepLeavesNoCourseRows) {
  EngineHarness h;
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();
  h.deliver_all(*runner, domain::EventType::OutlineReviewed);
  auto store_step = h.lease();  // the store step is delivered, its commit not yet made
  ASSERT_TRUE(store_step);
  ASSERT_EQ(store_step->event.type(), domain::EventType::OutlineReviewed);

  auto cancelled = h.service.cancel(id, "changed my mind");
  ASSERT_TRUE(cancelled) << cancelled.error().message;

  EXPECT_EQ(runner->run(*store_step).result, StepResult::duplicate) << "the store step lost";
  EXPECT_EQ(h.course_rows(id), 0);
  EXPECT_FALSE(h.stores.courses.get(id));
  auto run = h.service.run(id);
  EXPECT_EQ(run->status, ports::RunStatus::error);
  EXPECT_EQ(run->error->code, "cancelled");
  EXPECT_EQ(h.queued_rows(), 0);
}

TEST(EngineCourseService, RemoveAfterTheStoreStepLeavesNeitherCourseNorRun) {
  // The API's DELETE: whoever won the race, the course and its run are gone afterwards.
  EngineHarness h;
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();
  h.deliver_all(*runner, domain::EventType::CourseStored);
  ASSERT_EQ(h.course_rows(id), kRowsPerCourse);

  auto removed = h.service.remove(id);
  ASSERT_TRUE(removed) << removed.error().message;
  h.deliver_all(*runner);  // the queued CourseStored finds its run gone
  EXPECT_FALSE(h.stores.courses.get(id));
  EXPECT_EQ(h.course_rows(id), 0);
  EXPECT_FALSE(h.service.run(id));
  EXPECT_EQ(h.queued_rows(), 0);
  EXPECT_EQ(h.stored_courses(), 0);
}

TEST(EngineCourseService, CancelsRacingRunningPoolsEndEitherCancelledWithoutRowsOrComplete) {
  // Cancels at staggered moments of many concurrent runs, some around the store commit: a
  // cancelled run never has course rows, and a refused cancel means the run completes.
  EngineHarness h;
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model());
  constexpr int kRuns = 12;
  std::vector<std::string> ids;
  for (int i = 0; i < kRuns; ++i) ids.push_back(h.request());
  engine::WorkerPool pool(*runner, h.stores.queue, h.stores.runs, h.clock, h.settings, "pool",
                          /*drain=*/true);
  pool.start();
  std::vector<bool> cancelled(kRuns, false);
  for (int i = 0; i < kRuns; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    auto result = h.service.cancel(ids[static_cast<std::size_t>(i)], "racing");
    cancelled[static_cast<std::size_t>(i)] = result.ok();
    if (!result) {
      EXPECT_TRUE(result.error().code == "already_complete" || result.error().code == "not_running")
          << result.error().code;
    }
  }
  ASSERT_TRUE(pool.wait());
  for (int i = 0; i < kRuns; ++i) {
    const auto& id = ids[static_cast<std::size_t>(i)];
    auto run = h.service.run(id);
    ASSERT_TRUE(run) << i;
    if (cancelled[static_cast<std::size_t>(i)]) {
      EXPECT_EQ(run->status, ports::RunStatus::error) << i;
      EXPECT_EQ(h.course_rows(id), 0) << "cancelled run " << i << " has a course";
    } else {
      EXPECT_EQ(run->status, ports::RunStatus::complete) << i;
      EXPECT_EQ(h.course_rows(id), kRowsPerCourse) << i;
    }
  }
}

}  // namespace
