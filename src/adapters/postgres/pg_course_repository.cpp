#include "adapters/postgres/pg_course_repository.h"

#include "adapters/postgres/pg_codec.h"
#include "adapters/postgres/pg_rows.h"
#include "domain/time_format.h"

namespace docprof::adapters::postgres {
namespace {

constexpr std::string_view kSelectCourse =
    "SELECT course_id, user_id, title, original_query, estimated_hours, status, created_at, "
    "last_modified, preferences, notes FROM courses ";

domain::Course read_course(const PgResult& rows, int r) {
  domain::Course course;
  course.course_id = rows.text(r, 0);
  const std::string context = "courses[" + course.course_id + "]";
  course.user_id = rows.text(r, 1);
  course.title = rows.text(r, 2);
  course.original_query = rows.text(r, 3);
  course.estimated_hours = rows.real(r, 4);
  course.status = course_status_from_name(rows.text(r, 5), context + ".status");
  course.created_at = domain::format_iso8601(rows.int64(r, 6));
  course.last_modified = domain::format_iso8601(rows.int64(r, 7));
  course.preferences = from_json_text<domain::Preferences>(rows.text(r, 8), context + ".preferences");
  course.notes = from_json_text<std::vector<domain::CourseNote>>(rows.text(r, 9), context + ".notes");
  return course;
}

domain::CourseSection read_section(const PgResult& rows, int r) {
  domain::CourseSection section;
  section.section_id = rows.text(r, 0);
  const std::string context = "course_sections[" + section.section_id + "]";
  section.course_id = rows.text(r, 1);
  section.parent_section_id = rows.optional_text(r, 2);
  section.order_index = rows.int32(r, 3);
  section.title = rows.text(r, 4);
  section.estimated_minutes = rows.int32(r, 5);
  section.status = section_status_from_name(rows.text(r, 6), context + ".status");
  if (!rows.is_null(r, 7)) section.completed_at = domain::format_iso8601(rows.int64(r, 7));
  section.can_standalone = rows.int64(r, 8) != 0;
  section.created_at = domain::format_iso8601(rows.int64(r, 9));
  section.content_summary = rows.optional_text(r, 10);
  using Strings = std::vector<std::string>;
  section.learning_objectives = from_json_text<Strings>(rows.text(r, 11), context + ".objectives");
  section.chunk_ids = from_json_text<Strings>(rows.text(r, 12), context + ".chunk_ids");
  section.prerequisites = from_json_text<Strings>(rows.text(r, 13), context + ".prerequisites");
  section.sources = from_json_text<std::vector<domain::SectionSource>>(rows.text(r, 14), context + ".sources");
  return section;
}

// The course's status follows its learner's progress: completed once no leaf section (one with a
// parent; part rows never count) is left undone, active again when one is reopened; an archived
// course stays archived.
void update_course_progress(PgConnection& connection, const std::string& course_id, std::int64_t now_ms) {
  connection.run(
      "UPDATE courses SET last_modified = $1, status = CASE "
      "WHEN status = 'archived' THEN status "
      "WHEN EXISTS (SELECT 1 FROM course_sections WHERE course_id = $2 AND parent_section_id IS NOT NULL "
      "AND status <> 'completed') THEN 'active' ELSE 'completed' END WHERE course_id = $2",
      now_ms, course_id);
}

}  // namespace

PgCourseRepository::PgCourseRepository(std::shared_ptr<PgPool> pool) : pool_(std::move(pool)) {}

void PgCourseRepository::store(const domain::Course& course, const std::vector<domain::CourseSection>& sections) {
  pool_->transaction([&](PgConnection& connection) { write_course(connection, course, sections); });
}

namespace {

// A course and its sections, read on `connection` (in the caller's transaction); `for_update` locks
// the course row until it ends.
std::optional<ports::StoredCourse> read_stored_course(PgConnection& connection, const std::string& course_id,
                                                      bool for_update) {
  static const std::string course_sql = std::string(kSelectCourse) + "WHERE course_id = $1";
  static const std::string locking_sql = course_sql + " FOR UPDATE";
  const auto course_rows = connection.run(for_update ? locking_sql : course_sql, course_id);
  if (course_rows.rows() == 0) return std::nullopt;
  ports::StoredCourse stored;
  stored.course = read_course(course_rows, 0);
  const auto rows = connection.run(
      "SELECT section_id, course_id, parent_section_id, order_index, title, estimated_minutes, "
      "status, completed_at, can_standalone, created_at, content_summary, learning_objectives, "
      "chunk_ids, prerequisites, sources FROM course_sections WHERE course_id = $1 "
      "ORDER BY order_index, section_id",
      course_id);
  for (int r = 0; r < rows.rows(); ++r) stored.sections.push_back(read_section(rows, r));
  return stored;
}

}  // namespace

std::optional<ports::StoredCourse> read_stored_course_for_update(PgConnection& connection,
                                                                 const std::string& course_id) {
  return read_stored_course(connection, course_id, true);
}

std::optional<ports::StoredCourse> PgCourseRepository::get(const std::string& course_id) {
  // One snapshot for the course and its sections.
  return pool_->snapshot([&](PgConnection& connection) -> std::optional<ports::StoredCourse> {
    return read_stored_course(connection, course_id, false);
  });
}

std::vector<domain::Course> PgCourseRepository::list_for_user(const std::string& user_id) {
  static const std::string sql = std::string(kSelectCourse) + "WHERE user_id = $1 ORDER BY created_at DESC, course_id";
  return pool_->read([&](PgConnection& connection) {
    std::vector<domain::Course> courses;
    const auto rows = connection.run(sql, user_id);
    for (int r = 0; r < rows.rows(); ++r) courses.push_back(read_course(rows, r));
    return courses;
  });
}

bool PgCourseRepository::remove(const std::string& course_id) {
  return pool_->transaction([&](PgConnection& connection) {
    connection.run("DELETE FROM course_sections WHERE course_id = $1", course_id);
    const bool had_course = connection.run("DELETE FROM courses WHERE course_id = $1", course_id).affected() > 0;
    const bool had_run = delete_run_rows(connection, course_id);
    return had_course || had_run;
  });
}

bool PgCourseRepository::set_section_status(const std::string& course_id, const std::string& section_id,
                                            domain::SectionStatus status, std::int64_t now_ms) {
  const bool completed = status == domain::SectionStatus::completed;
  return pool_->transaction([&](PgConnection& connection) {
    // The course row first, as complete_section does: concurrent changes of one course's sections
    // take turns, so the last one sees all the others when it decides the course's status.
    connection.run("SELECT 1 FROM courses WHERE course_id = $1 FOR UPDATE", course_id);
    const auto updated = connection.run(
        "UPDATE course_sections SET status = $1, "
        "completed_at = CASE WHEN $2::boolean THEN coalesce(completed_at, $3::bigint) ELSE NULL END "
        "WHERE course_id = $4 AND section_id = $5",
        domain::to_string(status), completed, now_ms, course_id, section_id);
    if (updated.affected() == 0) return false;
    update_course_progress(connection, course_id, now_ms);
    return true;
  });
}

std::optional<std::string> PgCourseRepository::complete_section(const std::string& user_id,
                                                            const std::string& section_id, std::int64_t now_ms) {
  return pool_->transaction([&](PgConnection& connection) -> std::optional<std::string> {
    // FOR UPDATE on the course row: two sections of one course completed at once both see the
    // other's row when they decide the course's status.
    const auto owned = connection.run(
        "SELECT c.course_id FROM course_sections s JOIN courses c ON c.course_id = s.course_id "
        "WHERE s.section_id = $1 AND c.user_id = $2 FOR UPDATE OF c",
        section_id, user_id);
    if (owned.rows() == 0) return std::nullopt;
    const std::string course_id = owned.text(0, 0);
    const auto updated = connection.run(
        "UPDATE course_sections SET status = 'completed', completed_at = coalesce(completed_at, $1::bigint) "
        "WHERE section_id = $2 AND status <> 'completed'",
        now_ms, section_id);
    if (updated.affected() == 0) return course_id;  // completed before: nothing changes
    update_course_progress(connection, course_id, now_ms);
    return course_id;
  });
}

}  // namespace docprof::adapters::postgres
