#include "quality/course_checker.h"

#include "quality/checker_rules.h"

namespace docprof::quality {

CheckReport check_course(const CourseOutline& outline, const RelevanceLabel& label,
                         const Lexicon& lexicon) {
  std::vector<std::string> picked = label.books;
  picked.insert(picked.end(), label.also_ok.begin(), label.also_ok.end());
  std::vector<std::string> unknown;
  const CheckScope scope{outline, label, lexicon, lexicon.book_ids(picked, &unknown)};

  CheckReport report;
  for (const auto& stem : unknown) {
    report.findings.push_back({"label.unknown_book", "the label " + in_quotes(label.id) +
                                                         " names a book the library does not have: " +
                                                         in_quotes(stem)});
  }
  check_objectives(scope, report.findings);
  check_titles(scope, report.findings);
  check_off_topic(scope, report.findings);
  check_order(scope, report.findings);
  check_topics(scope, report.findings);
  report.on_topic_share = on_topic_share(scope);
  for (const auto& part : outline.parts) {
    for (const auto& section : part.sections)
      report.objectives += static_cast<int>(section.objectives.size());
  }
  return report;
}

std::string describe(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings) out += f.rule + ": " + f.message + "\n";
  return out;
}

}  // namespace docprof::quality
