// The offline planner's wording: objectives (course_plan_objectives.h), headings and course titles
// (course_plan_title.h), on the hand-written library's phrases and on the noisy, statistically
// extracted phrases of the Debian manuals (tests/fixtures/library-debian).
#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "domain/course_plan_objectives.h"
#include "domain/course_plan_title.h"
#include "domain/text.h"

namespace docprof::domain {
namespace {

const std::vector<Depth> kDepths{Depth::overview, Depth::balanced, Depth::technical, Depth::expert};

std::string first_word(const std::string& text) { return text.substr(0, text.find(' ')); }

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

ObjectiveInput input(std::string section, std::string chapter, std::vector<std::string> topics,
                     std::vector<std::string> concepts, Depth depth, int count, int rotation = 0) {
  ObjectiveInput in;
  in.section_title = std::move(section);
  in.chapter_title = std::move(chapter);
  in.topics = std::move(topics);
  in.key_concepts = std::move(concepts);
  in.depth = depth;
  in.count = count;
  in.rotation = rotation;
  return in;
}

// The rules every objective keeps: a verb of the depth, one sentence without markup, template
// tails or pasted prose, no word twice in a row.
void expect_well_formed(const std::vector<std::string>& objectives, Depth depth) {
  const auto& verbs = objective_verbs(depth);
  for (const auto& o : objectives) {
    EXPECT_NE(std::find(verbs.begin(), verbs.end(), first_word(o)), verbs.end()) << o;
    EXPECT_EQ(o.find_first_of("`\"[](){}<>@/=;:.?!"), std::string::npos) << o;
    EXPECT_FALSE(contains(ascii_lower(o), "the idea that")) << o;
    EXPECT_FALSE(contains(o, " in a worked example")) << o;
    EXPECT_FALSE(contains(o, " to an example")) << o;
    EXPECT_FALSE(o.starts_with("Explain why")) << o;
    const auto space = o.find(' ');
    ASSERT_NE(space, std::string::npos) << o;
    std::string previous;
    std::size_t start = 0;
    while (start < o.size()) {
      const auto end = std::min(o.find(' ', start), o.size());
      const std::string word = o.substr(start, end - start);
      EXPECT_NE(ascii_lower(word), previous) << o;
      previous = ascii_lower(word);
      start = end + 1;
    }
  }
}

// --- objectives ------------------------------------------------------------------------------

TEST(WriteObjectives, NameTheMaterialWithTheDepthsVerbs) {
  const std::vector<std::string> topics{"free cash flow", "terminal value", "discount rate",
                                        "growth rate"};
  for (const Depth depth : kDepths) {
    for (int rotation = 0; rotation < 4; ++rotation) {
      const auto objectives = write_objectives(
          input("Free cash flow", "Valuation by parts", topics, {}, depth, 4, rotation));
      ASSERT_EQ(objectives.size(), 4u) << to_string(depth);
      expect_well_formed(objectives, depth);
    }
  }
  const auto balanced =
      write_objectives(input("Free cash flow", "", topics, {}, Depth::balanced, 3, 0));
  EXPECT_EQ(balanced[0], "Compute free cash flow");
  EXPECT_EQ(balanced[1], "Interpret the terminal value");
  // Two phrases with the same head compared: more of the material is named.
  EXPECT_TRUE(contains(balanced[2], "Compare") || contains(balanced[2], "Distinguish"))
      << balanced[2];
}

TEST(WriteObjectives, VerbsFitTheirObjects) {
  const auto technical = write_objectives(
      input("Configuration", "Git", {"configuration variables", "merge conflicts", "shell scripts",
                                     "hash function"},
            {}, Depth::technical, 4, 0));
  ASSERT_EQ(technical.size(), 4u);
  EXPECT_EQ(technical[0], "Configure configuration variables");
  EXPECT_EQ(technical[1], "Debug merge conflicts");
  EXPECT_EQ(technical[2], "Write shell scripts");
  EXPECT_EQ(technical[3], "Use the hash function");
  // No Compute without a quantity, no Configure without software.
  for (const Depth depth : kDepths) {
    for (int rotation = 0; rotation < 3; ++rotation) {
      const auto history = write_objectives(
          input("The spread of farming", "", {"food production", "domesticated animals",
                                              "Fertile Crescent"},
                {}, depth, 3, rotation));
      expect_well_formed(history, depth);
      for (const auto& o : history) {
        for (const auto verb : {"Compute", "Configure", "Implement", "Debug", "Write"})
          EXPECT_FALSE(o.starts_with(verb)) << o;
      }
    }
  }
}

TEST(WriteObjectives, SkipNoiseMarkupFragmentsAndPastedSentences) {
  // Phrases as the Debian manuals' extractor left them.
  const std::vector<std::string> noisy{
      "teh",           "updating",        "example",        "c-c",
      "joe@example.com", "`git rebase`",  "user.name",      "36",
      "x",             "gnuplot supports", "functions written", "the following example",
      "data",          "parameters arg1", "[section]",      "is used to"};
  const std::vector<std::string> concepts{
      "Lua is a dynamically typed language.", "Tables are the sole data structuring mechanism",
      "Otherwise, it is a long comment", "mkdir -p /usr/local/pgsql/data"};
  for (const Depth depth : kDepths) {
    const auto objectives =
        write_objectives(input("2.1 – Values and Types", "2 – Basic Concepts", noisy, concepts,
                               depth, 4, 1));
    ASSERT_GE(objectives.size(), 2u);
    expect_well_formed(objectives, depth);
    for (const auto& o : objectives) {
      for (const auto bad : {"teh", "updating", "example", "c-c", "@", "rebase", "user", "36",
                             "supports", "written", "arg1", "Lua is", "Tables", "mkdir", "data"}) {
        EXPECT_FALSE(contains(o, bad)) << o;
      }
    }
    // The titles give the objects instead.
    EXPECT_TRUE(contains(objectives[0], "values and types")) << objectives[0];
  }
}

TEST(WriteObjectives, KeyConceptsOnlyAsCleanNounPhrases) {
  const auto objectives = write_objectives(
      input("Valuation", "", {}, {"Free cash flow", "use after-tax cost of debt",
                                  "value is the present value of cash flows",
                                  "FCFE = net income - net capex"},
            Depth::overview, 2));
  ASSERT_EQ(objectives.size(), 2u);
  EXPECT_EQ(objectives[0], "Explain free cash flow");
  EXPECT_FALSE(contains(objectives[1], "after-tax")) << objectives[1];
  expect_well_formed(objectives, Depth::overview);
}

// A topic that is a task ("undo mistakes", from a request) is no thing to explain or describe.
TEST(WriteObjectives, TasksAreNoObjects) {
  const auto objectives = write_objectives(
      input("Fixing mistakes", "Developing with Git", {"undo mistakes", "rewrite history", "parse definitions",
                                                       "merge conflict"},
            {}, Depth::balanced, 3));
  for (const auto& o : objectives) {
    for (const char* task : {"undo mistakes", "rewrite history", "parse definitions"}) {
      EXPECT_FALSE(contains(o, task)) << o;
    }
  }
  EXPECT_TRUE(std::any_of(objectives.begin(), objectives.end(), [](const std::string& o) { return contains(o, "merge conflict"); }));
  expect_well_formed(objectives, Depth::balanced);
}

TEST(WriteObjectives, KeepNamesAndAcronymsLowerCaseTheRest) {
  const auto objectives = write_objectives(
      input("Using Git", "", {"Git repository", "Working tree", "git configuration",
                              "SQL queries", "PostgreSQL server"},
            {"Jakob Bernoulli"}, Depth::balanced, 5, 0));
  ASSERT_EQ(objectives.size(), 5u);
  const std::string all = [&] {
    std::string s;
    for (const auto& o : objectives) s += o + "\n";
    return s;
  }();
  EXPECT_TRUE(contains(all, "Git repository")) << all;
  EXPECT_TRUE(contains(all, "working tree")) << all;
  EXPECT_TRUE(contains(all, "Git configuration")) << all;
  EXPECT_TRUE(contains(all, "SQL queries")) << all;
  EXPECT_TRUE(contains(all, "PostgreSQL server")) << all;
}

TEST(WriteObjectives, ArticlesAndVerbsFollowTheHeadNoun) {
  // The head of "law of large numbers" is "law": singular, countable, "the"; a lower-case
  // possessive is no name ("the gambler's fallacy"), a capitalised one is ("Quetelet's average
  // man", which is no quantity for all its "average"); a countable quantity takes "the" alone.
  const auto objectives = write_objectives(
      input("The median", "", {"law of large numbers", "gambler's fallacy", "Quetelet's average man", "median"}, {},
            Depth::balanced, 4, 0));
  ASSERT_EQ(objectives.size(), 4u);
  std::string all;
  for (const auto& o : objectives) all += o + "\n";
  EXPECT_TRUE(contains(all, "the law of large numbers\n")) << all;
  EXPECT_TRUE(contains(all, "the gambler's fallacy\n")) << all;
  EXPECT_TRUE(contains(all, " Quetelet's average man ")) << all;
  EXPECT_FALSE(contains(all, "Compute Quetelet")) << all;
  EXPECT_TRUE(contains(all, "the median\n")) << all;
  expect_well_formed(objectives, Depth::balanced);
}

TEST(WriteObjectives, NothingRelatesToATitleOpeningWithAPreposition) {
  for (int rotation = 0; rotation < 3; ++rotation) {
    const auto objectives = write_objectives(input("From company performance to share prices", "",
                                                   {"market expectations", "total shareholder returns"}, {},
                                                   Depth::balanced, 2, rotation));
    ASSERT_EQ(objectives.size(), 2u);
    for (const auto& o : objectives) EXPECT_FALSE(contains(o, "relate")) << o;
  }
}

TEST(WriteObjectives, ThinMaterialFallsBackToTheTitles) {
  for (const Depth depth : kDepths) {
    const auto objectives =
        write_objectives(input("36.2. Typesetting Text (Emphasized Words)", "36. ECPG — Embedded SQL in C",
                               {"teh"}, {}, depth, 3));
    // One objective per title: frames such as "the main ideas of …" are not repeated to fill the
    // count.
    ASSERT_EQ(objectives.size(), 2u) << to_string(depth);
    expect_well_formed(objectives, depth);
    // The section's title names a task: it is the first objective.
    EXPECT_TRUE(contains(objectives[0], "typeset text") || contains(objectives[0], "typesetting text"))
        << objectives[0];
    EXPECT_TRUE(contains(objectives[1], "ECPG")) << objectives[1];
    for (const auto& o : objectives) EXPECT_FALSE(contains(o, "mphasized")) << o;
  }
  // Generic titles: the section as a whole, still two objectives.
  const auto generic = write_objectives(input("Introduction", "Summary", {}, {}, Depth::technical, 4));
  ASSERT_EQ(generic.size(), 2u);
  expect_well_formed(generic, Depth::technical);
  EXPECT_TRUE(write_objectives(input("", "", {}, {}, Depth::technical, 4)).empty());
}

TEST(WriteObjectives, NoDuplicatesWithinTheCourse) {
  std::set<std::string> used;
  const std::vector<std::string> topics{"free cash flow", "terminal value"};
  for (int section = 0; section < 4; ++section) {
    auto in = input("Free cash flow", "Valuation", topics, {}, Depth::balanced, 2, section);
    in.used = &used;
    const auto objectives = write_objectives(in);
    ASSERT_GE(objectives.size(), 2u) << section;
    for (const auto& o : objectives) EXPECT_TRUE(used.insert(ascii_lower(o)).second) << o;
  }
}

TEST(WriteObjectives, CountIsClampedToTwoToSix) {
  const std::vector<std::string> topics{"free cash flow",  "terminal value",  "discount rate",
                                        "income statement", "balance sheet", "growth rate",
                                        "cost of capital", "equity risk premium"};
  EXPECT_EQ(write_objectives(input("Valuation", "", topics, {}, Depth::expert, 9)).size(), 6u);
  EXPECT_EQ(write_objectives(input("Valuation", "", topics, {}, Depth::expert, 1)).size(), 2u);
}

TEST(WriteObjectives, RotationVariesTheVerbs) {
  std::set<std::string> verbs;
  for (int rotation = 0; rotation < 4; ++rotation) {
    for (const auto& o :
         write_objectives(input("Branches", "Git", {"merge commit", "remote branch", "fast-forward merge"},
                                {}, Depth::balanced, 3, rotation))) {
      verbs.insert(first_word(o));
    }
  }
  EXPECT_GE(verbs.size(), 3u);
}

TEST(BuildObjectives, DelegatesToWriteObjectives) {
  EXPECT_EQ(build_objectives({"free cash flow", "terminal value"}, {}, Depth::balanced, 2, 0),
            write_objectives(input("", "", {"free cash flow", "terminal value"}, {},
                                   Depth::balanced, 2, 0)));
  EXPECT_TRUE(build_objectives({}, {}, Depth::technical, 5, 0).empty());
}

// --- headings --------------------------------------------------------------------------------

TEST(CleanHeading, RemovesNumberingMarkupAndAsides) {
  EXPECT_EQ(clean_heading("36. ECPG — Embedded SQL in C"), "ECPG — Embedded SQL in C");
  EXPECT_EQ(clean_heading("36.9. Password Database Functions"), "Password Database Functions");
  EXPECT_EQ(clean_heading("3.2 Variables"), "Variables");
  EXPECT_EQ(clean_heading("3.2 – Variables"), "Variables");
  EXPECT_EQ(clean_heading("Chapter 3: Branching"), "Branching");
  EXPECT_EQ(clean_heading("Chapter\u00a05. Rewriting history"), "Rewriting history") << "DocBook: a no-break space";
  EXPECT_EQ(clean_heading("Appendix\u00a0A.\u00a0Git Quick Reference"), "Git Quick Reference");
  EXPECT_EQ(clean_heading("Part II: Valuation"), "Valuation");
  EXPECT_EQ(clean_heading("IV. The Cosmos"), "The Cosmos");
  EXPECT_EQ(clean_heading("Typesetting Text (Emphasized Words)"), "Typesetting Text");
  EXPECT_EQ(clean_heading("`git rebase`"), "Git rebase");
  EXPECT_EQ(clean_heading("The keyword \xE2\x80\x9C" "explicit\xE2\x80\x9D"), "The keyword explicit");
  EXPECT_EQ(clean_heading("11.4: The keyword `explicit'"), "The keyword explicit");
  EXPECT_EQ(clean_heading("C++'s templates [draft]"), "C++'s templates");
  EXPECT_EQ(clean_heading("1984 and After"), "1984 and After");
  EXPECT_EQ(clean_heading("3D Graphics"), "3D Graphics");
  EXPECT_EQ(clean_heading("How do I trap control characters/signals?"),
            "How to trap control characters/signals");
  EXPECT_EQ(clean_heading("How can I write a GUI (X, Tk) in Perl? GUI Tk Wx"),
            "How to write a GUI in Perl");
  EXPECT_EQ(clean_heading("Alternative versions of an interface - update-alternatives (from old "
                          "Packaging Manual)"),
            "Alternative versions of an interface");
  EXPECT_EQ(clean_heading("Risk and return \xE2\x80\x94"), "Risk and return");
  EXPECT_EQ(clean_heading("  cost of   capital. "), "Cost of capital");
  EXPECT_EQ(clean_heading("Risk - and return"), "Risk \xE2\x80\x93 and return");
  EXPECT_EQ(clean_heading("(untitled)"), "Untitled");
}

// --- course titles ---------------------------------------------------------------------------

bool has_first_person(const std::string& title) {
  std::string padded = " " + ascii_lower(title) + " ";
  for (const auto word : {" i ", " me ", " my ", " want ", " i'm "}) {
    if (contains(padded, word)) return true;
  }
  return false;
}

TEST(CourseTitle, NamesTheSubject) {
  EXPECT_EQ(course_title_from_request("I have one hour. I know some C. Show me pointers and structures"),
            "Pointers and Structures in C");
  EXPECT_EQ(course_title_from_request("Python for a Java programmer"), "Python for Java Programmers");
  EXPECT_EQ(course_title_from_request("Teach me probability and statistics so I can reason about "
                                      "risk and spot misleading numbers"),
            "Probability and Statistics");
  EXPECT_EQ(course_title_from_request("I want to learn Git, I already know Subversion"), "Git");
  EXPECT_EQ(course_title_from_request("I'm a Java developer and want to learn Rust"), "Rust");
  EXPECT_EQ(course_title_from_request("Statistics for my job"), "Statistics");
  EXPECT_EQ(course_title_from_request("How does Git branching work? I use Git daily"),
            "Git Branching");
  EXPECT_EQ(course_title_from_request("Explain Rust ownership and borrowing to me"),
            "Rust Ownership and Borrowing");
}

TEST(CourseTitle, AddsPartsAfterAColon) {
  EXPECT_EQ(course_title("Learn how to value a company", {},
                         {"Cash flows", "Risk", "Multiples"}),
            "Valuing a Company: Cash Flows, Risk and Multiples");
  // The topics read_request finds after the colon.
  EXPECT_EQ(course_title("I want to write robust Bash shell scripts: variables, quoting, tests, "
                         "loops, functions",
                         {"variables", "quoting", "tests", "loops", "functions"}, {}),
            "Writing Robust Bash Shell Scripts: Variables, Quoting and Tests");
  EXPECT_EQ(course_title("I have one hour. I know some C. Show me pointers and structures", {},
                         {"5. Pointers and Arrays", "6. Structures"}),
            "Pointers and Structures in C: Pointers and Arrays");
  EXPECT_EQ(course_title("I already know SQL. Teach me PostgreSQL administration: backups, "
                         "replication and roles",
                         {"backups", "replication", "roles"}, {}),
            "PostgreSQL Administration: Backups, Replication and Roles");
  // Nothing in the request: the parts name the course.
  EXPECT_EQ(course_title("teach me something", {}, {"Git Basics", "Branching", "Remotes"}),
            "Git Basics: Branching and Remotes");
  EXPECT_EQ(course_title("", {}, {}), "");
}

TEST(CourseTitle, ReadsWellForVariedRequests) {
  const std::vector<std::string> requests{
      "Python for a Java programmer",
      "I want to write robust Bash shell scripts: variables, quoting, tests, loops, functions",
      "Teach me probability and statistics so I can reason about risk and spot misleading numbers",
      "I have one hour. I know some C. Show me pointers and structures",
      "Learn how to value a company in 6 hours",
      "I'd like to understand how vaccines work",
      "Can you teach me statistics in half an hour please?",
      "I already know SQL. Teach me PostgreSQL administration: backups, replication and roles",
      "How does Git branching work? I use Git daily but never branch",
      "I'm new to Debian and want to package my own software so that others can install it",
      "Explain quantum electrodynamics to me without math",
      "a 2-hour course on cash-flow forecasting for my startup",
  };
  const std::vector<std::string> parts{"Getting Started", "Core Ideas in Practice", "Advanced Topics"};
  const std::vector<std::string> topics{"cash flows", "risk"};
  for (const auto& request : requests) {
    const std::string title = course_title(request, topics, parts);
    EXPECT_FALSE(title.empty()) << request;
    EXPECT_LE(title.size(), 80u) << title;
    EXPECT_FALSE(has_first_person(title)) << title;
    EXPECT_EQ(title.find_first_of("\"`()[]"), std::string::npos) << title;
    EXPECT_TRUE(std::isupper(static_cast<unsigned char>(title.front()))) << title;
    EXPECT_FALSE(contains(ascii_lower(title), "i have")) << title;
    EXPECT_FALSE(contains(ascii_lower(title), "know")) << title;
    EXPECT_FALSE(contains(ascii_lower(title), "so that")) << title;
  }
}

}  // namespace
}  // namespace docprof::domain
