// RunStore: the per-run record (course_runs), its bulky workflow state, and its history
// (course_events), with compare-and-set saves (DESIGN.md §3). Ingestion runs (issue 14) are runs
// of their own kind on the same engine: their records and history live in ingest_runs and
// ingest_events (RunRecord::kind says which; a run id names one run of either kind), and every
// method below that takes a run id finds the run whatever its kind.
//
// commit() is the atomic hand-off of a step: the new record (CAS on version), its history entries,
// the next event, the dead letter and the finished course, if any. A store that shares a transaction with its queue
// (embedded SQLite: hands_off_events() is true) also enqueues the next event and removes the
// consumed one from its queue inside that same transaction. Otherwise (distributed) the next event is kept in the
// record's outbox and the engine publishes it, clears the outbox and acknowledges afterwards.
//
// Thread safety: implementations must allow concurrent calls from many threads and processes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/commands.h"
#include "domain/events.h"
#include "domain/models.h"
#include "ports/course_repository.h"
#include "ports/dead_letters.h"
#include "ports/event_queue.h"

namespace docprof::ports {

enum class RunStatus { processing, complete, error };
std::string_view to_string(RunStatus);

struct RunRecord {
  std::string course_id;
  std::string user_id;
  std::string query;
  double hours = 0.0;
  domain::Preferences preferences;
  RunStatus status = RunStatus::processing;
  domain::Phase phase = domain::Phase::initializing;
  std::int64_t next_seq = 0;  // the seq of the next event the run expects
  // Deliveries of the awaited event given back without spending an attempt (a circuit breaker held
  // the provider call back; the worker stopped before running the step). A queue counts every
  // delivery (a broker cannot take one back): the event's attempt is that count minus these. 0
  // again once the run moves on or is replayed.
  int postponed = 0;
  std::string title;          // the query's first 100 characters until the course is stored
  int parts_count = 0;
  int current_part_index = 0;
  std::optional<domain::Error> error;
  domain::TokenUsage usage;
  std::int64_t version = 0;                 // bumped by every commit: a commit stores expected_version + 1
  std::optional<domain::RunState> state;    // absent once the course is stored (or expired)
  std::optional<domain::Envelope> outbox;   // distributed: emitted but not yet confirmed
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  std::int64_t expires_at_ms = 0;           // of the state; the record itself stays
  // The course's revision the record's run works on (issue 17): 0 for the original generation. A
  // revision continues the course's record: next_seq goes on, so history ids and seqs keep rising.
  int revision = 0;
  // Which kind of run this is: a course's, or an ingestion's (issue 14). For an ingestion run,
  // course_id is the ingest id, query the document's file name, title the book's title once read
  // (the file name before), parts_count the book's chapters and current_part_index the chapter
  // being summarized (0-based); hours and preferences keep their defaults.
  domain::RunKind kind = domain::RunKind::course;
  std::string book_id = {};  // an ingestion run's book, once its document is read
};

enum class HistoryKind { step, note, complete, error };
std::string_view to_string(HistoryKind);

struct HistoryEntry {
  std::int64_t history_id = 0;  // assigned by the store, increasing per course (SSE ids)
  std::string course_id;
  std::int64_t seq = 0;
  std::string type;  // event type name
  HistoryKind kind = HistoryKind::step;
  std::string message;
  domain::TokenUsage usage;
  std::int64_t at_ms = 0;
  int revision = 0;  // the run's revision when it was written (stores write the record's)
};

// A revision's store step (issue 17): the store's commit reads the course and its rows in the
// commit's transaction, builds the revised rows from them (domain::build_revised_rows: what is
// completed at that moment is re-inserted as stored), replaces the outline and records the
// revision in course_revisions. When the rows cannot be built the commit throws and writes nothing.
struct RevisionCommit {
  domain::StoreRevision store = {};
  // Passages (chunk ids) of the new sections, by section id, found by the engine before the commit
  // for rows built from the base; a section without an entry keeps what build_revised_rows gave it.
  std::map<std::string, std::vector<std::string>> chunk_ids = {};
};

struct StepCommit {
  RunRecord record;                        // the record to save; the store sets version
  std::int64_t expected_version = 0;       // compare-and-set
  std::vector<HistoryEntry> history;       // appended in order
  std::optional<domain::Envelope> next_event;
  std::optional<DeadLetter> dead_letter;   // the failed event, kept for replay
  // The finished course (the store step): upserted with the commit, in the same transaction, so a
  // run cancelled or deleted meanwhile never gets a course, and a replay never doubles rows.
  std::optional<StoredCourse> course;
  // A dead letter consumed by this commit (dlq replay: the run reopens and its event is requeued).
  std::optional<std::string> consumed_dead_letter_id;
  // The delivered event this step consumed. A store that hands off events removes it from its
  // queue in the commit's transaction (the embedded mode's single unit of work); otherwise the
  // engine acknowledges the delivery after the commit.
  std::optional<std::string> consumed_event_id = {};
  // A revision's store step (see RevisionCommit).
  std::optional<RevisionCommit> revision = {};
};

// What a revision's commit writes over the course as stored in the commit's transaction: the
// course and rows of domain::build_revised_rows, the engine's chunk ids attached. Throws
// std::runtime_error ("revision_impossible: …") when they cannot be built; the commit writes nothing.
StoredCourse revised_course(const RevisionCommit& revision, const StoredCourse& stored);

// `commit` as the step that consumed `delivery`'s event.
StepCommit consuming(StepCommit commit, const Delivery& delivery);

enum class CommitResult { committed, lost_race };

// How many runs there are in each status (for the API's /metrics).
struct RunCounts {
  std::int64_t processing = 0;
  std::int64_t complete = 0;
  std::int64_t error = 0;
};

class RunStore {
 public:
  virtual ~RunStore() = default;
  // Creates the run with its first event; false when the course id exists. A store that hands off
  // events enqueues the event in the same transaction; otherwise the record carries it in its
  // outbox and the caller publishes it and clears the outbox (a relay pass does, if it dies first).
  virtual bool create(const RunRecord& record, const domain::Envelope& first_event, const HistoryEntry& entry) = 0;
  virtual std::optional<RunRecord> load(const std::string& course_id) = 0;
  // See the header comment and StepCommit::consumed_event_id.
  virtual CommitResult commit(const StepCommit& commit) = 0;
  virtual bool hands_off_events() const = 0;
  // Clears a published outbox entry (distributed mode), only while it still holds that event.
  virtual void clear_outbox(const std::string& course_id, const std::string& event_id) = 0;
  // The outbox events of runs last updated at or before `updated_before_ms`: committed, but their
  // publisher may have died before publishing (the relay pass publishes them again; publishing is
  // idempotent by event id). A store that hands off events has none.
  virtual std::vector<domain::Envelope> unpublished(std::int64_t updated_before_ms) = 0;
  virtual std::vector<HistoryEntry> history(const std::string& course_id, std::int64_t after_id) = 0;
  // A user's course runs, newest first, without state.
  virtual std::vector<RunRecord> list_runs(const std::string& user_id) = 0;
  // Ingestion runs, newest first, without state: a user's, or everyone's for an empty user_id.
  virtual std::vector<RunRecord> list_ingest_runs(const std::string& user_id) = 0;
  virtual RunCounts count_runs() = 0;  // every user's course runs, by status
  virtual bool remove(const std::string& course_id) = 0;
  // The janitor. Never expires a processing run with an event queued, delayed or leased. A
  // processing run past its TTL with nothing pending fails with error code "expired" (history entry,
  // version bumped), keeps its state until now + state_ttl_ms and has the event it waits for
  // dead-lettered, so a replay resumes it. A finished or failed run past its TTL loses its state
  // (the record stays). Returns how many runs it changed.
  virtual int expire_states(std::int64_t now_ms, std::int64_t state_ttl_ms) = 0;
};

}  // namespace docprof::ports
