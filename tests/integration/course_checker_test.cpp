// The course quality checker (tests/quality) on hand-written outlines: each rule catches the
// defects real courses showed, and good courses pass clean. Uses the system word list
// (/usr/share/dict/words) and the embedder's stemmer, hence an integration test.
#include <gtest/gtest.h>

#include "integration/course_checker_support.h"

namespace docprof::quality {
namespace {

using testing::has_finding;
using testing::label;
using testing::of_rule;
using testing::OutlineBuilder;
using testing::source;
using testing::test_lexicon;

CheckReport check(const CourseOutline& outline, const RelevanceLabel& l) {
  return check_course(outline, l, test_lexicon());
}

OutlineBuilder good_git_course() {
  OutlineBuilder b("Version Control with Git", "I want to learn git basics and branching");
  b.part("Git Foundations")
      .section("Setting Up Git", 30,
               {"Configure Git's user name and email",
                "Use git add and git commit to record changes to a repository"},
               {source("id-git", 1, "Getting Started")})
      .section("Recording Changes", 40,
               {"Explain how the staging area separates edits from commits",
                "Compare a commit with the working tree using git diff"},
               {source("id-git", 2, "Git Basics")})
      .part("Working with Branches")
      .section("Branches and Merging", 50,
               {"Explain how a branch records a line of development",
                "Apply a three-way merge to combine two branches",
                "Distinguish a fast-forward merge from a merge commit"},
               {source("id-git", 3, "Git Branching")});
  return b;
}

RelevanceLabel git_label() {
  RelevanceLabel l = label({"pro-git"});
  l.topics = {"branching", "commits"};
  return l;
}

// A one-section course whose section has these objectives (and reads the Git book).
CourseOutline with_objectives(std::vector<std::string> objectives,
                              const std::string& book = "id-git") {
  return OutlineBuilder("Version Control with Git", "git")
      .part("Git Foundations")
      .section("Recording Changes", 30, std::move(objectives), {source(book, 2, "Git Basics")})
      .build();
}

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

// --- objectives ---------------------------------------------------------------------------

TEST(CourseCheckerTest, KeywordStubObjectivesAreCaught) {
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

TEST(CourseCheckerTest, AWorkedExampleOnAFullPhraseAndExplainWhyWithAClauseAreFine) {
  const CheckReport report =
      check(with_objectives({"Apply the WACC formula to a company's capital structure in a worked "
                             "example",
                             "Explain why excess cash is valued separately from operations",
                             "Explain why mass and energy curve space"},
                            "id-val"),
            label({"valuation"}));
  EXPECT_TRUE(of_rule(report, "objective.template").empty()) << describe(report.findings);
}

TEST(CourseCheckerTest, ExplainWhyWithATopicOfTheBooksIsAStub) {
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

TEST(CourseCheckerTest, NoiseWordsFailButTechnicalTermsOfTheBooksPass) {
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

TEST(CourseCheckerTest, ContractionsAreWords) {
  const CheckReport report = check(
      with_objectives({"Explain why a detached head doesn't move when you commit",
                       "Describe what you've lost after a hard reset"}),
      git_label());
  EXPECT_TRUE(of_rule(report, "objective.noise").empty()) << describe(report.findings);
}

TEST(CourseCheckerTest, ASectionWithoutSourcesMayUseWordsOfAnyBook) {
  // "rustc" is no word of the label's Git book; with no sources the section may read any book.
  CourseOutline outline = with_objectives(
      {"Use rustc to compile a program that reads from stdin", "Explain how git records a commit"});
  outline.parts[0].sections[0].sources.clear();
  EXPECT_TRUE(of_rule(check(outline, git_label()), "objective.noise").empty());
  outline.parts[0].sections[0].sources = {source("id-git", 2)};
  EXPECT_TRUE(has_finding(check(outline, git_label()), "objective.noise", "'rustc'"));
}

TEST(CourseCheckerTest, AnObjectiveNeedsAMeasurableVerb) {
  const CheckReport report =
      check(with_objectives({"Understand how branches work", "Learn about commits",
                             "Explain how a branch records a line of development"}),
            git_label());
  EXPECT_TRUE(has_finding(report, "objective.verb", "Understand how branches work"));
  EXPECT_TRUE(has_finding(report, "objective.verb", "Learn about commits"));
  EXPECT_EQ(of_rule(report, "objective.verb").size(), 2u) << describe(report.findings);
}

TEST(CourseCheckerTest, AOneWordObjectNeedsToBeATermOfTheBooks) {
  const CheckReport report =
      check(with_objectives({"Configure Git", "Explain updating", "Describe"}), git_label());
  EXPECT_FALSE(has_finding(report, "objective.object", "'Configure Git'"))
      << describe(report.findings);
  EXPECT_TRUE(has_finding(report, "objective.object", "'Explain updating'"))
      << describe(report.findings);
  EXPECT_TRUE(has_finding(report, "objective.object", "'Describe' has no object"))
      << describe(report.findings);
}

TEST(CourseCheckerTest, SectionsHaveTwoToSixObjectives) {
  const CheckReport one = check(with_objectives({"Configure Git's user name and email"}), git_label());
  EXPECT_TRUE(has_finding(one, "objective.count", "has 1 objectives")) << describe(one.findings);

  std::vector<std::string> seven;
  for (const char* verb : {"Explain", "Describe", "Compare", "Use", "Apply", "Identify", "List"})
    seven.push_back(std::string(verb) + " how a branch records a line of development");
  const CheckReport many = check(with_objectives(seven), git_label());
  EXPECT_TRUE(has_finding(many, "objective.count", "has 7 objectives")) << describe(many.findings);
}

TEST(CourseCheckerTest, DuplicateObjectivesAcrossTheCourseAreCaught) {
  CourseOutline outline = good_git_course().build();
  outline.parts[1].sections[0].objectives.push_back("  configure git's user name and email. ");
  const CheckReport report = check(outline, git_label());
  EXPECT_TRUE(has_finding(report, "objective.duplicate", "configure git's user name and email"))
      << describe(report.findings);
}

TEST(CourseCheckerTest, SixObjectivesNeedThreeDistinctVerbs) {
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

TEST(CourseCheckerTest, DepthVerbsAreFlaggedOnlyWhenNoObjectiveFitsTheDepth) {
  const CourseOutline outline = with_objectives(
      {"Explain how a branch records a line of development", "Describe what a merge commit records"});
  EXPECT_TRUE(has_finding(check(outline, label({"pro-git"}, "expert")), "objective.depth", "expert"));

  const CourseOutline one_fits =
      with_objectives({"Explain how a branch records a line of development",
                       "Design a branching workflow for a team of five"});
  const CheckReport report = check(one_fits, label({"pro-git"}, "expert"));
  EXPECT_TRUE(of_rule(report, "objective.depth").empty()) << describe(report.findings);
}

TEST(CourseCheckerTest, AnObjectiveIsOneFinishedSentence) {
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

TEST(CourseCheckerTest, ASentencePastedIntoATemplateIsCaught) {
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

// --- titles --------------------------------------------------------------------------------

TEST(CourseCheckerTest, RequestFragmentsAsTitlesAreCaught) {
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

TEST(CourseCheckerTest, ACourseTitleCopiedFromTheRequestIsCaught) {
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
}

TEST(CourseCheckerTest, ACourseTitleHasAtMostEightyCharacters) {
  CourseOutline outline = good_git_course().build();
  outline.title = std::string(81, 'x');
  EXPECT_TRUE(has_finding(check(outline, git_label()), "title.length", "longer than 80"));
  outline.title = std::string(80, 'x');
  EXPECT_TRUE(of_rule(check(outline, git_label()), "title.length").empty());
}

TEST(CourseCheckerTest, MarkupDebrisAndAsidesInTitlesAreCaught) {
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

TEST(CourseCheckerTest, RawChapterNumbersInTitlesAreCaught) {
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

TEST(CourseCheckerTest, APossessiveApostropheIsNoQuote) {
  CourseOutline outline = good_git_course().build();
  outline.parts[0].title = "C++'s History";
  outline.parts[0].sections[0].title = "Git's Object Model";
  outline.parts[0].sections[1].title = "Git\xE2\x80\x99s Staging Area";
  const CheckReport report = check(outline, git_label());
  EXPECT_TRUE(of_rule(report, "title.debris").empty()) << describe(report.findings);
}

TEST(CourseCheckerTest, TwoSectionsWithOneTitleAreCaught) {
  CourseOutline outline = good_git_course().build();
  outline.parts[1].sections[0].title = "recording changes";
  EXPECT_TRUE(has_finding(check(outline, git_label()), "title.duplicate", "'recording changes'"));
}

// --- off-topic share -----------------------------------------------------------------------

TEST(CourseCheckerTest, ARustCourseSpendingPartsOnOtherBooksIsOffTopic) {
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

TEST(CourseCheckerTest, AlsoOkBooksAreOnTopicAndSectionsWithoutSourcesAreNot) {
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

TEST(CourseCheckerTest, ALaterChapterBeforeAnEarlierOneIsCaught) {
  CourseOutline outline = good_git_course().build();
  outline.parts[0].sections[0].sources = {source("id-git", 3, "Git Branching")};
  const CheckReport report = check(outline, git_label());
  EXPECT_TRUE(has_finding(report, "order.chapters",
                          "chapter 2 'Git Basics' (section 'Recording Changes') comes after "
                          "chapter 3 'Git Branching'"))
      << describe(report.findings);
}

TEST(CourseCheckerTest, ALabelWithTopicOrderChecksTheTopicsInsteadOfChapters) {
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

TEST(CourseCheckerTest, ARequestedProjectComesLast) {
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

TEST(CourseCheckerTest, TheLastPartMustBeTheRequestedProject) {
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

TEST(CourseCheckerTest, ANamedTopicMustBeCoveredOrReported) {
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

TEST(CourseCheckerTest, AnUncoverableTopicMustBeReportedAndNotPaperedOver) {
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

TEST(CourseCheckerTest, PriorKnowledgeMustBeReportedByANote) {
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

TEST(CourseCheckerTest, ALabelNamingABookTheLibraryLacksIsReported) {
  const CheckReport report = check(good_git_course().build(), label({"pro-git", "no-such-book"}));
  EXPECT_TRUE(has_finding(report, "label.unknown_book", "'no-such-book'"))
      << describe(report.findings);
}

}  // namespace
}  // namespace docprof::quality
