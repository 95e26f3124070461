#include "adapters/sqlite/sqlite_run_store.h"

#include "adapters/sqlite/sqlite_course_repository.h"

#include <charconv>
#include <optional>
#include <vector>
#include <stdexcept>

#include "adapters/sqlite/sqlite_codec.h"
#include "adapters/sqlite/sqlite_dead_letters.h"
#include "adapters/sqlite/sqlite_event_queue.h"
#include "domain/saturating.h"
#include "ports/stored_state.h"

namespace docprof::adapters::sqlite {
namespace {

constexpr std::string_view kSelectRun =
    "SELECT course_id, user_id, query, hours, preferences, status, phase, next_seq, title, "
    "parts_count, current_part_index, error_code, error_message, usage, version, created_at, "
    "updated_at, expires_at, outbox, postponed, revision, ";

// With the state: its column and its books' digest (ports/stored_state.h); without: NULLs.
std::string select_runs(bool with_state, std::string_view rest) {
  return std::string(kSelectRun) +
         (with_state ? "state, (SELECT digest FROM run_books b WHERE b.course_id = course_runs.course_id)"
                     : "NULL, NULL") +
         " FROM course_runs " + std::string(rest);
}

// A run's books, stored apart from its state (ports/stored_state.h).
std::optional<std::string> stored_books(Session& session, const std::string& course_id, const std::string& digest) {
  auto row = session.query("SELECT books FROM run_books WHERE course_id = ? AND digest = ?", course_id, digest);
  if (!row.step()) return std::nullopt;
  return row.text(0);
}

// `session` reads the run's books when the process has not cached them.
ports::RunRecord read_run(const Statement& row, Session& session) {
  ports::RunRecord record;
  record.course_id = row.text(0);
  const std::string context = "course_runs[" + record.course_id + "]";
  record.user_id = row.text(1);
  record.query = row.text(2);
  record.hours = row.real(3);
  record.preferences = from_json_text<domain::Preferences>(row.text(4), context + ".preferences");
  record.status = parse_run_status(row.text(5), context + ".status");
  record.phase = phase_from_name(row.text(6), context + ".phase");
  record.next_seq = row.int64(7);
  record.title = row.text(8);
  record.parts_count = row.int32(9);
  record.current_part_index = row.int32(10);
  if (!row.is_null(11)) record.error = domain::Error{row.text(11), row.text(12)};
  record.usage = from_json_text<domain::TokenUsage>(row.text(13), context + ".usage");
  record.version = row.int64(14);
  record.created_at_ms = row.int64(15);
  record.updated_at_ms = row.int64(16);
  record.expires_at_ms = row.int64(17);
  if (!row.is_null(18)) record.outbox = envelope_from_text(row.text(18), context + ".outbox");
  record.postponed = row.int32(19);
  record.revision = row.int32(20);
  if (!row.is_null(21)) {
    const std::string digest = row.is_null(22) ? std::string() : row.text(22);
    record.state = ports::stored::state_from_columns(
        row.text(21), digest, [&] { return stored_books(session, record.course_id, digest); }, context + ".state");
  }
  return record;
}

// The run's books as its state has them: written when their digest changed, removed with the state.
void write_books(Session& session, const std::string& course_id,
                 const std::optional<ports::stored::StateColumns>& columns) {
  if (!columns || columns->books_digest.empty()) {
    session.query("DELETE FROM run_books WHERE course_id = ?", course_id).run();
    return;
  }
  session
      .query(
          "INSERT INTO run_books (course_id, digest, books) VALUES (?, ?, ?) ON CONFLICT (course_id) DO "
          "UPDATE SET digest = excluded.digest, books = excluded.books WHERE run_books.digest <> excluded.digest",
          course_id, columns->books_digest, *columns->books)
      .run();
}

std::optional<std::string> outbox_text(const ports::RunRecord& record) {
  if (!record.outbox) return std::nullopt;
  return envelope_to_text(*record.outbox);
}

std::optional<std::string> error_code(const ports::RunRecord& record) {
  if (!record.error) return std::nullopt;
  return record.error->code;
}

std::optional<std::string> error_message(const ports::RunRecord& record) {
  if (!record.error) return std::nullopt;
  return record.error->message;
}

// Entries carry the revision of the record they are written with.
void append_history(Session& session, const std::string& course_id, const ports::HistoryEntry& entry,
                    int revision) {
  session
      .query(
          "INSERT INTO course_events (course_id, seq, type, kind, message, usage, at, revision) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          course_id, entry.seq, entry.type, ports::to_string(entry.kind), entry.message,
          to_json_text(entry.usage), entry.at_ms, revision)
      .run();
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
void note_pending_event(Session& session, const std::string& course_id, const domain::Envelope& event) {
  session.query("UPDATE course_runs SET pending_event = ? WHERE course_id = ?", envelope_to_text(event), course_id)
      .run();
}

}  // namespace

SqliteRunStore::SqliteRunStore(std::shared_ptr<SqliteDatabase> database)
    : database_(std::move(database)) {}

bool SqliteRunStore::create(const ports::RunRecord& record, const domain::Envelope& first_event,
                            const ports::HistoryEntry& entry) {
  const auto columns = ports::stored::state_columns(record.state);
  return database_->write([&](Session& session) {
    session
        .query(
            "INSERT INTO course_runs (course_id, user_id, query, hours, preferences, status, "
            "phase, next_seq, title, parts_count, current_part_index, error_code, error_message, "
            "usage, version, created_at, updated_at, expires_at, outbox, postponed, revision, state) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (course_id) DO NOTHING",
            record.course_id, record.user_id, record.query, record.hours,
            to_json_text(record.preferences), ports::to_string(record.status),
            domain::to_string(record.phase), record.next_seq, record.title, record.parts_count,
            record.current_part_index, error_code(record), error_message(record),
            to_json_text(record.usage), record.version, record.created_at_ms, record.updated_at_ms,
            record.expires_at_ms, outbox_text(record), record.postponed, record.revision, ports::stored::state_text(columns))
        .run();
    if (session.changes() == 0) return false;  // nothing written: the transaction commits empty
    write_books(session, record.course_id, columns);
    append_history(session, record.course_id, entry, record.revision);
    enqueue_event(session, first_event, record.created_at_ms);
    note_pending_event(session, record.course_id, first_event);
    return true;
  });
}

std::optional<ports::RunRecord> SqliteRunStore::load(const std::string& course_id) {
  static const std::string sql = select_runs(true, "WHERE course_id = ?");
  return database_->read([&](Session& session) -> std::optional<ports::RunRecord> {
    auto row = session.query(sql, course_id);
    if (!row.step()) return std::nullopt;
    return read_run(row, session);
  });
}

ports::CommitResult SqliteRunStore::commit(const ports::StepCommit& commit) {
  const ports::RunRecord& record = commit.record;
  // Serialise before the transaction: the write lock is held for as short a time as possible.
  const auto columns = ports::stored::state_columns(record.state);
  const auto state = ports::stored::state_text(columns);
  const auto outbox = outbox_text(record);
  return database_->write([&](Session& session) {
    session
        .query(
            "UPDATE course_runs SET user_id = ?, query = ?, hours = ?, preferences = ?, "
            "status = ?, phase = ?, next_seq = ?, title = ?, parts_count = ?, "
            "current_part_index = ?, error_code = ?, error_message = ?, usage = ?, "
            "version = ? + 1, created_at = ?, updated_at = ?, expires_at = ?, outbox = ?, "
            "postponed = ?, revision = ?, state = ? WHERE course_id = ? AND version = ?",
            record.user_id, record.query, record.hours, to_json_text(record.preferences),
            ports::to_string(record.status), domain::to_string(record.phase), record.next_seq,
            record.title, record.parts_count, record.current_part_index, error_code(record),
            error_message(record), to_json_text(record.usage), commit.expected_version,
            record.created_at_ms, record.updated_at_ms, record.expires_at_ms, outbox, record.postponed,
            record.revision, state, record.course_id, commit.expected_version)
        .run();
    if (session.changes() == 0) return ports::CommitResult::lost_race;  // nothing was written
    write_books(session, record.course_id, columns);
    // The consumed event goes first: a next event with the same event id must not be swallowed by
    // the queue's event_id dedupe.
    if (commit.consumed_event_id) {
      session.query("DELETE FROM event_queue WHERE event_id = ?", *commit.consumed_event_id).run();
    }
    for (const auto& entry : commit.history) append_history(session, record.course_id, entry, record.revision);
    if (commit.next_event) {
      enqueue_event(session, *commit.next_event, record.updated_at_ms);
      note_pending_event(session, record.course_id, *commit.next_event);
    }
    if (commit.dead_letter) insert_dead_letter(session, *commit.dead_letter);
    if (commit.consumed_dead_letter_id) delete_dead_letter(session, *commit.consumed_dead_letter_id);
    if (commit.course) write_course(session, commit.course->course, commit.course->sections);
    if (commit.revision) write_revision(session, *commit.revision, record.updated_at_ms);
    return ports::CommitResult::committed;
  });
}

void SqliteRunStore::clear_outbox(const std::string& course_id, const std::string& event_id) {
  database_->write([&](Session& session) {
    session
        .query(
            "UPDATE course_runs SET outbox = NULL "
            "WHERE course_id = ? AND json_extract(outbox, '$.event_id') = ?",
            course_id, event_id)
        .run();
  });
}

std::vector<domain::Envelope> SqliteRunStore::unpublished(std::int64_t updated_before_ms) {
  return database_->read([&](Session& session) {
    std::vector<domain::Envelope> events;
    auto row = session.query(
        "SELECT course_id, outbox FROM course_runs WHERE outbox IS NOT NULL AND updated_at <= ? "
        "ORDER BY updated_at",
        updated_before_ms);
    while (row.step()) events.push_back(envelope_from_text(row.text(1), "course_runs[" + row.text(0) + "].outbox"));
    return events;
  });
}

std::vector<ports::HistoryEntry> SqliteRunStore::history(const std::string& course_id,
                                                         std::int64_t after_id) {
  return database_->read([&](Session& session) {
    std::vector<ports::HistoryEntry> entries;
    auto row = session.query(
        "SELECT history_id, course_id, seq, type, kind, message, usage, at, revision FROM course_events "
        "WHERE course_id = ? AND history_id > ? ORDER BY history_id",
        course_id, after_id);
    while (row.step()) {
      ports::HistoryEntry entry;
      entry.history_id = row.int64(0);
      const std::string context = "course_events[" + std::to_string(entry.history_id) + "]";
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

std::vector<ports::RunRecord> SqliteRunStore::list_runs(const std::string& user_id) {
  static const std::string sql =
      select_runs(false, "WHERE user_id = ? ORDER BY created_at DESC, rowid DESC");
  return database_->read([&](Session& session) {
    std::vector<ports::RunRecord> records;
    auto row = session.query(sql, user_id);
    while (row.step()) records.push_back(read_run(row, session));
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
    // Runs still processing past their TTL with nothing queued, delayed or leased: they can never
    // finish by themselves. Each fails as expired, keeps its state for another TTL and has the
    // event it waits for dead-lettered, so that `course retry` resumes it. A run with an event in
    // the queue (a step running, a retry waiting) is left alone: its next commit renews the TTL.
    struct Stranded {
      std::string course_id;
      std::int64_t next_seq = 0;
      std::optional<std::string> pending;
      int revision = 0;
    };
    std::vector<Stranded> stranded;
    {
      auto row = session.query(
          "SELECT course_id, next_seq, coalesce(outbox, pending_event), revision FROM course_runs r "
          "WHERE state IS NOT NULL AND expires_at <= ? AND status = 'processing' "
          "AND NOT EXISTS (SELECT 1 FROM event_queue q WHERE q.course_id = r.course_id)",
          now_ms);
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
          pending = envelope_from_text(*run.pending, "course_runs[" + run.course_id + "].pending_event");
        } catch (const std::runtime_error&) {
          pending.reset();  // unreadable: the run still fails, without a dead letter to resume
        }
      }
      const std::string message =
          pending ? std::string(kExpiredMessage) + "; `docprof course retry` resumes it"
                  : std::string(kExpiredMessage) + "; no pending event was kept: request the course again";
      ports::HistoryEntry entry;
      entry.seq = run.next_seq;
      entry.type = std::string(domain::to_string(domain::EventType::CourseFailed));
      entry.kind = ports::HistoryKind::error;
      entry.message = std::string(kExpiredCode) + ": " + message;
      entry.at_ms = now_ms;
      append_history(session, run.course_id, entry, run.revision);
      if (pending) {
        ports::DeadLetter dead;
        dead.course_id = run.course_id;
        dead.event = *pending;
        dead.attempts = 0;  // no delivery of it finished
        dead.error_code = std::string(kExpiredCode);
        dead.error = message;
        dead.at_ms = now_ms;
        insert_dead_letter(session, dead);
      }
      // The state keeps its own phase, as for any failed step: reopen() puts it back for a replay.
      session
          .query(
              "UPDATE course_runs SET status = 'error', phase = ?, error_code = ?, error_message = ?, "
              "updated_at = ?, expires_at = ?, outbox = NULL, version = version + 1 WHERE course_id = ?",
              domain::to_string(domain::Phase::error), kExpiredCode, message, now_ms, kept_until, run.course_id)
          .run();
    }
    // Failed runs past their TTL lose their state (the record stays). Runs still processing never do.
    session
        .query(
            "UPDATE course_runs SET state = NULL, version = version + 1 "
            "WHERE state IS NOT NULL AND expires_at <= ? AND status <> 'processing'",
            now_ms)
        .run();
    const std::int64_t cleared = session.changes();
    session.query("DELETE FROM run_books WHERE course_id IN (SELECT course_id FROM course_runs WHERE state IS NULL)")
        .run();
    return static_cast<int>(stranded.size() + static_cast<std::size_t>(cleared));
  });
}

}  // namespace docprof::adapters::sqlite
