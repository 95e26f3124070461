// PgCourseRepository: stored courses (courses) and their section rows (course_sections) in the
// distributed deployment's PostgreSQL database.
//
// store() is one transaction: the course is upserted by course_id (keeping its first created_at),
// the course's sections missing from the new set are deleted, and every section is upserted by
// section_id — so a replayed store never doubles rows, a changed outline leaves no stale one, and
// UNIQUE(course_id, order_index) (checked at commit) holds. Times travel as ISO 8601 strings in the
// domain types and are stored as BIGINT milliseconds (an unreadable time is std::invalid_argument).
// remove() deletes the course, its sections and, in the same transaction, the run's rows (record,
// history, dead letters). set_section_status() sets completed_at when a section is completed
// (keeping the first time), clears it otherwise, and bumps the course's last_modified.
//
// complete_section() does the same for a learner's "mark complete" (by section id and owner). Both
// keep the course's status in step: completed once no leaf section (one with a parent) is left
// undone, active again when one is reopened (an archived course stays archived).
//
// Thread safety: safe from any thread; any number of processes may share the database.
#pragma once

#include <memory>

#include "adapters/postgres/pg_pool.h"
#include "ports/course_repository.h"

namespace docprof::adapters::postgres {

class PgCourseRepository final : public ports::CourseRepository {
 public:
  explicit PgCourseRepository(std::shared_ptr<PgPool> pool);

  void store(const domain::Course& course, const std::vector<domain::CourseSection>& sections) override;
  std::optional<ports::StoredCourse> get(const std::string& course_id) override;
  std::vector<domain::Course> list_for_user(const std::string& user_id) override;
  bool remove(const std::string& course_id) override;
  bool set_section_status(const std::string& course_id, const std::string& section_id,
                          domain::SectionStatus status, std::int64_t now_ms) override;
  std::optional<std::string> complete_section(const std::string& user_id, const std::string& section_id,
                                              std::int64_t now_ms) override;

 private:
  std::shared_ptr<PgPool> pool_;
};

}  // namespace docprof::adapters::postgres
