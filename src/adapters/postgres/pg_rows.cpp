#include "adapters/postgres/pg_rows.h"

#include <array>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include "adapters/postgres/pg_codec.h"

namespace docprof::adapters::postgres {
namespace {

std::optional<std::int64_t> iso_to_ms(const std::optional<std::string>& iso, const std::string& field) {
  if (!iso) return std::nullopt;
  const auto ms = parse_iso8601_ms(*iso);
  if (!ms) throw std::invalid_argument(field + ": not an ISO 8601 time: '" + *iso + "'");
  return ms;
}

std::int64_t required_iso_to_ms(const std::string& iso, const std::string& field) {
  return *iso_to_ms(iso, field);
}

}  // namespace

std::vector<PgParam> column_params(const std::vector<ports::stored::ColumnWrite>& writes) {
  std::vector<PgParam> params;
  params.reserve(writes.size());
  for (const auto& write : writes) {
    params.push_back(std::visit(
        [](const auto& value) -> PgParam {
          if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::nullptr_t>) {
            return std::nullopt;
          } else {
            return to_param(value);
          }
        },
        write.value));
  }
  return params;
}

std::string placeholders(int first, std::size_t count) {
  std::string list;
  for (std::size_t i = 0; i < count; ++i) {
    list += (i == 0 ? "$" : ", $") + std::to_string(first + static_cast<int>(i));
  }
  return list;
}

void append_history(PgConnection& connection, domain::RunKind kind, const std::string& run_id,
                    const ports::HistoryEntry& entry) {
  static const auto sql = ports::stored::per_kind([](const ports::stored::RunTables& t) {
    const auto writes = ports::stored::history_writes(t.kind, "", {}, 0);
    return "INSERT INTO " + std::string(t.events) + " (" + ports::stored::column_names(writes) + ") VALUES (" +
           placeholders(1, writes.size()) + ")";
  });
  connection.exec(sql[ports::stored::kind_index(kind)],
                  column_params(ports::stored::history_writes(kind, run_id, entry, entry.revision)));
}

void insert_dead_letter(PgConnection& connection, const ports::DeadLetter& letter) {
  const auto& event = letter.event;
  connection.run("DELETE FROM dead_letters WHERE event_id = $1", event.event_id);
  const std::string& run_id = letter.course_id.empty() ? event.course_id : letter.course_id;
  connection.run(
      "INSERT INTO dead_letters (course_id, event_id, event_type, seq, attempts, error_code, "
      "error, at, kind, run_id, event) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $1, $10)",
      run_id, event.event_id, domain::to_string(event.type()), event.seq, letter.attempts, letter.error_code,
      letter.error, letter.at_ms, domain::to_string(domain::run_kind_of(event.type())), envelope_to_text(event));
}

void delete_dead_letter(PgConnection& connection, const std::string& dead_letter_id) {
  if (const auto row_id = parse_row_id(dead_letter_id)) {
    connection.run("DELETE FROM dead_letters WHERE id = $1", *row_id);
  }
}

void write_course(PgConnection& connection, const domain::Course& course,
                  const std::vector<domain::CourseSection>& sections) {
  std::vector<std::string> kept_ids;
  for (const auto& section : sections) {
    if (!section.course_id.empty() && section.course_id != course.course_id) {
      throw std::invalid_argument("section " + section.section_id + " belongs to course " +
                                  section.course_id + ", not " + course.course_id);
    }
    kept_ids.push_back(section.section_id);
  }
  const auto created_at = required_iso_to_ms(course.created_at, "course.created_at");
  const auto last_modified = required_iso_to_ms(course.last_modified, "course.last_modified");
  connection.run(
      "INSERT INTO courses (course_id, user_id, title, original_query, estimated_hours, status, "
      "created_at, last_modified, preferences, notes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
      "ON CONFLICT (course_id) DO UPDATE SET user_id = excluded.user_id, title = excluded.title, "
      "original_query = excluded.original_query, estimated_hours = excluded.estimated_hours, "
      "status = excluded.status, last_modified = excluded.last_modified, "
      "preferences = excluded.preferences, notes = excluded.notes",
      course.course_id, course.user_id, course.title, course.original_query, course.estimated_hours,
      domain::to_string(course.status), created_at, last_modified, to_json_text(course.preferences),
      to_json_text(course.notes));
  // Stale rows go first, so that their positions are free for the new outline's rows.
  connection.run(
      "DELETE FROM course_sections WHERE course_id = $1 "
      "AND section_id <> ALL($2::text[])",
      course.course_id, text_array(kept_ids));
  for (const auto& section : sections) {
    const std::string field = "section " + section.section_id;
    connection.run(
        "INSERT INTO course_sections (section_id, course_id, parent_section_id, order_index, title, "
        "estimated_minutes, status, completed_at, can_standalone, created_at, content_summary, "
        "learning_objectives, chunk_ids, prerequisites, sources) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) "
        "ON CONFLICT (section_id) DO UPDATE SET course_id = excluded.course_id, "
        "parent_section_id = excluded.parent_section_id, order_index = excluded.order_index, "
        "title = excluded.title, estimated_minutes = excluded.estimated_minutes, "
        "status = excluded.status, completed_at = excluded.completed_at, "
        "can_standalone = excluded.can_standalone, content_summary = excluded.content_summary, "
        "learning_objectives = excluded.learning_objectives, chunk_ids = excluded.chunk_ids, "
        "prerequisites = excluded.prerequisites, sources = excluded.sources",
        section.section_id, course.course_id, section.parent_section_id, section.order_index,
        section.title, section.estimated_minutes, domain::to_string(section.status),
        iso_to_ms(section.completed_at, field + " completed_at"),
        section.can_standalone ? 1 : 0, required_iso_to_ms(section.created_at, field + " created_at"),
        section.content_summary, to_json_text(section.learning_objectives),
        to_json_text(section.chunk_ids), to_json_text(section.prerequisites), to_json_text(section.sources));
  }
}

bool delete_run_rows(PgConnection& connection, const std::string& run_id) {
  // A run id names one run of either kind: both kinds' tables are asked (two index lookups).
  static const auto deletes = ports::stored::per_kind([](const ports::stored::RunTables& t) {
    const std::string id(t.id);
    return std::array<std::string, 2>{"DELETE FROM " + std::string(t.events) + " WHERE " + id + " = $1",
                                      "DELETE FROM " + std::string(t.runs) + " WHERE " + id + " = $1"};
  });
  connection.run("DELETE FROM dead_letters WHERE course_id = $1", run_id);
  connection.run("DELETE FROM run_books WHERE course_id = $1", run_id);
  bool existed = false;
  for (const auto& [events, runs] : deletes) {
    connection.run(events, run_id);
    existed = connection.run(runs, run_id).affected() > 0 || existed;
  }
  return existed;
}

}  // namespace docprof::adapters::postgres
