// The RunStore contract (ports/run_store.h), run against every backend of run_store_backends():
// create/load round trips, compare-and-set commits, history, listing, counting, removal, the outbox,
// the janitor, and — for a store that hands events off itself — the atomic hand-off to its queue.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "contract/contract_samples.h"
#include "contract/run_store_contract.h"
#include "ports/stored_state.h"

namespace docprof::contract {
namespace {

class RunStoreContract : public ::testing::TestWithParam<RunStoreBackend> {
 protected:
  void SetUp() override { fixture_ = GetParam().make(); }

  ports::RunStore& store() { return fixture_->store(); }
  ports::EventQueue* queue() { return fixture_->shared_queue(); }

  void create(const std::string& course_id, const std::string& user = "user-1", std::int64_t created = kT0) {
    ASSERT_TRUE(store().create(sample_record(course_id, user, created), requested(course_id), requested_entry()));
  }

  ports::RunRecord current(const std::string& course_id) {
    auto record = store().load(course_id);
    if (!record) throw std::runtime_error("no run " + course_id);
    return *record;
  }

  // Commits the run to `status` (a finished run keeps its state until the janitor drops it).
  void finish(const std::string& course_id, ports::RunStatus status, std::int64_t expires_at_ms) {
    auto commit = commit_on(current(course_id));
    commit.record.status = status;
    commit.record.outbox.reset();
    commit.record.expires_at_ms = expires_at_ms;
    if (status == ports::RunStatus::error) commit.record.error = domain::Error{"provider_error", "down"};
    ASSERT_EQ(store().commit(commit), ports::CommitResult::committed);
  }

  std::unique_ptr<RunStoreFixture> fixture_;
};

TEST_P(RunStoreContract, HandsOffEventsSaysWhoDeliversTheNextEvent) {
  EXPECT_EQ(store().hands_off_events(), GetParam().hands_off_events);
  // A store that hands events off does so into a queue; the contract needs to watch that queue.
  EXPECT_EQ(queue() != nullptr, store().hands_off_events());
}

TEST_P(RunStoreContract, CreateThenLoadRoundTripsTheRecord) {
  auto record = sample_record("c1");
  record.error = domain::Error{"some_code", "some message"};
  record.usage = {1, 2, 3};
  record.parts_count = 4;
  record.current_part_index = 2;
  record.phase = domain::Phase::generating_parts;
  ASSERT_TRUE(store().create(record, requested("c1"), requested_entry()));

  const auto loaded = store().load("c1");
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->course_id, "c1");
  EXPECT_EQ(loaded->user_id, record.user_id);
  EXPECT_EQ(loaded->query, record.query);
  EXPECT_DOUBLE_EQ(loaded->hours, record.hours);
  EXPECT_EQ(loaded->preferences, record.preferences);
  EXPECT_EQ(loaded->status, ports::RunStatus::processing);
  EXPECT_EQ(loaded->phase, domain::Phase::generating_parts);
  EXPECT_EQ(loaded->next_seq, record.next_seq);
  EXPECT_EQ(loaded->title, record.title);
  EXPECT_EQ(loaded->parts_count, 4);
  EXPECT_EQ(loaded->current_part_index, 2);
  EXPECT_EQ(loaded->error, record.error);
  EXPECT_EQ(loaded->usage, record.usage);
  EXPECT_EQ(loaded->version, 0);
  EXPECT_EQ(loaded->state, record.state);
  EXPECT_EQ(loaded->created_at_ms, record.created_at_ms);
  EXPECT_EQ(loaded->updated_at_ms, record.updated_at_ms);
  EXPECT_EQ(loaded->expires_at_ms, record.expires_at_ms);
}

TEST_P(RunStoreContract, LoadOfAnUnknownRunIsEmpty) {
  EXPECT_FALSE(store().load("nope").has_value());
}

// The first event is never lost: a store that hands events off enqueues it with the record; one
// that does not keeps it as the record's outbox, for the engine (or a relay) to publish.
TEST_P(RunStoreContract, CreateKeepsTheFirstEventForDeliveryAndTheFirstHistoryEntry) {
  const auto first = requested("c1");
  ASSERT_TRUE(store().create(sample_record("c1"), first, requested_entry("queued")));
  if (store().hands_off_events()) {
    const auto leased = queue()->lease(5, "worker-a", kT0, kLease);
    ASSERT_EQ(leased.size(), 1u);
    EXPECT_EQ(leased[0].event.event_id, first.event_id);
    EXPECT_EQ(leased[0].event.attempt, 1);
    EXPECT_FALSE(store().load("c1")->outbox.has_value());
  } else {
    EXPECT_EQ(store().load("c1")->outbox, first);
  }
  const auto history = store().history("c1", 0);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].course_id, "c1");
  EXPECT_EQ(history[0].type, "CourseRequested");
  EXPECT_EQ(history[0].message, "queued");
}

TEST_P(RunStoreContract, CreatingAnExistingCourseIdIsFalseAndChangesNothing) {
  ASSERT_TRUE(store().create(sample_record("c1"), requested("c1"), requested_entry("first")));
  auto second_event = requested("c1");
  second_event.event_id = "another-event";
  EXPECT_FALSE(store().create(sample_record("c1", "user-2"), second_event, requested_entry("second")));
  EXPECT_EQ(current("c1").user_id, "user-1");
  const auto history = store().history("c1", 0);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].message, "first");
  if (store().hands_off_events()) {
    EXPECT_EQ(queue()->counts(kT0).ready, 1);
  } else {
    EXPECT_EQ(current("c1").outbox->event_id, requested("c1").event_id);
  }
}

// The engine's count of deliveries given back unspent lives in the record (a queue counts them all).
TEST_P(RunStoreContract, TheCountOfDeliveriesGivenBackIsSavedWithTheRecord) {
  auto record = sample_record("c1");
  record.postponed = 2;
  ASSERT_TRUE(store().create(record, requested("c1"), requested_entry()));
  EXPECT_EQ(current("c1").postponed, 2);
  auto commit = commit_on(current("c1"));
  commit.record.postponed = 3;
  ASSERT_EQ(store().commit(commit), ports::CommitResult::committed);
  EXPECT_EQ(current("c1").postponed, 3);
  commit = commit_on(current("c1"));
  commit.record.postponed = 0;
  ASSERT_EQ(store().commit(commit), ports::CommitResult::committed);
  EXPECT_EQ(current("c1").postponed, 0);
}

TEST_P(RunStoreContract, EachCommitBumpsTheVersionByOneAndSavesTheRecord) {
  create("c1");
  auto first = commit_on(current("c1"));
  first.record.phase = domain::Phase::searching_books;
  first.record.next_seq = 2;
  first.record.state->last_seq = 1;
  first.record.version = 42;  // ignored: the store sets the version
  ASSERT_EQ(store().commit(first), ports::CommitResult::committed);
  auto loaded = current("c1");
  EXPECT_EQ(loaded.version, 1);
  EXPECT_EQ(loaded.phase, domain::Phase::searching_books);
  EXPECT_EQ(loaded.next_seq, 2);
  EXPECT_EQ(loaded.state->last_seq, 1);

  auto second = commit_on(loaded);
  second.record.next_seq = 3;
  second.record.state.reset();  // a commit can drop the state
  ASSERT_EQ(store().commit(second), ports::CommitResult::committed);
  loaded = current("c1");
  EXPECT_EQ(loaded.version, 2);
  EXPECT_EQ(loaded.next_seq, 3);
  EXPECT_FALSE(loaded.state.has_value());
}

// The books a run found (whole summaries) are kept apart from the rest of the state by the database
// stores (ports/stored_state.h): whatever a commit carries — the same books, others, none, no state
// — is what a load gives back, from this process's cache and from a cold one alike.
TEST_P(RunStoreContract, TheFoundBooksComeBackWithEveryStateACommitSaves) {
  const auto book = [](const std::string& id, int chapters) {
    domain::BookMatch match;
    match.book_id = id;
    match.title = "Book " + id;
    match.similarity = 0.5 + chapters / 100.0;
    match.summary.source_title = match.title;
    for (int c = 1; c <= chapters; ++c) {
      domain::ChapterSummary chapter;
      chapter.chapter_number = c;
      chapter.chapter_title = "Chapter " + std::to_string(c) + " of " + id;
      chapter.sections.push_back(domain::SectionSummary{"Section", {"topic " + std::to_string(c)}, {}, "", 120});
      match.summary.chapters.push_back(chapter);
    }
    return match;
  };
  auto record = sample_record("c1");
  record.state->books = {book("a", 3)};
  ASSERT_TRUE(store().create(record, requested("c1"), requested_entry()));
  EXPECT_EQ(current("c1").state->books, record.state->books);

  auto same = commit_on(current("c1"));
  same.record.state->last_seq = 4;
  ASSERT_EQ(store().commit(same), ports::CommitResult::committed);
  EXPECT_EQ(current("c1").state->books, record.state->books);
  EXPECT_EQ(current("c1").state->last_seq, 4);

  auto other = commit_on(current("c1"));
  other.record.state->books = {book("b", 2), book("c", 5)};
  ASSERT_EQ(store().commit(other), ports::CommitResult::committed);
  ports::stored::forget_cached_books();  // as a process that has not read them yet
  EXPECT_EQ(current("c1").state->books, other.record.state->books);
  EXPECT_EQ(current("c1").state, other.record.state);

  auto none = commit_on(current("c1"));
  none.record.state->books.clear();
  ASSERT_EQ(store().commit(none), ports::CommitResult::committed);
  EXPECT_TRUE(current("c1").state->books.empty());

  auto dropped = commit_on(current("c1"));
  dropped.record.state.reset();
  ASSERT_EQ(store().commit(dropped), ports::CommitResult::committed);
  EXPECT_FALSE(current("c1").state.has_value());
}

TEST_P(RunStoreContract, AStaleCommitLosesTheRaceAndWritesNothing) {
  create("c1");
  auto first = commit_on(current("c1"));
  first.record.next_seq = 5;
  ASSERT_EQ(store().commit(first), ports::CommitResult::committed);
  const auto before = current("c1");

  ports::StepCommit stale = first;  // expected_version 0, the store is at 1
  stale.record.next_seq = 99;
  stale.record.outbox = event("c1", 1);
  stale.history = {history_entry(1, "EmbeddingGenerated", "stale")};
  stale.next_event = event("c1", 1);
  EXPECT_EQ(store().commit(stale), ports::CommitResult::lost_race);

  const auto after = current("c1");
  EXPECT_EQ(after.version, 1);
  EXPECT_EQ(after.next_seq, 5);
  EXPECT_EQ(after.outbox, before.outbox);
  EXPECT_EQ(store().history("c1", 0).size(), 1u);
  if (store().hands_off_events()) {
    EXPECT_EQ(queue()->counts(kT0).ready, 1);  // no next event queued
  }
}

TEST_P(RunStoreContract, ACommitOfARunThatDoesNotExistLosesTheRace) {
  auto commit = commit_on(sample_record("gone"));
  commit.history = {history_entry(1, "EmbeddingGenerated", "x")};
  EXPECT_EQ(store().commit(commit), ports::CommitResult::lost_race);
  EXPECT_FALSE(store().load("gone").has_value());
  EXPECT_TRUE(store().history("gone", 0).empty());
}

TEST_P(RunStoreContract, OnlyOneOfManyConcurrentCommitsOnTheSameVersionWins) {
  create("c1");
  const auto base = current("c1");
  std::atomic<int> committed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto commit = commit_on(base);
      commit.record.next_seq = 10 + i;
      commit.history = {history_entry(1, "EmbeddingGenerated", "writer " + std::to_string(i))};
      if (store().commit(commit) == ports::CommitResult::committed) ++committed;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(committed.load(), 1);
  const auto after = current("c1");
  EXPECT_EQ(after.version, 1);
  const auto history = store().history("c1", 0);
  ASSERT_EQ(history.size(), 2u);  // the creation's entry and the winner's
  EXPECT_EQ(history[1].message, "writer " + std::to_string(after.next_seq - 10));
}

TEST_P(RunStoreContract, HistoryIsAppendedInOrderWithIncreasingIdsPerCourse) {
  create("c1");
  create("c2");
  auto a = commit_on(current("c1"));
  a.history = {history_entry(0, "CourseRequested", "c1 step"),
               history_entry(0, "CourseRequested", "c1 note", ports::HistoryKind::note)};
  ASSERT_EQ(store().commit(a), ports::CommitResult::committed);
  auto b = commit_on(current("c2"));
  b.history = {history_entry(0, "CourseRequested", "c2 step")};
  ASSERT_EQ(store().commit(b), ports::CommitResult::committed);
  auto c = commit_on(current("c1"));
  c.history = {history_entry(1, "EmbeddingGenerated", "c1 last", ports::HistoryKind::complete)};
  ASSERT_EQ(store().commit(c), ports::CommitResult::committed);

  const auto history = store().history("c1", 0);
  ASSERT_EQ(history.size(), 4u);
  const std::vector<std::string> messages{history[0].message, history[1].message, history[2].message,
                                          history[3].message};
  EXPECT_EQ(messages, (std::vector<std::string>{"requested", "c1 step", "c1 note", "c1 last"}));
  for (std::size_t i = 0; i < history.size(); ++i) {
    EXPECT_EQ(history[i].course_id, "c1");
    if (i > 0) {
      EXPECT_LT(history[i - 1].history_id, history[i].history_id);
    }
  }
  EXPECT_EQ(history[2].kind, ports::HistoryKind::note);
  EXPECT_EQ(history[3].kind, ports::HistoryKind::complete);
  EXPECT_EQ(history[3].seq, 1);
  EXPECT_EQ(history[3].type, "EmbeddingGenerated");
  EXPECT_EQ(history[3].usage, (domain::TokenUsage{10, 20, 1}));
  EXPECT_EQ(history[3].at_ms, kT0 + 1);

  // Resuming after an id (SSE's Last-Event-ID) gives the entries after it, in order.
  const auto after = store().history("c1", history[1].history_id);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].message, "c1 note");
  EXPECT_EQ(after[1].message, "c1 last");
  EXPECT_TRUE(store().history("c1", history[3].history_id).empty());
  EXPECT_EQ(store().history("c2", 0).size(), 2u);
  EXPECT_TRUE(store().history("unknown", 0).empty());
}

TEST_P(RunStoreContract, ListRunsIsNewestFirstForThatUserWithoutState) {
  create("old", "user-1", kT0);
  create("other-user", "user-2", kT0 + 5);
  create("new", "user-1", kT0 + 10);
  const auto runs = store().list_runs("user-1");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].course_id, "new");
  EXPECT_EQ(runs[1].course_id, "old");
  for (const auto& run : runs) {
    EXPECT_FALSE(run.state.has_value()) << run.course_id;
    EXPECT_EQ(run.user_id, "user-1");
    EXPECT_EQ(run.query, "learn valuation");
  }
  EXPECT_TRUE(store().list_runs("user-3").empty());
}

TEST_P(RunStoreContract, CountRunsCountsEveryUsersRunsByStatus) {
  create("p1", "user-1");
  create("p2", "user-2");
  create("done", "user-1");
  create("failed", "user-3");
  finish("done", ports::RunStatus::complete, kT0 + kDay);
  finish("failed", ports::RunStatus::error, kT0 + kDay);
  const auto counts = store().count_runs();
  EXPECT_EQ(counts.processing, 2);
  EXPECT_EQ(counts.complete, 1);
  EXPECT_EQ(counts.error, 1);
}

TEST_P(RunStoreContract, RemoveDeletesTheRunAndItsHistoryOnly) {
  create("c1");
  create("c2");
  EXPECT_TRUE(store().remove("c1"));
  EXPECT_FALSE(store().load("c1").has_value());
  EXPECT_TRUE(store().history("c1", 0).empty());
  EXPECT_TRUE(store().list_runs("user-1").size() == 1u);
  EXPECT_FALSE(store().remove("c1"));
  EXPECT_FALSE(store().remove("never-was"));
  EXPECT_TRUE(store().load("c2").has_value());
  EXPECT_EQ(store().history("c2", 0).size(), 1u);
}

// The store step's course goes with its commit (StepCommit::course): a run cancelled meanwhile (its
// commit won) never gets a course, and a replayed store step never doubles rows.
TEST_P(RunStoreContract, AStoreStepsCourseIsWrittenOnlyWithAWinningCommitAndNeverDoubled) {
  create("cancelled");
  const auto before_cancel = current("cancelled");
  auto cancel = commit_on(before_cancel);
  cancel.record.status = ports::RunStatus::error;
  cancel.record.error = domain::Error{"cancelled", "by its owner"};
  ASSERT_EQ(store().commit(cancel), ports::CommitResult::committed);
  auto late_store = commit_on(before_cancel);
  late_store.course = ports::StoredCourse{sample_course("cancelled"), sample_outline("cancelled")};
  EXPECT_EQ(store().commit(late_store), ports::CommitResult::lost_race);
  EXPECT_FALSE(fixture_->stored_course("cancelled").has_value());

  create("c1");
  auto store_step = commit_on(current("c1"));
  store_step.course = ports::StoredCourse{sample_course("c1"), sample_outline("c1")};
  ASSERT_EQ(store().commit(store_step), ports::CommitResult::committed);
  auto replayed = commit_on(current("c1"));
  replayed.course = store_step.course;
  ASSERT_EQ(store().commit(replayed), ports::CommitResult::committed);
  const auto stored = fixture_->stored_course("c1");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->course.course_id, "c1");
  EXPECT_EQ(stored->sections, sample_outline("c1"));
}

// Distributed mode's outbox: the next event saved with the commit, cleared once published — and
// only by its own event id, so a late clear of an older event never drops a newer one.
TEST_P(RunStoreContract, ACommitKeepsTheOutboxAndOnlyItsOwnEventIdClearsIt) {
  create("c1");
  create("c2");
  const auto next = parts_generated("c1", 1);
  auto commit = commit_on(current("c1"));
  commit.record.next_seq = 1;
  commit.record.outbox = next;
  commit.next_event = next;
  ASSERT_EQ(store().commit(commit), ports::CommitResult::committed);
  EXPECT_EQ(current("c1").outbox, next);

  store().clear_outbox("c1", requested("c1").event_id);  // an older event of the run
  EXPECT_EQ(current("c1").outbox, next);
  store().clear_outbox("c2", next.event_id);  // another run
  EXPECT_EQ(current("c1").outbox, next);
  store().clear_outbox("c1", next.event_id);
  EXPECT_FALSE(current("c1").outbox.has_value());
  store().clear_outbox("never-was", next.event_id);  // no run: nothing to clear, no error
}

TEST_P(RunStoreContract, ExpireStatesDropsTheStateOfFinishedRunsPastTheirTtlAndKeepsTheirRecords) {
  create("done");
  create("failed");
  create("failed-recently");
  finish("done", ports::RunStatus::complete, kT0 + kDay);
  finish("failed", ports::RunStatus::error, kT0 + kDay);
  finish("failed-recently", ports::RunStatus::error, kT0 + 3 * kDay);

  EXPECT_EQ(store().expire_states(kT0 + 2 * kDay, 7 * kDay), 2);
  for (const char* id : {"done", "failed"}) {
    const auto record = store().load(id);
    ASSERT_TRUE(record.has_value()) << id;  // the record stays: status keeps answering
    EXPECT_FALSE(record->state.has_value()) << id;
    EXPECT_EQ(record->user_id, "user-1") << id;
  }
  EXPECT_EQ(current("done").status, ports::RunStatus::complete);
  EXPECT_EQ(current("failed").status, ports::RunStatus::error);
  EXPECT_EQ(current("failed").error, (domain::Error{"provider_error", "down"}));
  EXPECT_TRUE(current("failed-recently").state.has_value());
  EXPECT_EQ(store().expire_states(kT0 + 2 * kDay, 7 * kDay), 0);  // nothing left to do
}

TEST_P(RunStoreContract, ExpireStatesNeverExpiresAProcessingRunWhoseEventIsPending) {
  create("c1");  // its first event is queued (hands-off) or in the outbox: pending either way
  EXPECT_EQ(store().expire_states(kT0 + 30 * kDay, 7 * kDay), 0);
  const auto record = current("c1");
  EXPECT_EQ(record.status, ports::RunStatus::processing);
  EXPECT_TRUE(record.state.has_value());
  EXPECT_EQ(record.version, 0);
}

// Only a store that sees the queue can tell a stranded run (nothing queued, delayed or leased) from
// one whose event waits in the queue; see tests/support/memory_run_store.h.
TEST_P(RunStoreContract, ExpireStatesFailsAStrandedProcessingRunAsExpiredAndKeepsItsState) {
  if (queue() == nullptr) GTEST_SKIP() << "the store shares no queue: it cannot tell a stranded run";
  create("c1");
  auto leased = queue()->lease(1, "worker-a", kT0, kLease);
  ASSERT_EQ(leased.size(), 1u);
  queue()->ack(leased[0]);  // the event is gone, the run waits for nothing that will come

  const std::int64_t now = kT0 + 8 * kDay;
  EXPECT_EQ(store().expire_states(now, kDay), 1);
  const auto record = current("c1");
  EXPECT_EQ(record.status, ports::RunStatus::error);
  ASSERT_TRUE(record.error.has_value());
  EXPECT_EQ(record.error->code, "expired");
  EXPECT_TRUE(record.state.has_value());  // kept, so a replay resumes the run
  EXPECT_EQ(record.expires_at_ms, now + kDay);
  EXPECT_EQ(record.version, 1);
  const auto history = store().history("c1", 0);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].kind, ports::HistoryKind::error);
}

// The embedded hand-off: the history, the next event and the acknowledgement of the delivery are
// written with the record, in the store's own transaction.
TEST_P(RunStoreContract, AHandsOffCommitEnqueuesTheNextEventAndAcknowledgesTheDelivery) {
  if (!store().hands_off_events()) GTEST_SKIP() << "the engine publishes and acknowledges for this store";
  create("c1");
  const auto leased = queue()->lease(1, "worker-a", kT0, kLease);
  ASSERT_EQ(leased.size(), 1u);
  auto commit = commit_on(current("c1"));
  commit.record.updated_at_ms = kT0 + 100;
  commit.history = {history_entry(0, "CourseRequested", "embedded")};
  commit.next_event = parts_generated("c1", 1);
  ASSERT_EQ(store().commit(consuming(commit, leased[0])), ports::CommitResult::committed);

  const auto counts = queue()->counts(kT0 + 100);
  EXPECT_EQ(counts.leased, 0);  // the delivery was acknowledged
  EXPECT_EQ(counts.ready, 1);
  const auto next = queue()->lease(5, "worker-b", kT0 + 100, kLease);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].event.event_id, commit.next_event->event_id);
  EXPECT_EQ(next[0].event.attempt, 1);
  EXPECT_EQ(next[0].event.payload, commit.next_event->payload);
  EXPECT_EQ(store().history("c1", 0).size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, RunStoreContract, ::testing::ValuesIn(run_store_backends()),
                         [](const ::testing::TestParamInfo<RunStoreBackend>& p) { return p.param.name; });

}  // namespace
}  // namespace docprof::contract
