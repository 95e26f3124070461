// SqliteRunStore against a real database file: record round trips, compare-and-set commits, the
// atomic hand-off of a step (history + next event + acknowledgement in one transaction), history
// reads, listing, removal and the state janitor.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "adapters/sqlite/sqlite_dead_letters.h"
#include "contract/contract_samples.h"
#include "adapters/sqlite/sqlite_event_queue.h"
#include "adapters/sqlite/sqlite_run_store.h"
#include "integration/temp_dir.h"

namespace {

using namespace docprof;
using adapters::sqlite::Session;
using adapters::sqlite::SqliteDatabase;
using adapters::sqlite::SqliteEventQueue;
using adapters::sqlite::SqliteRunStore;
using test_support::TempDir;

// The run store's contract suite's samples (tests/contract/contract_samples.h): the same events,
// records and history entries.
using contract::event;
using contract::kDay;
using contract::kLease;
using contract::kT0;
using contract::requested;
using contract::sample_record;
using contract::sample_state;

ports::HistoryEntry entry(std::int64_t seq, const std::string& type, std::string message,
                          ports::HistoryKind kind = ports::HistoryKind::step) {
  return contract::history_entry(seq, type, std::move(message), kind);
}

class SqliteRunStoreTest : public ::testing::Test {
 protected:
  SqliteRunStoreTest()
      : db_(SqliteDatabase::open_and_migrate(dir_.file("docprof.db"))), store_(db_), queue_(db_), dead_letters_(db_) {}

  // Creates a run and leases its first event, as a worker would before a step.
  ports::Delivery create_and_lease(const std::string& course_id) {
    EXPECT_TRUE(store_.create(sample_record(course_id), requested(course_id),
                              entry(0, "CourseRequested", "requested")));
    auto leased = queue_.lease(1, "worker-a", kT0, kLease);
    EXPECT_EQ(leased.size(), 1u);
    return leased.at(0);
  }

  std::int64_t queue_rows() {
    return db_->read([](Session& s) {
      auto row = s.query("SELECT count(*) FROM event_queue");
      row.step();
      return row.int64(0);
    });
  }

  TempDir dir_;
  std::shared_ptr<SqliteDatabase> db_;
  SqliteRunStore store_;
  SqliteEventQueue queue_;
  adapters::sqlite::SqliteDeadLetters dead_letters_;
};

TEST_F(SqliteRunStoreTest, HandsOffEventsItself) {
  EXPECT_TRUE(store_.hands_off_events());
}

TEST_F(SqliteRunStoreTest, CreateThenLoadRoundTripsEveryFieldIncludingState) {
  auto record = sample_record("c1");
  record.error = domain::Error{"some_code", "some message"};
  record.usage = {1, 2, 3};
  record.parts_count = 4;
  record.current_part_index = 2;
  record.phase = domain::Phase::generating_parts;
  record.outbox = event("c1", 5, domain::AllPartsComplete{});
  ASSERT_TRUE(store_.create(record, requested("c1"), entry(0, "CourseRequested", "requested")));
  const auto loaded = store_.load("c1");
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->course_id, "c1");
  EXPECT_EQ(loaded->user_id, record.user_id);
  EXPECT_EQ(loaded->query, record.query);
  EXPECT_DOUBLE_EQ(loaded->hours, 2.5);
  EXPECT_EQ(loaded->preferences, record.preferences);
  EXPECT_EQ(loaded->status, ports::RunStatus::processing);
  EXPECT_EQ(loaded->phase, domain::Phase::generating_parts);
  EXPECT_EQ(loaded->next_seq, 1);
  EXPECT_EQ(loaded->title, record.title);
  EXPECT_EQ(loaded->parts_count, 4);
  EXPECT_EQ(loaded->current_part_index, 2);
  EXPECT_EQ(loaded->error, record.error);
  EXPECT_EQ(loaded->usage, record.usage);
  EXPECT_EQ(loaded->version, 0);
  EXPECT_EQ(loaded->state, record.state);
  EXPECT_EQ(loaded->outbox, record.outbox);
  EXPECT_EQ(loaded->created_at_ms, kT0);
  EXPECT_EQ(loaded->updated_at_ms, kT0);
  EXPECT_EQ(loaded->expires_at_ms, kT0 + 7 * kDay);
}

TEST_F(SqliteRunStoreTest, LoadOfAnUnknownRunIsEmpty) {
  EXPECT_FALSE(store_.load("nope").has_value());
}

TEST_F(SqliteRunStoreTest, CreateEnqueuesTheFirstEventAndTheFirstHistoryEntry) {
  ASSERT_TRUE(store_.create(sample_record("c1"), requested("c1"),
                            entry(0, "CourseRequested", "requested")));
  const auto leased = queue_.lease(5, "worker-a", kT0, kLease);
  ASSERT_EQ(leased.size(), 1u);
  EXPECT_EQ(leased[0].event.event_id, "c1/event/0");
  EXPECT_EQ(leased[0].event.attempt, 1);
  const auto history = store_.history("c1", 0);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].type, "CourseRequested");
  EXPECT_EQ(history[0].message, "requested");
  EXPECT_EQ(history[0].course_id, "c1");
}

TEST_F(SqliteRunStoreTest, CreatingAnExistingCourseFailsAndChangesNothing) {
  ASSERT_TRUE(
      store_.create(sample_record("c1"), requested("c1"), entry(0, "CourseRequested", "first")));
  auto other = sample_record("c1", "user-2");
  auto second_event = requested("c1");
  second_event.event_id = "another-event";
  EXPECT_FALSE(store_.create(other, second_event, entry(0, "CourseRequested", "second")));
  EXPECT_EQ(store_.load("c1")->user_id, "user-1");
  EXPECT_EQ(store_.history("c1", 0).size(), 1u);
  EXPECT_EQ(queue_rows(), 1);
}

TEST_F(SqliteRunStoreTest, CommitBumpsTheVersionAndSavesTheRecord) {
  ASSERT_TRUE(
      store_.create(sample_record("c1"), requested("c1"), entry(0, "CourseRequested", "r")));
  ports::StepCommit step;
  step.record = *store_.load("c1");
  step.expected_version = 0;
  step.record.phase = domain::Phase::searching_books;
  step.record.next_seq = 2;
  step.record.state->last_seq = 1;
  step.record.version = 42;  // ignored: the store sets the version
  ASSERT_EQ(store_.commit(step), ports::CommitResult::committed);
  const auto loaded = store_.load("c1");
  EXPECT_EQ(loaded->version, 1);
  EXPECT_EQ(loaded->phase, domain::Phase::searching_books);
  EXPECT_EQ(loaded->next_seq, 2);
  EXPECT_EQ(loaded->state->last_seq, 1);
}

TEST_F(SqliteRunStoreTest, StaleCommitLosesTheRaceAndWritesNothing) {
  const auto delivery = create_and_lease("c1");
  ports::StepCommit first;
  first.record = *store_.load("c1");
  first.expected_version = 0;
  first.record.next_seq = 5;
  ASSERT_EQ(store_.commit(first), ports::CommitResult::committed);

  ports::StepCommit stale = first;
  stale.record.next_seq = 99;
  stale.history = {entry(1, "EmbeddingGenerated", "stale")};
  stale.next_event = event("c1", 1, domain::AllPartsComplete{});
  ports::DeadLetter dead;
  dead.course_id = "c1";
  dead.event = delivery.event;
  stale.dead_letter = dead;
  EXPECT_EQ(store_.commit(consuming(stale, delivery)), ports::CommitResult::lost_race);

  const auto loaded = store_.load("c1");
  EXPECT_EQ(loaded->version, 1);
  EXPECT_EQ(loaded->next_seq, 5);
  EXPECT_EQ(store_.history("c1", 0).size(), 1u);           // no history appended
  EXPECT_EQ(queue_rows(), 1);                              // no next event; delivery not acked
  EXPECT_EQ(queue_.counts(kT0).leased, 1);                 // still leased to the worker
  EXPECT_TRUE(dead_letters_.list().empty());              // no dead letter
  EXPECT_TRUE(queue_.extend(delivery, kT0 + 2 * kLease));  // the lease is intact
}

TEST_F(SqliteRunStoreTest, CommitHandsOffAtomically) {
  const auto delivery = create_and_lease("c1");
  ports::StepCommit step;
  step.record = *store_.load("c1");
  step.expected_version = 0;
  step.record.next_seq = 2;
  step.record.updated_at_ms = kT0 + 100;
  step.history = {entry(0, "CourseRequested", "embedded"),
                  entry(0, "CourseRequested", "a note", ports::HistoryKind::note)};
  step.next_event = event("c1", 1, domain::EmbeddingGenerated{{0.5f, -0.5f}, "m", {}});
  ASSERT_EQ(store_.commit(consuming(step, delivery)), ports::CommitResult::committed);

  const auto history = store_.history("c1", 0);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[1].message, "embedded");
  EXPECT_EQ(history[2].kind, ports::HistoryKind::note);
  EXPECT_EQ(queue_rows(), 1);  // the delivered row is gone, the next event is queued
  const auto next = queue_.lease(5, "worker-b", kT0 + 100, kLease);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].event.seq, 1);
  EXPECT_EQ(next[0].event.attempt, 1);
  EXPECT_EQ(next[0].event.payload, step.next_event->payload);
}

TEST_F(SqliteRunStoreTest, CommitIsAllOrNothingWhenAPartFails) {
  ASSERT_TRUE(
      store_.create(sample_record("c1"), requested("c1"), entry(0, "CourseRequested", "r")));
  ports::StepCommit step;
  step.record = *store_.load("c1");
  step.expected_version = 0;
  step.history = {entry(1, "EmbeddingGenerated", "x")};
  // Two sections with one id: the course write fails after the CAS update and the history.
  ports::StoredCourse course;
  course.course.course_id = "c1";
  course.course.user_id = "u";
  course.course.title = "T";
  course.sections.resize(2);
  for (auto& section : course.sections) {
    section.section_id = "s-same";
    section.course_id = "c1";
    section.title = "S";
  }
  step.course = course;
  EXPECT_ANY_THROW(store_.commit(step));
  EXPECT_EQ(store_.load("c1")->version, 0);
  EXPECT_EQ(store_.history("c1", 0).size(), 1u);
}

TEST_F(SqliteRunStoreTest, CommitWithADeadLetterKeepsTheFailedEvent) {
  const auto delivery = create_and_lease("c1");
  ports::StepCommit step;
  step.record = *store_.load("c1");
  step.expected_version = 0;
  step.record.status = ports::RunStatus::error;
  step.record.phase = domain::Phase::error;
  step.record.error = domain::Error{"retries_exhausted", "gave up"};
  step.history = {entry(0, "CourseFailed", "gave up", ports::HistoryKind::error)};
  ports::DeadLetter dead;
  dead.course_id = "c1";
  dead.event = delivery.event;
  dead.attempts = 6;
  dead.error_code = "retries_exhausted";
  dead.error = "timeout";
  dead.at_ms = kT0 + 9;
  step.dead_letter = dead;
  ASSERT_EQ(store_.commit(consuming(step, delivery)), ports::CommitResult::committed);
  EXPECT_EQ(queue_rows(), 0);
  const auto letters = dead_letters_.list();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].event.event_id, delivery.event.event_id);
  EXPECT_EQ(letters[0].attempts, 6);
  EXPECT_EQ(letters[0].error, "timeout");
  EXPECT_EQ(store_.load("c1")->error->code, "retries_exhausted");
}

TEST_F(SqliteRunStoreTest, CommitCanDropTheState) {
  ASSERT_TRUE(
      store_.create(sample_record("c1"), requested("c1"), entry(0, "CourseRequested", "r")));
  ports::StepCommit step;
  step.record = *store_.load("c1");
  step.expected_version = 0;
  step.record.state.reset();
  step.record.status = ports::RunStatus::complete;
  ASSERT_EQ(store_.commit(step), ports::CommitResult::committed);
  const auto loaded = store_.load("c1");
  EXPECT_FALSE(loaded->state.has_value());
  EXPECT_EQ(loaded->status, ports::RunStatus::complete);
}

TEST_F(SqliteRunStoreTest, OnlyOneOfManyConcurrentCommitsOnTheSameVersionWins) {
  ASSERT_TRUE(
      store_.create(sample_record("c1"), requested("c1"), entry(0, "CourseRequested", "r")));
  const auto base = *store_.load("c1");
  std::atomic<int> committed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto other_connection = SqliteDatabase::open(db_->path());
      SqliteRunStore store(other_connection);
      ports::StepCommit step;
      step.record = base;
      step.expected_version = 0;
      step.record.title = "winner " + std::to_string(i);
      step.history = {entry(1, "EmbeddingGenerated", "by " + std::to_string(i))};
      if (store.commit(step) == ports::CommitResult::committed) ++committed;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(committed.load(), 1);
  EXPECT_EQ(store_.load("c1")->version, 1);
  EXPECT_EQ(store_.history("c1", 0).size(), 2u);
}

TEST_F(SqliteRunStoreTest, ClearOutboxOnlyClearsTheNamedEvent) {
  auto record = sample_record("c1");
  record.outbox = event("c1", 1, domain::AllPartsComplete{});
  ASSERT_TRUE(store_.create(record, requested("c1"), entry(0, "CourseRequested", "r")));
  store_.clear_outbox("c1", "some-other-event");
  EXPECT_TRUE(store_.load("c1")->outbox.has_value());
  store_.clear_outbox("c1", "c1/event/1");
  EXPECT_FALSE(store_.load("c1")->outbox.has_value());
}

TEST_F(SqliteRunStoreTest, UnpublishedListsOutboxEventsOfRunsLastUpdatedByTheCutoff) {
  auto old_run = sample_record("old");
  old_run.outbox = event("old", 1, domain::AllPartsComplete{});
  auto young_run = sample_record("young");
  young_run.updated_at_ms = kT0 + 10'000;
  young_run.outbox = event("young", 1, domain::AllPartsComplete{});
  ASSERT_TRUE(store_.create(old_run, requested("old"), entry(0, "CourseRequested", "r")));
  ASSERT_TRUE(store_.create(young_run, requested("young"), entry(0, "CourseRequested", "r")));
  ASSERT_TRUE(store_.create(sample_record("none"), requested("none"), entry(0, "CourseRequested", "r")));
  const auto due = store_.unpublished(kT0 + 5'000);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0], *old_run.outbox);
  EXPECT_EQ(store_.unpublished(kT0 + 10'000).size(), 2u);
  store_.clear_outbox("old", old_run.outbox->event_id);
  EXPECT_EQ(store_.unpublished(kT0 + 10'000).size(), 1u);
}

TEST_F(SqliteRunStoreTest, HistoryIsOrderedAndResumesAfterAnId) {
  ASSERT_TRUE(
      store_.create(sample_record("c1"), requested("c1"), entry(0, "CourseRequested", "0")));
  ASSERT_TRUE(
      store_.create(sample_record("c2"), requested("c2"), entry(0, "CourseRequested", "other")));
  for (int i = 1; i <= 3; ++i) {
    ports::StepCommit step;
    step.record = *store_.load("c1");
    step.expected_version = i - 1;
    step.history = {entry(i, "PartSectionsGenerated", std::to_string(i))};
    ASSERT_EQ(store_.commit(step), ports::CommitResult::committed);
  }
  const auto all = store_.history("c1", 0);
  ASSERT_EQ(all.size(), 4u);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_GT(all[i].history_id, all[i - 1].history_id);
  EXPECT_EQ(all[3].message, "3");
  EXPECT_EQ(all[3].usage, (domain::TokenUsage{10, 20, 1}));
  EXPECT_EQ(all[3].at_ms, kT0 + 3);
  const auto rest = store_.history("c1", all[1].history_id);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].message, "2");
  EXPECT_TRUE(store_.history("c1", all[3].history_id).empty());
}

TEST_F(SqliteRunStoreTest, ListRunsIsNewestFirstForThatUserWithoutState) {
  auto older = sample_record("old", "u");
  older.created_at_ms = kT0;
  auto newer = sample_record("new", "u");
  newer.created_at_ms = kT0 + 1000;
  auto foreign = sample_record("foreign", "someone-else");
  ASSERT_TRUE(store_.create(older, requested("old"), entry(0, "CourseRequested", "r")));
  ASSERT_TRUE(store_.create(newer, requested("new"), entry(0, "CourseRequested", "r")));
  ASSERT_TRUE(store_.create(foreign, requested("foreign"), entry(0, "CourseRequested", "r")));
  const auto runs = store_.list_runs("u");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].course_id, "new");
  EXPECT_EQ(runs[1].course_id, "old");
  EXPECT_FALSE(runs[0].state.has_value());
  EXPECT_EQ(runs[0].query, "learn valuation");
}

TEST_F(SqliteRunStoreTest, RemoveDeletesTheRunItsHistoryAndItsQueuedEvents) {
  ASSERT_TRUE(
      store_.create(sample_record("c1"), requested("c1"), entry(0, "CourseRequested", "r")));
  ASSERT_TRUE(
      store_.create(sample_record("c2"), requested("c2"), entry(0, "CourseRequested", "r")));
  EXPECT_TRUE(store_.remove("c1"));
  EXPECT_FALSE(store_.load("c1").has_value());
  EXPECT_TRUE(store_.history("c1", 0).empty());
  EXPECT_EQ(queue_rows(), 1);  // c2's event stays
  EXPECT_TRUE(store_.load("c2").has_value());
  EXPECT_FALSE(store_.remove("c1"));
}

TEST_F(SqliteRunStoreTest, ExpireStatesFailsStrandedRunsAndLeavesRunsWithPendingEventsAlone) {
  // Issue 11, defect 4: a processing run with an event queued, delayed or leased is never expired;
  // one with nothing pending fails as expired, keeps its state and has its pending event
  // dead-lettered; a failed run past its TTL loses its state.
  constexpr std::int64_t kTtl = 1000;
  auto done = sample_record("done");
  done.status = ports::RunStatus::error;
  done.expires_at_ms = kT0 + 10;
  auto stranded = sample_record("stranded");
  stranded.expires_at_ms = kT0 + 10;
  stranded.next_seq = 4;
  auto queued = sample_record("queued");
  queued.expires_at_ms = kT0 + 10;
  auto leased = sample_record("leased");
  leased.expires_at_ms = kT0 + 10;
  auto fresh = sample_record("fresh");
  fresh.expires_at_ms = kT0 + 1000;
  for (const auto* r : {&done, &stranded, &queued, &leased, &fresh}) {
    ASSERT_TRUE(store_.create(*r, requested(r->course_id), entry(0, "CourseRequested", "r")));
  }
  db_->write([](Session& s) {
    s.query("DELETE FROM event_queue WHERE course_id IN ('stranded', 'done')").run();  // lost
    s.query("UPDATE event_queue SET available_at = ? WHERE course_id = 'queued'", kT0 + 1'000'000).run();
  });
  ASSERT_EQ(queue_.lease_run("leased", 1, "worker-a", kT0, kLease).size(), 1u);

  EXPECT_EQ(store_.expire_states(kT0 + 10, kTtl), 2);

  const auto d = store_.load("done");
  EXPECT_FALSE(d->state.has_value());
  EXPECT_EQ(d->status, ports::RunStatus::error);
  EXPECT_FALSE(d->error.has_value());  // it keeps whatever it had
  EXPECT_EQ(d->version, 1);

  const auto s = store_.load("stranded");
  EXPECT_TRUE(s->state.has_value()) << "kept, so that a replay can resume the run";
  EXPECT_EQ(s->expires_at_ms, kT0 + 10 + kTtl);
  EXPECT_EQ(s->status, ports::RunStatus::error);
  EXPECT_EQ(s->phase, domain::Phase::error);
  ASSERT_TRUE(s->error.has_value());
  EXPECT_EQ(s->error->code, "expired");
  const auto history = store_.history("stranded", 0);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].kind, ports::HistoryKind::error);
  EXPECT_EQ(history[1].type, "CourseFailed");
  EXPECT_EQ(history[1].seq, 4);
  const auto letters = dead_letters_.list();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].course_id, "stranded");
  EXPECT_EQ(letters[0].event, requested("stranded")) << "the event the run was waiting for";
  EXPECT_EQ(letters[0].error_code, "expired");

  for (const char* pending : {"queued", "leased"}) {
    SCOPED_TRACE(pending);
    const auto p = store_.load(pending);
    EXPECT_EQ(p->status, ports::RunStatus::processing);
    EXPECT_TRUE(p->state.has_value());
    EXPECT_EQ(p->version, 0);
  }
  EXPECT_TRUE(store_.load("fresh")->state.has_value());
  EXPECT_EQ(store_.expire_states(kT0 + 10, kTtl), 0);  // nothing left to expire
  EXPECT_EQ(store_.expire_states(kT0 + 10 + kTtl, kTtl), 1) << "the failed run's state, one TTL later";
  EXPECT_FALSE(store_.load("stranded")->state.has_value());
}

TEST_F(SqliteRunStoreTest, ExpiringAStrandedRunMakesAnInFlightCommitLoseItsRace) {
  auto record = sample_record("c1");
  record.expires_at_ms = kT0;
  ASSERT_TRUE(store_.create(record, requested("c1"), entry(0, "CourseRequested", "r")));
  db_->write([](Session& s) { s.query("DELETE FROM event_queue").run(); });
  ports::StepCommit step;
  step.record = *store_.load("c1");
  step.expected_version = 0;
  ASSERT_EQ(store_.expire_states(kT0 + 1, 1000), 1);
  EXPECT_EQ(store_.commit(step), ports::CommitResult::lost_race);
  EXPECT_EQ(store_.load("c1")->error->code, "expired");
}

TEST_F(SqliteRunStoreTest, APendingEventIsKeptForEveryEmittedEvent) {
  // The event a later commit emits replaces the first one as the run's pending event.
  ASSERT_TRUE(store_.create(sample_record("c1"), requested("c1"), entry(0, "CourseRequested", "r")));
  auto delivery = queue_.lease(1, "worker-a", kT0, kLease).at(0);
  ports::StepCommit step;
  step.record = *store_.load("c1");
  step.record.next_seq = 1;
  step.record.expires_at_ms = kT0;
  step.expected_version = 0;
  domain::Envelope next = requested("c1");
  next.event_id = "e-next";
  next.seq = 1;
  next.payload = domain::EmbeddingGenerated{{0.5F, 0.25F}, "hashing-v1/2", {}};
  step.next_event = next;
  ASSERT_EQ(store_.commit(consuming(step, delivery)), ports::CommitResult::committed);
  db_->write([](Session& s) { s.query("DELETE FROM event_queue").run(); });
  ASSERT_EQ(store_.expire_states(kT0 + 1, 1000), 1);
  const auto letters = dead_letters_.list();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].event, next);
}

// Four workers, each with its own connection (as separate processes would have), run 12 runs of 5
// steps through lease -> load -> commit, with duplicate deliveries mixed in: every step is applied
// exactly once and nothing is left behind.
TEST(SqliteRunStoreWorkers, ConcurrentWorkersApplyEveryStepExactlyOnce) {
  TempDir dir;
  const auto path = dir.file("docprof.db");
  constexpr int kRuns = 12;
  constexpr int kSteps = 5;
  constexpr std::int64_t kNow = kT0 + 1000;
  {
    auto db = SqliteDatabase::open_and_migrate(path);
    SqliteRunStore store(db);
    SqliteEventQueue queue(db);
    for (int r = 0; r < kRuns; ++r) {
      const std::string id = "run" + std::to_string(r);
      auto record = sample_record(id);
      record.next_seq = 0;
      ASSERT_TRUE(store.create(record, requested(id), entry(0, "CourseRequested", "r")));
      auto duplicate = requested(id);
      duplicate.event_id += "-duplicate";
      queue.publish(duplicate, kT0);
    }
  }
  std::atomic<int> applied{0};
  std::atomic<int> duplicates{0};
  std::atomic<int> lost{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      auto db = SqliteDatabase::open(path);
      SqliteRunStore store(db);
      SqliteEventQueue queue(db);
      const std::string worker = "worker-" + std::to_string(w);
      for (;;) {
        const auto deliveries = queue.lease(2, worker, kNow, kLease);
        if (deliveries.empty()) {
          if (queue.counts(kNow).idle()) return;
          std::this_thread::yield();
          continue;
        }
        for (const auto& d : deliveries) {
          for (;;) {  // a lost race re-reads and decides again
            const auto record = store.load(d.event.course_id);
            if (d.event.seq < record->next_seq) {
              queue.ack(d);
              ++duplicates;
              break;
            }
            ports::StepCommit step;
            step.record = *record;
            step.expected_version = record->version;
            step.record.next_seq = d.event.seq + 1;
            step.history = {entry(d.event.seq, "step", "applied")};
            if (d.event.seq + 1 < kSteps) {
              step.next_event =
                  event(d.event.course_id, d.event.seq + 1, domain::AllPartsComplete{});
            } else {
              step.record.status = ports::RunStatus::complete;
            }
            if (store.commit(consuming(step, d)) == ports::CommitResult::committed) {
              ++applied;
              break;
            }
            ++lost;
          }
        }
      }
    });
  }
  for (auto& t : workers) t.join();
  auto db = SqliteDatabase::open(path);
  SqliteRunStore store(db);
  SqliteEventQueue queue(db);
  EXPECT_EQ(applied.load(), kRuns * kSteps);
  EXPECT_EQ(duplicates.load(), kRuns);  // every duplicate was recognised and acknowledged
  EXPECT_TRUE(queue.counts(kNow).idle());
  for (int r = 0; r < kRuns; ++r) {
    const std::string id = "run" + std::to_string(r);
    const auto record = store.load(id);
    EXPECT_EQ(record->status, ports::RunStatus::complete) << id;
    EXPECT_EQ(record->version, kSteps) << id;
    EXPECT_EQ(store.history(id, 0).size(), 1u + kSteps) << id;
  }
}

}  // namespace
