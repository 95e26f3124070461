// The rule groups of the course quality checker (course_checker.h), one source file each, and the
// scope they share: the outline, its label, the lexicon and the label's books as docprof ids.
//
// Thread safety: pure functions over their arguments.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "quality/course_checker.h"

namespace docprof::quality {

struct CheckScope {
  const CourseOutline& outline;
  const RelevanceLabel& label;
  const Lexicon& lexicon;
  std::set<std::string> picked_book_ids;  // label.books ∪ label.also_ok, as docprof ids
};

using Findings = std::vector<Finding>;

// Objectives: count, measurable verb, object, template frames, noise words, duplicates, variety,
// depth (objective_rules.cpp).
void check_objectives(const CheckScope& scope, Findings& out);

// Course, part and section titles (title_rules.cpp).
void check_titles(const CheckScope& scope, Findings& out);

// The share of minutes read from the label's books (offtopic_rule.cpp).
double on_topic_share(const CheckScope& scope);
void check_off_topic(const CheckScope& scope, Findings& out);

// Learning order: chapters of a book, the label's topic order, a requested project last
// (order_rules.cpp).
void check_order(const CheckScope& scope, Findings& out);

// Named topics, uncoverable topics, prior knowledge (topic_rules.cpp).
void check_topics(const CheckScope& scope, Findings& out);

// Quotes a text for a message: 'text'.
inline std::string in_quotes(const std::string& text) { return "'" + text + "'"; }

}  // namespace docprof::quality
