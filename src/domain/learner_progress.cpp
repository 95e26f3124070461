#include "domain/learner_progress.h"

namespace docprof::domain {

const CourseSection* next_section(const std::vector<CourseSection>& sections) {
  const CourseSection* next = nullptr;
  for (const auto& section : sections) {
    if (!section.parent_section_id || section.status == SectionStatus::completed) continue;
    // The stored order is by order_index already; comparing keeps the rule independent of it.
    if (next == nullptr || section.order_index < next->order_index) next = &section;
  }
  return next;
}

bool all_sections_completed(const std::vector<CourseSection>& sections) {
  bool any_leaf = false;
  for (const auto& section : sections) {
    if (!section.parent_section_id) continue;
    any_leaf = true;
    if (section.status != SectionStatus::completed) return false;
  }
  return any_leaf;
}

}  // namespace docprof::domain
