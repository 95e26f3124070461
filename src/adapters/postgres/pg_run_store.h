// PgRunStore: the RunStore of the distributed deployment. Run records live in course_runs (the
// bulky state as a JSON column), their history in course_events — an ingestion run's in
// ingest_runs and ingest_events (ports/run_tables.h) — their dead letters in dead_letters — the
// SQLite schema's tables, in PostgreSQL. The events themselves travel on a bus
// that shares no transaction with the database, so hands_off_events() is false: every emitted
// event is kept in the record's outbox by the commit that emits it (the engine publishes it, clears
// the outbox and acknowledges the delivery after the commit; the relay pass publishes what a dead
// process left). StepCommit::consumed_event_id is ignored: the bus acknowledges.
//
// commit() is one transaction: compare-and-set on version (a commit on a stale version, or of a run
// that does not exist, writes nothing and is lost_race), the history entries, the outbox
// (next_event when there is one, else the record's own outbox), pending_event (the latest emitted
// event), the dead letter written or consumed, and the store step's course rows. create() keeps the
// first event in the outbox (unless the record brings an outbox of its own) and in pending_event.
// create() writes the record to its kind's table (RunRecord::kind); it is false when the id is
// taken by a run of either kind (the other kind's table is read first: two creates of one id in two
// kinds at once could both succeed; ids are UUIDs). Methods given only a run id look in both kinds'
// tables: load() asks course_runs first, then ingest_runs; the others touch both. remove() deletes
// the record, its history, its books and its dead letters (course rows are the
// CourseRepository's). list_runs() (course runs) and list_ingest_runs() return records without
// their state, newest first. unpublished() and expire_states() cover both kinds.
//
// expire_states(now, ttl): this store cannot see the bus, so it cannot ask whether a run's event
// is queued, delayed or leased. It judges by the run's own writes instead (docs/architecture.md,
// "Expiry without a queue"): a processing run is in flight while it has an outbox (the relay
// publishes it) or while it was written within the last `ttl` — the engine commits a history note
// for every retry, backoff and give-back, and a delivery's wait is bounded by the lease and the
// backoff cap (minutes), far below a state TTL (days). A processing run past its expires_at, with
// no outbox and no write for a whole `ttl`, is stranded: it fails as "expired" (CourseFailed or
// IngestFailed error history entry, version bumped), keeps its state until now + ttl, and its
// pending_event goes to the dead letters so a replay resumes it. Finished and failed runs past
// their TTL lose their state (the record stays). Rows locked by a commit in progress are skipped
// (that commit renews them).
//
// The common step — the compare-and-set and its history entries, the run's books as they were —
// commits in one statement (one round trip, no BEGIN/COMMIT): this store remembers the books digest
// of the versions it read and wrote, so it knows when the books are unchanged. Other commits (books
// changed, a dead letter, the course rows) run as one transaction. clear_outbox() queues the clear
// (PgOutboxClearer); load() and unpublished() see the clears queued through this store.
//
// Thread safety: safe from any thread; any number of processes may share the database.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "adapters/postgres/pg_outbox_clearer.h"
#include "adapters/postgres/pg_pool.h"
#include "ports/run_store.h"

namespace docprof::adapters::postgres {

inline constexpr std::string_view kExpiredCode = "expired";
inline constexpr std::string_view kExpiredMessage =
    "the run outlived its state TTL with no step published, retried or committed";

class PgRunStore final : public ports::RunStore {
 public:
  explicit PgRunStore(std::shared_ptr<PgPool> pool);

  bool create(const ports::RunRecord& record, const domain::Envelope& first_event,
              const ports::HistoryEntry& entry) override;
  std::optional<ports::RunRecord> load(const std::string& course_id) override;
  ports::CommitResult commit(const ports::StepCommit& commit) override;
  bool hands_off_events() const override { return false; }
  void clear_outbox(const std::string& course_id, const std::string& event_id) override;
  std::vector<domain::Envelope> unpublished(std::int64_t updated_before_ms) override;
  std::vector<ports::HistoryEntry> history(const std::string& course_id, std::int64_t after_id) override;
  std::vector<ports::RunRecord> list_runs(const std::string& user_id) override;
  std::vector<ports::RunRecord> list_ingest_runs(const std::string& user_id) override;
  ports::RunCounts count_runs() override;
  bool remove(const std::string& course_id) override;
  int expire_states(std::int64_t now_ms, std::int64_t state_ttl_ms) override;

 private:
  // The books digest stored with the run at `version` ("" for none), as this store last saw it.
  void remember_digest(const std::string& run_id, std::int64_t version, std::string digest);
  std::optional<std::string> known_digest(const std::string& run_id, std::int64_t version);

  std::shared_ptr<PgPool> pool_;
  PgOutboxClearer clears_;
  std::mutex digests_mu_;
  std::unordered_map<std::string, std::pair<std::int64_t, std::string>> digests_;  // run id -> version, digest
};

}  // namespace docprof::adapters::postgres
