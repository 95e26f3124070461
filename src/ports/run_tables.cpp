#include "ports/run_tables.h"

#include "ports/stored_codec.h"

namespace docprof::ports::stored {
namespace {

constexpr RunTables kCourseTables{domain::RunKind::course, "course_runs", "course_events", "course_id"};
constexpr RunTables kIngestTables{domain::RunKind::ingest, "ingest_runs", "ingest_events", "ingest_id"};

bool is_course(const RunTables& tables) { return tables.kind == domain::RunKind::course; }

ColumnValue optional_text(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return *text;
}

}  // namespace

const RunTables& run_tables(domain::RunKind kind) {
  return kind == domain::RunKind::course ? kCourseTables : kIngestTables;
}

std::string record_select_list(const RunTables& tables) {
  const bool course = is_course(tables);
  // The columns one kind lacks read as their defaults: hours 0, no preferences, revision 0, no book.
  const std::array<std::string, kRecordColumns> columns = {
      "r." + std::string(tables.id), "r.user_id", course ? "r.query" : "r.file_name",
      course ? "r.hours" : "0.0", course ? "r.preferences" : "NULL", "r.status", "r.phase", "r.next_seq",
      "r.title", course ? "r.parts_count" : "r.chapters", course ? "r.current_part_index" : "r.current_chapter",
      "r.error_code", "r.error_message", "r.usage", "r.version", "r.created_at", "r.updated_at", "r.expires_at",
      "r.outbox", "r.postponed", course ? "r.revision" : "0", course ? "NULL" : "r.book_id"};
  std::string list;
  for (const auto& column : columns) list += (list.empty() ? "" : ", ") + column;
  return list;
}

std::vector<ColumnWrite> record_writes(const RunRecord& record) {
  const bool course = record.kind == domain::RunKind::course;
  std::vector<ColumnWrite> writes = {
      {"user_id", record.user_id},
      {course ? "query" : "file_name", record.query},
      {"status", std::string(to_string(record.status))},
      {"phase", std::string(domain::to_string(record.phase))},
      {"next_seq", record.next_seq},
      {"title", record.title},
      {course ? "parts_count" : "chapters", std::int64_t{record.parts_count}},
      {course ? "current_part_index" : "current_chapter", std::int64_t{record.current_part_index}},
      {"error_code", optional_text(record.error ? std::optional(record.error->code) : std::nullopt)},
      {"error_message", optional_text(record.error ? std::optional(record.error->message) : std::nullopt)},
      {"usage", to_json_text(record.usage)},
      {"created_at", record.created_at_ms},
      {"updated_at", record.updated_at_ms},
      {"expires_at", record.expires_at_ms},
      {"postponed", std::int64_t{record.postponed}},
  };
  if (course) {
    writes.push_back({"hours", record.hours});
    writes.push_back({"preferences", to_json_text(record.preferences)});
    writes.push_back({"revision", std::int64_t{record.revision}});
  } else {
    // NULL until the run's document is read (a book id is never empty).
    writes.push_back({"book_id", record.book_id.empty() ? ColumnValue(nullptr) : ColumnValue(record.book_id)});
  }
  return writes;
}

std::vector<ColumnWrite> history_writes(domain::RunKind kind, const std::string& run_id, const HistoryEntry& entry,
                                        int revision) {
  const RunTables& tables = run_tables(kind);
  std::vector<ColumnWrite> writes = {
      {tables.id, run_id},
      {"seq", entry.seq},
      {"type", entry.type},
      {"kind", std::string(to_string(entry.kind))},
      {"message", entry.message},
      {"usage", to_json_text(entry.usage)},
      {"at", entry.at_ms},
  };
  if (is_course(tables)) writes.push_back({"revision", std::int64_t{revision}});
  return writes;
}

std::string history_select_list(const RunTables& tables) {
  return "history_id, " + std::string(tables.id) + ", seq, type, kind, message, usage, at, " +
         (is_course(tables) ? "revision" : "0");
}

std::string column_names(const std::vector<ColumnWrite>& writes) {
  std::string names;
  for (const auto& write : writes) names += (names.empty() ? "" : ", ") + std::string(write.name);
  return names;
}

}  // namespace docprof::ports::stored
