// Builds what is stored for a finished run: the course title (domain.md §6) and the Course plus
// its part and section rows (domain.md §1), with ids derived from the course id and position.
// Thread safety: stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "domain/book_views.h"
#include "domain/models.h"

namespace docprof::domain {

// The course title rule: "Course title:" from the parts answer; else the first part's title (plus
// " Course" when shorter than 50 characters and without ':'); else the query's first sentence (at
// most 60 characters) plus " Course"; else "Custom Course".
std::string course_title(const std::optional<std::string>& stated_title, const std::vector<PartPlan>& parts,
                         std::string_view query);
// The title listings show while a course is being generated: the query's first 100 characters.
std::string provisional_title(std::string_view query);

struct CourseRows {
  Course course;
  std::vector<CourseSection> sections;  // by order_index: part row, its sections, next part row, …
};

// Part rows have no parent, no objectives and minutes = the sum of their sections; order_index is
// one 1-based counter in document order. Ids: derived_uuid(course_id, "part:<p>") and
// derived_uuid(course_id, "part:<p>/section:<s>") (1-based p and s). Each section row's sources
// are section_sources(draft, state.books) (section_sources.h); part rows have none. The course's
// notes are the run's (RunState::notes, from the parts answer).
// `views` gives the books' words the sections' sources are matched by (book_views.h).
CourseRows build_course_rows(const RunState& state, const Outline& outline, std::int64_t now_ms,
                             const BookViews& views = direct_book_views());

}  // namespace docprof::domain
