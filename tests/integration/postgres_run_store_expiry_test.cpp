// PgRunStore's janitor without a queue to look at (adapters/postgres/pg_run_store.h,
// docs/architecture.md "Expiry without a queue"): a processing run is in flight while it has an
// outbox or was written within the last TTL; one past its TTL with neither is stranded and fails
// as expired with its pending event dead-lettered, so a replay resumes it. Real PostgreSQL 15.
#include <gtest/gtest.h>

#include "adapters/postgres/pg_dead_letters.h"
#include "adapters/postgres/pg_migrations.h"
#include "adapters/postgres/pg_run_store.h"
#include "contract/contract_samples.h"
#include "support/postgres_server.h"

namespace docprof::adapters::postgres {
namespace {

using namespace docprof::contract;

class PostgresRunStoreExpiry : public ::testing::Test {
 protected:
  void SetUp() override { pg_migrate(*pool_); }

  // A run whose step was delivered at `at` (the first event published, the outbox cleared): it
  // now waits for a delivery the store cannot see.
  void create_published(const std::string& course_id, std::int64_t at) {
    ASSERT_TRUE(store_.create(sample_record(course_id, "user-1", at), requested(course_id), requested_entry()));
    store_.clear_outbox(course_id, requested(course_id).event_id);
  }

  ports::RunRecord current(const std::string& course_id) { return *store_.load(course_id); }

  std::shared_ptr<PgPool> pool_ =
      std::make_shared<PgPool>(test_support::PostgresServer::shared().fresh_schema_url(), 4);
  PgRunStore store_{pool_};
  PgDeadLetters dead_letters_{pool_};
};

TEST_F(PostgresRunStoreExpiry, ARunQuietForAWholeTtlFailsAsExpiredAndItsPendingEventIsDeadLettered) {
  create_published("c1", kT0);
  const std::int64_t now = kT0 + 8 * kDay;
  EXPECT_EQ(store_.expire_states(now, 7 * kDay), 1);
  const auto record = current("c1");
  EXPECT_EQ(record.status, ports::RunStatus::error);
  ASSERT_TRUE(record.error.has_value());
  EXPECT_EQ(record.error->code, "expired");
  EXPECT_TRUE(record.state.has_value());  // kept, so a replay resumes the run
  EXPECT_EQ(record.expires_at_ms, now + 7 * kDay);
  EXPECT_EQ(record.version, 1);
  const auto history = store_.history("c1", 0);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].kind, ports::HistoryKind::error);
  const auto letters = dead_letters_.list();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].event, requested("c1"));
  EXPECT_EQ(letters[0].error_code, "expired");
  EXPECT_EQ(store_.expire_states(now, 7 * kDay), 0);  // failed now: it keeps its state until then
}

TEST_F(PostgresRunStoreExpiry, ARunWrittenWithinTheTtlIsInFlightEvenPastItsExpiry) {
  create_published("c1", kT0);
  // A commit (a retry's history note, say) at day 5 that left the record's expires_at as it was.
  auto note = commit_on(current("c1"));
  note.record.updated_at_ms = kT0 + 5 * kDay;
  note.history = {history_entry(0, "CourseRequested", "retrying", ports::HistoryKind::note)};
  ASSERT_EQ(store_.commit(note), ports::CommitResult::committed);
  EXPECT_EQ(store_.expire_states(kT0 + 8 * kDay, 7 * kDay), 0);
  EXPECT_EQ(current("c1").status, ports::RunStatus::processing);
  EXPECT_EQ(store_.expire_states(kT0 + 12 * kDay + 1, 7 * kDay), 1);
}

TEST_F(PostgresRunStoreExpiry, ARunWithAnOutboxIsLeftToTheRelay) {
  ASSERT_TRUE(store_.create(sample_record("c1", "user-1", kT0), requested("c1"), requested_entry()));
  EXPECT_EQ(store_.expire_states(kT0 + 30 * kDay, 7 * kDay), 0);
  EXPECT_EQ(store_.unpublished(kT0 + 30 * kDay).size(), 1u);
  EXPECT_EQ(dead_letters_.count(), 0);
}

TEST_F(PostgresRunStoreExpiry, EveryEmittedEventGoesToTheOutboxAndBecomesThePendingEvent) {
  create_published("c1", kT0);
  auto step = commit_on(current("c1"));
  step.record.next_seq = 2;
  step.record.outbox.reset();  // whatever the caller says: the emitted event is kept
  step.next_event = parts_generated("c1", 1);
  step.consumed_event_id = requested("c1").event_id;  // ignored: the bus acknowledges
  ASSERT_EQ(store_.commit(step), ports::CommitResult::committed);
  EXPECT_EQ(current("c1").outbox, parts_generated("c1", 1));
  store_.clear_outbox("c1", parts_generated("c1", 1).event_id);
  EXPECT_EQ(store_.expire_states(kT0 + 8 * kDay, 7 * kDay), 1);
  ASSERT_EQ(dead_letters_.count(), 1);
  EXPECT_EQ(dead_letters_.list()[0].event, parts_generated("c1", 1));
}

// An ingestion run (issue 14) is judged the same way; its letter names its kind and run.
TEST_F(PostgresRunStoreExpiry, AQuietIngestionRunFailsAsExpiredAndItsLetterNamesItsKind) {
  ASSERT_TRUE(store_.create(sample_ingest_record("i1", "user-1", kT0), ingest_requested("i1"), requested_entry()));
  store_.clear_outbox("i1", ingest_requested("i1").event_id);
  create_published("c1", kT0 + 5 * kDay);  // written within the TTL: left alone
  EXPECT_EQ(store_.expire_states(kT0 + 8 * kDay, 7 * kDay), 1);
  const auto record = current("i1");
  EXPECT_EQ(record.kind, domain::RunKind::ingest);
  EXPECT_EQ(record.status, ports::RunStatus::error);
  EXPECT_EQ(record.error->code, "expired");
  EXPECT_EQ(store_.history("i1", 0).back().type, "IngestFailed");
  EXPECT_EQ(current("c1").status, ports::RunStatus::processing);
  ASSERT_EQ(dead_letters_.count(), 1);
  EXPECT_EQ(dead_letters_.list()[0].event, ingest_requested("i1"));
  const auto columns = pool_->read([](PgConnection& c) {
    const auto rows = c.exec("SELECT kind, run_id, course_id FROM dead_letters");
    return rows.text(0, 0) + " " + rows.text(0, 1) + " " + rows.text(0, 2);
  });
  EXPECT_EQ(columns, "ingest i1 i1");
}

}  // namespace
}  // namespace docprof::adapters::postgres
