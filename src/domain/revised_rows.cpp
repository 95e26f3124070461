#include "domain/revised_rows.h"

#include <algorithm>
#include <map>
#include <optional>

#include "domain/ids.h"
#include "domain/revision_outline.h"
#include "domain/section_sources.h"
#include "domain/text.h"
#include "domain/time_format.h"
#include "domain/time_rule.h"

namespace docprof::domain {
namespace {

std::string title_key(std::string_view title) { return ascii_lower(strip_completed_marker(title)); }

// A stored part holding completed sections: it keeps its row. `row` is null for completed
// sections whose part row is missing (a damaged store): the part is then rebuilt under their
// parent id so that the parent column still holds.
struct AnchoredPart {
  const CourseSection* row = nullptr;
  std::string id;
  std::size_t stored_position = 0;  // among the stored parts
  std::vector<const CourseSection*> completed;  // in stored order
  bool placed = false;
};

// A part of the revised outline being assembled.
struct WorkPart {
  std::string title;
  std::optional<std::size_t> anchor;           // index into the anchored parts
  std::map<std::size_t, int> completed_listed;  // anchored part -> its completed sections it listed
  std::vector<SectionDraft> open;               // the answer's sections that are not completed
};

}  // namespace

Result<RevisedRows> build_revised_rows(const Course& course, const std::vector<CourseSection>& stored,
                                       const Outline& revised, const std::vector<BookMatch>& books,
                                       const RevisionRowsRequest& request) {
  RevisedRows out;
  const SourceMatcher matcher(books);
  std::vector<const CourseSection*> sorted;
  for (const auto& row : stored) sorted.push_back(&row);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto* a, const auto* b) { return a->order_index < b->order_index; });

  // The stored parts, those holding completed sections, and the stored sections by title.
  std::map<std::string, std::size_t> part_position;
  for (const auto* row : sorted) {
    if (!row->parent_section_id) part_position.emplace(row->section_id, part_position.size());
  }
  std::vector<AnchoredPart> anchored;
  std::map<std::string, std::size_t> anchor_of;  // part id -> index into anchored
  std::map<std::string, const CourseSection*> completed_by_title;
  std::map<std::string, const CourseSection*> open_by_title;
  for (const auto* row : sorted) {
    if (!row->parent_section_id) continue;
    const std::string key = title_key(row->title);
    if (row->status != SectionStatus::completed) {
      open_by_title.emplace(key, row);
      continue;
    }
    completed_by_title.emplace(key, row);
    const std::string& parent = *row->parent_section_id;
    auto it = anchor_of.find(parent);
    if (it == anchor_of.end()) {
      AnchoredPart part;
      part.id = parent;
      const auto position = part_position.find(parent);
      part.stored_position = position == part_position.end() ? part_position.size() : position->second;
      for (const auto* candidate : sorted) {
        if (!candidate->parent_section_id && candidate->section_id == parent) part.row = candidate;
      }
      it = anchor_of.emplace(parent, anchored.size()).first;
      anchored.push_back(std::move(part));
    }
    anchored[it->second].completed.push_back(row);
  }

  // The answer without its completed sections (they come from storage).
  std::vector<WorkPart> parts;
  for (const auto& part : revised.parts) {
    WorkPart work{strip_completed_marker(part.title), std::nullopt, {}, {}};
    for (const auto& section : part.sections) {
      const std::string key = title_key(section.title);
      if (const auto done = completed_by_title.find(key); done != completed_by_title.end()) {
        const CourseSection& row = *done->second;
        ++work.completed_listed[anchor_of.at(*row.parent_section_id)];
        if (section.minutes != row.estimated_minutes || section.objectives != row.learning_objectives) {
          out.notes.push_back("Ignored a change to completed section '" + row.title +
                              "': completed sections are kept as stored");
        }
        continue;
      }
      SectionDraft draft = section;
      draft.title = strip_completed_marker(section.title);
      work.open.push_back(std::move(draft));
    }
    parts.push_back(std::move(work));
  }

  // Each anchored part is the answer's part with its title, else the one that listed most of its
  // completed sections, else re-inserted where it was.
  for (auto& work : parts) {
    for (std::size_t a = 0; a < anchored.size(); ++a) {
      if (anchored[a].placed || !anchored[a].row) continue;
      if (ascii_lower(trim(anchored[a].row->title)) == ascii_lower(trim(work.title))) {
        work.anchor = a;
        anchored[a].placed = true;
        break;
      }
    }
  }
  for (auto& work : parts) {
    if (work.anchor) continue;
    std::optional<std::size_t> best;
    int best_count = 0;
    for (const auto& [a, count] : work.completed_listed) {
      if (!anchored[a].placed && count > best_count) {
        best = a;
        best_count = count;
      }
    }
    if (best) {
      work.anchor = best;
      anchored[*best].placed = true;
    }
  }
  std::erase_if(parts, [](const WorkPart& work) { return !work.anchor && work.open.empty(); });
  for (std::size_t a = 0; a < anchored.size(); ++a) {
    if (anchored[a].placed) continue;
    const auto at = std::min(anchored[a].stored_position, parts.size());
    parts.insert(parts.begin() + static_cast<std::ptrdiff_t>(at), WorkPart{"", a, {}, {}});
    anchored[a].placed = true;
  }

  // The time rule, for the hours after the revision.
  const int target = target_minutes(request.hours);
  int completed = 0;
  std::vector<SectionDraft*> open;
  for (const auto& part : anchored) {
    for (const auto* row : part.completed) completed += row->estimated_minutes;
  }
  for (auto& work : parts) {
    for (auto& draft : work.open) {
      if (draft.minutes <= 0) {
        out.notes.push_back("Section '" + draft.title + "' had no minutes; set to 15");
        draft.minutes = 15;
      }
      open.push_back(&draft);
    }
  }
  int open_minutes = 0;
  for (const auto* draft : open) open_minutes += draft->minutes;
  if (completed + static_cast<int>(open.size()) == 0) {
    return Error{"revision_impossible", "the revised outline has no sections"};
  }
  if (!within_tolerance(completed + open_minutes, target)) {
    const int budget = target - completed;
    std::vector<int> minutes;
    for (const auto* draft : open) minutes.push_back(draft->minutes);
    if (open.empty() || budget <= 0) {
      return Error{"revision_impossible", "the completed sections take " + std::to_string(completed) +
                                              " minutes and the others " + std::to_string(open_minutes) +
                                              ": the course cannot be made " + std::to_string(target) +
                                              " minutes within 5 %"};
    }
    auto rescaled = rescale_minutes(minutes, budget);
    if (!rescaled) {
      return Error{"revision_impossible", "the completed sections leave " + std::to_string(budget) +
                                              " minutes, too few for " + std::to_string(open.size()) +
                                              " other sections"};
    }
    for (std::size_t i = 0; i < open.size(); ++i) open[i]->minutes = rescaled.value()[i];
    out.notes.push_back("Sections not yet taken rescaled from " + std::to_string(open_minutes) + " to " +
                        std::to_string(budget) + " minutes to fit the target of " + std::to_string(target));
  }

  // The rows.
  const std::string now = format_iso8601(request.now_ms);
  const std::string revision_key = "revision:" + std::to_string(request.revision);
  Course& revised_course = out.rows.course;
  revised_course = course;
  revised_course.estimated_hours = request.hours;
  revised_course.last_modified = now;
  int order = 1;
  bool all_completed = true;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const WorkPart& work = parts[p];
    const std::string part_key = revision_key + "/part:" + std::to_string(p + 1);
    CourseSection part_row;
    const AnchoredPart* anchor = work.anchor ? &anchored[*work.anchor] : nullptr;
    if (anchor && anchor->row) {
      part_row = *anchor->row;
    } else {
      part_row.section_id = anchor ? anchor->id : derived_uuid(course.course_id, part_key);
      part_row.course_id = course.course_id;
      part_row.title = work.title;
      part_row.created_at = now;
    }
    part_row.order_index = order++;
    const std::size_t part_index = out.rows.sections.size();
    out.rows.sections.push_back(part_row);
    int part_minutes = 0;
    std::size_t s = 0;
    if (anchor) {
      for (const auto* row : anchor->completed) {
        CourseSection kept = *row;
        kept.order_index = order++;
        part_minutes += kept.estimated_minutes;
        out.rows.sections.push_back(std::move(kept));
        ++s;
      }
    }
    for (const auto& draft : work.open) {
      ++s;
      CourseSection row;
      row.section_id = derived_uuid(course.course_id, part_key + "/section:" + std::to_string(s));
      row.course_id = course.course_id;
      row.parent_section_id = part_row.section_id;
      row.order_index = order++;
      row.title = draft.title;
      row.learning_objectives = draft.objectives;
      row.estimated_minutes = draft.minutes;
      row.created_at = now;
      const auto carried = open_by_title.find(title_key(draft.title));
      std::vector<SectionSource> read = resolve_reads(draft.reads, books);
      if (!read.empty()) {
        row.sources = std::move(read);
      } else if (carried != open_by_title.end()) {
        row.sources = carried->second->sources;
      } else {
        row.sources = matcher.by_words(draft);
      }
      if (carried != open_by_title.end()) {
        row.chunk_ids = carried->second->chunk_ids;
        row.content_summary = carried->second->content_summary;
        if (carried->second->status == SectionStatus::in_progress) row.status = SectionStatus::in_progress;
      }
      all_completed = false;
      part_minutes += row.estimated_minutes;
      out.rows.sections.push_back(std::move(row));
    }
    out.rows.sections[part_index].estimated_minutes = part_minutes;
  }
  if (!all_completed && revised_course.status == CourseStatus::completed) {
    revised_course.status = CourseStatus::active;
  }
  return out;
}

}  // namespace docprof::domain
