// SqliteRunStore: the RunStore of embedded mode. Run records live in course_runs (the bulky state
// as a JSON column), their history in course_events — an ingestion run's in ingest_runs and
// ingest_events (ports/run_tables.h) — in the same file as the event queue, so that
// commit() is the whole atomic hand-off of a step in one BEGIN IMMEDIATE transaction:
// compare-and-set on version, history rows, the next event (enqueued, available at the record's
// updated_at), the dead letter, and the deletion of the delivered queue row. hands_off_events() is
// true: the engine publishes and acknowledges nothing itself after a commit. The delivered row is
// deleted by id whoever holds its lease by then (the won compare-and-set proves the event applied);
// a delivery not made by SqliteEventQueue is std::invalid_argument, and nothing is written.
//
// create() writes the record to its kind's table (RunRecord::kind; false when the id is taken by a
// run of either kind) and enqueues the first event available at the record's created_at. Methods
// given only a run id look in both kinds' tables: load() asks course_runs first, then ingest_runs;
// the others touch both (a primary-key lookup each). remove() deletes the record, its history, its
// books, its queued events and its dead letters (course rows are the CourseRepository's).
// list_runs() and list_ingest_runs() return records without their state; count_runs() counts
// every course run by status. unpublished() and expire_states() cover both kinds.
//
// expire_states(now, ttl) never touches a run still processing that has an event in the queue
// (ready, delayed for a retry, or leased to a running step): its next commit renews the TTL. A run
// processing past its TTL with nothing queued is stranded: it is marked error {"expired", ...}
// (phase error, a CourseFailed or IngestFailed error history entry), keeps its state for another
// `ttl`, and the event it waits for (the outbox, else the pending_event column: the latest event
// emitted for the run) goes to the dead letters, so a replay resumes it. Failed and finished runs
// past their TTL lose their state. Every change bumps the record's version, so an in-flight commit
// loses.
//
// Thread safety: safe from any thread; several processes may share the file (see SqliteDatabase).
#pragma once

#include <memory>

#include "adapters/sqlite/sqlite_database.h"
#include "ports/run_store.h"

namespace docprof::adapters::sqlite {

inline constexpr std::string_view kExpiredCode = "expired";
inline constexpr std::string_view kExpiredMessage =
    "the run outlived its state TTL with no step queued, waiting or running";

class SqliteRunStore final : public ports::RunStore {
 public:
  explicit SqliteRunStore(std::shared_ptr<SqliteDatabase> database);

  bool create(const ports::RunRecord& record, const domain::Envelope& first_event,
              const ports::HistoryEntry& entry) override;
  std::optional<ports::RunRecord> load(const std::string& course_id) override;
  ports::CommitResult commit(const ports::StepCommit& commit) override;
  bool hands_off_events() const override { return true; }
  void clear_outbox(const std::string& course_id, const std::string& event_id) override;
  std::vector<domain::Envelope> unpublished(std::int64_t updated_before_ms) override;
  std::vector<ports::HistoryEntry> history(const std::string& course_id,
                                           std::int64_t after_id) override;
  std::vector<ports::RunRecord> list_runs(const std::string& user_id) override;
  std::vector<ports::RunRecord> list_ingest_runs(const std::string& user_id) override;
  ports::RunCounts count_runs() override;
  bool remove(const std::string& course_id) override;
  int expire_states(std::int64_t now_ms, std::int64_t state_ttl_ms) override;

 private:
  std::shared_ptr<SqliteDatabase> database_;
};

}  // namespace docprof::adapters::sqlite
