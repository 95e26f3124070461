// Learner progress over a stored outline: which section comes next, and whether a course is done.
// A leaf section is a row with a parent (a part row has none); only leaves are studied and marked
// complete, so only leaves count here — as the outline's total_sections / completed_sections do.
//
// Thread safety: pure functions.
#pragma once

#include <vector>

#include "domain/models.h"

namespace docprof::domain {

// The first leaf section, by order_index, that is not completed; nullptr when every one is (or
// the outline has none). Points into `sections`.
const CourseSection* next_section(const std::vector<CourseSection>& sections);

// True when the outline has leaf sections and every one is completed.
bool all_sections_completed(const std::vector<CourseSection>& sections);

}  // namespace docprof::domain
