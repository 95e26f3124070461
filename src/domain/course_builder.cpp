#include "domain/course_builder.h"

#include "domain/ids.h"
#include "domain/section_sources.h"
#include "domain/text.h"
#include "domain/time_format.h"

namespace docprof::domain {
namespace {

// The query's first sentence: up to the first '.', '!' or '?' that ends a word.
std::string first_sentence(std::string_view query) {
  for (std::size_t i = 0; i < query.size(); ++i) {
    const char c = query[i];
    if ((c == '.' || c == '!' || c == '?') && (i + 1 == query.size() || query[i + 1] == ' ' || query[i + 1] == '\n')) {
      return trim(query.substr(0, i));
    }
  }
  return trim(query);
}

}  // namespace

std::string course_title(const std::optional<std::string>& stated_title, const std::vector<PartPlan>& parts,
                         std::string_view query) {
  if (stated_title) {
    std::string title = trim(*stated_title);
    if (!title.empty()) return title;
  }
  if (!parts.empty()) {
    std::string title = trim(parts.front().title);
    if (!title.empty()) {
      if (utf8_length(title) < 50 && title.find(':') == std::string::npos) title += " Course";
      return title;
    }
  }
  std::string sentence = trim(utf8_prefix(first_sentence(query), 60));
  if (!sentence.empty()) return sentence + " Course";
  return "Custom Course";
}

std::string provisional_title(std::string_view query) { return utf8_prefix(trim(query), 100); }

CourseRows build_course_rows(const RunState& state, const Outline& outline, std::int64_t now_ms,
                             const BookViews& views) {
  const std::string now = format_iso8601(now_ms);
  CourseRows rows;
  Course& course = rows.course;
  course.course_id = state.course_id;
  course.user_id = state.user_id;
  course.title = course_title(state.course_title, state.parts, state.query);
  course.original_query = state.query;
  course.estimated_hours = state.hours;
  course.created_at = now;
  course.last_modified = now;
  course.preferences = state.preferences;
  course.status = CourseStatus::active;
  course.notes = state.notes;

  const SourceMatcher matcher(state.books, views.chapter_words(state.books));
  int order = 1;
  for (std::size_t p = 0; p < outline.parts.size(); ++p) {
    const PartDraft& part = outline.parts[p];
    const std::string part_key = "part:" + std::to_string(p + 1);
    CourseSection part_row;
    part_row.section_id = derived_uuid(state.course_id, part_key);
    part_row.course_id = state.course_id;
    part_row.order_index = order++;
    part_row.title = part.title;
    part_row.estimated_minutes = part.section_minutes();
    part_row.created_at = now;
    rows.sections.push_back(part_row);

    for (std::size_t s = 0; s < part.sections.size(); ++s) {
      const SectionDraft& draft = part.sections[s];
      CourseSection row;
      row.section_id = derived_uuid(state.course_id, part_key + "/section:" + std::to_string(s + 1));
      row.course_id = state.course_id;
      row.parent_section_id = part_row.section_id;
      row.order_index = order++;
      row.title = draft.title;
      row.learning_objectives = draft.objectives;
      row.estimated_minutes = draft.minutes;
      row.sources = matcher.sources(draft);
      row.created_at = now;
      rows.sections.push_back(std::move(row));
    }
  }
  return rows;
}

}  // namespace docprof::domain
