#include "adapters/postgres/pg_run_store.h"

#include <stdexcept>

#include "adapters/postgres/pg_codec.h"
#include "adapters/postgres/pg_rows.h"
#include "domain/saturating.h"
#include "ports/stored_state.h"

namespace docprof::adapters::postgres {
namespace {

constexpr std::string_view kSelectRun =
    "SELECT course_id, user_id, query, hours, preferences, status, phase, next_seq, title, "
    "parts_count, current_part_index, error_code, error_message, usage, version, created_at, "
    "updated_at, expires_at, outbox, postponed, revision, ";

// What of the state a query selects (ports/stored_state.h): none (NULLs), the state and its books'
// digest, or those and the books too (when this process has not cached them).
enum class StateRead { none, digest, books };

std::string select_runs(StateRead read, std::string_view rest) {
  std::string columns = "NULL, NULL, NULL";
  if (read == StateRead::digest) columns = "state, b.digest, NULL";
  if (read == StateRead::books) columns = "state, b.digest, b.books";
  return std::string(kSelectRun) + columns +
         " FROM course_runs LEFT JOIN run_books b USING (course_id) " + std::string(rest);
}

ports::RunRecord read_run(const PgResult& rows, int r) {
  ports::RunRecord record;
  record.course_id = rows.text(r, 0);
  const std::string context = "course_runs[" + record.course_id + "]";
  record.user_id = rows.text(r, 1);
  record.query = rows.text(r, 2);
  record.hours = rows.real(r, 3);
  record.preferences = from_json_text<domain::Preferences>(rows.text(r, 4), context + ".preferences");
  record.status = parse_run_status(rows.text(r, 5), context + ".status");
  record.phase = phase_from_name(rows.text(r, 6), context + ".phase");
  record.next_seq = rows.int64(r, 7);
  record.title = rows.text(r, 8);
  record.parts_count = rows.int32(r, 9);
  record.current_part_index = rows.int32(r, 10);
  if (!rows.is_null(r, 11)) record.error = domain::Error{rows.text(r, 11), rows.text(r, 12)};
  record.usage = from_json_text<domain::TokenUsage>(rows.text(r, 13), context + ".usage");
  record.version = rows.int64(r, 14);
  record.created_at_ms = rows.int64(r, 15);
  record.updated_at_ms = rows.int64(r, 16);
  record.expires_at_ms = rows.int64(r, 17);
  if (!rows.is_null(r, 18)) record.outbox = envelope_from_text(rows.text(r, 18), context + ".outbox");
  record.postponed = rows.int32(r, 19);
  record.revision = rows.int32(r, 20);
  if (!rows.is_null(r, 21)) {
    const std::string digest = rows.is_null(r, 22) ? std::string() : rows.text(r, 22);
    const auto books = [&]() -> std::optional<std::string> {
      if (rows.is_null(r, 23)) return std::nullopt;
      return rows.text(r, 23);
    };
    record.state = ports::stored::state_from_columns(rows.text(r, 21), digest, books, context + ".state");
  }
  return record;
}

// The run's books as its state has them: written when their digest changed, removed with the state.
void write_books(PgConnection& connection, const std::string& course_id,
                 const std::optional<ports::stored::StateColumns>& columns) {
  if (!columns || columns->books_digest.empty()) {
    connection.run("DELETE FROM run_books WHERE course_id = $1", course_id);
    return;
  }
  connection.run(
      "INSERT INTO run_books (course_id, digest, books) VALUES ($1, $2, $3) ON CONFLICT (course_id) DO "
      "UPDATE SET digest = excluded.digest, books = excluded.books WHERE run_books.digest <> excluded.digest",
      course_id, columns->books_digest, *columns->books);
}

std::optional<std::string> envelope_text(const std::optional<domain::Envelope>& event) {
  if (!event) return std::nullopt;
  return envelope_to_text(*event);
}

std::optional<std::string> error_code(const ports::RunRecord& record) {
  if (!record.error) return std::nullopt;
  return record.error->code;
}

std::optional<std::string> error_message(const ports::RunRecord& record) {
  if (!record.error) return std::nullopt;
  return record.error->message;
}

// History entries carry the revision of the record they are written with.
void append_run_history(PgConnection& connection, const ports::RunRecord& record, ports::HistoryEntry entry) {
  entry.revision = record.revision;
  append_history(connection, record.course_id, entry);
}

// A revision's store step: the outline replaced from the rows stored now, and the revision recorded.
void write_revision(PgConnection& connection, const ports::RevisionCommit& revision, std::int64_t now_ms) {
  const std::string& course_id = revision.store.course_id;
  auto stored = read_stored_course_for_update(connection, course_id);
  if (!stored) throw std::runtime_error("course " + course_id + " to revise no longer exists");
  const ports::StoredCourse revised = ports::revised_course(revision, *stored);
  write_course(connection, revised.course, revised.sections);
  connection.run(
      "INSERT INTO course_revisions (course_id, revision, request, status, previous_sections, created_at) "
      "VALUES ($1, $2, $3, 'stored', $4, $5) ON CONFLICT (course_id, revision) DO NOTHING",
      course_id, revision.store.rows.revision, revision.store.revision_request, to_json_text(stored->sections),
      now_ms);
}

}  // namespace

PgRunStore::PgRunStore(std::shared_ptr<PgPool> pool) : pool_(std::move(pool)) {}

bool PgRunStore::create(const ports::RunRecord& record, const domain::Envelope& first_event,
                        const ports::HistoryEntry& entry) {
  const auto columns = ports::stored::state_columns(record.state);
  const auto state = ports::stored::state_text(columns);
  const auto outbox = envelope_to_text(record.outbox ? *record.outbox : first_event);
  const auto pending = envelope_to_text(first_event);
  return pool_->transaction([&](PgConnection& connection) {
    const auto inserted = connection.run(
        "INSERT INTO course_runs (course_id, user_id, query, hours, preferences, status, phase, "
        "next_seq, title, parts_count, current_part_index, error_code, error_message, usage, "
        "version, created_at, updated_at, expires_at, postponed, outbox, pending_event, state, revision) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
        "$19, $20, $21, $22, $23) ON CONFLICT (course_id) DO NOTHING",
        record.course_id, record.user_id, record.query, record.hours, to_json_text(record.preferences),
        ports::to_string(record.status), domain::to_string(record.phase), record.next_seq,
        record.title, record.parts_count, record.current_part_index, error_code(record),
        error_message(record), to_json_text(record.usage), record.version, record.created_at_ms,
        record.updated_at_ms, record.expires_at_ms, record.postponed, outbox, pending, state, record.revision);
    if (inserted.affected() == 0) return false;
    write_books(connection, record.course_id, columns);
    append_run_history(connection, record, entry);
    return true;
  });
}

std::optional<ports::RunRecord> PgRunStore::load(const std::string& course_id) {
  static const std::string sql = select_runs(StateRead::digest, "WHERE course_id = $1");
  static const std::string with_books = select_runs(StateRead::books, "WHERE course_id = $1");
  return pool_->read([&](PgConnection& connection) -> std::optional<ports::RunRecord> {
    const auto rows = connection.run(sql, course_id);
    if (rows.rows() == 0) return std::nullopt;
    if (rows.is_null(0, 22) || ports::stored::books_cached(rows.text(0, 22))) return read_run(rows, 0);
    // Books this process has not read yet: the run again with them, in one statement (one snapshot).
    const auto whole = connection.run(with_books, course_id);
    if (whole.rows() == 0) return std::nullopt;
    return read_run(whole, 0);
  });
}

ports::CommitResult PgRunStore::commit(const ports::StepCommit& commit) {
  const ports::RunRecord& record = commit.record;
  // Serialised before the transaction, which then holds the row lock as briefly as it can.
  const auto columns = ports::stored::state_columns(record.state);
  const auto state = ports::stored::state_text(columns);
  const auto outbox = envelope_text(commit.next_event ? commit.next_event : record.outbox);
  const auto next = envelope_text(commit.next_event);
  return pool_->transaction([&](PgConnection& connection) {
    const auto updated = connection.run(
        "UPDATE course_runs SET user_id = $1, query = $2, hours = $3, preferences = $4, "
        "status = $5, phase = $6, next_seq = $7, title = $8, parts_count = $9, "
        "current_part_index = $10, error_code = $11, error_message = $12, usage = $13, "
        "version = version + 1, created_at = $14, updated_at = $15, expires_at = $16, outbox = $17, "
        "postponed = $18, state = $19, pending_event = coalesce($20, pending_event), revision = $23 "
        "WHERE course_id = $21 AND version = $22 "
        "RETURNING (SELECT digest FROM run_books WHERE run_books.course_id = course_runs.course_id)",
        record.user_id, record.query, record.hours, to_json_text(record.preferences),
        ports::to_string(record.status), domain::to_string(record.phase), record.next_seq,
        record.title, record.parts_count, record.current_part_index, error_code(record),
        error_message(record), to_json_text(record.usage), record.created_at_ms,
        record.updated_at_ms, record.expires_at_ms, outbox, record.postponed, state, next,
        record.course_id, commit.expected_version, record.revision);
    if (updated.affected() == 0) return ports::CommitResult::lost_race;  // nothing was written
    // The run's row is locked now: its books row changes only with it. Written when it differs.
    const std::string stored_digest = updated.is_null(0, 0) ? std::string() : updated.text(0, 0);
    const std::string digest = columns ? columns->books_digest : std::string();
    if (stored_digest != digest) write_books(connection, record.course_id, columns);
    for (const auto& entry : commit.history) append_run_history(connection, record, entry);
    if (commit.dead_letter) insert_dead_letter(connection, *commit.dead_letter);
    if (commit.consumed_dead_letter_id) delete_dead_letter(connection, *commit.consumed_dead_letter_id);
    if (commit.course) write_course(connection, commit.course->course, commit.course->sections);
    if (commit.revision) write_revision(connection, *commit.revision, record.updated_at_ms);
    return ports::CommitResult::committed;
  });
}

void PgRunStore::clear_outbox(const std::string& course_id, const std::string& event_id) {
  pool_->read([&](PgConnection& connection) {
    connection.run(
        "UPDATE course_runs SET outbox = NULL "
        "WHERE course_id = $1 AND outbox IS NOT NULL AND (outbox::jsonb ->> 'event_id') = $2",
        course_id, event_id);
  });
}

std::vector<domain::Envelope> PgRunStore::unpublished(std::int64_t updated_before_ms) {
  return pool_->read([&](PgConnection& connection) {
    std::vector<domain::Envelope> events;
    const auto rows = connection.run(
        "SELECT course_id, outbox FROM course_runs WHERE outbox IS NOT NULL AND updated_at <= $1 "
        "ORDER BY updated_at",
        updated_before_ms);
    for (int r = 0; r < rows.rows(); ++r) {
      events.push_back(envelope_from_text(rows.text(r, 1), "course_runs[" + rows.text(r, 0) + "].outbox"));
    }
    return events;
  });
}

std::vector<ports::HistoryEntry> PgRunStore::history(const std::string& course_id, std::int64_t after_id) {
  return pool_->read([&](PgConnection& connection) {
    std::vector<ports::HistoryEntry> entries;
    const auto rows = connection.run(
        "SELECT history_id, course_id, seq, type, kind, message, usage, at, revision FROM course_events "
        "WHERE course_id = $1 AND history_id > $2 ORDER BY history_id",
        course_id, after_id);
    for (int r = 0; r < rows.rows(); ++r) {
      ports::HistoryEntry entry;
      entry.history_id = rows.int64(r, 0);
      const std::string context = "course_events[" + std::to_string(entry.history_id) + "]";
      entry.course_id = rows.text(r, 1);
      entry.seq = rows.int64(r, 2);
      entry.type = rows.text(r, 3);
      entry.kind = parse_history_kind(rows.text(r, 4), context + ".kind");
      entry.message = rows.text(r, 5);
      entry.usage = from_json_text<domain::TokenUsage>(rows.text(r, 6), context + ".usage");
      entry.at_ms = rows.int64(r, 7);
      entry.revision = rows.int32(r, 8);
      entries.push_back(std::move(entry));
    }
    return entries;
  });
}

std::vector<ports::RunRecord> PgRunStore::list_runs(const std::string& user_id) {
  static const std::string sql =
      select_runs(StateRead::none, "WHERE user_id = $1 ORDER BY created_at DESC, course_id DESC");
  return pool_->read([&](PgConnection& connection) {
    std::vector<ports::RunRecord> records;
    const auto rows = connection.run(sql, user_id);
    for (int r = 0; r < rows.rows(); ++r) records.push_back(read_run(rows, r));
    return records;
  });
}

ports::RunCounts PgRunStore::count_runs() {
  return pool_->read([](PgConnection& connection) {
    ports::RunCounts counts;
    const auto rows = connection.exec("SELECT status, count(*) FROM course_runs GROUP BY status");
    for (int r = 0; r < rows.rows(); ++r) {
      const std::string status = rows.text(r, 0);
      const std::int64_t n = rows.int64(r, 1);
      if (status == "processing") counts.processing = n;
      else if (status == "complete") counts.complete = n;
      else if (status == "error") counts.error = n;
    }
    return counts;
  });
}

bool PgRunStore::remove(const std::string& course_id) {
  return pool_->transaction([&](PgConnection& connection) { return delete_run_rows(connection, course_id); });
}

int PgRunStore::expire_states(std::int64_t now_ms, std::int64_t state_ttl_ms) {
  const std::int64_t quiet_since = domain::saturating_add(now_ms, -state_ttl_ms);
  const std::int64_t kept_until = domain::saturating_add(now_ms, state_ttl_ms);
  return pool_->transaction([&](PgConnection& connection) {
    // Stranded: processing, past the TTL, nothing in the outbox and no write for a whole TTL (see
    // the header). Locked rows belong to a commit in progress: skipped, that commit renews them.
    const auto stranded = connection.run(
        "SELECT course_id, next_seq, pending_event, revision FROM course_runs "
        "WHERE state IS NOT NULL AND status = 'processing' AND expires_at <= $1 "
        "AND outbox IS NULL AND updated_at <= $2 ORDER BY course_id FOR UPDATE SKIP LOCKED",
        now_ms, quiet_since);
    for (int r = 0; r < stranded.rows(); ++r) {
      const std::string course_id = stranded.text(r, 0);
      std::optional<domain::Envelope> pending;
      if (!stranded.is_null(r, 2)) {
        try {
          pending = envelope_from_text(stranded.text(r, 2), "course_runs[" + course_id + "].pending_event");
        } catch (const std::runtime_error&) {
          pending.reset();  // unreadable: the run still fails, without a dead letter to resume
        }
      }
      const std::string message =
          pending ? std::string(kExpiredMessage) + "; `docprof course retry` resumes it"
                  : std::string(kExpiredMessage) + "; no pending event was kept: request the course again";
      // The state keeps its own phase, as for any failed step: reopen() puts it back for a replay.
      connection.run(
          "UPDATE course_runs SET status = 'error', phase = $1, error_code = $2, error_message = $3, "
          "updated_at = $4, expires_at = $5, outbox = NULL, version = version + 1 WHERE course_id = $6",
          domain::to_string(domain::Phase::error), kExpiredCode, message, now_ms, kept_until, course_id);
      ports::HistoryEntry entry;
      entry.seq = stranded.int64(r, 1);
      entry.type = std::string(domain::to_string(domain::EventType::CourseFailed));
      entry.kind = ports::HistoryKind::error;
      entry.message = std::string(kExpiredCode) + ": " + message;
      entry.at_ms = now_ms;
      entry.revision = stranded.int32(r, 3);
      append_history(connection, course_id, entry);
      if (pending) {
        ports::DeadLetter dead;
        dead.course_id = course_id;
        dead.event = *pending;
        dead.attempts = 0;  // no delivery of it finished
        dead.error_code = std::string(kExpiredCode);
        dead.error = message;
        dead.at_ms = now_ms;
        insert_dead_letter(connection, dead);
      }
    }
    // Finished and failed runs past their TTL lose their state (the record stays).
    const auto dropped = connection.run(
        "UPDATE course_runs SET state = NULL, version = version + 1 WHERE course_id IN ("
        "SELECT course_id FROM course_runs WHERE state IS NOT NULL AND expires_at <= $1 "
        "AND status <> 'processing' FOR UPDATE SKIP LOCKED)",
        now_ms);
    connection.exec(
        "DELETE FROM run_books b USING course_runs r WHERE r.course_id = b.course_id AND r.state IS NULL");
    return static_cast<int>(stranded.rows() + dropped.affected());
  });
}

}  // namespace docprof::adapters::postgres
