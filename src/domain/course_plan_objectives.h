// Learning objectives in the offline planner's courses (course_plan.h), built from a section's
// topics and key concepts with verbs that fit the depth, and the depth read back from the
// `preferences` prompt variable.
//
// Thread safety: stateless pure functions.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/models.h"

namespace docprof::domain {

// The verbs objectives may start with at each depth (the quality checker's depth lists,
// tests/quality/objective_verbs.cpp, narrowed to what a teacher asks at that depth):
// overview Identify/Describe/Explain/Summarize/Outline; balanced Explain/Use/Apply/Compare/
// Interpret/Distinguish/Compute/Describe; technical Configure/Implement/Diagnose/Analyze/Write/
// Debug/Use/Build/Apply/Compute; expert Design/Evaluate/Optimize/Critique/Justify.
const std::vector<std::string_view>& objective_verbs(Depth depth);

// What one section's objectives are written from.
struct ObjectiveInput {
  std::string section_title;  // as in the library (cleaned here)
  std::string chapter_title;
  std::string book_title = {};  // its words alone are no object: the whole book is about them
  std::vector<std::string> topics;        // noun phrases, noisy
  std::vector<std::string> key_concepts;  // statements, noisy; only clean noun phrases are used
  // Titles of the section's subsections, in order: a task ("Fixing a mistake with a new commit",
  // "How to undo a merge") becomes an objective of its own ("Fix a mistake with a new commit");
  // a noun phrase ("Metatables and Metamethods") is material like a topic, ahead of the topics.
  std::vector<std::string> subsections = {};
  Depth depth = Depth::balanced;
  int count = 4;     // wanted objectives, clamped to 2–6
  int rotation = 0;  // varies the verbs between sections; any int
  // Objectives already in the course, lower-cased: none of them is written again. The caller
  // inserts the returned ones (lower-cased) before the next section. May be null.
  const std::set<std::string>* used = nullptr;
};

// `count` objectives for a section (clamped to 2–6), each one sentence starting with a verb of
// objective_verbs(depth) and naming a specific object: a clean topic or key-concept noun phrase
// (markup, noise, generic words, fragments with verbs are skipped), sometimes two of them
// compared; objects are padded from the section and chapter titles when the material is thin.
// Never fewer than 2 unless the titles and material are all empty; none repeats one of `used`.
std::vector<std::string> write_objectives(const ObjectiveInput& in);

// write_objectives without titles or course-wide duplicates: kept for callers that have only the
// material. Empty when topics and key concepts offer nothing.
std::vector<std::string> build_objectives(const std::vector<std::string>& topics,
                                          const std::vector<std::string>& key_concepts, Depth depth,
                                          int count, int rotation);

// The depth named by a `preferences` variable (prompts.h preferences_text: "- Depth: technical
// (…)"); nullopt when the text names none.
std::optional<Depth> depth_from_preferences_text(std::string_view preferences);

}  // namespace docprof::domain
