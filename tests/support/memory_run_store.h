// MemoryRunStore: an in-memory ports::RunStore for tests of the distributed shape of the engine.
// It shares no transaction with any queue, so hands_off_events() is false: the engine keeps each
// next event in the record's outbox with the commit, publishes it, clears the outbox and
// acknowledges the delivery itself (DESIGN.md §3, "Atomic hand-off", distributed). Runs, history
// and dead letters live in maps in this object and go with it.
//
// Where it differs from the RunStore contract (ports/run_store.h), because it cannot see a queue —
// input for the port redesign (issue 11, deliver 2):
// * create() cannot enqueue the first event. It keeps it as the record's outbox (unless the record
//   brings an outbox of its own), where a relay — or the engine after create() — must publish it
//   and clear it. Until then the first event is only in the store.
// * commit() never acknowledges `delivery` (it is ignored; the engine acknowledges afterwards) and
//   never enqueues `next_event`. The record's outbox after a commit is `next_event` when there is
//   one (so an emitted event is never lost, whatever the caller put in record.outbox), else the
//   record's outbox as given.
// * commit() with a `course` stores it through the CourseRepository given to the constructor (none:
//   the course is kept in stored_courses()), under the store's lock after the compare-and-set holds
//   and before the record changes. All writers of a run go through the same lock, so a cancel that
//   wins still leaves no course, but the course and the record are not one transaction: a crash
//   between them leaves the course without the run's commit (the upsert makes the replay safe).
// * expire_states() never fails a processing run as "expired": whether a run's event is queued,
//   delayed or leased is known only to the queue, so every processing run is treated as having one
//   pending (the contract's "never expires a run with an event queued" holds; the stranded-run rule
//   does not run). Finished and failed runs past their TTL lose their state, as the contract says.
// * remove() deletes the record, its history and its dead letters; queued events are the queue's.
// * It is the run's dead letters too (ports::DeadLetters), as a distributed deployment keeps them
//   beside the runs: commits write them (ids "dl-1", "dl-2", …, listed oldest first),
//   consumed_dead_letter_id removes one, bury() replaces a letter of the same event id.
// * unpublished() lists the outboxes of runs whose record was last updated by the cutoff.
// * Runs of both kinds (RunRecord::kind) share one map by run id; list_runs() and count_runs() see
//   the course runs only, list_ingest_runs() the ingestion runs.
// * crash_after_next_commit(): the next successful commit is applied and then throws, as if the
//   process died right after it — for tests of the outbox's recovery (publish, clear, acknowledge).
//
// Thread safety: every member function takes one mutex; safe from any thread of one process.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ports/course_repository.h"
#include "ports/dead_letters.h"
#include "ports/run_store.h"

namespace docprof::test_support {

class MemoryRunStore final : public ports::RunStore, public ports::DeadLetters {
 public:
  // `courses` (may be null) receives the courses of store-step commits; it must outlive the store.
  explicit MemoryRunStore(ports::CourseRepository* courses = nullptr);

  bool create(const ports::RunRecord& record, const domain::Envelope& first_event,
              const ports::HistoryEntry& entry) override;
  std::optional<ports::RunRecord> load(const std::string& course_id) override;
  ports::CommitResult commit(const ports::StepCommit& commit) override;
  bool hands_off_events() const override { return false; }
  void clear_outbox(const std::string& course_id, const std::string& event_id) override;
  std::vector<ports::HistoryEntry> history(const std::string& course_id, std::int64_t after_id) override;
  std::vector<ports::RunRecord> list_runs(const std::string& user_id) override;
  std::vector<ports::RunRecord> list_ingest_runs(const std::string& user_id) override;
  ports::RunCounts count_runs() override;
  bool remove(const std::string& course_id) override;
  int expire_states(std::int64_t now_ms, std::int64_t state_ttl_ms) override;
  std::vector<domain::Envelope> unpublished(std::int64_t updated_before_ms) override;

  // ports::DeadLetters
  std::vector<ports::DeadLetter> list() override;
  std::optional<ports::DeadLetter> get(const std::string& id) override;
  std::int64_t count() override;
  void bury(const ports::DeadLetter& letter) override;

  // The courses of store-step commits when no CourseRepository was given, by course id.
  std::map<std::string, ports::StoredCourse> stored_courses() const;
  void crash_after_next_commit();

 private:
  struct Run {
    ports::RunRecord record;
    std::int64_t created_order = 0;  // ties of created_at_ms in list_runs: the later creation first
  };

  // The runs of `kind` that `keep` accepts, newest first, without state. Call with mu_ held.
  template <class Keep>
  std::vector<ports::RunRecord> newest_first(domain::RunKind kind, Keep keep) const;

  ports::CourseRepository* courses_;
  mutable std::mutex mu_;
  std::map<std::string, Run> runs_;
  std::map<std::string, std::vector<ports::HistoryEntry>> history_;  // by course id, in order
  std::vector<ports::DeadLetter> dead_letters_;
  std::map<std::string, ports::StoredCourse> stored_courses_;
  std::int64_t next_history_id_ = 1;
  std::int64_t next_dead_letter_id_ = 1;
  std::int64_t next_created_order_ = 1;
  bool crash_after_next_commit_ = false;
};

}  // namespace docprof::test_support
