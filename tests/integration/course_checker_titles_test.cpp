// The course quality checker's title rules on hand-written outlines: request fragments ("I Have
// One Hour"), raw chapter headings with asides, markup debris, length and duplicate titles.
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

TEST(CourseCheckerTitlesTest, RequestFragmentsAsTitlesAreCaught) {
  OutlineBuilder b("I Have One Hour", "I have one hour and I know some C: teach me Rust");
  b.part("I Know Some C")
      .section("Ownership and Borrowing", 60,
               {"Explain how ownership frees memory without a garbage collector",
                "Apply borrowing rules to a function that reads from stdin"},
               {source("id-rust", 4, "Understanding Ownership")});
  const CheckReport report = check(b.build(), label({"rust-book"}));
  EXPECT_TRUE(has_finding(report, "title.first_person", "course title 'I Have One Hour'"))
      << describe(report.findings);
  EXPECT_TRUE(has_finding(report, "title.first_person", "part title 'I Know Some C'"))
      << describe(report.findings);
  EXPECT_TRUE(has_finding(report, "title.request_fragment", "'I Have One Hour'"))
      << describe(report.findings);
}

TEST(CourseCheckerTitlesTest, ACourseTitleCopiedFromTheRequestIsCaught) {
  const std::string title =
      "To Write Robust Bash Shell Scripts Variables, Quoting, Tests, Loops, Functions";
  CourseOutline outline = good_git_course().build();
  outline.title = title;
  outline.query =
      "I want to write robust bash shell scripts: variables, quoting, tests, loops, functions";
  const CheckReport report = check(outline, git_label());
  EXPECT_TRUE(has_finding(report, "title.request_fragment", title)) << describe(report.findings);

  outline.title = "Robust Shell Scripting";  // shares words, not a chunk
  EXPECT_TRUE(of_rule(check(outline, git_label()), "title.request_fragment").empty());

  // The request's own noun phrases name the course well; its clauses and questions do not.
  outline.query = "Basic physics: atoms, energy conservation and gravitation";
  outline.title = "Basic Physics: Atoms, Energy Conservation and Gravitation";
  EXPECT_TRUE(of_rule(check(outline, git_label()), "title.request_fragment").empty());
  outline.query = "Write shell scripts that run as Git hooks to check commits before they are pushed";
  outline.title = "Write Shell Scripts That Run as Git Hooks";
  EXPECT_TRUE(has_finding(check(outline, git_label()), "title.request_fragment", "opens with 'write'"));
  outline.title = "Shell Scripts That Run as Git Hooks";
  EXPECT_TRUE(has_finding(check(outline, git_label()), "title.request_fragment", "clause word 'that'"));
  outline.title = "Writing Shell Scripts: Git Hooks and Commits";
  EXPECT_TRUE(of_rule(check(outline, git_label()), "title.request_fragment").empty());
}

TEST(CourseCheckerTitlesTest, ACourseTitleCutShortIsCaught) {
  CourseOutline outline = good_git_course().build();
  outline.title = "Shell Scripts to Check Commits Before They Are";
  EXPECT_TRUE(has_finding(check(outline, git_label()), "title.dangling", "ends in 'are'"));
  outline.title = "Shell Scripts for Git Hooks";
  EXPECT_TRUE(of_rule(check(outline, git_label()), "title.dangling").empty());
}

TEST(CourseCheckerTitlesTest, ACourseTitleHasAtMostEightyCharacters) {
  CourseOutline outline = good_git_course().build();
  outline.title = std::string(81, 'x');
  EXPECT_TRUE(has_finding(check(outline, git_label()), "title.length", "longer than 80"));
  outline.title = std::string(80, 'x');
  EXPECT_TRUE(of_rule(check(outline, git_label()), "title.length").empty());
}

TEST(CourseCheckerTitlesTest, MarkupDebrisAndAsidesInTitlesAreCaught) {
  CourseOutline outline = good_git_course().build();
  outline.parts[0].title = "Typesetting Text (Emphasized Words)";
  outline.parts[0].sections[0].title = "Using `git add`";
  outline.parts[0].sections[1].title = "\xE2\x80\x9CStaging\xE2\x80\x9D Changes";
  outline.parts[1].sections[0].title = "Branches and 'Merging':";
  const CheckReport report = check(outline, git_label());
  EXPECT_TRUE(has_finding(report, "title.debris",
                          "part title 'Typesetting Text (Emphasized Words)' has a parenthesised aside"))
      << describe(report.findings);
  EXPECT_TRUE(has_finding(report, "title.debris", "has a backtick"));
  EXPECT_TRUE(has_finding(report, "title.debris", "has a quotation mark"));
  EXPECT_TRUE(has_finding(report, "title.debris", "has a single quotation mark"));
  EXPECT_TRUE(has_finding(report, "title.debris", "trailing punctuation ':'"));
}

TEST(CourseCheckerTitlesTest, RawChapterNumbersInTitlesAreCaught) {
  CourseOutline outline = good_git_course().build();
  outline.parts[0].title = "Chapter 3: A First Impression Of C++";
  outline.parts[0].sections[0].title = "10.3. Validating References with Lifetimes";
  outline.parts[0].sections[1].title = "2.2: The Index";
  outline.parts[1].title = "4 \xE2\x80\x93 The Application Program Interface";
  outline.parts[1].sections[0].title = "13. Concurrency Control";
  const CheckReport report = check(outline, git_label());
  EXPECT_EQ(of_rule(report, "title.debris").size(), 5u) << describe(report.findings);
  EXPECT_TRUE(has_finding(report, "title.debris", "'2.2: The Index' has the book's chapter number"));

  outline = good_git_course().build();
  outline.parts[0].title = "3D Graphics with Git";
  outline.parts[1].title = "1984 and After";
  EXPECT_TRUE(of_rule(check(outline, git_label()), "title.debris").empty());
}

TEST(CourseCheckerTitlesTest, APossessiveApostropheIsNoQuote) {
  CourseOutline outline = good_git_course().build();
  outline.parts[0].title = "C++'s History";
  outline.parts[0].sections[0].title = "Git's Object Model";
  outline.parts[0].sections[1].title = "Git\xE2\x80\x99s Staging Area";
  const CheckReport report = check(outline, git_label());
  EXPECT_TRUE(of_rule(report, "title.debris").empty()) << describe(report.findings);
}

TEST(CourseCheckerTitlesTest, TwoSectionsWithOneTitleAreCaught) {
  CourseOutline outline = good_git_course().build();
  outline.parts[1].sections[0].title = "recording changes";
  EXPECT_TRUE(has_finding(check(outline, git_label()), "title.duplicate", "'recording changes'"));
}

}  // namespace
}  // namespace docprof::quality
