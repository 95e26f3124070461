#include "views/course_views.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "domain/models_json.h"
#include "domain/text.h"
#include "domain/time_format.h"
#include "domain/time_rule.h"
#include "views/ingest_views.h"

namespace docprof::views {

using nlohmann::json;

namespace {

std::string iso(std::int64_t ms) { return domain::format_iso8601(ms); }

json usage_json(const domain::TokenUsage& usage) {
  return json{{"input_tokens", usage.input_tokens}, {"output_tokens", usage.output_tokens}, {"calls", usage.calls}};
}

json generation_status(const ports::RunRecord& run) {
  json g = {{"status", ports::to_string(run.status)},
            {"phase", domain::to_string(run.phase)},
            {"message", status_message(run)},
            {"revision", run.revision}};
  if (run.error) {
    g["error"] = run.error->message;
    g["error_code"] = run.error->code;
  }
  return g;
}

json notes_json(const std::vector<domain::CourseNote>& notes) {
  json out = json::array();
  for (const auto& note : notes) out.push_back(note);  // {kind, topic (null when none), message}
  return out;
}

// "Note: <message>", or "Note (<kind in words>[: <topic>]): <message>" ("uncovered topic: x").
std::string note_line(const domain::CourseNote& note) {
  std::string kind = note.kind == "note" ? "" : note.kind;
  for (char& c : kind) c = c == '_' ? ' ' : c;
  std::string label = kind;
  if (!note.topic.empty()) label += (label.empty() ? "" : ": ") + note.topic;
  return label.empty() ? "Note: " + note.message : "Note (" + label + "): " + note.message;
}

// "Read: <book title>, ch. <n> "<chapter title>"[ § <section title>]"
std::string source_line(const domain::SectionSource& source) {
  std::string line = "Read: " + source.book_title + ", ch. " + std::to_string(source.chapter_number) + " \"" +
                     source.chapter_title + "\"";
  if (source.section_title) line += " \u00A7 " + *source.section_title;
  return line;
}

}  // namespace

std::string status_message(const ports::RunRecord& run) {
  using domain::Phase;
  if (run.status == ports::RunStatus::error) {
    return run.error ? "Failed (" + run.error->code + "): " + run.error->message : "Failed";
  }
  if (run.kind == domain::RunKind::ingest) return ingest_status_message(engine::IngestRunService::view_of(run));
  if (run.status == ports::RunStatus::complete) return "Course ready: " + run.title;
  switch (run.phase) {
    case Phase::initializing:
      return "Waiting for a worker";
    case Phase::searching_books:
      return "Finding relevant books";
    case Phase::generating_parts:
      return "Planning the course parts";
    case Phase::generating_sections:
      return "Generating part " + std::to_string(run.current_part_index + 1) + " of " +
             std::to_string(std::max(run.parts_count, 1));
    case Phase::reviewing_outline:
      return "Reviewing the timing of the outline";
    case Phase::storing:
      return "Storing the course";
    case Phase::complete:
      return "Course ready";
    case Phase::error:
      return "Failed";
    case Phase::revising:
      return "Revising the course (revision " + std::to_string(run.revision) + ")";
    case Phase::parsing:
    case Phase::summarizing:
      break;  // an ingestion run's phases: such runs are worded above
  }
  return "";
}

json status_json(const ports::RunRecord& run) {
  const bool complete = run.status == ports::RunStatus::complete;
  json j = {{"course_id", run.course_id},
            {"status", ports::to_string(run.status)},
            {"phase", domain::to_string(run.status == ports::RunStatus::error ? domain::Phase::error : run.phase)},
            {"progress",
             {{"parts_count", run.parts_count},
              {"current_part_index", run.current_part_index},
              {"total_parts", run.parts_count},
              {"outline_complete", complete},
              {"course_id", run.course_id},
              {"title", run.title}}},
            {"message", status_message(run)},
            {"query", run.query},
            {"hours", run.hours},
            {"usage", usage_json(run.usage)},
            {"revision", run.revision},
            {"created_at", iso(run.created_at_ms)},
            {"updated_at", iso(run.updated_at_ms)}};
  if (run.error) {
    j["error"] = run.error->message;
    j["error_code"] = run.error->code;
  }
  return j;
}

json section_json(const domain::CourseSection& s) {
  json j;
  domain::to_json(j, s);
  return j;
}

json outline_json(const std::optional<ports::StoredCourse>& course, const ports::RunRecord* run,
                  const std::string& course_id) {
  if (!course) {
    json j = {{"course_id", course_id},
              {"title", run ? run->title : ""},
              {"original_query", run ? run->query : ""},
              {"parts", json::array()},
              {"sections", json::array()},
              {"total_sections", 0},
              {"completed_sections", 0},
              {"total_minutes", 0}};
    json preferences;
    domain::to_json(preferences, run ? run->preferences : domain::Preferences{});
    j["preferences"] = preferences;
    // While generating, the notes of the parts answer are known once the parts are planned.
    j["notes"] = notes_json(run && run->state ? run->state->notes : std::vector<domain::CourseNote>{});
    if (run) j["generation_status"] = generation_status(*run);
    return j;
  }
  const auto& c = course->course;
  json parts = json::array();
  json flat = json::array();
  std::map<std::string, std::size_t> part_index;
  int total_sections = 0;
  int completed = 0;
  int total_minutes = 0;
  for (const auto& s : course->sections) {
    flat.push_back(section_json(s));
    if (!s.parent_section_id) {
      part_index[s.section_id] = parts.size();
      parts.push_back({{"section_id", s.section_id},
                       {"title", s.title},
                       {"estimated_minutes", s.estimated_minutes},
                       {"status", domain::to_string(s.status)},
                       {"order_index", s.order_index},
                       {"sections", json::array()},
                       {"total_sections", 0},
                       {"completed_sections", 0}});
      continue;
    }
    ++total_sections;
    total_minutes += s.estimated_minutes;
    const bool done = s.status == domain::SectionStatus::completed;
    completed += done ? 1 : 0;
    const auto it = part_index.find(*s.parent_section_id);
    if (it == part_index.end()) continue;
    json& part = parts[it->second];
    part["sections"].push_back(section_json(s));
    part["total_sections"] = part["total_sections"].get<int>() + 1;
    if (done) part["completed_sections"] = part["completed_sections"].get<int>() + 1;
  }
  json preferences;
  domain::to_json(preferences, c.preferences);
  json j = {{"course_id", c.course_id},
            {"title", c.title},
            {"original_query", c.original_query},
            {"estimated_hours", c.estimated_hours},
            {"status", domain::to_string(c.status)},
            {"created_at", c.created_at},
            {"last_modified", c.last_modified},
            {"parts", parts},
            {"sections", flat},
            {"total_sections", total_sections},
            {"completed_sections", completed},
            {"total_minutes", total_minutes},
            {"preferences", preferences},
            {"notes", notes_json(c.notes)}};
  if (run) j["generation_status"] = generation_status(*run);
  return j;
}

json course_list_json(const std::vector<domain::Course>& courses, const std::vector<ports::RunRecord>& runs) {
  struct Row {
    std::string created_at;
    json value;
  };
  std::vector<Row> rows;
  std::map<std::string, const ports::RunRecord*> run_of;
  for (const auto& run : runs) run_of[run.course_id] = &run;
  std::map<std::string, bool> listed;
  for (const auto& c : courses) {
    json row = {{"courseId", c.course_id},
                {"title", c.title},
                {"estimatedHours", c.estimated_hours},
                {"status", domain::to_string(c.status)},
                {"createdAt", c.created_at}};
    rows.push_back({c.created_at, row});
    listed[c.course_id] = true;
  }
  for (const auto& run : runs) {
    if (listed.count(run.course_id) || run.status == ports::RunStatus::complete) continue;
    const std::string created = iso(run.created_at_ms);
    json row = {{"courseId", run.course_id},
                {"title", run.title},
                {"estimatedHours", run.hours},
                {"status", run.status == ports::RunStatus::error ? "error" : "generating"},
                {"createdAt", created},
                {"generation_status", generation_status(run)}};
    rows.push_back({created, row});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.created_at > b.created_at; });
  json out = json::array();
  for (auto& row : rows) out.push_back(std::move(row.value));
  return out;
}

json history_entry_json(const ports::HistoryEntry& e) {
  return json{{"id", e.history_id},    {"course_id", e.course_id},       {"seq", e.seq},
              {"type", e.type},        {"kind", ports::to_string(e.kind)}, {"message", e.message},
              {"usage", usage_json(e.usage)}, {"at", iso(e.at_ms)}, {"revision", e.revision}};
}

// "kind" and "run_id" name the run of either kind (issue 14); "course_id" stays for the readers of
// the course-only shape, with the same id.
json dead_letter_json(const ports::DeadLetter& d) {
  return json{{"id", d.id},
              {"kind", domain::to_string(domain::run_kind_of(d.event.type()))},
              {"run_id", d.course_id},
              {"course_id", d.course_id},
              {"event_type", domain::to_string(d.event.type())},
              {"seq", d.event.seq},
              {"attempts", d.attempts},
              {"error_code", d.error_code},
              {"error", d.error},
              {"at", iso(d.at_ms)}};
}

std::string outline_markdown(const ports::StoredCourse& course) { return outline_markdown(course, {}); }

namespace {

std::string passage_line(const ports::ChunkMatch& m) {
  std::string where = m.chapter_title;
  if (m.section_title && *m.section_title != m.chapter_title) where += " § " + *m.section_title;
  if (m.page) where += ", p. " + std::to_string(*m.page);
  std::string excerpt;
  for (const char c : m.text) excerpt += c == '\n' ? ' ' : c;
  const bool cut = domain::utf8_length(excerpt) > 200;
  return "> " + where + ": " + domain::utf8_prefix(excerpt, 200) + (cut ? "…" : "") + " [" + m.chunk_id + "]";
}

}  // namespace

std::string outline_markdown(const ports::StoredCourse& course, const std::vector<ports::ChunkMatch>& passages) {
  std::map<std::string, const ports::ChunkMatch*> by_id;
  for (const auto& p : passages) by_id[p.chunk_id] = &p;
  const auto& c = course.course;
  int minutes = 0;
  int sections = 0;
  int parts = 0;
  for (const auto& s : course.sections) {
    if (s.parent_section_id) {
      minutes += s.estimated_minutes;
      ++sections;
    } else {
      ++parts;
    }
  }
  std::string out = "# " + c.title + "\n\n";
  out += "_" + std::to_string(parts) + " part(s), " + std::to_string(sections) + " section(s), " +
         std::to_string(minutes) + " minutes (target " + std::to_string(domain::target_minutes(c.estimated_hours)) +
         ")_\n\n";
  out += "> " + c.original_query + "\n";
  if (!c.notes.empty()) {
    out += "\n";
    for (const auto& note : c.notes) out += note_line(note) + "\n";
  }
  int part_number = 0;
  int section_number = 0;
  for (const auto& s : course.sections) {
    if (!s.parent_section_id) {
      ++part_number;
      section_number = 0;
      out += "\n## Part " + std::to_string(part_number) + ": " + s.title + " (" +
             std::to_string(s.estimated_minutes) + " min)\n";
      continue;
    }
    ++section_number;
    out += "\n### " + std::to_string(part_number) + "." + std::to_string(section_number) + " " + s.title + " (" +
           std::to_string(s.estimated_minutes) + " min)\n";
    for (const auto& objective : s.learning_objectives) out += "- " + objective + "\n";
    for (const auto& source : s.sources) out += source_line(source) + "\n";
    for (const auto& id : s.chunk_ids) {
      if (const auto found = by_id.find(id); found != by_id.end()) out += passage_line(*found->second) + "\n";
    }
  }
  return out;
}

}  // namespace docprof::views
