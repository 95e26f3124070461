// Learning objectives in the offline planner's courses (course_plan.h), built from a section's
// topics and key concepts with verbs that fit the depth, and the depth read back from the
// `preferences` prompt variable.
//
// Thread safety: stateless pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/models.h"

namespace docprof::domain {

// The verbs objectives may start with at each depth: overview describe/explain, balanced
// explain/apply, technical apply/compute/analyze, expert evaluate/design.
const std::vector<std::string_view>& objective_verbs(Depth depth);

// `count` objectives (2–6 are asked for; fewer when the material offers fewer phrases, never fewer
// than 2) from topics (noun phrases) and key concepts (one-line statements), alternating between
// them, each starting with a verb of objective_verbs(depth). `rotation` varies which verb comes
// first so neighbouring sections do not read alike.
std::vector<std::string> build_objectives(const std::vector<std::string>& topics,
                                          const std::vector<std::string>& key_concepts, Depth depth,
                                          int count, int rotation);

// The depth named by a `preferences` variable (prompts.h preferences_text: "- Depth: technical
// (…)"); nullopt when the text names none.
std::optional<Depth> depth_from_preferences_text(std::string_view preferences);

}  // namespace docprof::domain
