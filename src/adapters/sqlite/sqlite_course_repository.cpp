#include "adapters/sqlite/sqlite_course_repository.h"

#include <stdexcept>

#include "adapters/sqlite/sqlite_codec.h"
#include "domain/time_format.h"

namespace docprof::adapters::sqlite {
namespace {

// ISO 8601 -> epoch milliseconds by SQLite's date functions (julianday keeps milliseconds exact).
std::int64_t iso_to_ms(Session& session, const std::string& iso, std::string_view field) {
  auto row =
      session.query("SELECT CAST(round((julianday(?) - 2440587.5) * 86400000.0) AS INTEGER)", iso);
  row.step();
  if (row.is_null(0)) {
    throw std::invalid_argument(std::string(field) + ": not an ISO 8601 time: '" + iso + "'");
  }
  return row.int64(0);
}

std::optional<std::int64_t> optional_iso_to_ms(Session& session,
                                               const std::optional<std::string>& iso,
                                               std::string_view field) {
  if (!iso) return std::nullopt;
  return iso_to_ms(session, *iso, field);
}

constexpr std::string_view kSelectCourse =
    "SELECT course_id, user_id, title, original_query, estimated_hours, status, created_at, "
    "last_modified, preferences, notes FROM courses ";

domain::Course read_course(const Statement& row) {
  domain::Course course;
  course.course_id = row.text(0);
  const std::string context = "courses[" + course.course_id + "]";
  course.user_id = row.text(1);
  course.title = row.text(2);
  course.original_query = row.text(3);
  course.estimated_hours = row.real(4);
  course.status = course_status_from_name(row.text(5), context + ".status");
  course.created_at = domain::format_iso8601(row.int64(6));
  course.last_modified = domain::format_iso8601(row.int64(7));
  course.preferences = from_json_text<domain::Preferences>(row.text(8), context + ".preferences");
  course.notes = from_json_text<std::vector<domain::CourseNote>>(row.text(9), context + ".notes");
  return course;
}

domain::CourseSection read_section(const Statement& row) {
  domain::CourseSection section;
  section.section_id = row.text(0);
  const std::string context = "course_sections[" + section.section_id + "]";
  section.course_id = row.text(1);
  section.parent_section_id = row.optional_text(2);
  section.order_index = row.int32(3);
  section.title = row.text(4);
  section.estimated_minutes = row.int32(5);
  section.status = section_status_from_name(row.text(6), context + ".status");
  if (const auto completed = row.optional_int64(7)) {
    section.completed_at = domain::format_iso8601(*completed);
  }
  section.can_standalone = row.int64(8) != 0;
  section.created_at = domain::format_iso8601(row.int64(9));
  section.content_summary = row.optional_text(10);
  using Strings = std::vector<std::string>;
  section.learning_objectives = from_json_text<Strings>(row.text(11), context + ".objectives");
  section.chunk_ids = from_json_text<Strings>(row.text(12), context + ".chunk_ids");
  section.prerequisites = from_json_text<Strings>(row.text(13), context + ".prerequisites");
  section.sources = from_json_text<std::vector<domain::SectionSource>>(row.text(14), context + ".sources");
  return section;
}

void upsert_course(Session& session, const domain::Course& course) {
  session
      .query(
          "INSERT INTO courses (course_id, user_id, title, original_query, estimated_hours, "
          "status, created_at, last_modified, preferences, notes) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (course_id) DO UPDATE SET user_id = excluded.user_id, "
          "title = excluded.title, original_query = excluded.original_query, "
          "estimated_hours = excluded.estimated_hours, status = excluded.status, "
          "last_modified = excluded.last_modified, preferences = excluded.preferences, "
          "notes = excluded.notes",
          course.course_id, course.user_id, course.title, course.original_query,
          course.estimated_hours, domain::to_string(course.status),
          iso_to_ms(session, course.created_at, "course.created_at"),
          iso_to_ms(session, course.last_modified, "course.last_modified"),
          to_json_text(course.preferences), to_json_text(course.notes))
      .run();
}

void upsert_section(Session& session, const std::string& course_id,
                    const domain::CourseSection& section) {
  if (!section.course_id.empty() && section.course_id != course_id) {
    throw std::invalid_argument("section " + section.section_id + " belongs to course " +
                                section.course_id + ", not " + course_id);
  }
  const std::string field = "section " + section.section_id;
  session
      .query(
          "INSERT INTO course_sections (section_id, course_id, parent_section_id, order_index, "
          "title, estimated_minutes, status, completed_at, can_standalone, created_at, "
          "content_summary, learning_objectives, chunk_ids, prerequisites, sources) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (section_id) DO UPDATE SET course_id = excluded.course_id, "
          "parent_section_id = excluded.parent_section_id, order_index = excluded.order_index, "
          "title = excluded.title, estimated_minutes = excluded.estimated_minutes, "
          "status = excluded.status, completed_at = excluded.completed_at, "
          "can_standalone = excluded.can_standalone, content_summary = excluded.content_summary, "
          "learning_objectives = excluded.learning_objectives, chunk_ids = excluded.chunk_ids, "
          "prerequisites = excluded.prerequisites, sources = excluded.sources",
          section.section_id, course_id, section.parent_section_id, section.order_index,
          section.title, section.estimated_minutes, domain::to_string(section.status),
          optional_iso_to_ms(session, section.completed_at, field + " completed_at"),
          section.can_standalone, iso_to_ms(session, section.created_at, field + " created_at"),
          section.content_summary, to_json_text(section.learning_objectives),
          to_json_text(section.chunk_ids), to_json_text(section.prerequisites),
          to_json_text(section.sources))
      .run();
}

// The course's status follows its learner's progress: completed once no leaf section (one with a
// parent; part rows never count) is left undone, active again when one is reopened; an archived
// course stays archived.
void update_course_progress(Session& session, const std::string& course_id, std::int64_t now_ms) {
  session
      .query(
          "UPDATE courses SET last_modified = ?1, status = CASE "
          "WHEN status = 'archived' THEN status "
          "WHEN EXISTS (SELECT 1 FROM course_sections WHERE course_id = ?2 AND parent_section_id IS NOT NULL "
          "AND status <> 'completed') THEN 'active' ELSE 'completed' END WHERE course_id = ?2",
          now_ms, course_id)
      .run();
}

}  // namespace

SqliteCourseRepository::SqliteCourseRepository(std::shared_ptr<SqliteDatabase> database)
    : database_(std::move(database)) {}

void write_course(Session& session, const domain::Course& course,
                  const std::vector<domain::CourseSection>& sections) {
  nlohmann::json kept_ids = nlohmann::json::array();
  for (const auto& section : sections) kept_ids.push_back(section.section_id);
  upsert_course(session, course);
  // UNIQUE(course_id, order_index) (migration 11) is checked per statement: the stale rows go
  // first, and the kept ones step aside to negative positions, so that the new outline's rows may
  // take any position, whichever row held it before.
  session
      .query(
          "DELETE FROM course_sections WHERE course_id = ? "
          "AND section_id NOT IN (SELECT value FROM json_each(?))",
          course.course_id, kept_ids.dump())
      .run();
  session.query("UPDATE course_sections SET order_index = -1 - order_index WHERE course_id = ?", course.course_id)
      .run();
  for (const auto& section : sections) upsert_section(session, course.course_id, section);
}

void SqliteCourseRepository::store(const domain::Course& course,
                                   const std::vector<domain::CourseSection>& sections) {
  database_->write([&](Session& session) { write_course(session, course, sections); });
}

std::optional<ports::StoredCourse> read_stored_course(Session& session, const std::string& course_id) {
  static const std::string course_sql = std::string(kSelectCourse) + "WHERE course_id = ?";
  ports::StoredCourse stored;
  {
    auto row = session.query(course_sql, course_id);
    if (!row.step()) return std::nullopt;
    stored.course = read_course(row);
  }
  auto row = session.query(
      "SELECT section_id, course_id, parent_section_id, order_index, title, "
      "estimated_minutes, status, completed_at, can_standalone, created_at, content_summary, "
      "learning_objectives, chunk_ids, prerequisites, sources FROM course_sections "
      "WHERE course_id = ? ORDER BY order_index, section_id",
      course_id);
  while (row.step()) stored.sections.push_back(read_section(row));
  return stored;
}

std::optional<ports::StoredCourse> SqliteCourseRepository::get(const std::string& course_id) {
  return database_->read([&](Session& session) { return read_stored_course(session, course_id); });
}

std::vector<domain::Course> SqliteCourseRepository::list_for_user(const std::string& user_id) {
  static const std::string sql =
      std::string(kSelectCourse) + "WHERE user_id = ? ORDER BY created_at DESC, course_id";
  return database_->read([&](Session& session) {
    std::vector<domain::Course> courses;
    auto row = session.query(sql, user_id);
    while (row.step()) courses.push_back(read_course(row));
    return courses;
  });
}

bool SqliteCourseRepository::remove(const std::string& course_id) {
  return database_->write([&](Session& session) {
    session.query("DELETE FROM course_sections WHERE course_id = ?", course_id).run();
    session.query("DELETE FROM courses WHERE course_id = ?", course_id).run();
    const bool had_course = session.changes() > 0;
    const bool had_run = delete_run_rows(session, course_id);
    return had_course || had_run;
  });
}

bool SqliteCourseRepository::set_section_status(const std::string& course_id,
                                                const std::string& section_id,
                                                domain::SectionStatus status, std::int64_t now_ms) {
  const bool completed = status == domain::SectionStatus::completed;
  return database_->write([&](Session& session) {
    session
        .query(
            "UPDATE course_sections SET status = ?1, "
            "completed_at = CASE WHEN ?2 THEN coalesce(completed_at, ?3) ELSE NULL END "
            "WHERE course_id = ?4 AND section_id = ?5",
            domain::to_string(status), completed, now_ms, course_id, section_id)
        .run();
    if (session.changes() == 0) return false;
    update_course_progress(session, course_id, now_ms);
    return true;
  });
}

std::optional<std::string> SqliteCourseRepository::complete_section(const std::string& user_id,
                                                                const std::string& section_id,
                                                                std::int64_t now_ms) {
  return database_->write([&](Session& session) -> std::optional<std::string> {
    std::string course_id;
    {
      auto row = session.query(
          "SELECT s.course_id FROM course_sections s JOIN courses c ON c.course_id = s.course_id "
          "WHERE s.section_id = ? AND c.user_id = ?",
          section_id, user_id);
      if (!row.step()) return std::nullopt;
      course_id = row.text(0);
    }
    session
        .query(
            "UPDATE course_sections SET status = 'completed', completed_at = coalesce(completed_at, ?) "
            "WHERE section_id = ? AND status <> 'completed'",
            now_ms, section_id)
        .run();
    if (session.changes() == 0) return course_id;  // completed before: nothing changes
    update_course_progress(session, course_id, now_ms);
    return course_id;
  });
}

}  // namespace docprof::adapters::sqlite
