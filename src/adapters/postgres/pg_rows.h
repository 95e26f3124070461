// Row writers shared by the PostgreSQL stores inside one transaction: a run's history entries and
// dead letters (PgRunStore, PgDeadLetters), a course with its sections (PgRunStore's commit of a
// store step, PgCourseRepository), and the deletion of a run's rows. Each takes the connection of
// the caller's open transaction (PgPool::transaction) and commits nothing itself. Also the
// parameters of the run tables' column writes (ports/run_tables.h).
//
// Thread safety: stateless functions; the connection is the caller's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/postgres/pg_connection.h"
#include "ports/course_repository.h"
#include "ports/dead_letters.h"
#include "ports/run_store.h"
#include "ports/run_tables.h"

namespace docprof::adapters::postgres {

// The writes' values as statement parameters, in order (ports/run_tables.h).
std::vector<PgParam> column_params(const std::vector<ports::stored::ColumnWrite>& writes);
// "$first, $first+1, …": `count` parameters.
std::string placeholders(int first, std::size_t count);

// Appends to the history of run `run_id` of `kind`. The entry's revision is written as given (the
// stores set it to their record's; an ingestion run's history keeps none).
void append_history(PgConnection& connection, domain::RunKind kind, const std::string& run_id,
                    const ports::HistoryEntry& entry);

// The course and its rows (by order_index) inside the caller's transaction, the course row locked
// FOR UPDATE (a revision's commit: a learner's progress on the course waits for it).
std::optional<ports::StoredCourse> read_stored_course_for_update(PgConnection& connection,
                                                                 const std::string& course_id);

// Replaces any letter of the same event_id (DeadLetters::bury's rule).
void insert_dead_letter(PgConnection& connection, const ports::DeadLetter& letter);
void delete_dead_letter(PgConnection& connection, const std::string& dead_letter_id);

// Upserts the course and its sections and deletes the course's sections not among them. A time
// that is not ISO 8601 is std::invalid_argument; a section of another course too.
void write_course(PgConnection& connection, const domain::Course& course,
                  const std::vector<domain::CourseSection>& sections);

// Deletes a run's record (of either kind), history, books and dead letters; true when the record
// existed.
bool delete_run_rows(PgConnection& connection, const std::string& run_id);

}  // namespace docprof::adapters::postgres
