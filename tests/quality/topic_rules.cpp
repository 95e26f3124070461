// Topic rules of the course quality checker (see course_checker.h): named topics covered or
// reported, uncoverable topics reported and not papered over, prior knowledge reported.
#include <algorithm>

#include "quality/checker_rules.h"
#include "quality/topic_match.h"
#include "quality/words.h"

namespace docprof::quality {

namespace {

const OutlineSection* first_section(const CourseOutline& outline,
                                    bool (*test)(const OutlineSection&, const std::string&),
                                    const std::string& topic) {
  for (const auto& part : outline.parts) {
    for (const auto& section : part.sections) {
      if (test(section, topic)) return &section;
    }
  }
  return nullptr;
}

bool claims(const OutlineSection& section, const std::string& topic) {
  return contains_all(claimed_stems(section), content_stems(topic));
}

bool titled_after(const OutlineSection& section, const std::string& topic) {
  return contains_all(content_stems(section.title), content_stems(topic));
}

bool listed(const std::vector<std::string>& list, const std::string& topic) {
  return std::find(list.begin(), list.end(), topic) != list.end();
}

}  // namespace

void check_topics(const CheckScope& scope, Findings& out) {
  const CourseOutline& outline = scope.outline;
  for (const auto& topic : scope.label.topics) {
    if (listed(scope.label.uncoverable_topics, topic)) continue;  // checked below
    const bool covered = std::any_of(outline.parts.begin(), outline.parts.end(), [&](const OutlinePart& part) {
      return std::any_of(part.sections.begin(), part.sections.end(),
                         [&](const OutlineSection& section) { return covers_in_part(part, section, topic); });
    });
    if (covered) continue;
    if (note_reports(outline, "uncovered_topic", topic)) continue;
    out.push_back({"topic.missing", "the requested topic " + in_quotes(topic) +
                                        " is neither covered by a section nor reported by an "
                                        "uncovered_topic note"});
  }
  for (const auto& topic : scope.label.uncoverable_topics) {
    if (!note_reports(outline, "uncovered_topic", topic))
      out.push_back({"topic.uncoverable_unreported",
                     "the library has nothing on " + in_quotes(topic) +
                         ", but no uncovered_topic note says so"});
    if (const OutlineSection* s = first_section(outline, claims, topic))
      out.push_back({"topic.papered_over", "section " + in_quotes(s->title) + " claims to teach " +
                                               in_quotes(topic) + ", which the library has nothing on"});
  }
  for (const auto& topic : scope.label.prior_knowledge) {
    if (note_reports(outline, "prior_knowledge", topic)) continue;
    std::string message = "the learner already knows " + in_quotes(topic) +
                          ", but no prior_knowledge note says the course builds on it";
    if (const OutlineSection* s = first_section(outline, titled_after, topic))
      message += "; section " + in_quotes(s->title) + " teaches it again";
    out.push_back({"topic.prior_knowledge", message});
  }
}

}  // namespace docprof::quality
