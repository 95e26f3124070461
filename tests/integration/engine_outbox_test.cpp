// The engine's distributed hand-off (DESIGN.md §3, "Atomic hand-off"), run with a run store that
// does not hand events off itself (test_support::MemoryRunStore, hands_off_events() false) beside
// the real SQLite queue, course repository and library: every step commits its next event into the
// record's outbox, then the engine publishes it, clears the outbox and acknowledges the delivery.
//
// The first event of a run goes the same way: RunStore::create keeps it in the outbox and
// CourseService::request_course publishes it and clears the outbox. A publisher that dies between
// commit and publish is repaired by the redelivery of its step or by a worker's relay pass
// (engine/outbox_relay.h).
#include <algorithm>

#include <gtest/gtest.h>

#include "integration/engine_harness.h"
#include "engine/outbox_relay.h"
#include "support/memory_run_store.h"

namespace {

using namespace docprof;
using engine::StepResult;
using test_support::kModelCallsPerRun;
using test_support::kPartsTask;
using test_support::kRowsPerCourse;
using test_support::kStepsPerRun;

// A model's answer to a revision (issue 17): a 3-hour outline.
constexpr const char* kRevisedAnswer =
    "Course length: 180 minutes\n\n"
    "## Part 1: Cash Flows\n\n"
    "### Section 1: Free Cash Flow - 90 minutes\nLearning objectives:\n- Compute it\n- Forecast it\n\n"
    "## Part 2: Value\n\n"
    "### Section 1: Discounting - 90 minutes\nLearning objectives:\n- Estimate the WACC\n- Discount\n";

// The embedded adapters on one database file, but runs kept by a MemoryRunStore.
class OutboxHarness {
 public:
  OutboxHarness()
      : db(adapters::sqlite::SqliteDatabase::open_and_migrate(dir.file("docprof.db"))),
        queue(db),
        courses(db),
        library(db, adapters::embed::default_analyzer()),
        runs(&courses),
        service(runs, queue, runs, courses, clock, ids, settings.workflow),
        library_service(library, embedder, clock) {
    for (const char* book : test_support::kValuationBooks) {
      test_support::import_book_file(library_service, test_support::sample_book(book));
    }
    auto lines = test_support::valuation_lines();
    lines.push_back(test_support::answer_line(std::string(domain::kReviseOutlineTask), kRevisedAnswer));
    model_stack = std::make_unique<test_support::ModelStack>(
        test_support::write_cassette(dir.path() / "cassette.jsonl", lines),
        dir.path() / "calls.jsonl", settings.max_model_calls);
    runner = std::make_unique<engine::StepRunner>(
        engine::StepPorts{runs, queue, runs, model_stack->model(), embedder, library, clock, ids, nullptr}, settings);
  }

  std::string request() {
    domain::RawCourseRequest raw;
    raw.query = "Corporate valuation: discounted cash flow, cost of capital and valuation multiples";
    raw.hours = 2.0;
    auto id = service.request_course("user-1", raw);
    if (!id) throw std::runtime_error("request_course failed: " + id.error().message);
    return id.value();
  }

  // The queue's time: the wall clock plus `skew_ms`, so a test can let leases run out without
  // waiting for them.
  std::int64_t queue_now() { return clock.now_ms() + skew_ms; }

  std::optional<ports::Delivery> lease() {
    auto leased = queue.lease(1, "test-worker", queue_now(), settings.lease_ms);
    if (leased.empty()) return std::nullopt;
    return leased.front();
  }

  // Runs deliveries one at a time until the queue is idle; the outbox must be empty after each.
  std::vector<StepResult> deliver_all(const std::string& course_id) {
    std::vector<StepResult> results;
    for (int guard = 0; guard < 100; ++guard) {
      auto delivery = lease();
      if (!delivery) {
        if (queue.counts(queue_now()).idle()) return results;
        throw std::runtime_error("a delivery is delayed: the clean run should need no retry");
      }
      results.push_back(runner->run(*delivery).result);
      EXPECT_FALSE(runs.load(course_id)->outbox.has_value())
          << "published and cleared after " << domain::to_string(delivery->event.type());
    }
    throw std::runtime_error("more than 100 deliveries");
  }

  // Members in construction order.
  test_support::TempDir dir{"docprof-outbox"};
  engine::EngineSettings settings = test_support::fast_engine_settings();
  engine::SystemClock clock;
  engine::UuidSource ids;
  adapters::embed::HashingEmbedder embedder;
  std::shared_ptr<adapters::sqlite::SqliteDatabase> db;
  adapters::sqlite::SqliteEventQueue queue;
  adapters::sqlite::SqliteCourseRepository courses;
  adapters::sqlite::SqliteLibrary library;
  test_support::MemoryRunStore runs;
  engine::CourseService service;
  engine::LibraryService library_service;
  std::unique_ptr<test_support::ModelStack> model_stack;
  std::unique_ptr<engine::StepRunner> runner;
  std::int64_t skew_ms = 0;
};

int count(const std::vector<StepResult>& results, StepResult wanted) {
  return static_cast<int>(std::count(results.begin(), results.end(), wanted));
}

TEST(EngineOutbox, AWholeRunCompletesThroughTheOutboxOfAStoreThatDoesNotHandOffEvents) {
  OutboxHarness h;
  ASSERT_FALSE(h.runs.hands_off_events());
  const std::string id = h.request();
  EXPECT_FALSE(h.runs.load(id)->outbox.has_value()) << "request_course published the first event";
  ASSERT_EQ(h.queue.counts(h.queue_now()).ready, 1) << "the first event is queued once";

  const auto results = h.deliver_all(id);
  EXPECT_EQ(count(results, StepResult::applied), kStepsPerRun);
  EXPECT_EQ(static_cast<int>(results.size()), kStepsPerRun);
  const auto run = h.runs.load(id);
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->status, ports::RunStatus::complete);
  EXPECT_EQ(run->next_seq, kStepsPerRun);
  EXPECT_FALSE(run->state.has_value());
  EXPECT_FALSE(run->outbox.has_value());
  EXPECT_EQ(run->version, kStepsPerRun);
  EXPECT_TRUE(h.queue.counts(h.queue_now()).idle()) << "every delivery was acknowledged by the engine";
  EXPECT_EQ(h.model_stack->calls(), kModelCallsPerRun);
  const auto stored = h.courses.get(id);
  ASSERT_TRUE(stored.has_value()) << "the store step's course reached the repository";
  EXPECT_EQ(static_cast<int>(stored->sections.size()), kRowsPerCourse);
  const auto history = h.runs.history(id, 0);
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().kind, ports::HistoryKind::complete);
  EXPECT_TRUE(h.runs.list().empty());
}

// A revision (issue 17) through the outbox: request_revision publishes its first event and clears
// the outbox, each step's next event goes the same way, and the revised outline is stored with the
// completed section as it was.
TEST(EngineOutbox, ARevisionRunsThroughTheOutboxToo) {
  OutboxHarness h;
  const std::string id = h.request();
  h.deliver_all(id);
  const auto course = h.courses.get(id).value();
  const domain::CourseSection* first = nullptr;
  for (const auto& row : course.sections) {
    if (row.parent_section_id && first == nullptr) first = &row;
  }
  ASSERT_NE(first, nullptr);
  ASSERT_TRUE(h.courses.set_section_status(id, first->section_id, domain::SectionStatus::completed, h.clock.now_ms()));
  domain::CourseSection done;
  const auto completed = h.courses.get(id).value();
  for (const auto& row : completed.sections) {
    if (row.section_id == first->section_id) done = row;
  }

  auto revision = h.service.request_revision("user-1", id, "make it 3 hours", engine::CourseService::RevisionChecks{});
  ASSERT_TRUE(revision.ok()) << revision.error().message;
  EXPECT_FALSE(h.runs.load(id)->outbox.has_value()) << "request_revision published the first event";
  ASSERT_EQ(h.queue.counts(h.queue_now()).ready, 1);
  const auto results = h.deliver_all(id);
  EXPECT_EQ(count(results, StepResult::applied), 3);  // RevisionRequested, OutlineRevised, RevisionStored
  const auto run = h.runs.load(id).value();
  EXPECT_EQ(run.status, ports::RunStatus::complete);
  EXPECT_EQ(run.revision, 1);
  const auto revised = h.courses.get(id).value();
  EXPECT_DOUBLE_EQ(revised.course.estimated_hours, 3.0);
  int found = 0;
  for (const auto& row : revised.sections) {
    if (row.section_id != done.section_id) continue;
    ++found;
    domain::CourseSection same = row;
    same.order_index = done.order_index;
    EXPECT_EQ(same, done);
  }
  EXPECT_EQ(found, 1);
}

// A worker that dies between its commit and the publish leaves the next event only in the outbox;
// the redelivery of the step's event is a duplicate, which publishes the outbox again, clears it
// and acknowledges — without asking the model again.
TEST(EngineOutbox, ACrashBetweenTheCommitAndThePublishIsRepairedByTheRedelivery) {
  OutboxHarness h;
  const std::string id = h.request();
  for (;;) {  // up to the step that asks the model for the parts
    auto delivery = h.lease();
    ASSERT_TRUE(delivery.has_value());
    if (delivery->event.type() == domain::EventType::BookSummariesFound) {
      h.runs.crash_after_next_commit();
      EXPECT_THROW(h.runner->run(*delivery), std::runtime_error);
      break;
    }
    ASSERT_EQ(h.runner->run(*delivery).result, StepResult::applied);
  }
  const auto after_crash = h.runs.load(id);
  ASSERT_TRUE(after_crash->outbox.has_value());
  EXPECT_EQ(after_crash->outbox->type(), domain::EventType::PartsGenerated);
  auto counts = h.queue.counts(h.queue_now());
  EXPECT_EQ(counts.ready, 0) << "nothing was published";
  EXPECT_EQ(counts.leased, 1) << "nor acknowledged";
  EXPECT_EQ(h.model_stack->calls(kPartsTask), 1);

  h.skew_ms = h.settings.lease_ms + 1;  // the dead worker's lease runs out
  const auto redelivered = h.lease();
  ASSERT_TRUE(redelivered.has_value());
  EXPECT_EQ(redelivered->event.type(), domain::EventType::BookSummariesFound);
  EXPECT_EQ(redelivered->event.attempt, 2);
  EXPECT_EQ(h.runner->run(*redelivered).result, StepResult::duplicate);
  EXPECT_FALSE(h.runs.load(id)->outbox.has_value());
  counts = h.queue.counts(h.queue_now());
  EXPECT_EQ(counts.ready, 1) << "the outbox event, published again";
  EXPECT_EQ(counts.leased, 0);

  h.deliver_all(id);
  EXPECT_EQ(h.runs.load(id)->status, ports::RunStatus::complete);
  EXPECT_EQ(h.model_stack->calls(kPartsTask), 1) << "the crashed step's model call was not repeated";
  EXPECT_EQ(h.model_stack->calls(), kModelCallsPerRun);
  ASSERT_TRUE(h.courses.get(id).has_value());
  EXPECT_EQ(static_cast<int>(h.courses.get(id)->sections.size()), kRowsPerCourse);
}

// The same crash, repaired by a worker's relay pass instead: an outbox event older than the relay's
// age is published and cleared; a younger one is left to its publisher.
TEST(EngineOutbox, TheRelayPassPublishesAnOutboxEventItsPublisherLeftBehind) {
  OutboxHarness h;
  const std::string id = h.request();
  for (;;) {
    auto delivery = h.lease();
    ASSERT_TRUE(delivery.has_value());
    if (delivery->event.type() == domain::EventType::BookSummariesFound) {
      h.runs.crash_after_next_commit();
      EXPECT_THROW(h.runner->run(*delivery), std::runtime_error);
      break;
    }
    ASSERT_EQ(h.runner->run(*delivery).result, StepResult::applied);
  }
  const auto left = h.runs.load(id)->outbox;
  ASSERT_TRUE(left.has_value());
  const std::int64_t committed_at = h.runs.load(id)->updated_at_ms;
  const std::int64_t age = h.settings.outbox_relay_ms;
  EXPECT_EQ(engine::relay_outbox(h.runs, h.queue, committed_at + age - 1, age), 0) << "too young";
  EXPECT_EQ(engine::relay_outbox(h.runs, h.queue, committed_at + age, age), 1);
  EXPECT_FALSE(h.runs.load(id)->outbox.has_value());
  h.skew_ms = age;  // the queue's time catches up with the relay's
  const auto published = h.lease();
  ASSERT_TRUE(published.has_value());
  EXPECT_EQ(published->event.event_id, left->event_id);
  EXPECT_EQ(published->event.type(), domain::EventType::PartsGenerated);
  EXPECT_EQ(engine::relay_outbox(h.runs, h.queue, committed_at + 10 * age, age), 0) << "nothing left";
}

// A replay through a store that does not hand off events: the reopened run's event is published
// from the outbox with a new event id, and the run completes.
TEST(EngineOutbox, AReplayIsPublishedThroughTheOutboxWithANewEventId) {
  OutboxHarness h;
  const std::string id = h.request();
  auto first = h.lease();
  ASSERT_TRUE(first.has_value());
  // Fail the run as the engine does after the last delivery.
  h.settings.max_deliveries = 1;
  engine::StepRunner failing(engine::StepPorts{h.runs, h.queue, h.runs, h.model_stack->model(), h.embedder,
                                               h.library, h.clock, h.ids, nullptr},
                             h.settings);
  failing.after_exception(*first, "a step that crashed");
  ASSERT_EQ(h.runs.load(id)->status, ports::RunStatus::error);
  const auto letters = h.runs.list();
  ASSERT_EQ(letters.size(), 1u);
  auto replayed = h.service.replay(id);
  ASSERT_TRUE(replayed) << replayed.error().message;
  EXPECT_FALSE(h.runs.load(id)->outbox.has_value());
  EXPECT_TRUE(h.runs.list().empty());
  const auto again = h.lease();
  ASSERT_TRUE(again.has_value());
  EXPECT_NE(again->event.event_id, letters[0].event.event_id);
  EXPECT_EQ(again->event.seq, letters[0].event.seq);
  EXPECT_EQ(h.runner->run(*again).result, StepResult::applied);
  h.deliver_all(id);
  EXPECT_EQ(h.runs.load(id)->status, ports::RunStatus::complete);
}

}  // namespace
