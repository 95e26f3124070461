#include "adapters/postgres/pg_run_store.h"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <variant>

#include "adapters/postgres/pg_codec.h"
#include "adapters/postgres/pg_rows.h"
#include "domain/saturating.h"
#include "ports/run_expiry.h"
#include "ports/run_tables.h"
#include "ports/stored_state.h"

namespace docprof::adapters::postgres {
namespace {

using ports::stored::kind_index;
using ports::stored::per_kind;
using ports::stored::RunTables;
using ports::stored::run_tables;

// What of the state a query selects (ports/stored_state.h): none (NULLs), the state and its books'
// digest, or those and the books too (when this process has not cached them).
enum class StateRead { none, digest, books };

// The kind's runs (aliased r) with what `read` says of their state; `rest` follows the FROM clause.
std::string select_runs(const RunTables& t, StateRead read, std::string_view rest) {
  std::string columns = "NULL, NULL, NULL";
  if (read == StateRead::digest) columns = "r.state, b.digest, NULL";
  if (read == StateRead::books) columns = "r.state, b.digest, b.books";
  return "SELECT " + ports::stored::record_select_list(t) + ", " + columns + " FROM " + std::string(t.runs) +
         " r LEFT JOIN run_books b ON b.course_id = r." + std::string(t.id) + " " + std::string(rest);
}

// The record columns every kind's table has written by create() and commit(), for `kind`.
std::vector<ports::stored::ColumnWrite> writes_of_kind(domain::RunKind kind) {
  ports::RunRecord sample;
  sample.kind = kind;
  return ports::stored::record_writes(sample);
}

// A row of select_runs() of `kind`.
ports::RunRecord read_run(const PgResult& rows, int r, domain::RunKind kind) {
  using namespace ports::stored;  // NOLINT(google-build-using-namespace): the column positions
  ports::RunRecord record;
  record.kind = kind;
  record.course_id = rows.text(r, kId);
  const std::string context = std::string(run_tables(kind).runs) + "[" + record.course_id + "]";
  record.user_id = rows.text(r, kUserId);
  record.query = rows.text(r, kQuery);
  record.hours = rows.real(r, kHours);
  if (!rows.is_null(r, kPreferences)) {
    record.preferences = from_json_text<domain::Preferences>(rows.text(r, kPreferences), context + ".preferences");
  }
  record.status = parse_run_status(rows.text(r, kStatus), context + ".status");
  record.phase = phase_from_name(rows.text(r, kPhase), context + ".phase");
  record.next_seq = rows.int64(r, kNextSeq);
  record.title = rows.text(r, kTitle);
  record.parts_count = rows.int32(r, kParts);
  record.current_part_index = rows.int32(r, kPartIndex);
  if (!rows.is_null(r, kErrorCode)) {
    record.error = domain::Error{rows.text(r, kErrorCode), rows.text(r, kErrorMessage)};
  }
  record.usage = from_json_text<domain::TokenUsage>(rows.text(r, kUsage), context + ".usage");
  record.version = rows.int64(r, kVersion);
  record.created_at_ms = rows.int64(r, kCreatedAt);
  record.updated_at_ms = rows.int64(r, kUpdatedAt);
  record.expires_at_ms = rows.int64(r, kExpiresAt);
  if (!rows.is_null(r, kOutbox)) record.outbox = envelope_from_text(rows.text(r, kOutbox), context + ".outbox");
  record.postponed = rows.int32(r, kPostponed);
  record.revision = rows.int32(r, kRevision);
  if (!rows.is_null(r, kBookId)) record.book_id = rows.text(r, kBookId);  // NULL: no book yet, or a course's run
  constexpr int kState = kRecordColumns;
  if (!rows.is_null(r, kState)) {
    const std::string digest = rows.is_null(r, kState + 1) ? std::string() : rows.text(r, kState + 1);
    const auto books = [&]() -> std::optional<std::string> {
      if (rows.is_null(r, kState + 2)) return std::nullopt;
      return rows.text(r, kState + 2);
    };
    record.state = ports::stored::state_from_columns(rows.text(r, kState), digest, books, context + ".state");
  }
  return record;
}

// The run's books as its state has them: written when their digest changed, removed with the state.
void write_books(PgConnection& connection, const std::string& run_id,
                 const std::optional<ports::stored::StateColumns>& columns) {
  if (!columns || columns->books_digest.empty()) {
    connection.run("DELETE FROM run_books WHERE course_id = $1", run_id);
    return;
  }
  connection.run(
      "INSERT INTO run_books (course_id, digest, books) VALUES ($1, $2, $3) ON CONFLICT (course_id) DO "
      "UPDATE SET digest = excluded.digest, books = excluded.books WHERE run_books.digest <> excluded.digest",
      run_id, columns->books_digest, *columns->books);
}

std::optional<std::string> envelope_text(const std::optional<domain::Envelope>& event) {
  if (!event) return std::nullopt;
  return envelope_to_text(*event);
}

// History entries carry the revision of the record they are written with.
void append_run_history(PgConnection& connection, const ports::RunRecord& record, ports::HistoryEntry entry) {
  entry.revision = record.revision;
  append_history(connection, record.kind, record.course_id, entry);
}

// Whether a run of the other kind than `kind` has the id (a run id names one run of either kind).
bool taken_by_other_kind(PgConnection& connection, domain::RunKind kind, const std::string& run_id) {
  static const auto sql = per_kind([](const RunTables& t) {
    return "SELECT 1 FROM " + std::string(t.runs) + " WHERE " + std::string(t.id) + " = $1";
  });
  const auto other = kind == domain::RunKind::course ? domain::RunKind::ingest : domain::RunKind::course;
  return connection.run(sql[kind_index(other)], run_id).rows() > 0;
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

// The janitor's pass over the runs of one kind (see the header); returns how many runs it changed.
int expire_kind(PgConnection& connection, domain::RunKind kind, std::int64_t now_ms, std::int64_t state_ttl_ms) {
  struct Statements {
    std::string stranded, fail, drop_states, drop_books;
  };
  static const auto sql = per_kind([](const RunTables& t) {
    const std::string runs(t.runs);
    const std::string id(t.id);
    return Statements{
        // Stranded: processing, past the TTL, nothing in the outbox and no write for a whole TTL.
        // Locked rows belong to a commit in progress: skipped, that commit renews them.
        "SELECT " + id + ", next_seq, pending_event, " + (t.kind == domain::RunKind::course ? "revision" : "0") +
            " FROM " + runs +
            " WHERE state IS NOT NULL AND status = 'processing' AND expires_at <= $1 "
            "AND outbox IS NULL AND updated_at <= $2 ORDER BY " + id + " FOR UPDATE SKIP LOCKED",
        // The state keeps its own phase, as for any failed step: reopen() puts it back for a replay.
        "UPDATE " + runs + " SET status = 'error', phase = $1, error_code = $2, error_message = $3, "
            "updated_at = $4, expires_at = $5, outbox = NULL, version = version + 1 WHERE " + id + " = $6",
        // Finished and failed runs past their TTL lose their state (the record stays).
        "UPDATE " + runs + " SET state = NULL, version = version + 1 WHERE " + id + " IN (SELECT " + id +
            " FROM " + runs + " WHERE state IS NOT NULL AND expires_at <= $1 "
            "AND status <> 'processing' FOR UPDATE SKIP LOCKED)",
        "DELETE FROM run_books b USING " + runs + " r WHERE r." + id + " = b.course_id AND r.state IS NULL"};
  });
  const Statements& statements = sql[kind_index(kind)];
  const std::int64_t quiet_since = domain::saturating_add(now_ms, -state_ttl_ms);
  const std::int64_t kept_until = domain::saturating_add(now_ms, state_ttl_ms);
  const auto stranded = connection.run(statements.stranded, now_ms, quiet_since);
  for (int r = 0; r < stranded.rows(); ++r) {
    const std::string run_id = stranded.text(r, 0);
    std::optional<domain::Envelope> pending;
    if (!stranded.is_null(r, 2)) {
      try {
        pending = envelope_from_text(stranded.text(r, 2),
                                     std::string(run_tables(kind).runs) + "[" + run_id + "].pending_event");
      } catch (const std::runtime_error&) {
        pending.reset();  // unreadable: the run still fails, without a dead letter to resume
      }
    }
    const std::string message = ports::stored::expired_message(kind, kExpiredMessage, pending.has_value());
    connection.run(statements.fail, domain::to_string(domain::Phase::error), kExpiredCode, message, now_ms,
                   kept_until, run_id);
    auto entry = ports::stored::expired_entry(kind, kExpiredCode, message, stranded.int64(r, 1), now_ms);
    entry.revision = stranded.int32(r, 3);
    append_history(connection, kind, run_id, entry);
    if (pending) {
      insert_dead_letter(connection, ports::stored::expired_letter(run_id, *pending, kExpiredCode, message, now_ms));
    }
  }
  const auto dropped = connection.run(statements.drop_states, now_ms);
  connection.exec(statements.drop_books);
  return static_cast<int>(stranded.rows() + dropped.affected());
}

// The parameter `offset` places after the record's writes of the kind's runs table ($n+offset).
std::string param_after_writes(const RunTables& t, int offset) {
  return "$" + std::to_string(static_cast<int>(writes_of_kind(t.kind).size()) + offset);
}

// A step commit's compare-and-set: the record's writes ($1…$n), version + 1, the outbox ($n+1), the
// state ($n+2), the pending event ($n+3, kept when NULL), on the run ($n+4) at the expected version
// ($n+5) and `also` (more of the condition), RETURNING `returning`.
std::string step_update(const RunTables& t, const std::string& also, const std::string& returning) {
  const auto writes = writes_of_kind(t.kind);
  std::string assignments;
  for (std::size_t i = 0; i < writes.size(); ++i) {
    assignments += std::string(writes[i].name) + " = $" + std::to_string(i + 1) + ", ";
  }
  const auto param = [&t](int offset) { return param_after_writes(t, offset); };
  return "UPDATE " + std::string(t.runs) + " SET " + assignments + "version = version + 1, outbox = " + param(1) +
         ", state = " + param(2) + ", pending_event = coalesce(" + param(3) + ", pending_event) WHERE " +
         std::string(t.id) + " = " + param(4) + " AND version = " + param(5) + also + " RETURNING " + returning;
}

// The common step's commit as one statement (see the header): the compare-and-set, and the history
// entries inserted for the updated row only, from a JSON array of their columns. The parameters
// are the record's writes, the outbox, the state, the pending event, the id, the expected version,
// the entries and the books digest the run is known to have ("" for none): a run whose books row
// says otherwise (the store's memory was wrong) is not updated, as on a lost race, and the engine
// loads it again. The one row counts the runs updated (0: lost race).
std::string one_statement_commit(const RunTables& t) {
  const auto param = [&t](int offset) { return param_after_writes(t, offset); };
  // The entries' columns, typed as history_writes() gives them.
  const auto sample = ports::stored::history_writes(t.kind, "", {}, 0);
  std::string names;
  std::string record_type;
  for (const auto& column : sample) {
    const bool number = std::holds_alternative<std::int64_t>(column.value);
    names += (names.empty() ? "" : ", ") + std::string(column.name);
    record_type += (record_type.empty() ? "" : ", ") + std::string(column.name) + (number ? " bigint" : " text");
  }
  return "WITH u AS (" +
         step_update(t, " AND coalesce((SELECT digest FROM run_books WHERE course_id = " + param(4) + "), '') = " +
                            param(7),
                     "1") +
         "), h AS (INSERT INTO " +
         std::string(t.events) + " (" + names + ") SELECT " + names + " FROM json_to_recordset(" + param(6) +
         "::json) AS e(" + record_type + ") WHERE EXISTS (SELECT 1 FROM u)) SELECT count(*) FROM u";
}

// The history entries as one JSON array for one_statement_commit(); nullopt when one holds a NUL
// character (JSON would carry it, a text column cannot: the transaction's path writes those).
std::optional<std::string> entries_json(const ports::RunRecord& record, const std::vector<ports::HistoryEntry>& entries) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& entry : entries) {
    nlohmann::json row = nlohmann::json::object();
    for (const auto& column : ports::stored::history_writes(record.kind, record.course_id, entry, record.revision)) {
      if (const auto* text = std::get_if<std::string>(&column.value)) {
        if (text->find('\0') != std::string::npos) return std::nullopt;
        row[std::string(column.name)] = *text;
      } else if (const auto* number = std::get_if<std::int64_t>(&column.value)) {
        row[std::string(column.name)] = *number;
      } else if (const auto* real = std::get_if<double>(&column.value)) {
        row[std::string(column.name)] = *real;
      } else {
        row[std::string(column.name)] = nullptr;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

constexpr std::size_t kRememberedDigests = 10'000;  // then forgotten at once (a miss costs one transaction)

}  // namespace

PgRunStore::PgRunStore(std::shared_ptr<PgPool> pool) : pool_(std::move(pool)), clears_(pool_) {}

void PgRunStore::remember_digest(const std::string& run_id, std::int64_t version, std::string digest) {
  std::lock_guard lock(digests_mu_);
  if (digests_.size() >= kRememberedDigests) digests_.clear();
  digests_[run_id] = {version, std::move(digest)};
}

std::optional<std::string> PgRunStore::known_digest(const std::string& run_id, std::int64_t version) {
  std::lock_guard lock(digests_mu_);
  const auto found = digests_.find(run_id);
  if (found == digests_.end() || found->second.first != version) return std::nullopt;
  return found->second.second;
}

bool PgRunStore::create(const ports::RunRecord& record, const domain::Envelope& first_event,
                        const ports::HistoryEntry& entry) {
  static const auto sql = per_kind([](const RunTables& t) {
    const auto writes = writes_of_kind(t.kind);
    return "INSERT INTO " + std::string(t.runs) + " (" + ports::stored::column_names(writes) + ", " +
           std::string(t.id) + ", version, outbox, pending_event, state) VALUES (" +
           placeholders(1, writes.size() + 5) + ") ON CONFLICT (" + std::string(t.id) + ") DO NOTHING";
  });
  const auto columns = ports::stored::state_columns(record.state);
  std::vector<PgParam> params = column_params(ports::stored::record_writes(record));
  params.push_back(record.course_id);
  params.push_back(to_param(record.version));
  params.push_back(envelope_to_text(record.outbox ? *record.outbox : first_event));
  params.push_back(envelope_to_text(first_event));
  params.push_back(ports::stored::state_text(columns));
  return pool_->transaction([&](PgConnection& connection) {
    if (taken_by_other_kind(connection, record.kind, record.course_id)) return false;
    if (connection.exec(sql[kind_index(record.kind)], params).affected() == 0) return false;
    write_books(connection, record.course_id, columns);
    append_run_history(connection, record, entry);
    return true;
  });
}

std::optional<ports::RunRecord> PgRunStore::load(const std::string& course_id) {
  static const auto sql = per_kind([](const RunTables& t) {
    return select_runs(t, StateRead::digest, "WHERE r." + std::string(t.id) + " = $1");
  });
  static const auto with_books = per_kind([](const RunTables& t) {
    return select_runs(t, StateRead::books, "WHERE r." + std::string(t.id) + " = $1");
  });
  constexpr int kDigest = ports::stored::kRecordColumns + 1;
  // The run as this store left it: an outbox entry whose clear is queued here is published.
  const std::optional<std::string> cleared = clears_.pending(course_id);
  // A course's run first (the common case), then an ingestion's.
  auto record = pool_->read([&](PgConnection& connection) -> std::optional<std::pair<ports::RunRecord, std::string>> {
    for (const auto kind : ports::stored::kRunKinds) {
      auto rows = connection.run(sql[kind_index(kind)], course_id);
      if (rows.rows() == 0) continue;
      std::string digest = rows.is_null(0, kDigest) ? std::string() : rows.text(0, kDigest);
      if (!digest.empty() && !ports::stored::books_cached(digest)) {
        // Books this process has not read yet: the run again with them, in one statement (one snapshot).
        rows = connection.run(with_books[kind_index(kind)], course_id);
        if (rows.rows() == 0) return std::nullopt;
        digest = rows.is_null(0, kDigest) ? std::string() : rows.text(0, kDigest);
      }
      return std::make_pair(read_run(rows, 0, kind), std::move(digest));
    }
    return std::nullopt;
  });
  if (!record) return std::nullopt;
  if (cleared && record->first.outbox && record->first.outbox->event_id == *cleared) record->first.outbox.reset();
  // A run without its state (finished, expired) has no books row: "" as for a state without books.
  remember_digest(course_id, record->first.version, record->first.state ? std::move(record->second) : std::string());
  return std::move(record->first);
}

ports::CommitResult PgRunStore::commit(const ports::StepCommit& commit) {
  static const auto sql = per_kind([](const RunTables& t) {
    return step_update(t, "", "(SELECT digest FROM run_books WHERE run_books.course_id = " + std::string(t.runs) +
                                  "." + std::string(t.id) + ")");
  });
  const ports::RunRecord& record = commit.record;
  // Serialised before the transaction, which then holds the row lock as briefly as it can.
  const auto columns = ports::stored::state_columns(record.state);
  std::vector<PgParam> params = column_params(ports::stored::record_writes(record));
  const std::optional<domain::Envelope>& outbox = commit.next_event ? commit.next_event : record.outbox;
  params.push_back(envelope_text(outbox));
  params.push_back(ports::stored::state_text(columns));
  params.push_back(envelope_text(commit.next_event));
  params.push_back(record.course_id);
  params.push_back(to_param(commit.expected_version));
  const std::string digest = columns ? columns->books_digest : std::string();
  const auto committed = [&](ports::CommitResult result) {
    if (result == ports::CommitResult::committed) {
      remember_digest(record.course_id, commit.expected_version + 1, digest);
      // The commit wrote the outbox: a clear queued for an earlier event has nothing left to do.
      clears_.forget(record.course_id, outbox ? outbox->event_id : std::string());
    }
    return result;
  };
  // The common step: books as stored, nothing but the record and its history to write.
  const bool record_only = !commit.dead_letter && !commit.consumed_dead_letter_id && !commit.course && !commit.revision;
  if (record_only && known_digest(record.course_id, commit.expected_version) == digest) {
    if (auto entries = entries_json(record, commit.history)) {
      static const auto one_statement = per_kind(one_statement_commit);
      params.push_back(std::move(*entries));
      params.push_back(digest);
      const auto updated = pool_->read(
          [&](PgConnection& connection) { return connection.exec(one_statement[kind_index(record.kind)], params); });
      return committed(updated.int64(0, 0) == 0 ? ports::CommitResult::lost_race : ports::CommitResult::committed);
    }
  }
  return committed(pool_->transaction([&](PgConnection& connection) {
    const auto updated = connection.exec(sql[kind_index(record.kind)], params);
    if (updated.affected() == 0) return ports::CommitResult::lost_race;  // nothing was written
    // The run's row is locked now: its books row changes only with it. Written when it differs.
    const std::string stored_digest = updated.is_null(0, 0) ? std::string() : updated.text(0, 0);
    if (stored_digest != digest) write_books(connection, record.course_id, columns);
    for (const auto& entry : commit.history) append_run_history(connection, record, entry);
    if (commit.dead_letter) insert_dead_letter(connection, *commit.dead_letter);
    if (commit.consumed_dead_letter_id) delete_dead_letter(connection, *commit.consumed_dead_letter_id);
    if (commit.course) write_course(connection, commit.course->course, commit.course->sections);
    if (commit.revision) write_revision(connection, *commit.revision, record.updated_at_ms);
    return ports::CommitResult::committed;
  }));
}

void PgRunStore::clear_outbox(const std::string& course_id, const std::string& event_id) {
  clears_.clear(course_id, event_id);
}

std::vector<domain::Envelope> PgRunStore::unpublished(std::int64_t updated_before_ms) {
  static const std::string sql = [] {
    const auto parts = per_kind([](const RunTables& t) {
      return "SELECT " + std::string(t.id) + ", outbox, updated_at, '" + std::string(t.runs) + "' FROM " +
             std::string(t.runs) + " WHERE outbox IS NOT NULL AND updated_at <= $1";
    });
    return parts[0] + " UNION ALL " + parts[1] + " ORDER BY updated_at";
  }();
  clears_.flush();  // what this store was told is published is not handed out again
  return pool_->read([&](PgConnection& connection) {
    std::vector<domain::Envelope> events;
    const auto rows = connection.run(sql, updated_before_ms);
    for (int r = 0; r < rows.rows(); ++r) {
      events.push_back(envelope_from_text(rows.text(r, 1), rows.text(r, 3) + "[" + rows.text(r, 0) + "].outbox"));
    }
    return events;
  });
}

std::vector<ports::HistoryEntry> PgRunStore::history(const std::string& course_id, std::int64_t after_id) {
  // The run's entries are in its kind's events table only; the other's answers from its index alone.
  static const std::string sql = [] {
    const auto parts = per_kind([](const RunTables& t) {
      return "SELECT " + ports::stored::history_select_list(t) + ", '" + std::string(t.events) + "' FROM " +
             std::string(t.events) + " WHERE " + std::string(t.id) + " = $1 AND history_id > $2";
    });
    return parts[0] + " UNION ALL " + parts[1] + " ORDER BY history_id";
  }();
  return pool_->read([&](PgConnection& connection) {
    std::vector<ports::HistoryEntry> entries;
    const auto rows = connection.run(sql, course_id, after_id);
    for (int r = 0; r < rows.rows(); ++r) {
      ports::HistoryEntry entry;
      entry.history_id = rows.int64(r, 0);
      const std::string context = rows.text(r, 9) + "[" + std::to_string(entry.history_id) + "]";
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

// Newest first; the id breaks ties of created_at.
std::vector<ports::RunRecord> PgRunStore::list_runs(const std::string& user_id) {
  static const std::string sql = select_runs(run_tables(domain::RunKind::course), StateRead::none,
                                             "WHERE r.user_id = $1 ORDER BY r.created_at DESC, r.course_id DESC");
  return pool_->read([&](PgConnection& connection) {
    std::vector<ports::RunRecord> records;
    const auto rows = connection.run(sql, user_id);
    for (int r = 0; r < rows.rows(); ++r) records.push_back(read_run(rows, r, domain::RunKind::course));
    return records;
  });
}

std::vector<ports::RunRecord> PgRunStore::list_ingest_runs(const std::string& user_id) {
  const RunTables& t = run_tables(domain::RunKind::ingest);
  static const std::string mine =
      select_runs(t, StateRead::none, "WHERE r.user_id = $1 ORDER BY r.created_at DESC, r.ingest_id DESC");
  static const std::string everyone =
      select_runs(t, StateRead::none, "ORDER BY r.created_at DESC, r.ingest_id DESC");
  return pool_->read([&](PgConnection& connection) {
    std::vector<ports::RunRecord> records;
    const auto rows = user_id.empty() ? connection.exec(everyone) : connection.run(mine, user_id);
    for (int r = 0; r < rows.rows(); ++r) records.push_back(read_run(rows, r, domain::RunKind::ingest));
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
  clears_.flush();  // a run this store was told is published has no outbox left
  return pool_->transaction([&](PgConnection& connection) {
    int changed = 0;
    for (const auto kind : ports::stored::kRunKinds) changed += expire_kind(connection, kind, now_ms, state_ttl_ms);
    return changed;
  });
}

}  // namespace docprof::adapters::postgres
