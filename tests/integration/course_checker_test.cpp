// The course quality checker (tests/quality) on hand-written outlines: good courses pass every
// rule. The rules' own tests are course_checker_{objectives,titles,structure}_test.cpp. Uses the
// system word list (/usr/share/dict/words) and the embedder's stemmer, hence an integration test.
#include <gtest/gtest.h>

#include "integration/course_checker_support.h"

namespace docprof::quality {
namespace {

using testing::check;
using testing::git_label;
using testing::good_git_course;
using testing::has_finding;
using testing::label;
using testing::of_rule;
using testing::OutlineBuilder;
using testing::source;
using testing::with_objectives;

TEST(CourseCheckerTest, AGoodGitCoursePassesEveryRule) {
  const CheckReport report = check(good_git_course().build(), git_label());
  EXPECT_TRUE(report.findings.empty()) << describe(report.findings);
  EXPECT_DOUBLE_EQ(report.on_topic_share, 1.0);
  EXPECT_EQ(report.objectives, 7);
}

TEST(CourseCheckerTest, AGoodValuationSectionPasses) {
  const CourseOutline outline =
      OutlineBuilder("Valuing a Company with Discounted Cash Flow", "how to value a company")
          .part("Cash Flow and the Cost of Capital")
          .section("Free Cash Flow", 45,
                   {"Compute free cash flow from an income statement and a balance sheet",
                    "Interpret the WACC as the return investors require",
                    "Distinguish operating assets from excess cash"},
                   {source("id-val", 8, "Reorganizing the Financial Statements")})
          .build();
  const CheckReport report = check(outline, label({"valuation"}));
  EXPECT_TRUE(report.findings.empty()) << describe(report.findings);
}

TEST(CourseCheckerTest, ALabelNamingABookTheLibraryLacksIsReported) {
  const CheckReport report = check(good_git_course().build(), label({"pro-git", "no-such-book"}));
  EXPECT_TRUE(has_finding(report, "label.unknown_book", "'no-such-book'"))
      << describe(report.findings);
}

}  // namespace
}  // namespace docprof::quality
