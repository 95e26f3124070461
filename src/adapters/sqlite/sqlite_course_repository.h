// SqliteCourseRepository: stored courses (table courses) and their section rows (course_sections)
// in the embedded database.
//
// store() is one transaction: the course is upserted by course_id, every section by section_id,
// and section rows of that course missing from the new set are deleted, so replaying a store never
// doubles rows and a changed outline never leaves stale ones. An upsert keeps the row's original
// created_at. Times travel as ISO 8601 strings in the domain types and are stored as INTEGER
// milliseconds (SQLite's own date parser reads them; an unreadable time is std::invalid_argument).
// Lists (objectives, chunk ids, prerequisites) and preferences are JSON TEXT.
//
// remove() deletes the course, its sections and — in the same transaction, as the port promises —
// the run-side rows of that course id (record, history, queued events, dead letters).
// set_section_status() sets completed_at when a section is completed (keeping the first time it
// was), clears it otherwise, and bumps the course's last_modified.
//
// complete_section() does the same for a learner's "mark complete" (by section id and owner). Both
// keep the course's status in step: completed once no leaf section (one with a parent) is left
// undone, active again when one is reopened (an archived course stays archived).
//
// Thread safety: safe from any thread; several processes may share the file (see SqliteDatabase).
#pragma once

#include <memory>

#include "adapters/sqlite/sqlite_database.h"
#include "ports/course_repository.h"

namespace docprof::adapters::sqlite {

class SqliteCourseRepository final : public ports::CourseRepository {
 public:
  explicit SqliteCourseRepository(std::shared_ptr<SqliteDatabase> database);

  void store(const domain::Course& course,
             const std::vector<domain::CourseSection>& sections) override;
  std::optional<ports::StoredCourse> get(const std::string& course_id) override;
  std::vector<domain::Course> list_for_user(const std::string& user_id) override;
  bool remove(const std::string& course_id) override;
  bool set_section_status(const std::string& course_id, const std::string& section_id,
                          domain::SectionStatus status, std::int64_t now_ms) override;
  std::optional<std::string> complete_section(const std::string& user_id, const std::string& section_id,
                                              std::int64_t now_ms) override;

 private:
  std::shared_ptr<SqliteDatabase> database_;
};

// Upserts a course and its section rows and deletes the course's rows not among them, inside the
// caller's write transaction (shared with SqliteRunStore's commit).
void write_course(Session& session, const domain::Course& course, const std::vector<domain::CourseSection>& sections);

// The course and its rows (by order_index), read inside the caller's transaction.
std::optional<ports::StoredCourse> read_stored_course(Session& session, const std::string& course_id);

}  // namespace docprof::adapters::sqlite
