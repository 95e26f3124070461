// MemoryRunStore's own behaviour beyond the RunStore contract (which it passes, as a backend of
// tests/contract/run_store_contract_test.cpp): what it does where it shares no queue — dead letters
// kept for the test to read, the next event always in the outbox, courses handed to the repository
// only with a winning commit, and the simulated crash after a commit.
#include <gtest/gtest.h>

#include "contract/contract_samples.h"
#include "support/memory_run_store.h"

namespace {

using namespace docprof;
using namespace docprof::contract;
using test_support::MemoryRunStore;

TEST(MemoryRunStore, ACommitsDeadLetterIsKeptUntilAReplayConsumesIt) {
  MemoryRunStore store;
  ASSERT_TRUE(store.create(sample_record("c1"), requested("c1"), requested_entry()));
  auto failing = commit_on(*store.load("c1"));
  failing.record.status = ports::RunStatus::error;
  ports::DeadLetter letter;
  letter.id = "ignored";
  letter.event = parts_generated("c1", 3);
  letter.attempts = 6;
  letter.error_code = "retries_exhausted";
  letter.error = "boom";
  letter.at_ms = kT0;
  failing.dead_letter = letter;
  ASSERT_EQ(store.commit(failing), ports::CommitResult::committed);

  const auto letters = store.list();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].id, "dl-1");
  EXPECT_EQ(letters[0].course_id, "c1");
  EXPECT_EQ(letters[0].event, letter.event);
  EXPECT_EQ(letters[0].attempts, 6);
  EXPECT_EQ(letters[0].error_code, "retries_exhausted");

  auto stale = failing;  // a lost race writes no dead letter
  EXPECT_EQ(store.commit(stale), ports::CommitResult::lost_race);
  EXPECT_EQ(store.list().size(), 1u);

  auto replay = commit_on(*store.load("c1"));
  replay.record.status = ports::RunStatus::processing;
  replay.consumed_dead_letter_id = "dl-1";
  ASSERT_EQ(store.commit(replay), ports::CommitResult::committed);
  EXPECT_TRUE(store.list().empty());
}

TEST(MemoryRunStore, TheNextEventOfACommitIsAlwaysKeptInTheOutbox) {
  MemoryRunStore store;
  ASSERT_TRUE(store.create(sample_record("c1"), requested("c1"), requested_entry()));
  EXPECT_EQ(store.load("c1")->outbox, requested("c1")) << "the first event waits in the outbox";
  auto commit = commit_on(*store.load("c1"));
  commit.record.outbox.reset();  // the caller forgot it: the store keeps it anyway
  commit.next_event = parts_generated("c1", 1);
  ASSERT_EQ(store.commit(commit), ports::CommitResult::committed);
  EXPECT_EQ(store.load("c1")->outbox, commit.next_event);
}

TEST(MemoryRunStore, AStoreStepsCourseIsKeptOnlyWhenItsCommitWins) {
  MemoryRunStore store;  // no repository: courses are kept in the store
  ASSERT_TRUE(store.create(sample_record("c1"), requested("c1"), requested_entry()));
  auto store_step = commit_on(*store.load("c1"));
  store_step.course = ports::StoredCourse{sample_course("c1"), sample_outline("c1")};
  auto cancel = commit_on(*store.load("c1"));
  cancel.record.status = ports::RunStatus::error;
  ASSERT_EQ(store.commit(cancel), ports::CommitResult::committed);
  EXPECT_EQ(store.commit(store_step), ports::CommitResult::lost_race);
  EXPECT_TRUE(store.stored_courses().empty()) << "a cancelled run never gets a course";

  ASSERT_TRUE(store.create(sample_record("c2"), requested("c2"), requested_entry()));
  auto winning = commit_on(*store.load("c2"));
  winning.course = ports::StoredCourse{sample_course("c2"), sample_outline("c2")};
  ASSERT_EQ(store.commit(winning), ports::CommitResult::committed);
  ASSERT_EQ(store.stored_courses().count("c2"), 1u);
  EXPECT_EQ(store.stored_courses().at("c2").sections.size(), 5u);
}

TEST(MemoryRunStore, ASimulatedCrashAppliesTheCommitThenThrowsOnce) {
  MemoryRunStore store;
  ASSERT_TRUE(store.create(sample_record("c1"), requested("c1"), requested_entry()));
  store.crash_after_next_commit();
  auto first = commit_on(*store.load("c1"));
  first.history = {history_entry(1, "EmbeddingGenerated", "applied")};
  EXPECT_THROW(store.commit(first), std::runtime_error);
  EXPECT_EQ(store.load("c1")->version, 1);
  EXPECT_EQ(store.history("c1", 0).size(), 2u);
  EXPECT_EQ(store.commit(commit_on(*store.load("c1"))), ports::CommitResult::committed);
  EXPECT_EQ(store.load("c1")->version, 2);
}

}  // namespace
