// Headings read as tasks and questions (domain/heading_task.h), and the objectives the offline
// planner writes from a section's subsections (course_plan_objectives.h).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "domain/course_plan_objectives.h"
#include "domain/document_outline.h"
#include "domain/heading_task.h"

namespace {

using namespace docprof::domain;

TEST(BaseOfGerund, FollowsEnglishSpelling) {
  const std::vector<std::pair<std::string, std::string>> cases{
      // silent e dropped by -ing
      {"rewriting", "rewrite"}, {"writing", "write"}, {"creating", "create"}, {"configuring", "configure"},
      {"using", "use"}, {"making", "make"}, {"changing", "change"}, {"merging", "merge"},
      {"managing", "manage"}, {"updating", "update"}, {"validating", "validate"}, {"computing", "compute"},
      {"executing", "execute"}, {"handling", "handle"}, {"compiling", "compile"}, {"scheduling", "schedule"},
      {"defining", "define"}, {"determining", "determine"}, {"comparing", "compare"}, {"requiring", "require"},
      {"storing", "store"}, {"ignoring", "ignore"}, {"exploring", "explore"}, {"providing", "provide"},
      {"including", "include"}, {"coding", "code"}, {"naming", "name"}, {"assuming", "assume"},
      {"cloning", "clone"}, {"typing", "type"}, {"escaping", "escape"}, {"closing", "close"},
      {"parsing", "parse"}, {"releasing", "release"}, {"producing", "produce"}, {"replacing", "replace"},
      {"optimizing", "optimize"}, {"resolving", "resolve"}, {"removing", "remove"}, {"continuing", "continue"},
      {"deleting", "delete"}, {"quoting", "quote"}, {"invoking", "invoke"}, {"securing", "secure"},
      // doubled final consonant
      {"setting", "set"}, {"running", "run"}, {"committing", "commit"}, {"mapping", "map"},
      {"debugging", "debug"}, {"stopping", "stop"}, {"splitting", "split"}, {"embedding", "embed"},
      // nothing to undo
      {"fixing", "fix"}, {"checking", "check"}, {"reading", "read"}, {"building", "build"},
      {"fetching", "fetch"}, {"pushing", "push"}, {"showing", "show"}, {"copying", "copy"},
      {"editing", "edit"}, {"visiting", "visit"}, {"developing", "develop"}, {"monitoring", "monitor"},
      {"mirroring", "mirror"}, {"explaining", "explain"}, {"joining", "join"}, {"opening", "open"},
      {"learning", "learn"}, {"forming", "form"}, {"loading", "load"}, {"recording", "record"},
      {"installing", "install"}, {"passing", "pass"}, {"keeping", "keep"}, {"looking", "look"},
      {"working", "work"}, {"linking", "link"}, {"modelling", "model"}, {"labeling", "label"},
      {"failing", "fail"}, {"repeating", "repeat"}, {"treating", "treat"}, {"syncing", "sync"},
      {"focusing", "focus"}, {"processing", "process"}, {"helping", "help"}, {"grouping", "group"},
      {"adding", "add"}, {"tying", "tie"}, {"examining", "examine"}, {"recovering", "recover"},
      {"allowing", "allow"}, {"forcing", "force"}, {"reordering", "reorder"}, {"selecting", "select"},
      {"maintaining", "maintain"}, {"undoing", "undo"}, {"printing", "print"}, {"plotting", "plot"}};
  for (const auto& [ing, base] : cases) EXPECT_EQ(base_of_gerund(ing), base) << ing;
  EXPECT_EQ(base_of_gerund("Rewriting"), "rewrite");
  EXPECT_EQ(base_of_gerund("data"), "data");
}

TEST(HeadingTask, AGerundWithAnObjectIsATask) {
  const auto fix = heading_task("Fixing a mistake with a new commit");
  ASSERT_TRUE(fix);
  EXPECT_EQ(fix->kind, HeadingTask::Kind::task);
  EXPECT_EQ(fix->text, "Fix a mistake with a new commit");
  EXPECT_EQ(fix->gerund, "fixing a mistake with a new commit");
  EXPECT_EQ(heading_task("Rewriting a single commit")->text, "Rewrite a single commit");
  EXPECT_EQ(heading_task("Setting up a shared repository")->text, "Set up a shared repository");
  EXPECT_EQ(heading_task("Using interactive rebases")->text, "Use interactive rebases");
  EXPECT_EQ(heading_task("Reading data from files")->text, "Read data from files");
  EXPECT_EQ(heading_task("Configuring remote-tracking branches")->text, "Configure remote-tracking branches");
  EXPECT_EQ(heading_task("Reordering or selecting from a patch series")->text,
            "Reorder or select from a patch series");
  EXPECT_EQ(heading_task("Tying it all together")->text, "Tie it all together");
  EXPECT_EQ(heading_task("Fixing mistakes")->text, "Fix mistakes");
  EXPECT_EQ(heading_task("Structuring Deals")->text, "Structure deals");
  EXPECT_EQ(heading_task("Balancing Resources Across Teams")->text, "Balance resources across teams");
  EXPECT_EQ(heading_task("Rewriting history and maintaining patch series")->text,
            "Rewrite history and maintain patch series");
  EXPECT_EQ(heading_task("Editing data")->text, "Edit data");
  EXPECT_EQ(heading_task("Forcing git fetch to do non-fast-forward updates")->text,
            "Force git fetch to do non-fast-forward updates");
  // Names keep their capitals; a trailing question mark or colon aside goes.
  EXPECT_EQ(heading_task("Keeping a patch series up to date using Git rebase")->text,
            "Keep a patch series up to date using Git rebase");
}

TEST(HeadingTask, HowToAndQuestions) {
  EXPECT_EQ(heading_task("How to get a Git repository with minimal history")->text,
            "Get a Git repository with minimal history");
  EXPECT_EQ(heading_task("How do I undo a commit?")->text, "Undo a commit");
  const auto how = heading_task("How Git stores objects efficiently: pack files");
  ASSERT_TRUE(how);
  EXPECT_EQ(how->kind, HeadingTask::Kind::question);
  EXPECT_EQ(how->text, "how Git stores objects efficiently");
  EXPECT_EQ(heading_task("Why bisecting merge commits can be harder than bisecting linear history")->text,
            "why bisecting merge commits can be harder than bisecting linear history");
  EXPECT_EQ(heading_task("What to do when a push fails")->text, "what to do when a push fails");
}

TEST(HeadingTask, ThingsAreNoTasks) {
  for (const char* heading : {"Metatables and Metamethods", "Logging configuration", "Padding", "Padding and margins",
                              "String manipulation", "Strings and characters", "The index", "Commit Object",
                              "Debugging techniques", "How", "Examples", "Something else entirely",
                              "Training data", "Working directory", "Missing values", "Scheduling algorithms",
                              "Misleading Line Graphs", "Sampling Error and Trivial Differences"}) {
    EXPECT_FALSE(heading_task(heading)) << heading;
  }
}

TEST(SubsectionObjectives, TasksComeFirstAndThingsAreMaterial) {
  ObjectiveInput in;
  in.section_title = "Fixing mistakes";
  in.chapter_title = "Developing with Git";
  in.subsections = {"Fixing a mistake with a new commit", "Fixing a mistake by rewriting history",
                    "Checking out an old version of a file", "Temporarily setting aside work in progress"};
  in.topics = {"revert", "working tree"};
  in.count = 4;
  const auto objectives = write_objectives(in);
  ASSERT_EQ(objectives.size(), 4U);
  // "Fix" and "Check" are no verbs of the depth's: explained how to; "Use …" would stand alone.
  EXPECT_EQ(objectives[0], "Explain how to fix a mistake with a new commit");
  EXPECT_EQ(objectives[1], "Explain how to fix a mistake by rewriting history");
  EXPECT_EQ(objectives[2], "Explain how to check out an old version of a file");
  // One place is left for the section's material.
  for (const auto& o : objectives) EXPECT_EQ(o.find("main ideas"), std::string::npos) << o;

  in.depth = Depth::overview;
  EXPECT_EQ(write_objectives(in)[0], "Explain how to fix a mistake with a new commit");
  in.depth = Depth::technical;
  EXPECT_EQ(write_objectives(in)[0], "Apply the steps to fix a mistake with a new commit");
  in.depth = Depth::expert;
  EXPECT_EQ(write_objectives(in)[0], "Evaluate approaches to fixing a mistake with a new commit");

  // Subsections that name things are objects of the usual verbs, ahead of the statistics' topics.
  ObjectiveInput lua;
  lua.section_title = "Basic Concepts";
  lua.subsections = {"Metatables and Metamethods", "Garbage Collection"};
  lua.topics = {"metatable controls"};
  lua.count = 2;
  const auto from_things = write_objectives(lua);
  ASSERT_EQ(from_things.size(), 2U);
  EXPECT_NE(from_things[0].find("metatables and metamethods"), std::string::npos) << from_things[0];
  EXPECT_NE(from_things[1].find("garbage collection"), std::string::npos) << from_things[1];
}

TEST(SubsectionObjectives, ManySubsectionsAreSpreadOverTheSection) {
  ObjectiveInput in;
  in.section_title = "Rewriting history";
  for (const char* s : {"Creating the perfect patch series", "Keeping a patch series up to date",
                        "Rewriting a single commit", "Reordering or selecting from a patch series",
                        "Using interactive rebases", "Examining the rewritten history"}) {
    in.subsections.emplace_back(s);
  }
  in.count = 3;
  const auto objectives = write_objectives(in);
  ASSERT_GE(objectives.size(), 2U);
  EXPECT_EQ(objectives[0], "Explain how to create the perfect patch series");
  EXPECT_EQ(objectives[1], "Explain how to reorder or select from a patch series");
  in.subsections = {"Using interactive rebases", "Writing good commit messages"};
  in.depth = Depth::technical;
  const auto technical = write_objectives(in);
  ASSERT_GE(technical.size(), 2U);
  EXPECT_EQ(technical[0], "Use interactive rebases");
  EXPECT_EQ(technical[1], "Write good commit messages");
}

TEST(SubsectionObjectives, ATitleThatNamesATaskIsOneInsteadOfATemplate) {
  ObjectiveInput in;
  in.section_title = "Reading data from files";
  in.chapter_title = "7 Reading data from files";
  in.count = 2;
  const auto objectives = write_objectives(in);
  ASSERT_FALSE(objectives.empty());
  EXPECT_EQ(objectives[0], "Explain how to read data from files");
  for (const auto& o : objectives) EXPECT_EQ(o.find("main ideas"), std::string::npos) << o;
}

TEST(DocumentOutlineSubheadings, HeadingsBelowSectionsAreListedAndStayInTheText) {
  std::vector<DocumentBlock> blocks{
      {BlockKind::heading, 1, "Developing with Git", 0, false},
      {BlockKind::heading, 2, "Fixing mistakes", 0, false},
      {BlockKind::paragraph, 0, "If you have messed up the working tree, git restore helps.", 0, false},
      {BlockKind::heading, 3, "Fixing a mistake with a new commit", 0, false},
      {BlockKind::paragraph, 0, "Creating a new commit that reverts an earlier change is easy.", 0, false},
      {BlockKind::heading, 4, "Reverting a merge", 0, false},
      {BlockKind::paragraph, 0, "A merge can be reverted too.", 0, false},
      {BlockKind::heading, 2, "Sharing work", 0, false},
      {BlockKind::paragraph, 0, "Push to a public repository.", 0, false},
      {BlockKind::heading, 1, "Git concepts", 0, false},
      {BlockKind::paragraph, 0, "Objects.", 0, false}};
  const DocumentOutline outline = build_outline(blocks, {});
  ASSERT_EQ(outline.chapters.size(), 2U);
  const auto& fixing = outline.chapters[0].sections[0];
  EXPECT_EQ(fixing.subheadings, (std::vector<std::string>{"Fixing a mistake with a new commit", "Reverting a merge"}));
  EXPECT_EQ(fixing.paragraphs.size(), 5U);  // the subheadings' words are still counted and chunked
  EXPECT_TRUE(outline.chapters[0].sections[1].subheadings.empty());
}

}  // namespace
