// StepRunner against a real SQLite file (DESIGN.md §3): deliveries leased from the queue, run
// through the workflow and committed with the hand-off; duplicates, lost compare-and-sets,
// transient and permanent provider errors, retries and dead letters. Models answer from cassettes
// written by each test; calls are counted from the RecordingModel's lines.
#include <atomic>
#include <limits>
#include <utility>
#include <thread>

#include <gtest/gtest.h>

#include "engine/run_commit.h"
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
using test_support::kStepsPerRun;

int count(const std::vector<StepResult>& results, StepResult wanted) {
  return static_cast<int>(std::count(results.begin(), results.end(), wanted));
}

TEST(EngineStepRunner, WholeRunThroughDeliveriesStoresExactlyOneCourse) {
  EngineHarness h;
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();

  const auto results = h.deliver_all(*runner);

  EXPECT_EQ(count(results, StepResult::applied), kStepsPerRun);
  EXPECT_EQ(static_cast<int>(results.size()), kStepsPerRun);
  auto run = h.service.run(id);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, ports::RunStatus::complete);
  EXPECT_FALSE(run->error);
  EXPECT_FALSE(run->state) << "the bulky state goes once the course is stored";
  EXPECT_EQ(run->next_seq, kStepsPerRun);
  EXPECT_EQ(run->title, "Corporate Valuation in Two Hours");
  EXPECT_EQ(run->usage.calls, kModelCallsPerRun);

  auto stored = h.stores.courses.get(id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->course.user_id, "user-1");
  EXPECT_EQ(stored->course.title, "Corporate Valuation in Two Hours");
  EXPECT_EQ(static_cast<int>(stored->sections.size()), kRowsPerCourse);
  EXPECT_EQ(h.stored_courses(), 1);
  EXPECT_EQ(h.stores.courses.list_for_user("user-1").size(), 1U);

  EXPECT_EQ(stack->calls(), kModelCallsPerRun);
  EXPECT_EQ(stack->calls(kPartsTask), 1);
  EXPECT_EQ(h.queued_rows(), 0);
  EXPECT_TRUE(h.stores.dead_letters.list().empty());

  const auto history = h.history(id);
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().kind, ports::HistoryKind::complete);
  EXPECT_EQ(history.back().type, "CourseStored");
}

TEST(EngineStepRunner, RepublishedEventIsAcknowledgedWithoutAModelCall) {
  EngineHarness h;
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();

  // Up to the first model step, then apply it once.
  h.deliver_all(*runner, domain::EventType::BookSummariesFound);
  auto first = h.lease();
  ASSERT_TRUE(first);
  ASSERT_EQ(first->event.type(), domain::EventType::BookSummariesFound);
  EXPECT_EQ(runner->run(*first).result, StepResult::applied);
  EXPECT_EQ(stack->calls(kPartsTask), 1);
  const auto version = h.service.run(id)->version;

  // The same event published again (a producer's retry, a broker redelivery): same id, same seq.
  // Available since the epoch, so it is leased ahead of the PartsGenerated the step enqueued.
  h.stores.queue.publish(first->event, 0);
  auto again = h.lease();
  ASSERT_TRUE(again);
  ASSERT_EQ(again->event.event_id, first->event.event_id);
  EXPECT_EQ(runner->run(*again).result, StepResult::duplicate);

  EXPECT_EQ(stack->calls(kPartsTask), 1) << "a duplicate must not call the model again";
  EXPECT_EQ(h.service.run(id)->version, version) << "a duplicate changes nothing";

  // Let the run finish, then deliver its very first event again: the record outlives the state,
  // so even a late CourseRequested is recognised.
  h.deliver_all(*runner);
  ASSERT_EQ(h.service.run(id)->status, ports::RunStatus::complete);
  domain::Envelope requested;
  requested.event_id = "late-copy-of-course-requested";
  requested.course_id = id;
  requested.seq = 0;
  requested.occurred_at = "2027-01-01T00:00:00.000Z";
  requested.payload = domain::CourseRequested{"Corporate valuation", 2.0, {}, "user-1"};
  h.stores.queue.publish(requested, h.clock.now_ms());
  auto late = h.lease();
  ASSERT_TRUE(late);
  EXPECT_EQ(runner->run(*late).result, StepResult::duplicate);
  EXPECT_EQ(stack->calls(), kModelCallsPerRun);
  EXPECT_EQ(h.stored_courses(), 1);
  EXPECT_EQ(h.course_rows(id), kRowsPerCourse);
  EXPECT_EQ(h.queued_rows(), 0) << "duplicates are acknowledged";
}

TEST(EngineStepRunner, ReleasedLeaseRunByTwoWorkersCallsTheModelOnce) {
  // A worker whose lease expired mid-step finishes after a second worker applied the same event:
  // the late one must find it applied and drop it, before calling the model.
  auto settings = test_support::fast_engine_settings();
  settings.lease_ms = 50;
  EngineHarness h(settings);
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();
  h.deliver_all(*runner, domain::EventType::BookSummariesFound);

  auto slow = h.lease("worker-slow");
  ASSERT_TRUE(slow);
  ASSERT_EQ(slow->event.type(), domain::EventType::BookSummariesFound);
  std::this_thread::sleep_for(std::chrono::milliseconds(80));  // the lease ends unextended
  auto fast = h.lease("worker-fast");
  ASSERT_TRUE(fast) << "an expired lease is reclaimed";
  EXPECT_EQ(fast->event.event_id, slow->event.event_id);
  EXPECT_EQ(fast->event.attempt, 2);
  EXPECT_EQ(runner->run(*fast).result, StepResult::applied);

  EXPECT_EQ(runner->run(*slow).result, StepResult::duplicate);
  EXPECT_EQ(stack->calls(kPartsTask), 1);

  h.deliver_all(*runner);
  EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::complete);
  EXPECT_EQ(stack->calls(), kModelCallsPerRun);
  EXPECT_EQ(h.stored_courses(), 1);
}

TEST(EngineStepRunner, CancelRacingAStepWinsAndTheStepReDecides) {
  // The model call is slow; the run is cancelled while it runs, between the step's load and its
  // commit. The commit loses its compare-and-set, the step re-reads, sees the run failed and drops
  // the event: the cancel is never overwritten and no next event appears.
  EngineHarness h;
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines({{kPartsTask, 300}})));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();
  h.deliver_all(*runner, domain::EventType::BookSummariesFound);
  auto delivery = h.lease();
  ASSERT_TRUE(delivery);

  engine::StepReport report;
  std::thread step([&] { report = runner->run(*delivery); });
  ASSERT_TRUE(test_support::wait_until([&] { return stack->limiter().in_flight() == 1; }));
  auto cancelled = h.service.cancel(id, "changed my mind");
  step.join();

  ASSERT_TRUE(cancelled) << cancelled.error().message;
  EXPECT_EQ(report.result, StepResult::duplicate) << report.message;
  auto run = h.service.run(id);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, ports::RunStatus::error);
  ASSERT_TRUE(run->error);
  EXPECT_EQ(run->error->code, "cancelled");
  EXPECT_EQ(run->phase, domain::Phase::error);
  EXPECT_EQ(stack->calls(kPartsTask), 1) << "re-deciding a finished run calls nothing";
  EXPECT_EQ(h.queued_rows(), 0) << "no PartsGenerated, and the delivery is acknowledged";
  for (const auto& entry : h.history(id)) {
    EXPECT_FALSE(entry.type == "BookSummariesFound" && entry.kind == ports::HistoryKind::step)
        << "the cancelled step left a history entry: " << entry.message;
  }
}

TEST(EngineStepRunner, LostCompareAndSetReReadsAndKeepsTheOtherWritersChange) {
  // Another writer commits while the step's model call runs (here a history note, as a retry note
  // or a status reader's bookkeeping would). The step must not overwrite it: it re-reads the newer
  // version, re-decides (the event is still new, so it is applied) and commits on top.
  EngineHarness h;
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines({{kPartsTask, 200}})));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();
  h.deliver_all(*runner, domain::EventType::BookSummariesFound);
  auto delivery = h.lease();
  ASSERT_TRUE(delivery);
  const auto before = h.service.run(id);

  engine::StepReport report;
  std::thread step([&] { report = runner->run(*delivery); });
  ASSERT_TRUE(test_support::wait_until([&] { return stack->limiter().in_flight() == 1; }));
  auto current = h.service.run(id);
  auto interloper = engine::build_note_commit(*current, delivery->event, "an interloping writer",
                                              h.clock.now_ms());
  ASSERT_EQ(h.stores.runs.commit(interloper), ports::CommitResult::committed);
  step.join();

  EXPECT_EQ(report.result, StepResult::applied) << report.message;
  auto run = h.service.run(id);
  EXPECT_EQ(run->version, before->version + 2) << "both commits count: none was overwritten";
  EXPECT_EQ(run->next_seq, before->next_seq + 1);
  const auto history = h.history(id);
  EXPECT_TRUE(has_message(history, "an interloping writer"));
  // Re-deciding re-runs the step's command: the second decision is the one committed.
  EXPECT_EQ(stack->calls(kPartsTask), 2);
  EXPECT_EQ(h.queued_rows(), 1) << "exactly one PartsGenerated";
  EXPECT_EQ(h.next_queued_type(), domain::EventType::PartsGenerated);

  h.deliver_all(*runner);
  EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::complete);
  EXPECT_EQ(h.stored_courses(), 1);
}

TEST(EngineStepRunner, TransientErrorIsRetriedLaterWithBackoff) {
  EngineHarness h;
  auto lines = test_support::valuation_lines();
  lines.insert(lines.begin(),
               test_support::error_line(kPartsTask, 503, "The server is overloaded"));
  auto stack = h.model_stack(h.cassette(lines));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();
  h.deliver_all(*runner, domain::EventType::BookSummariesFound);

  auto first = h.lease();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->event.attempt, 1);
  const auto report = runner->run(*first);
  EXPECT_EQ(report.result, StepResult::retry_scheduled);
  EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::processing);
  EXPECT_EQ(h.service.run(id)->next_seq, first->event.seq) << "a failed attempt consumes no seq";
  EXPECT_TRUE(has_message(
      h.history(id), "Attempt 1 of 6 failed (server_error (HTTP 503): The server is overloaded)"))
      << report.message;

  auto second = h.lease_waiting();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->event.event_id, first->event.event_id);
  EXPECT_EQ(second->event.seq, first->event.seq);
  EXPECT_EQ(second->event.attempt, 2);
  EXPECT_EQ(runner->run(*second).result, StepResult::applied);
  EXPECT_TRUE(has_message(h.history(id), "Delivered again (attempt 2)"));

  h.deliver_all(*runner);
  EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::complete);
  EXPECT_EQ(stack->calls(kPartsTask), 2);
  EXPECT_TRUE(h.stores.dead_letters.list().empty());
}

TEST(EngineStepRunner, RetryWaitsAtLeastTheProvidersRetryAfter) {
  EngineHarness h;
  auto lines = test_support::valuation_lines();
  lines.insert(lines.begin(), test_support::error_line(kPart0Task, 429, "slow down", 400));
  auto stack = h.model_stack(h.cassette(lines));
  auto runner = h.runner(stack->model());
  h.request();
  h.deliver_all(*runner, domain::EventType::PartsGenerated);

  auto delivery = h.lease();
  ASSERT_TRUE(delivery);
  const std::int64_t failed_at = h.clock.now_ms();
  EXPECT_EQ(runner->run(*delivery).result, StepResult::retry_scheduled);

  // Far below the 50 ms backoff cap, the provider's 400 ms decides: nothing is deliverable before.
  const auto counts = h.stores.queue.counts(failed_at + 350);
  EXPECT_EQ(counts.delayed, 1);
  EXPECT_EQ(counts.ready, 0);
  EXPECT_TRUE(h.stores.queue.lease(1, "probe", failed_at + 350, 1000).empty());
  auto later = h.stores.queue.lease(1, "probe", failed_at + 2000, 1000);
  ASSERT_EQ(later.size(), 1U);
  EXPECT_EQ(later.front().event.attempt, 2);
}

TEST(EngineStepRunner, RetryAfterLongerThanTheLimitFailsTheRunAtOnce) {
  // Issue 11, defect 5: a provider asking for a 100000000 s (3 years) wait used to schedule the
  // retry that far ahead, leaving the run processing. Above queue.max_retry_after_ms (5 minutes by
  // default) the run fails at once, saying what was asked.
  EngineHarness h;
  ASSERT_EQ(h.settings.max_retry_after_ms, 300'000) << "the documented default";
  auto lines = test_support::valuation_lines();
  lines.insert(lines.begin(), test_support::error_line(kPartsTask, 429, "slow down",
                                                       std::int64_t{100'000'000} * 1000));
  auto stack = h.model_stack(h.cassette(lines));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();

  const auto results = h.deliver_all(*runner);

  EXPECT_EQ(count(results, StepResult::retry_scheduled), 0);
  EXPECT_EQ(stack->calls(kPartsTask), 1) << "no retry is scheduled";
  auto run = h.service.run(id);
  EXPECT_EQ(run->status, ports::RunStatus::error);
  ASSERT_TRUE(run->error);
  EXPECT_EQ(run->error->code, "provider_error");
  EXPECT_NE(run->error->message.find("asked to wait 100000000 s"), std::string::npos) << run->error->message;
  EXPECT_NE(run->error->message.find("queue.max_retry_after_ms (300 s)"), std::string::npos)
      << run->error->message;
  EXPECT_NE(run->error->message.find("HTTP 429"), std::string::npos) << run->error->message;
  const auto dead = h.stores.dead_letters.list();
  ASSERT_EQ(dead.size(), 1U);
  EXPECT_EQ(dead[0].event.type(), domain::EventType::BookSummariesFound);
  EXPECT_EQ(dead[0].error_code, "provider_error");
  EXPECT_EQ(h.queued_rows(), 0);
}

TEST(EngineStepRunner, RetryAfterWithinTheLimitIsStillHonoured) {
  auto settings = test_support::fast_engine_settings();
  settings.max_retry_after_ms = 400;
  EngineHarness h(settings);
  auto lines = test_support::valuation_lines();
  lines.insert(lines.begin(), test_support::error_line(kPartsTask, 429, "slow down", 400));
  auto stack = h.model_stack(h.cassette(lines));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();

  h.deliver_all(*runner);

  EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::complete) << "exactly the limit is waited for";
  EXPECT_EQ(stack->calls(kPartsTask), 2);
}

TEST(EngineStepRunner, RetryAfterNearTheInt64LimitNeverWrapsIntoThePast) {
  // With the limit lifted, a Retry-After near INT64_MAX must schedule the retry at the end of
  // time, not wrap `now + delay` around into the past (it used to: every retry ran at once).
  auto settings = test_support::fast_engine_settings();
  settings.max_retry_after_ms = std::numeric_limits<std::int64_t>::max();
  EngineHarness h(settings);
  auto lines = test_support::valuation_lines();
  lines.insert(lines.begin(), test_support::error_line(kPartsTask, 429, "slow down",
                                                       std::numeric_limits<std::int64_t>::max() - 1));
  auto stack = h.model_stack(h.cassette(lines));
  auto runner = h.runner(stack->model());
  h.request();
  h.deliver_all(*runner, domain::EventType::BookSummariesFound);

  auto delivery = h.lease();
  ASSERT_TRUE(delivery);
  const std::int64_t failed_at = h.clock.now_ms();
  EXPECT_EQ(runner->run(*delivery).result, StepResult::retry_scheduled);

  constexpr std::int64_t kCentury = 100LL * 365 * 24 * 3600 * 1000;
  const auto counts = h.stores.queue.counts(failed_at + kCentury);
  EXPECT_EQ(counts.delayed, 1);
  EXPECT_EQ(counts.ready, 0);
  EXPECT_TRUE(h.stores.queue.lease(1, "probe", failed_at + kCentury, 1000).empty());
  EXPECT_EQ(stack->calls(kPartsTask), 1);
}

TEST(EngineStepRunner, ThrownStepIsRetriedWithTheJitteredBackoff) {
  // Issue 11, defect 5: a step that threw used to come back after a fixed backoff_base_ms, with no
  // jitter, so steps failing together retried together. It now draws from the same window as a
  // transient failure: [0, min(cap, base · 2^(attempt−1))].
  auto settings = test_support::fast_engine_settings();
  settings.backoff_base_ms = 1'000;
  settings.backoff_cap_ms = 60'000;
  EngineHarness h(settings);
  test_support::TopOfWindowRandom random;
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model(), nullptr, &random);
  h.request();
  auto delivery = h.lease();
  ASSERT_TRUE(delivery);
  ASSERT_EQ(delivery->event.attempt, 1);

  const std::int64_t before = h.clock.now_ms();
  const auto report = runner->after_exception(*delivery, "the disk refused the write");
  EXPECT_EQ(report.result, StepResult::retry_scheduled) << report.message;
  const auto windows = random.windows();
  ASSERT_EQ(windows.size(), 1U);
  EXPECT_EQ(windows[0], std::make_pair(std::int64_t{0}, std::int64_t{1'000}));
  // The draw (the top of the window) decides when the event is deliverable again.
  EXPECT_TRUE(h.stores.queue.lease(1, "probe", before + 999, 1000).empty());
  auto second = h.stores.queue.lease(1, "probe", h.clock.now_ms() + 1'000, 1000);
  ASSERT_EQ(second.size(), 1U);
  EXPECT_EQ(second[0].event.attempt, 2);

  EXPECT_EQ(runner->after_exception(second[0], "again").result, StepResult::retry_scheduled);
  ASSERT_EQ(random.windows().size(), 2U);
  EXPECT_EQ(random.windows()[1], std::make_pair(std::int64_t{0}, std::int64_t{2'000}))
      << "the window doubles with the attempt";
}

TEST(EngineStepRunner, TransientUntilTheLastDeliveryFailsAsRetriesExhausted) {
  EngineHarness h;
  auto lines = test_support::valuation_lines();
  lines[0] = test_support::error_line(kPartsTask, 500, "internal error");  // every attempt fails
  auto stack = h.model_stack(h.cassette(lines));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();

  const auto results = h.deliver_all(*runner);

  EXPECT_EQ(count(results, StepResult::retry_scheduled), 5);
  EXPECT_EQ(stack->calls(kPartsTask), 6) << "6 deliveries in all: the first try and 5 retries";
  auto run = h.service.run(id);
  EXPECT_EQ(run->status, ports::RunStatus::error);
  ASSERT_TRUE(run->error);
  EXPECT_EQ(run->error->code, "retries_exhausted");
  EXPECT_NE(run->error->message.find("6 attempts"), std::string::npos) << run->error->message;
  EXPECT_NE(run->error->message.find("HTTP 500"), std::string::npos) << run->error->message;

  const auto history = h.history(id);
  for (int attempt = 1; attempt <= 5; ++attempt) {
    EXPECT_TRUE(has_message(history, "Attempt " + std::to_string(attempt) + " of 6 failed"))
        << attempt;
  }
  EXPECT_FALSE(has_message(history, "Attempt 6 of 6 failed"));
  EXPECT_EQ(history.back().kind, ports::HistoryKind::error);

  const auto dead = h.stores.dead_letters.list();
  ASSERT_EQ(dead.size(), 1U);
  EXPECT_EQ(dead[0].course_id, id);
  EXPECT_EQ(dead[0].event.type(), domain::EventType::BookSummariesFound);
  EXPECT_EQ(dead[0].attempts, 6);
  EXPECT_EQ(dead[0].error_code, "retries_exhausted");
  EXPECT_EQ(h.queued_rows(), 0);
  EXPECT_EQ(h.stored_courses(), 0);
}

TEST(EngineStepRunner, ADeliveryAfterMaxUnfinishedOnesIsDeadLetteredWithoutRunningTheStep) {
  // Issue 11, defect 1 (poison events): deliveries that never finished (their worker died in the
  // step, or its lease ran out) used to be redelivered without limit. They count as attempts: the
  // delivery after max_deliveries of them fails the run without calling the model.
  auto settings = test_support::fast_engine_settings();
  settings.max_deliveries = 3;
  EngineHarness h(settings);
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();
  h.deliver_all(*runner, domain::EventType::BookSummariesFound);

  // Three deliveries abandoned mid-step: each lease runs out unfinished.
  std::int64_t t = h.clock.now_ms();
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto abandoned = h.stores.queue.lease(1, "crashing-worker", t, 10);
    ASSERT_EQ(abandoned.size(), 1U);
    EXPECT_EQ(abandoned[0].event.attempt, attempt);
    t += 20;
  }
  auto poison = h.stores.queue.lease(1, "test-worker", std::max(t, h.clock.now_ms()), settings.lease_ms);
  ASSERT_EQ(poison.size(), 1U);
  ASSERT_EQ(poison[0].event.attempt, 4);
  ASSERT_EQ(poison[0].event.type(), domain::EventType::BookSummariesFound);

  EXPECT_EQ(runner->run(poison[0]).result, StepResult::applied);

  EXPECT_EQ(stack->calls(), 0) << "the step is not run again";
  auto run = h.service.run(id);
  EXPECT_EQ(run->status, ports::RunStatus::error);
  ASSERT_TRUE(run->error);
  EXPECT_EQ(run->error->code, "retries_exhausted");
  EXPECT_NE(run->error->message.find("delivered 3 times and never finished"), std::string::npos)
      << run->error->message;
  EXPECT_NE(run->error->message.find("the lease of crashing-worker ran out"), std::string::npos)
      << run->error->message;
  const auto dead = h.stores.dead_letters.list();
  ASSERT_EQ(dead.size(), 1U);
  EXPECT_EQ(dead[0].event.type(), domain::EventType::BookSummariesFound);
  EXPECT_EQ(dead[0].attempts, 3) << "the deliveries that ran";
  EXPECT_EQ(dead[0].error_code, "retries_exhausted");
  EXPECT_EQ(h.queued_rows(), 0);

  // Replayed, the step runs again from attempt 1 and the run completes.
  ASSERT_TRUE(h.service.replay(id));
  h.deliver_all(*runner);
  EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::complete);
  EXPECT_EQ(stack->calls(), kModelCallsPerRun);
  EXPECT_TRUE(h.stores.dead_letters.list().empty());
}

TEST(EngineStepRunner, TheLastAllowedDeliveryStillRunsTheStep) {
  auto settings = test_support::fast_engine_settings();
  settings.max_deliveries = 3;
  EngineHarness h(settings);
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();
  h.deliver_all(*runner, domain::EventType::BookSummariesFound);
  std::int64_t t = h.clock.now_ms();
  for (int attempt = 1; attempt <= 2; ++attempt) {
    ASSERT_EQ(h.stores.queue.lease(1, "crashing-worker", t, 10).size(), 1U);
    t += 20;
  }
  auto last = h.stores.queue.lease(1, "test-worker", std::max(t, h.clock.now_ms()), settings.lease_ms);
  ASSERT_EQ(last.size(), 1U);
  ASSERT_EQ(last[0].event.attempt, 3);
  EXPECT_EQ(runner->run(last[0]).result, StepResult::applied);
  EXPECT_EQ(stack->calls(kPartsTask), 1);
  h.deliver_all(*runner);
  EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::complete);
}

// Refuses the first `refusals` calls as an open circuit breaker would (the provider is not called),
// then answers from `inner`.
class OpenCircuitFirst final : public ports::LanguageModel {
 public:
  OpenCircuitFirst(ports::LanguageModel& inner, int refusals) : inner_(inner), left_(refusals) {}
  ports::LlmResult complete(const domain::LlmRequest& request, const ports::CallContext& context) override {
    if (left_.fetch_sub(1) > 0) {
      return ports::ProviderError{ports::kCircuitOpen, "the provider is failing; not calling it for 1 ms", true, 0, 1};
    }
    return inner_.complete(request, context);
  }
  std::string name() const override { return inner_.name(); }

 private:
  ports::LanguageModel& inner_;
  std::atomic<int> left_;
};

// The queue counts every delivery (as a broker does); deliveries held back by an open circuit are
// counted as given back in the run, so they spend none of the step's attempts.
TEST(EngineStepRunner, AnOpenCircuitSpendsNoAttemptsHoweverOftenItHoldsTheStepBack) {
  auto settings = test_support::fast_engine_settings();
  settings.max_deliveries = 3;
  EngineHarness h(settings);
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  OpenCircuitFirst model(stack->model(), settings.max_deliveries + 4);
  auto runner = h.runner(model);
  const std::string id = h.request();
  h.deliver_all(*runner, domain::EventType::BookSummariesFound);

  int held_back = 0;
  for (;;) {
    auto delivery = h.lease_waiting();
    ASSERT_TRUE(delivery);
    const auto report = runner->run(*delivery);
    if (report.result != StepResult::retry_scheduled) {
      EXPECT_EQ(report.result, StepResult::applied);
      EXPECT_EQ(delivery->event.attempt, settings.max_deliveries + 5) << "the queue counted every delivery";
      break;
    }
    ++held_back;
    EXPECT_EQ(h.service.run(id)->postponed, held_back);
  }
  EXPECT_EQ(held_back, settings.max_deliveries + 4);
  EXPECT_EQ(h.service.run(id)->postponed, 0) << "the run moved on";
  EXPECT_FALSE(has_message(h.history(id), "Delivered again")) << "the step ran at its first counted attempt";
  h.deliver_all(*runner);
  EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::complete);
  EXPECT_TRUE(h.stores.dead_letters.list().empty());
}

// A worker that stops gives back what it leased but never ran; those deliveries are not attempts.
TEST(EngineStepRunner, ADeliveryGivenBackUnrunIsNotCountedAsAnAttempt) {
  auto settings = test_support::fast_engine_settings();
  settings.max_deliveries = 2;
  EngineHarness h(settings);
  auto stack = h.model_stack(h.cassette(test_support::valuation_lines()));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();
  h.deliver_all(*runner, domain::EventType::BookSummariesFound);
  for (int i = 0; i < 4; ++i) {
    auto delivery = h.lease_waiting();
    ASSERT_TRUE(delivery);
    runner->give_back(*delivery, "the worker stopped before running the step");
  }
  EXPECT_EQ(h.service.run(id)->postponed, 4);
  auto delivery = h.lease_waiting();
  ASSERT_TRUE(delivery);
  EXPECT_EQ(delivery->event.attempt, 5);
  EXPECT_EQ(runner->run(*delivery).result, StepResult::applied) << "not a poison event: nothing ran before";
  h.deliver_all(*runner);
  EXPECT_EQ(h.service.run(id)->status, ports::RunStatus::complete);
  EXPECT_EQ(stack->calls(kPartsTask), 1);
}

TEST(EngineStepRunner, PermanentErrorFailsAtOnceIntoTheDeadLetters) {
  EngineHarness h;
  auto lines = test_support::valuation_lines();
  lines[1] = test_support::error_line(kPart0Task, 401, "Incorrect API key provided.");
  auto stack = h.model_stack(h.cassette(lines));
  auto runner = h.runner(stack->model());
  const std::string id = h.request();

  const auto results = h.deliver_all(*runner);

  EXPECT_EQ(count(results, StepResult::retry_scheduled), 0);
  EXPECT_EQ(stack->calls(kPart0Task), 1) << "a permanent error is not retried";
  EXPECT_EQ(stack->calls(kPart1Task), 0);
  auto run = h.service.run(id);
  EXPECT_EQ(run->status, ports::RunStatus::error);
  ASSERT_TRUE(run->error);
  EXPECT_EQ(run->error->code, "provider_error");
  EXPECT_NE(run->error->message.find("HTTP 401"), std::string::npos) << run->error->message;
  EXPECT_TRUE(run->state) << "kept, so that the run can be replayed";

  const auto dead = h.stores.dead_letters.list();
  ASSERT_EQ(dead.size(), 1U);
  EXPECT_EQ(dead[0].event.type(), domain::EventType::PartsGenerated);
  EXPECT_EQ(dead[0].attempts, 1);
  EXPECT_EQ(dead[0].error_code, "provider_error");
  EXPECT_EQ(h.queued_rows(), 0);
  EXPECT_EQ(h.stored_courses(), 0);
}

}  // namespace
