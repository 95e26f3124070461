// The course quality checker's course-wide rules on hand-written outlines: the off-topic share of
// minutes, learning order (chapters, topic order, the requested project last), named and
// uncoverable topics, prior knowledge.
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

// --- off-topic share -----------------------------------------------------------------------

TEST(CourseCheckerStructureTest, ARustCourseSpendingPartsOnOtherBooksIsOffTopic) {
  const CourseOutline outline =
      OutlineBuilder("Rust for C Programmers", "teach me Rust")
          .part("Ownership")
          .section("Ownership and Borrowing", 60,
                   {"Explain how ownership frees memory without a garbage collector",
                    "Apply borrowing rules to a function that reads from stdin"},
                   {source("id-rust", 4)})
          .part("Data Access")
          .section("Host Variables and Cursors", 60,
                   {"Use host variables to pass values into a query",
                    "Describe how a cursor walks through rows"},
                   {source("id-sql", 3)})
          .part("Tools")
          .section("Matrices and Plots", 30,
                   {"Compute a matrix product", "Describe how a plot is drawn"},
                   {source("id-octave", 2)})
          .section("Editing with Modes", 30,
                   {"Use motions to move through a file", "Distinguish insert mode from normal mode"},
                   {source("id-vim", 1)})
          .build();
  const CheckReport report = check(outline, label({"rust-book"}));
  EXPECT_NEAR(report.on_topic_share, 60.0 / 180.0, 1e-9);
  EXPECT_TRUE(has_finding(report, "offtopic.share", "only 33 %")) << describe(report.findings);
  EXPECT_TRUE(has_finding(report, "offtopic.share", "'Embedded SQL in C'"));
  EXPECT_TRUE(has_finding(report, "offtopic.share", "'GNU Octave'"));
  EXPECT_TRUE(has_finding(report, "offtopic.share", "'Learning the Vi and Vim Editors'"));
}

TEST(CourseCheckerStructureTest, AlsoOkBooksAreOnTopicAndSectionsWithoutSourcesAreNot) {
  CourseOutline outline = good_git_course().build();
  outline.parts[1].sections[0].sources = {source("id-vim", 1)};
  RelevanceLabel l = git_label();
  l.also_ok = {"vim"};
  EXPECT_DOUBLE_EQ(check(outline, l).on_topic_share, 1.0);

  outline.parts[1].sections[0].sources.clear();  // 50 of 120 minutes read nothing
  const CheckReport report = check(outline, l);
  EXPECT_NEAR(report.on_topic_share, 70.0 / 120.0, 1e-9);
  EXPECT_TRUE(has_finding(report, "offtopic.share", "50 minutes are in sections with no sources"))
      << describe(report.findings);
}

// --- order ---------------------------------------------------------------------------------

TEST(CourseCheckerStructureTest, ALaterChapterBeforeAnEarlierOneIsCaught) {
  CourseOutline outline = good_git_course().build();
  outline.parts[0].sections[0].sources = {source("id-git", 3, "Git Branching")};
  const CheckReport report = check(outline, git_label());
  EXPECT_TRUE(has_finding(report, "order.chapters",
                          "chapter 2 'Git Basics' (section 'Recording Changes') comes after "
                          "chapter 3 'Git Branching'"))
      << describe(report.findings);
}

TEST(CourseCheckerStructureTest, ALabelWithTopicOrderChecksTheTopicsInsteadOfChapters) {
  CourseOutline outline = good_git_course().build();
  outline.parts[0].sections[0].sources = {source("id-git", 3, "Merging")};  // before chapter 2
  RelevanceLabel l = git_label();
  l.topic_order = true;
  l.topics = {"staging area", "branch"};
  EXPECT_TRUE(check(outline, l).findings.empty()) << describe(check(outline, l).findings);

  l.topics = {"branch", "staging area"};  // the course teaches the staging area first
  const CheckReport report = check(outline, l);
  EXPECT_TRUE(has_finding(report, "order.topics", "topic 'staging area' first appears"))
      << describe(report.findings);
}

TEST(CourseCheckerStructureTest, ARequestedProjectComesLast) {
  OutlineBuilder b("Version Control with Git", "learn git and finish with a small project");
  b.part("Git Foundations")
      .section("A Team Project Repository", 30,
               {"Configure Git's user name and email", "Build a shared repository for the project"},
               {source("id-git", 1)})
      .part("Working with Branches")
      .section("Branches and Merging", 30,
               {"Explain how a branch records a line of development",
                "Apply a three-way merge to combine two branches"},
               {source("id-git", 3)});
  EXPECT_TRUE(has_finding(check(b.build(), git_label()), "order.project",
                          "'A Team Project Repository' (part 1)"));
  CourseOutline general = b.build();
  general.parts[0].sections[0].title = "Setting Up Git";  // "a project" in an objective is no capstone
  EXPECT_FALSE(has_finding(check(general, git_label()), "order.project", "'Setting Up Git'"));
  general.parts[0].sections[0].objectives.push_back("Outline the final project's first commit");
  EXPECT_TRUE(has_finding(check(general, git_label()), "order.project", "'Setting Up Git'"));

  b.part("Capstone").section("Capstone Project", 30,
                             {"Build a repository with two merged branches",
                              "Use a pull request to review a change"},
                             {source("id-git", 5)});
  CourseOutline last = b.build();
  last.parts.erase(last.parts.begin());  // the project only in the last part
  EXPECT_TRUE(of_rule(check(last, git_label()), "order.project").empty())
      << describe(check(last, git_label()).findings);
}

TEST(CourseCheckerStructureTest, TheLastPartMustBeTheRequestedProject) {
  OutlineBuilder b("Rust from Basics to a Web Server",
                   "Rust: the basics, then a small project: a multithreaded web server");
  b.part("Ownership")
      .section("Ownership and Borrowing", 60,
               {"Explain how ownership frees memory without a garbage collector",
                "Apply borrowing rules to a function that reads from stdin"},
               {source("id-rust", 4)})
      .part("Building a Multithreaded Web Server")
      .section("A Single-Threaded Server", 60,
               {"Build a server that answers one request at a time",
                "Use a thread pool to serve requests concurrently"},
               {source("id-rust", 20)});
  EXPECT_TRUE(of_rule(check(b.build(), label({"rust-book"})), "order.project").empty())
      << "the last part names the project's words";

  b.part("Customized Programs")
      .section("Mail Transport and Delivery", 30,
               {"Configure a mail transport agent", "Describe how mail is delivered"},
               {source("id-rust", 21)});
  EXPECT_TRUE(has_finding(check(b.build(), label({"rust-book"})), "order.project",
                          "the last part 'Customized Programs' is not about it"));
  CourseOutline early = b.build();
  early.parts[1].title = "Final Project: A Web Server";
  EXPECT_TRUE(has_finding(check(early, label({"rust-book"})), "order.project",
                          "part 'Final Project: A Web Server' (part 2) is the requested project"));

  // "the project" of a request is no project to build.
  CourseOutline debian = b.build();
  debian.query = "what Debian is and how the project is organised";
  EXPECT_TRUE(of_rule(check(debian, label({"rust-book"})), "order.project").empty());
}

// --- topics --------------------------------------------------------------------------------

TEST(CourseCheckerStructureTest, ANamedTopicMustBeCoveredOrReported) {
  RelevanceLabel l = git_label();
  l.topics = {"branching", "remote repositories", "submodules"};
  CourseOutline outline = good_git_course().build();
  outline.parts[0].sections[1].sources.push_back(source("id-git", 2, "Remote Repositories"));
  CheckReport report = check(outline, l);
  EXPECT_TRUE(has_finding(report, "topic.missing", "'submodules'")) << describe(report.findings);
  EXPECT_EQ(of_rule(report, "topic.missing").size(), 1u)
      << "a source chapter title covers 'remote repositories'\n" << describe(report.findings);

  outline.notes.push_back({"uncovered_topic", "Submodules", "the library has no chapter on them"});
  report = check(outline, l);
  EXPECT_TRUE(of_rule(report, "topic.missing").empty()) << describe(report.findings);
}

TEST(CourseCheckerStructureTest, AnUncoverableTopicMustBeReportedAndNotPaperedOver) {
  RelevanceLabel l = git_label();
  l.uncoverable_topics = {"Gerrit code review"};
  CourseOutline outline = good_git_course().build();
  CheckReport report = check(outline, l);
  EXPECT_TRUE(has_finding(report, "topic.uncoverable_unreported", "'Gerrit code review'"))
      << describe(report.findings);

  outline.notes.push_back({"uncovered_topic", "Gerrit code review", "no book covers Gerrit"});
  outline.parts[1].sections[0].objectives.push_back("Use Gerrit code review on a branch");
  report = check(outline, l);
  EXPECT_TRUE(of_rule(report, "topic.uncoverable_unreported").empty()) << describe(report.findings);
  EXPECT_TRUE(has_finding(report, "topic.papered_over", "'Branches and Merging'"))
      << describe(report.findings);
}

TEST(CourseCheckerStructureTest, PriorKnowledgeMustBeReportedByANote) {
  RelevanceLabel l = label({"rust-book"});
  l.prior_knowledge = {"C"};
  OutlineBuilder b("Rust for C Programmers", "I know some C: teach me Rust");
  b.part("Getting Started")
      .section("C Basics", 30,
               {"Write a C function that reads from stdin",
                "Explain how pointers refer to memory"},
               {source("id-rust", 1)});
  CheckReport report = check(b.build(), l);
  EXPECT_TRUE(has_finding(report, "topic.prior_knowledge", "section 'C Basics' teaches it again"))
      << describe(report.findings);

  b.note("prior_knowledge", "C", "builds on your C: no introduction to pointers");
  report = check(b.build(), l);
  EXPECT_TRUE(of_rule(report, "topic.prior_knowledge").empty()) << describe(report.findings);
}

}  // namespace
}  // namespace docprof::quality
