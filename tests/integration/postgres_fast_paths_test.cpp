// The PostgreSQL adapters' short cuts for the step's hot path, against a real PostgreSQL 15: prepared
// statements (and what a migration script does to them), the one-statement commit that trusts the
// store's memory of a run's books only as far as the books row agrees, and the outbox clears queued
// off the step's path.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "adapters/postgres/pg_migrations.h"
#include "adapters/postgres/pg_outbox_clearer.h"
#include "adapters/postgres/pg_pool.h"
#include "adapters/postgres/pg_run_store.h"
#include "contract/contract_samples.h"
#include "ports/stored_state.h"
#include "support/postgres_server.h"

namespace docprof::adapters::postgres {
namespace {

using namespace docprof::contract;  // NOLINT(google-build-using-namespace): the samples

std::shared_ptr<PgPool> migrated_pool(std::size_t size = 4) {
  auto pool = std::make_shared<PgPool>(test_support::PostgresServer::shared().fresh_schema_url(), size);
  pg_migrate(*pool);
  return pool;
}

domain::BookMatch book(const std::string& id) {
  domain::BookMatch match;
  match.book_id = id;
  match.title = "Book " + id;
  match.summary.source_title = match.title;
  domain::ChapterSummary chapter;
  chapter.chapter_number = 1;
  chapter.chapter_title = "Chapter of " + id;
  match.summary.chapters.push_back(chapter);
  return match;
}

ports::StepCommit next_commit(const ports::RunRecord& record, std::int64_t seq) {
  ports::StepCommit commit;
  commit.expected_version = record.version;
  commit.record = record;
  commit.record.state->last_seq = seq;
  commit.history.push_back(history_entry(seq, "PartsGenerated", "step " + std::to_string(seq), ports::HistoryKind::step));
  return commit;
}

TEST(PostgresPreparedStatements, RepeatedAndManyDistinctStatementsAnswerAsUnprepared) {
  auto pool = std::make_shared<PgPool>(test_support::PostgresServer::shared().fresh_schema_url(), 1);
  pool->read([](PgConnection& c) {
    for (int i = 0; i < 3; ++i) EXPECT_EQ(c.run("SELECT $1::int + 1", i).int64(0, 0), i + 1);
    // More distinct statements than a connection prepares: the rest run unprepared, as correctly.
    for (std::size_t i = 0; i < PgConnection::kMaxPrepared + 10; ++i) {
      const std::string sql = "SELECT $1::bigint * " + std::to_string(i);
      EXPECT_EQ(c.run(sql, std::int64_t{2}).int64(0, 0), static_cast<std::int64_t>(2 * i));
    }
  });
}

TEST(PostgresPreparedStatements, AScriptThatChangesATableLeavesNoStalePlanBehind) {
  auto pool = std::make_shared<PgPool>(test_support::PostgresServer::shared().fresh_schema_url(), 1);
  pool->read([](PgConnection& c) {
    c.exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
    c.run("INSERT INTO t VALUES ($1, $2)", 1, "one");
    EXPECT_EQ(c.run("SELECT * FROM t WHERE id = $1", 1).text(0, 1), "one");
    c.exec_script("ALTER TABLE t ADD COLUMN extra TEXT DEFAULT 'x'");  // SELECT * now has 3 columns
    const auto row = c.run("SELECT * FROM t WHERE id = $1", 1);
    EXPECT_EQ(row.text(0, 2), "x");
  });
}

TEST(PostgresOneStatementCommit, ABooksRowThatDisagreesWithTheStoresMemoryIsALostRace) {
  auto pool = migrated_pool();
  PgRunStore first(pool);
  PgRunStore second(pool);
  auto record = sample_record("c1");
  record.state->books = {book("a")};
  ASSERT_TRUE(first.create(record, requested("c1"), requested_entry()));
  const auto loaded = first.load("c1");  // `first` now remembers the run's books at this version
  ASSERT_TRUE(loaded);

  // Elsewhere the run is removed and created again under its id, at the same version, other books.
  ASSERT_TRUE(second.remove("c1"));
  auto again = sample_record("c1");
  again.state->books = {book("b")};
  ASSERT_TRUE(second.create(again, requested("c1"), requested_entry()));

  // `first` would write its step with the books it remembers: the books row says otherwise.
  EXPECT_EQ(first.commit(next_commit(*loaded, 1)), ports::CommitResult::lost_race);
  ports::stored::forget_cached_books();
  EXPECT_EQ(second.load("c1")->state->books, again.state->books) << "nothing was written";

  // Read again, the step commits (in one statement, the books being unchanged) with its history.
  const auto reloaded = first.load("c1");
  ASSERT_EQ(first.commit(next_commit(*reloaded, 1)), ports::CommitResult::committed);
  const auto after = second.load("c1");
  EXPECT_EQ(after->version, reloaded->version + 1);
  EXPECT_EQ(after->state->books, again.state->books);
  EXPECT_EQ(after->state->last_seq, 1);
  const auto history = second.history("c1", 0);
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().message, "step 1");
}

TEST(PostgresOneStatementCommit, AHistoryMessageWithANulCharacterIsWrittenByTheTransaction) {
  auto pool = migrated_pool();
  PgRunStore store(pool);
  ASSERT_TRUE(store.create(sample_record("c1"), requested("c1"), requested_entry()));
  auto commit = next_commit(*store.load("c1"), 1);
  commit.history.back().message = std::string("before\0after", 12);
  // A text column cannot hold NUL: the transaction's path writes what libpq passes (up to the NUL).
  ASSERT_EQ(store.commit(commit), ports::CommitResult::committed);
  EXPECT_EQ(store.history("c1", 0).back().message, "before");
}

TEST(PostgresOutboxClearer, QueuedClearsFromManyThreadsAreAllAppliedAndOnlyForTheirEvents) {
  auto pool = migrated_pool();
  PgRunStore store(pool);
  constexpr int kRuns = 40;
  for (int i = 0; i < kRuns; ++i) {
    const std::string id = "c" + std::to_string(i);
    ASSERT_TRUE(store.create(sample_record(id), requested(id), requested_entry()));
  }
  ASSERT_EQ(store.unpublished(kT0 + kDay).size(), static_cast<std::size_t>(kRuns));
  {
    PgOutboxClearer clearer(pool);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = t; i < kRuns; i += 4) {
          const std::string id = "c" + std::to_string(i);
          // Every other run is told of an event it does not hold: its outbox stays.
          clearer.clear(id, i % 2 == 0 ? requested(id).event_id : "another-event");
        }
      });
    }
    for (auto& thread : threads) thread.join();
    clearer.flush();
    EXPECT_FALSE(clearer.pending("c0"));
  }
  const auto left = store.unpublished(kT0 + kDay);
  EXPECT_EQ(left.size(), static_cast<std::size_t>(kRuns / 2));
  for (const auto& event : left) EXPECT_NE(std::stoi(event.course_id.substr(1)) % 2, 0) << event.course_id;
}

TEST(PostgresOutboxClearer, TheStoreSeesItsOwnQueuedClears) {
  auto pool = migrated_pool();
  PgRunStore store(pool);
  ASSERT_TRUE(store.create(sample_record("c1"), requested("c1"), requested_entry()));
  ASSERT_TRUE(store.load("c1")->outbox);
  store.clear_outbox("c1", requested("c1").event_id);
  EXPECT_FALSE(store.load("c1")->outbox) << "load() waits for the run's queued clear";
  EXPECT_TRUE(store.unpublished(kT0 + kDay).empty());
}

TEST(PostgresOutboxClearer, AQueuedClearIsAppliedAfterItsDelay) {
  auto pool = migrated_pool();
  PgRunStore store(pool);
  ASSERT_TRUE(store.create(sample_record("c1"), requested("c1"), requested_entry()));
  PgOutboxClearer clearer(pool, std::chrono::milliseconds(300));
  clearer.clear("c1", requested("c1").event_id);
  EXPECT_EQ(clearer.pending("c1"), requested("c1").event_id);
  EXPECT_EQ(store.unpublished(kT0 + kDay).size(), 1u) << "not yet: the clear waits";
  for (int i = 0; i < 100 && !store.unpublished(kT0 + kDay).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(store.unpublished(kT0 + kDay).empty()) << "applied once its delay passed";
  EXPECT_FALSE(clearer.pending("c1"));
}

TEST(PostgresOutboxClearer, ACommitThatReplacesTheOutboxDropsTheQueuedClearAndOneThatKeepsItDoesNot) {
  auto pool = migrated_pool();
  PgRunStore store(pool);
  ASSERT_TRUE(store.create(sample_record("c1"), requested("c1"), requested_entry()));
  ASSERT_TRUE(store.create(sample_record("c2"), requested("c2"), requested_entry()));
  // c1's step emits the next event: its outbox holds that one now, the queued clear is moot.
  store.clear_outbox("c1", requested("c1").event_id);
  auto replaced = next_commit(*store.load("c1"), 1);
  EXPECT_FALSE(store.load("c1")->outbox) << "the store's own queued clear shows in what it loads";
  replaced.next_event = parts_generated("c1", 1);
  ASSERT_EQ(store.commit(replaced), ports::CommitResult::committed);
  // c2's clear is queued after c2 was loaded: the commit writes the event back, the clear stays.
  auto kept = next_commit(*store.load("c2"), 1);
  store.clear_outbox("c2", requested("c2").event_id);
  ASSERT_EQ(store.commit(kept), ports::CommitResult::committed);

  const auto left = store.unpublished(kT0 + kDay);  // applies what is queued first
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left.front().event_id, parts_generated("c1", 1).event_id) << "c1 keeps its new event; c2 was cleared";
}

}  // namespace
}  // namespace docprof::adapters::postgres
