#include "domain/revision_outline.h"

#include <algorithm>
#include <map>

#include "domain/outline_parser.h"
#include "domain/outline_text.h"
#include "domain/text.h"

namespace docprof::domain {

int RevisionPart::section_minutes() const {
  int sum = 0;
  for (const auto& section : sections) sum += section.draft.minutes;
  return sum;
}

int RevisionOutline::total_minutes() const {
  int sum = 0;
  for (const auto& part : parts) sum += part.section_minutes();
  return sum;
}

int RevisionOutline::completed_minutes() const {
  int sum = 0;
  for (const auto& part : parts) {
    for (const auto& section : part.sections) {
      if (section.completed) sum += section.draft.minutes;
    }
  }
  return sum;
}

Outline RevisionOutline::outline() const {
  Outline out;
  for (const auto& part : parts) {
    PartDraft draft;
    draft.title = part.title;
    for (const auto& section : part.sections) draft.sections.push_back(section.draft);
    draft.minutes = draft.section_minutes();
    out.parts.push_back(std::move(draft));
  }
  return out;
}

RevisionOutline revision_outline(const std::vector<CourseSection>& rows) {
  std::vector<const CourseSection*> sorted;
  for (const auto& row : rows) sorted.push_back(&row);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto* a, const auto* b) { return a->order_index < b->order_index; });
  RevisionOutline outline;
  std::map<std::string, std::size_t> part_of;  // part row id -> index in outline.parts
  for (const auto* row : sorted) {
    if (row->parent_section_id) continue;
    part_of[row->section_id] = outline.parts.size();
    outline.parts.push_back(RevisionPart{row->title, {}});
  }
  std::map<std::string, std::size_t> orphans;  // missing parent id -> its untitled part
  for (const auto* row : sorted) {
    if (!row->parent_section_id) continue;
    std::size_t index = 0;
    if (const auto it = part_of.find(*row->parent_section_id); it != part_of.end()) {
      index = it->second;
    } else if (const auto orphan = orphans.find(*row->parent_section_id); orphan != orphans.end()) {
      index = orphan->second;
    } else {
      index = outline.parts.size();
      orphans[*row->parent_section_id] = index;
      outline.parts.push_back(RevisionPart{"", {}});
    }
    RevisionSection section;
    section.draft.title = row->title;
    section.draft.minutes = row->estimated_minutes;
    section.draft.objectives = row->learning_objectives;
    for (const auto& source : row->sources) {
      section.draft.reads.push_back(ReadingRef{source.book_id, source.chapter_number, source.section_title.value_or("")});
    }
    section.completed = row->status == SectionStatus::completed;
    outline.parts[index].sections.push_back(std::move(section));
  }
  return outline;
}

std::string render_revision_outline(const RevisionOutline& outline) {
  Outline marked;
  for (const auto& part : outline.parts) {
    PartDraft draft;
    draft.title = part.title;
    for (const auto& section : part.sections) {
      SectionDraft copy = section.draft;
      if (section.completed) copy.title = std::string(kCompletedMarker) + copy.title;
      draft.sections.push_back(std::move(copy));
    }
    marked.parts.push_back(std::move(draft));
  }
  return render_outline(marked);
}

std::string strip_completed_marker(std::string_view title, bool* had_marker) {
  std::string text = trim(title);
  const std::string marker = trim(kCompletedMarker);  // "[completed]"
  const bool has = ascii_lower(text).starts_with(marker);
  if (has) text = trim(std::string_view(text).substr(marker.size()));
  if (had_marker) *had_marker = has;
  return text;
}

Result<RevisionOutline> parse_revision_outline(std::string_view text) {
  auto parsed = parse_outline(text);
  if (!parsed) return parsed.error();
  RevisionOutline outline;
  for (const auto& part : parsed->parts) {
    RevisionPart revised{part.title, {}};
    for (const auto& section : part.sections) {
      RevisionSection entry{section, false};
      entry.draft.title = strip_completed_marker(section.title, &entry.completed);
      revised.sections.push_back(std::move(entry));
    }
    outline.parts.push_back(std::move(revised));
  }
  return outline;
}

Result<RevisedAnswer> parse_revised_answer(std::string_view text) {
  RevisedAnswer answer;
  std::string rest;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    std::string plain = ascii_lower(trim(line));
    while (!plain.empty() && (plain.front() == '*' || plain.front() == '#' || plain.front() == '_')) {
      plain.erase(0, 1);
    }
    plain = trim(plain);
    constexpr std::string_view kLength = "course length:";
    if (!answer.course_minutes && plain.starts_with(kLength)) {
      answer.course_minutes = parse_duration_minutes(plain.substr(kLength.size()));
    } else {
      rest.append(line);
      rest += '\n';
    }
    start = end + 1;
  }
  auto outline = parse_outline(rest);
  if (!outline) return outline.error();
  answer.outline = std::move(outline).value();
  return answer;
}

}  // namespace docprof::domain
