// Course quality, end to end: for each library (examples/library, tests/fixtures/library-debian)
// import it once into a fresh database, then for every request of its relevance labels
// (tests/fixtures/relevance/<library>.json) run `docprof course create … --json` with the offline
// planner and judge the outline with the course quality checker (tests/quality). Prints one line
// per request (on-topic share, findings) and fails with every finding not listed as known in
// tests/fixtures/relevance/known_findings.json, and with every listed one that no longer occurs.
// A missing library or label file fails the test (it is not skipped).
//
// Labelled `e2e;quality` in CMake: `ctest -L quality` runs it alone.
#include <gtest/gtest.h>

#include <cmath>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>
#include <utility>

#include "e2e_support.h"
#include "quality/course_checker.h"
#include "quality_library.h"

namespace docprof::e2e {
namespace {

const fs::path kSource = DOCPROF_SOURCE_DIR;
const fs::path kRelevance = kFixtures / "relevance";

std::string hours_text(double hours) {
  std::ostringstream s;
  s << hours;
  return s.str();
}

std::string summary_line(const quality::RelevanceLabel& label, const quality::CheckReport& report,
                         int minutes) {
  std::ostringstream s;
  s << "[quality] " << std::left << std::setw(28) << label.id << " " << std::setw(7) << label.split
    << " on-topic " << std::right << std::setw(3) << std::lround(report.on_topic_share * 100)
    << " %, " << std::setw(3) << report.findings.size() << " findings, " << report.objectives
    << " objectives, " << minutes << " min";
  return s.str();
}

// The findings known and not fixed yet (tests/fixtures/relevance/known_findings.json): request id
// and rule.
using KnownFindings = std::set<std::pair<std::string, std::string>>;

KnownFindings known_findings() {
  KnownFindings known;
  const json file = json::parse(read_text(kRelevance / "known_findings.json"));
  for (const auto& entry : file.at("findings")) {
    known.emplace(entry.at("id").get<std::string>(), entry.at("rule").get<std::string>());
  }
  return known;
}

// Runs every labelled request of one library; one failure per request with findings that are not
// known, and one per known finding that no longer occurs.
void check_library(const std::string& name, const fs::path& folder) {
  KnownFindings known;
  try {
    known = known_findings();
  } catch (const std::exception& e) {
    FAIL() << "tests/fixtures/relevance/known_findings.json cannot be read: " << e.what();
  }
  const fs::path labels_file = kRelevance / (name + ".json");
  ASSERT_TRUE(fs::is_directory(folder))
      << "the library folder " << folder << " does not exist: the " << name
      << " library's courses cannot be checked";
  ASSERT_TRUE(fs::is_regular_file(labels_file))
      << "the relevance labels " << labels_file << " do not exist: nothing says what the " << name
      << " library's courses should be";
  std::vector<quality::RelevanceLabel> labels;
  try {
    labels = quality::labels_from_json(json::parse(read_text(labels_file)));
  } catch (const std::exception& e) {
    FAIL() << labels_file << " is not a valid label file: " << e.what();
  }
  ASSERT_FALSE(labels.empty()) << labels_file << " holds no request";

  DocprofCli cli;
  const QualityLibrary library(cli, folder);
  ASSERT_TRUE(library.error().empty()) << library.error();
  ASSERT_GT(library.books(), 0u) << "no book in " << folder;

  int with_findings = 0;
  for (const auto& label : labels) {
    SCOPED_TRACE("request " + label.id + ": " + label.query);
    EXPECT_TRUE(label.library.empty() || label.library == name)
        << "the label " << label.id << " is for the library '" << label.library << "', not '"
        << name << "'";
    const ProcessResult r = cli.run({"course", "create", label.query, "--hours",
                                     hours_text(label.hours), "--depth", label.depth, "--json"});
    if (r.exit_code != 0) {
      ADD_FAILURE() << "course create failed for " << label.id << ": " << describe(r);
      ++with_findings;
      continue;
    }
    quality::CourseOutline outline;
    try {
      outline = quality::outline_from_json(json::parse(r.out));
    } catch (const std::exception& e) {
      ADD_FAILURE() << "the outline of " << label.id << " cannot be read: " << e.what() << "\n"
                    << r.out.substr(0, 2000);
      ++with_findings;
      continue;
    }
    const quality::CheckReport report = quality::check_course(outline, label, library.lexicon());
    std::cout << summary_line(label, report, outline.total_minutes()) << std::endl;
    std::vector<quality::Finding> unknown;
    std::set<std::string> rules;
    for (const auto& finding : report.findings) {
      rules.insert(finding.rule);
      if (!known.contains({label.id, finding.rule})) unknown.push_back(finding);
    }
    for (const auto& [id, rule] : known) {
      EXPECT_FALSE(id == label.id && !rules.contains(rule))
          << "the known finding " << rule << " of " << id
          << " no longer occurs: remove it from tests/fixtures/relevance/known_findings.json";
    }
    if (report.findings.empty()) continue;
    ++with_findings;
    if (unknown.empty()) continue;
    ADD_FAILURE() << label.id << " (" << label.split << ", " << label.hours << " h, "
                  << label.depth << "): \"" << label.query << "\" -> course \"" << outline.title
                  << "\": " << unknown.size() << " new findings\n"
                  << quality::describe(unknown);
  }
  std::cout << "[quality] " << name << ": " << (labels.size() - static_cast<std::size_t>(with_findings))
            << " of " << labels.size() << " courses without findings" << std::endl;
}

TEST(CourseQualityTest, ExamplesLibraryCoursesPassTheChecker) {
  check_library("examples", kSource / "examples" / "library");
}

TEST(CourseQualityTest, DebianLibraryCoursesPassTheChecker) {
  check_library("debian", kFixtures / "library-debian");
}

}  // namespace
}  // namespace docprof::e2e
