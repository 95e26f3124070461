// Where the SQL run stores keep each kind of run (issue 14): a course's run in course_runs and
// course_events, an ingestion's in ingest_runs and ingest_events. The two kinds' tables have the
// same shape except for the id column's name and a few columns only one kind has, so both backends
// (SQLite, PostgreSQL) build each statement once per kind from the names here rather than keeping
// a copy of every statement per kind.
//
// Record columns are selected in RecordColumn's order from the runs table aliased `r`; a column the
// kind's table lacks is selected as NULL (or 0), which reads as the RunRecord default.
//
// For the adapters only. Thread safety: constants and pure functions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/events.h"
#include "ports/run_store.h"

namespace docprof::ports::stored {

struct RunTables {
  domain::RunKind kind = domain::RunKind::course;
  std::string_view runs;    // course_runs | ingest_runs
  std::string_view events;  // course_events | ingest_events
  std::string_view id;      // the run id's column in both: course_id | ingest_id
};

inline constexpr std::array<domain::RunKind, 2> kRunKinds = {domain::RunKind::course, domain::RunKind::ingest};

const RunTables& run_tables(domain::RunKind kind);

constexpr std::size_t kind_index(domain::RunKind kind) { return kind == domain::RunKind::course ? 0 : 1; }

// One value per kind, built once by the caller (e.g. a function's static SQL): per_kind(f)[kind_index(k)].
template <class Build>
auto per_kind(Build build) {
  return std::array{build(run_tables(kRunKinds[0])), build(run_tables(kRunKinds[1]))};
}

// The positions of the record's columns in record_select_list().
enum RecordColumn : int {
  kId, kUserId, kQuery, kHours, kPreferences, kStatus, kPhase, kNextSeq, kTitle, kParts, kPartIndex,
  kErrorCode, kErrorMessage, kUsage, kVersion, kCreatedAt, kUpdatedAt, kExpiresAt, kOutbox, kPostponed,
  kRevision, kBookId, kRecordColumns  // the number of columns; a backend's state columns follow
};

// "r.course_id, r.user_id, …" for the kind's runs table aliased r, in RecordColumn's order.
std::string record_select_list(const RunTables& tables);

// A value a backend binds as a statement parameter.
using ColumnValue = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

struct ColumnWrite {
  std::string_view name;
  ColumnValue value;
};

// The record's columns on its kind's runs table that create() and commit() write as given: all but
// the id, version, outbox, state and pending_event, whose rules differ between the backends. The
// names depend on record.kind only, so a backend may build its statement from any record's.
std::vector<ColumnWrite> record_writes(const RunRecord& record);

// The history row of `entry` for run `run_id` of `kind` (the id column first), written with the
// record's `revision` where the kind keeps one.
std::vector<ColumnWrite> history_writes(domain::RunKind kind, const std::string& run_id, const HistoryEntry& entry,
                                        int revision);

// "history_id, course_id, seq, type, kind, message, usage, at, revision" of the kind's events table
// (an ingestion's revision is 0): the order a backend reads HistoryEntry from.
std::string history_select_list(const RunTables& tables);

// "a, b, c" of the writes' names.
std::string column_names(const std::vector<ColumnWrite>& writes);

}  // namespace docprof::ports::stored
