// The course quality checker's objective rules on hand-written outlines: the keyword stubs real
// courses had ("Apply teh in a worked example", "Explain why updating"), noise words, missing
// measurable verbs, counts, duplicates, verb variety and depth — and the good objectives that pass.
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

TEST(CourseCheckerObjectivesTest, KeywordStubObjectivesAreCaught) {
  const CheckReport report = check(
      with_objectives({"Apply the idea that git repository to an example", "Explain why updating",
                       "Apply teh in a worked example", "Apply excess cash in a worked example"},
                      "id-val"),
      label({"valuation", "pro-git"}));
  EXPECT_TRUE(has_finding(report, "objective.template", "Apply the idea that git repository"))
      << describe(report.findings);
  EXPECT_TRUE(has_finding(report, "objective.template", "Explain why updating"))
      << describe(report.findings);
  EXPECT_TRUE(has_finding(report, "objective.template", "Apply teh in a worked example"))
      << describe(report.findings);
  EXPECT_TRUE(has_finding(report, "objective.template", "Apply excess cash in a worked example"))
      << describe(report.findings);
  EXPECT_TRUE(has_finding(report, "objective.noise", "'teh'")) << describe(report.findings);
}

TEST(CourseCheckerObjectivesTest, AWorkedExampleOnAFullPhraseAndExplainWhyWithAClauseAreFine) {
  const CheckReport report =
      check(with_objectives({"Apply the WACC formula to a company's capital structure in a worked "
                             "example",
                             "Explain why excess cash is valued separately from operations",
                             "Explain why mass and energy curve space"},
                            "id-val"),
            label({"valuation"}));
  EXPECT_TRUE(of_rule(report, "objective.template").empty()) << describe(report.findings);
}

TEST(CourseCheckerObjectivesTest, ExplainWhyWithATopicOfTheBooksIsAStub) {
  const CheckReport report = check(
      with_objectives({"Explain why recording changes to the repository", "Explain why excess cash",
                       "Analyze why rebasing"}),
      label({"pro-git", "valuation"}));
  EXPECT_TRUE(has_finding(report, "objective.template", "'Explain why recording changes"))
      << describe(report.findings);
  EXPECT_TRUE(has_finding(report, "objective.template", "'Explain why excess cash'"))
      << describe(report.findings);
  EXPECT_TRUE(has_finding(report, "objective.template", "'Analyze why rebasing'"))
      << describe(report.findings);
}

TEST(CourseCheckerObjectivesTest, NoiseWordsFailButTechnicalTermsOfTheBooksPass) {
  const CheckReport rust = check(
      with_objectives({"Use rustc to compile a program that reads from stdin",
                       "Explain how git records a commit"},
                      "id-rust"),
      label({"rust-book", "pro-git"}));
  EXPECT_TRUE(of_rule(rust, "objective.noise").empty()) << describe(rust.findings);

  // The same words with no book that knows them: "rustc" and "stdin" are no English words.
  const CheckReport unknown = check(
      with_objectives({"Use rustc to compile a program that reads from stdin",
                       "Describe a garbled wrod in a sentence"},
                      "id-octave"),
      label({"octave"}));
  EXPECT_TRUE(has_finding(unknown, "objective.noise", "'rustc'")) << describe(unknown.findings);
  EXPECT_TRUE(has_finding(unknown, "objective.noise", "'stdin'")) << describe(unknown.findings);
  EXPECT_TRUE(has_finding(unknown, "objective.noise", "'wrod'")) << describe(unknown.findings);

  // General computing words the word list lacks pass with any book.
  const CheckReport general = check(
      with_objectives({"Describe how the runtime reads a json file from the filesystem",
                       "Explain how executables find their configs"},
                      "id-octave"),
      label({"octave"}));
  EXPECT_TRUE(of_rule(general, "objective.noise").empty()) << describe(general.findings);
}

TEST(CourseCheckerObjectivesTest, ContractionsAreWords) {
  const CheckReport report = check(
      with_objectives({"Explain why a detached head doesn't move when you commit",
                       "Describe what you've lost after a hard reset"}),
      git_label());
  EXPECT_TRUE(of_rule(report, "objective.noise").empty()) << describe(report.findings);
}

TEST(CourseCheckerObjectivesTest, ASectionWithoutSourcesMayUseWordsOfAnyBook) {
  // "rustc" is no word of the label's Git book; with no sources the section may read any book.
  CourseOutline outline = with_objectives(
      {"Use rustc to compile a program that reads from stdin", "Explain how git records a commit"});
  outline.parts[0].sections[0].sources.clear();
  EXPECT_TRUE(of_rule(check(outline, git_label()), "objective.noise").empty());
  outline.parts[0].sections[0].sources = {source("id-git", 2)};
  EXPECT_TRUE(has_finding(check(outline, git_label()), "objective.noise", "'rustc'"));
}

TEST(CourseCheckerObjectivesTest, AnObjectiveNeedsAMeasurableVerb) {
  const CheckReport report =
      check(with_objectives({"Understand how branches work", "Learn about commits",
                             "Explain how a branch records a line of development"}),
            git_label());
  EXPECT_TRUE(has_finding(report, "objective.verb", "Understand how branches work"));
  EXPECT_TRUE(has_finding(report, "objective.verb", "Learn about commits"));
  EXPECT_EQ(of_rule(report, "objective.verb").size(), 2u) << describe(report.findings);
}

TEST(CourseCheckerObjectivesTest, AOneWordObjectNeedsToBeATermOfTheBooks) {
  const CheckReport report =
      check(with_objectives({"Configure Git", "Explain updating", "Describe"}), git_label());
  EXPECT_FALSE(has_finding(report, "objective.object", "'Configure Git'"))
      << describe(report.findings);
  EXPECT_TRUE(has_finding(report, "objective.object", "'Explain updating'"))
      << describe(report.findings);
  EXPECT_TRUE(has_finding(report, "objective.object", "'Describe' has no object"))
      << describe(report.findings);
}

TEST(CourseCheckerObjectivesTest, SectionsHaveTwoToSixObjectives) {
  const CheckReport one = check(with_objectives({"Configure Git's user name and email"}), git_label());
  EXPECT_TRUE(has_finding(one, "objective.count", "has 1 objectives")) << describe(one.findings);

  std::vector<std::string> seven;
  for (const char* verb : {"Explain", "Describe", "Compare", "Use", "Apply", "Identify", "List"})
    seven.push_back(std::string(verb) + " how a branch records a line of development");
  const CheckReport many = check(with_objectives(seven), git_label());
  EXPECT_TRUE(has_finding(many, "objective.count", "has 7 objectives")) << describe(many.findings);
}

TEST(CourseCheckerObjectivesTest, DuplicateObjectivesAcrossTheCourseAreCaught) {
  CourseOutline outline = good_git_course().build();
  outline.parts[1].sections[0].objectives.push_back("  configure git's user name and email. ");
  const CheckReport report = check(outline, git_label());
  EXPECT_TRUE(has_finding(report, "objective.duplicate", "configure git's user name and email"))
      << describe(report.findings);
}

TEST(CourseCheckerObjectivesTest, SixObjectivesNeedThreeDistinctVerbs) {
  const CourseOutline outline =
      OutlineBuilder("Version Control with Git", "git")
          .part("Git Foundations")
          .section("Recording Changes", 30,
                   {"Explain how the staging area separates edits from commits",
                    "Explain how a branch records a line of development",
                    "Explain what a remote repository holds"},
                   {source("id-git", 2)})
          .section("Branches and Merging", 30,
                   {"Describe how a fast-forward merge moves a branch",
                    "Explain how rebasing rewrites commits",
                    "Describe what a merge commit records"},
                   {source("id-git", 3)})
          .build();
  const CheckReport report = check(outline, git_label());
  EXPECT_TRUE(has_finding(report, "objective.variety", "only 2 distinct verbs"))
      << describe(report.findings);
}

TEST(CourseCheckerObjectivesTest, DepthVerbsAreFlaggedOnlyWhenNoObjectiveFitsTheDepth) {
  const CourseOutline outline = with_objectives(
      {"Explain how a branch records a line of development", "Describe what a merge commit records"});
  EXPECT_TRUE(has_finding(check(outline, label({"pro-git"}, "expert")), "objective.depth", "expert"));

  const CourseOutline one_fits =
      with_objectives({"Explain how a branch records a line of development",
                       "Design a branching workflow for a team of five"});
  const CheckReport report = check(one_fits, label({"pro-git"}, "expert"));
  EXPECT_TRUE(of_rule(report, "objective.depth").empty()) << describe(report.findings);
}

TEST(CourseCheckerObjectivesTest, AnObjectiveIsOneFinishedSentence) {
  const CheckReport report =
      check(with_objectives({"explain how a branch records a line of development",
                             "Describe how a merge commit records the",
                             "Compare a commit commit with the working tree"}),
            git_label());
  EXPECT_TRUE(has_finding(report, "objective.sentence", "capital letter"));
  EXPECT_TRUE(has_finding(report, "objective.sentence", "unfinished sentence"));
  EXPECT_TRUE(has_finding(report, "objective.sentence", "repeats the word 'commit'"))
      << describe(report.findings);
}

TEST(CourseCheckerObjectivesTest, ASentencePastedIntoATemplateIsCaught) {
  const CheckReport report = check(
      with_objectives({"Apply the idea that Therefore, a commit records a snapshot to an example",
                       "Explain why In fact, branches are cheap",
                       "Use Git with A/B tests and The Pro Git Book"}),
      git_label());
  EXPECT_TRUE(has_finding(report, "objective.sentence", "capitalised 'Therefore'"))
      << describe(report.findings);
  EXPECT_TRUE(has_finding(report, "objective.sentence", "capitalised 'In'"))
      << describe(report.findings);
  EXPECT_EQ(of_rule(report, "objective.sentence").size(), 3u)
      << "'The' of a book's name counts too\n" << describe(report.findings);
}

}  // namespace
}  // namespace docprof::quality
