#include "adapters/sqlite/sqlite_run_store.h"

#include "adapters/sqlite/sqlite_course_repository.h"

#include <charconv>
#include <optional>
#include <stdexcept>
#include <variant>
#include <vector>

#include "adapters/sqlite/sqlite_codec.h"
#include "adapters/sqlite/sqlite_dead_letters.h"
#include "adapters/sqlite/sqlite_event_queue.h"
#include "domain/saturating.h"
#include "ports/run_expiry.h"
#include "ports/run_tables.h"
#include "ports/stored_state.h"

namespace docprof::adapters::sqlite {
namespace {

using ports::stored::per_kind;
using ports::stored::RunTables;
using ports::stored::run_tables;

// "?, ?, ?" for n parameters.
std::string placeholders(std::size_t n) {
  std::string list;
  for (std::size_t i = 0; i < n; ++i) list += i == 0 ? "?" : ", ?";
  return list;
}

// Binds the writes' values from parameter `index` on; returns the next parameter's index.
int bind_writes(Statement& statement, int index, const std::vector<ports::stored::ColumnWrite>& writes) {
  for (const auto& write : writes) {
    std::visit([&](const auto& value) { statement.bind(index, value); }, write.value);
    ++index;
  }
  return index;
}

// The record columns every kind's table has written by create() and commit(), for `kind`.
std::vector<ports::stored::ColumnWrite> writes_of_kind(domain::RunKind kind) {
  ports::RunRecord sample;
  sample.kind = kind;
  return ports::stored::record_writes(sample);
}

// The kind's runs (aliased r) with the state: its column and its books' digest (ports/stored_state.h);
// without: NULLs. `rest` follows the FROM clause.
std::string select_runs(const RunTables& t, bool with_state, std::string_view rest) {
  return "SELECT " + ports::stored::record_select_list(t) + ", " +
         (with_state ? "r.state, (SELECT digest FROM run_books b WHERE b.course_id = r." + std::string(t.id) + ")"
                     : std::string("NULL, NULL")) +
         " FROM " + std::string(t.runs) + " r " + std::string(rest);
}

// A run's books, stored apart from its state (ports/stored_state.h).
std::optional<std::string> stored_books(Session& session, const std::string& run_id, const std::string& digest) {
  auto row = session.query("SELECT books FROM run_books WHERE course_id = ? AND digest = ?", run_id, digest);
  if (!row.step()) return std::nullopt;
  return row.text(0);
}

// A row of select_runs() of `kind`; `session` reads the run's books when the process has not cached them.
ports::RunRecord read_run(const Statement& row, Session& session, domain::RunKind kind) {
  using namespace ports::stored;  // NOLINT(google-build-using-namespace): the column positions
  ports::RunRecord record;
  record.kind = kind;
  record.course_id = row.text(kId);
  const std::string context = std::string(run_tables(kind).runs) + "[" + record.course_id + "]";
  record.user_id = row.text(kUserId);
  record.query = row.text(kQuery);
  record.hours = row.real(kHours);
  if (!row.is_null(kPreferences)) {
    record.preferences = from_json_text<domain::Preferences>(row.text(kPreferences), context + ".preferences");
  }
  record.status = parse_run_status(row.text(kStatus), context + ".status");
  record.phase = phase_from_name(row.text(kPhase), context + ".phase");
  record.next_seq = row.int64(kNextSeq);
  record.title = row.text(kTitle);
  record.parts_count = row.int32(kParts);
  record.current_part_index = row.int32(kPartIndex);
  if (!row.is_null(kErrorCode)) record.error = domain::Error{row.text(kErrorCode), row.text(kErrorMessage)};
  record.usage = from_json_text<domain::TokenUsage>(row.text(kUsage), context + ".usage");
  record.version = row.int64(kVersion);
  record.created_at_ms = row.int64(kCreatedAt);
  record.updated_at_ms = row.int64(kUpdatedAt);
  record.expires_at_ms = row.int64(kExpiresAt);
  if (!row.is_null(kOutbox)) record.outbox = envelope_from_text(row.text(kOutbox), context + ".outbox");
  record.postponed = row.int32(kPostponed);
  record.revision = row.int32(kRevision);
  record.book_id = row.text(kBookId);  // "" for NULL: no book yet, or a course's run
  constexpr int kState = kRecordColumns;
  if (!row.is_null(kState)) {
    const std::string digest = row.is_null(kState + 1) ? std::string() : row.text(kState + 1);
    record.state = ports::stored::state_from_columns(
        row.text(kState), digest, [&] { return stored_books(session, record.course_id, digest); }, context + ".state");
  }
  return record;
}

// The run's books as its state has them: written when their digest changed, removed with the state.
void write_books(Session& session, const std::string& run_id,
                 const std::optional<ports::stored::StateColumns>& columns) {
  if (!columns || columns->books_digest.empty()) {
    session.query("DELETE FROM run_books WHERE course_id = ?", run_id).run();
    return;
  }
  session
      .query(
          "INSERT INTO run_books (course_id, digest, books) VALUES (?, ?, ?) ON CONFLICT (course_id) DO "
          "UPDATE SET digest = excluded.digest, books = excluded.books WHERE run_books.digest <> excluded.digest",
          run_id, columns->books_digest, *columns->books)
      .run();
}

std::optional<std::string> outbox_text(const ports::RunRecord& record) {
  if (!record.outbox) return std::nullopt;
  return envelope_to_text(*record.outbox);
}

// Entries carry the revision of the record they are written with (a course's run: ingestion runs
// have none).
void append_history(Session& session, domain::RunKind kind, const std::string& run_id,
                    const ports::HistoryEntry& entry, int revision) {
  static const auto sql = per_kind([](const RunTables& t) {
    const auto writes = ports::stored::history_writes(t.kind, "", {}, 0);
    return "INSERT INTO " + std::string(t.events) + " (" + ports::stored::column_names(writes) + ") VALUES (" +
           placeholders(writes.size()) + ")";
  });
  auto statement = session.prepare(sql[ports::stored::kind_index(kind)]);
  bind_writes(statement, 1, ports::stored::history_writes(kind, run_id, entry, revision));
  statement.run();
}

// A revision's store step: the outline replaced from the rows stored now, and the revision recorded.
void write_revision(Session& session, const ports::RevisionCommit& revision, std::int64_t now_ms) {
  const std::string& course_id = revision.store.course_id;
  auto stored = read_stored_course(session, course_id);
  if (!stored) throw std::runtime_error("course " + course_id + " to revise no longer exists");
  const ports::StoredCourse revised = ports::revised_course(revision, *stored);
  write_course(session, revised.course, revised.sections);
  session
      .query(
          "INSERT INTO course_revisions (course_id, revision, request, status, previous_sections, created_at) "
          "VALUES (?, ?, ?, 'stored', ?, ?) ON CONFLICT (course_id, revision) DO NOTHING",
          course_id, revision.store.rows.revision, revision.store.revision_request,
          to_json_text(stored->sections), now_ms)
      .run();
}

// The run's pending_event: the latest event emitted for it (migration 8).
void note_pending_event(Session& session, domain::RunKind kind, const std::string& run_id,
                        const domain::Envelope& event) {
  static const auto sql = per_kind([](const RunTables& t) {
    return "UPDATE " + std::string(t.runs) + " SET pending_event = ? WHERE " + std::string(t.id) + " = ?";
  });
  session.query(sql[ports::stored::kind_index(kind)], envelope_to_text(event), run_id).run();
}

// Whether a run of the other kind than `kind` has the id (a run id names one run of either kind).
bool taken_by_other_kind(Session& session, domain::RunKind kind, const std::string& run_id) {
  static const auto sql = per_kind([](const RunTables& t) {
    return "SELECT 1 FROM " + std::string(t.runs) + " WHERE " + std::string(t.id) + " = ?";
  });
  const auto other = kind == domain::RunKind::course ? domain::RunKind::ingest : domain::RunKind::course;
  return session.query(sql[ports::stored::kind_index(other)], run_id).step();
}

// The janitor's pass over the runs of one kind (see the header). Runs still processing past their
// TTL with nothing queued, delayed or leased can never finish by themselves: each fails as expired,
// keeps its state for another TTL and has the event it waits for dead-lettered, so that a replay
// resumes it. A run with an event in the queue (a step running, a retry waiting) is left alone: its
// next commit renews the TTL. Returns how many runs it changed.
int expire_kind(Session& session, domain::RunKind kind, std::int64_t now_ms, std::int64_t state_ttl_ms) {
  struct Statements {
    std::string stranded, fail, drop_states, drop_books;
  };
  static const auto sql = per_kind([](const RunTables& t) {
    const std::string runs(t.runs);
    const std::string id(t.id);
    return Statements{
        "SELECT " + id + ", next_seq, coalesce(outbox, pending_event), " +
            (t.kind == domain::RunKind::course ? "revision" : "0") + " FROM " + runs +
            " r WHERE state IS NOT NULL AND expires_at <= ? AND status = 'processing' "
            "AND NOT EXISTS (SELECT 1 FROM event_queue q WHERE q.course_id = r." + id + ")",
        // The state keeps its own phase, as for any failed step: reopen() puts it back for a replay.
        "UPDATE " + runs + " SET status = 'error', phase = ?, error_code = ?, error_message = ?, "
            "updated_at = ?, expires_at = ?, outbox = NULL, version = version + 1 WHERE " + id + " = ?",
        // Failed and finished runs past their TTL lose their state (the record stays); never a
        // processing run.
        "UPDATE " + runs + " SET state = NULL, version = version + 1 "
            "WHERE state IS NOT NULL AND expires_at <= ? AND status <> 'processing'",
        "DELETE FROM run_books WHERE course_id IN (SELECT " + id + " FROM " + runs + " WHERE state IS NULL)"};
  });
  const Statements& statements = sql[ports::stored::kind_index(kind)];
  struct Stranded {
    std::string run_id;
    std::int64_t next_seq = 0;
    std::optional<std::string> pending;
    int revision = 0;
  };
  std::vector<Stranded> stranded;
  {
    auto row = session.query(statements.stranded, now_ms);
    while (row.step()) {
      Stranded s{row.text(0), row.int64(1), std::nullopt, row.int32(3)};
      if (!row.is_null(2)) s.pending = row.text(2);
      stranded.push_back(std::move(s));
    }
  }
  const std::int64_t kept_until = domain::saturating_add(now_ms, state_ttl_ms);
  for (const auto& run : stranded) {
    std::optional<domain::Envelope> pending;
    if (run.pending) {
      try {
        pending = envelope_from_text(*run.pending, std::string(run_tables(kind).runs) + "[" + run.run_id +
                                                       "].pending_event");
      } catch (const std::runtime_error&) {
        pending.reset();  // unreadable: the run still fails, without a dead letter to resume
      }
    }
    const std::string message = expired_message(kind, kExpiredMessage, pending.has_value());
    append_history(session, kind, run.run_id, expired_entry(kind, kExpiredCode, message, run.next_seq, now_ms),
                   run.revision);
    if (pending) insert_dead_letter(session, expired_letter(run.run_id, *pending, kExpiredCode, message, now_ms));
    session
        .query(statements.fail, domain::to_string(domain::Phase::error), kExpiredCode, message, now_ms, kept_until,
               run.run_id)
        .run();
  }
  session.query(statements.drop_states, now_ms).run();
  const std::int64_t cleared = session.changes();
  session.query(statements.drop_books).run();
  return static_cast<int>(stranded.size() + static_cast<std::size_t>(cleared));
}

}  // namespace

SqliteRunStore::SqliteRunStore(std::shared_ptr<SqliteDatabase> database)
    : database_(std::move(database)) {}

bool SqliteRunStore::create(const ports::RunRecord& record, const domain::Envelope& first_event,
                            const ports::HistoryEntry& entry) {
  static const auto sql = per_kind([](const RunTables& t) {
    const auto writes = writes_of_kind(t.kind);
    return "INSERT INTO " + std::string(t.runs) + " (" + std::string(t.id) + ", " +
           ports::stored::column_names(writes) + ", version, outbox, state) VALUES (" +
           placeholders(writes.size() + 4) + ") ON CONFLICT (" + std::string(t.id) + ") DO NOTHING";
  });
  const auto columns = ports::stored::state_columns(record.state);
  const auto state = ports::stored::state_text(columns);
  const auto writes = ports::stored::record_writes(record);
  return database_->write([&](Session& session) {
    if (taken_by_other_kind(session, record.kind, record.course_id)) return false;
    auto insert = session.prepare(sql[ports::stored::kind_index(record.kind)]);
    insert.bind(1, record.course_id);
    const int next = bind_writes(insert, 2, writes);
    insert.bind(next, record.version).bind(next + 1, outbox_text(record)).bind(next + 2, state);
    insert.run();
    if (session.changes() == 0) return false;  // nothing written: the transaction commits empty
    write_books(session, record.course_id, columns);
    append_history(session, record.kind, record.course_id, entry, record.revision);
    enqueue_event(session, first_event, record.created_at_ms);
    note_pending_event(session, record.kind, record.course_id, first_event);
    return true;
  });
}

std::optional<ports::RunRecord> SqliteRunStore::load(const std::string& course_id) {
  static const auto sql =
      per_kind([](const RunTables& t) { return select_runs(t, true, "WHERE r." + std::string(t.id) + " = ?"); });
  // A course's run first (the common case), then an ingestion's: one snapshot, two index lookups at most.
  return database_->read([&](Session& session) -> std::optional<ports::RunRecord> {
    for (const auto kind : ports::stored::kRunKinds) {
      auto row = session.query(sql[ports::stored::kind_index(kind)], course_id);
      if (row.step()) return read_run(row, session, kind);
    }
    return std::nullopt;
  });
}

ports::CommitResult SqliteRunStore::commit(const ports::StepCommit& commit) {
  static const auto sql = per_kind([](const RunTables& t) {
    std::string assignments;
    for (const auto& write : writes_of_kind(t.kind)) assignments += std::string(write.name) + " = ?, ";
    return "UPDATE " + std::string(t.runs) + " SET " + assignments +
           "version = version + 1, outbox = ?, state = ? WHERE " + std::string(t.id) + " = ? AND version = ?";
  });
  const ports::RunRecord& record = commit.record;
  // Serialise before the transaction: the write lock is held for as short a time as possible.
  const auto columns = ports::stored::state_columns(record.state);
  const auto state = ports::stored::state_text(columns);
  const auto outbox = outbox_text(record);
  const auto writes = ports::stored::record_writes(record);
  return database_->write([&](Session& session) {
    auto update = session.prepare(sql[ports::stored::kind_index(record.kind)]);
    const int next = bind_writes(update, 1, writes);
    update.bind(next, outbox).bind(next + 1, state).bind(next + 2, record.course_id);
    update.bind(next + 3, commit.expected_version);
    update.run();
    if (session.changes() == 0) return ports::CommitResult::lost_race;  // nothing was written
    write_books(session, record.course_id, columns);
    // The consumed event goes first: a next event with the same event id must not be swallowed by
    // the queue's event_id dedupe.
    if (commit.consumed_event_id) {
      session.query("DELETE FROM event_queue WHERE event_id = ?", *commit.consumed_event_id).run();
    }
    for (const auto& entry : commit.history) {
      append_history(session, record.kind, record.course_id, entry, record.revision);
    }
    if (commit.next_event) {
      enqueue_event(session, *commit.next_event, record.updated_at_ms);
      note_pending_event(session, record.kind, record.course_id, *commit.next_event);
    }
    if (commit.dead_letter) insert_dead_letter(session, *commit.dead_letter);
    if (commit.consumed_dead_letter_id) delete_dead_letter(session, *commit.consumed_dead_letter_id);
    if (commit.course) write_course(session, commit.course->course, commit.course->sections);
    if (commit.revision) write_revision(session, *commit.revision, record.updated_at_ms);
    return ports::CommitResult::committed;
  });
}

void SqliteRunStore::clear_outbox(const std::string& course_id, const std::string& event_id) {
  // The run is in one of the kinds' tables: both are asked (a primary-key lookup each).
  static const auto sql = per_kind([](const RunTables& t) {
    return "UPDATE " + std::string(t.runs) + " SET outbox = NULL WHERE " + std::string(t.id) +
           " = ? AND json_extract(outbox, '$.event_id') = ?";
  });
  database_->write([&](Session& session) {
    for (const auto& update : sql) session.query(update, course_id, event_id).run();
  });
}

std::vector<domain::Envelope> SqliteRunStore::unpublished(std::int64_t updated_before_ms) {
  static const std::string sql = [] {
    const auto parts = per_kind([](const RunTables& t) {
      return "SELECT " + std::string(t.id) + ", outbox, updated_at, '" + std::string(t.runs) + "' FROM " +
             std::string(t.runs) + " WHERE outbox IS NOT NULL AND updated_at <= ?1";
    });
    return parts[0] + " UNION ALL " + parts[1] + " ORDER BY updated_at";
  }();
  return database_->read([&](Session& session) {
    std::vector<domain::Envelope> events;
    auto row = session.query(sql, updated_before_ms);
    while (row.step()) {
      events.push_back(envelope_from_text(row.text(1), row.text(3) + "[" + row.text(0) + "].outbox"));
    }
    return events;
  });
}

std::vector<ports::HistoryEntry> SqliteRunStore::history(const std::string& course_id,
                                                         std::int64_t after_id) {
  // The run's entries are in its kind's events table only; the other's answers from its index alone.
  static const std::string sql = [] {
    const auto parts = per_kind([](const RunTables& t) {
      return "SELECT " + ports::stored::history_select_list(t) + ", '" + std::string(t.events) + "' FROM " +
             std::string(t.events) + " WHERE " + std::string(t.id) + " = ?1 AND history_id > ?2";
    });
    return parts[0] + " UNION ALL " + parts[1] + " ORDER BY history_id";
  }();
  return database_->read([&](Session& session) {
    std::vector<ports::HistoryEntry> entries;
    auto row = session.query(sql, course_id, after_id);
    while (row.step()) {
      ports::HistoryEntry entry;
      entry.history_id = row.int64(0);
      const std::string context = row.text(9) + "[" + std::to_string(entry.history_id) + "]";
      entry.course_id = row.text(1);
      entry.seq = row.int64(2);
      entry.type = row.text(3);
      entry.kind = parse_history_kind(row.text(4), context + ".kind");
      entry.message = row.text(5);
      entry.usage = from_json_text<domain::TokenUsage>(row.text(6), context + ".usage");
      entry.at_ms = row.int64(7);
      entry.revision = row.int32(8);
      entries.push_back(std::move(entry));
    }
    return entries;
  });
}

// Newest first; rowid breaks ties of created_at in creation order.
std::vector<ports::RunRecord> SqliteRunStore::list_runs(const std::string& user_id) {
  static const std::string sql = select_runs(run_tables(domain::RunKind::course), false,
                                             "WHERE r.user_id = ? ORDER BY r.created_at DESC, r.rowid DESC");
  return database_->read([&](Session& session) {
    std::vector<ports::RunRecord> records;
    auto row = session.query(sql, user_id);
    while (row.step()) records.push_back(read_run(row, session, domain::RunKind::course));
    return records;
  });
}

std::vector<ports::RunRecord> SqliteRunStore::list_ingest_runs(const std::string& user_id) {
  const RunTables& t = run_tables(domain::RunKind::ingest);
  static const std::string mine =
      select_runs(t, false, "WHERE r.user_id = ? ORDER BY r.created_at DESC, r.rowid DESC");
  static const std::string everyone = select_runs(t, false, "ORDER BY r.created_at DESC, r.rowid DESC");
  return database_->read([&](Session& session) {
    std::vector<ports::RunRecord> records;
    auto row = user_id.empty() ? session.query(everyone) : session.query(mine, user_id);
    while (row.step()) records.push_back(read_run(row, session, domain::RunKind::ingest));
    return records;
  });
}

ports::RunCounts SqliteRunStore::count_runs() {
  return database_->read([](Session& session) {
    ports::RunCounts counts;
    auto row = session.query("SELECT status, COUNT(*) FROM course_runs GROUP BY status");
    while (row.step()) {
      const std::string status = row.text(0);
      const std::int64_t n = row.int64(1);
      if (status == "processing") counts.processing = n;
      else if (status == "complete") counts.complete = n;
      else if (status == "error") counts.error = n;
    }
    return counts;
  });
}

bool SqliteRunStore::remove(const std::string& course_id) {
  return database_->write([&](Session& session) { return delete_run_rows(session, course_id); });
}

int SqliteRunStore::expire_states(std::int64_t now_ms, std::int64_t state_ttl_ms) {
  return database_->write([&](Session& session) {
    int changed = 0;
    for (const auto kind : ports::stored::kRunKinds) changed += expire_kind(session, kind, now_ms, state_ttl_ms);
    return changed;
  });
}

}  // namespace docprof::adapters::sqlite
