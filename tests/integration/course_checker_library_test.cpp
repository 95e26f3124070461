// The course quality checker on real data: the sample library's K&R summary and the committed
// relevance label "c-1h" (tests/fixtures/relevance/examples.json). A course a teacher would write
// for that request passes; the one today's planner wrote fails for its real defects.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "integration/course_checker_support.h"

namespace docprof::quality {
namespace {

using nlohmann::json;
using testing::has_finding;
using testing::OutlineBuilder;

const std::filesystem::path kSource = DOCPROF_SOURCE_DIR;

json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

class CourseCheckerLibraryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lexicon_.load_system_dictionary();
    for (const char* stem : {"kr-c-programming-language", "practice-of-programming"}) {
      const auto file = kSource / "examples" / "library" / (std::string(stem) + ".json");
      lexicon_.add_book_summary(stem, std::string("id-") + stem, read_json(file));
    }
    for (const auto& l : labels_from_json(read_json(kSource / "tests/fixtures/relevance/examples.json"))) {
      if (l.id == "c-1h") label_ = l;
    }
    ASSERT_EQ(label_.id, "c-1h") << "the relevance set has no request c-1h";
  }

  OutlineSource kr(int chapter, const std::string& title) const {
    return {"id-kr-c-programming-language", "The C Programming Language", chapter, title,
            std::nullopt};
  }

  Lexicon lexicon_;
  RelevanceLabel label_;
};

TEST_F(CourseCheckerLibraryTest, ACourseATeacherWouldWritePasses) {
  const CourseOutline outline =
      OutlineBuilder("Pointers and Structures for C Programmers", label_.query)
          .part("Pointers and Structures")
          .section("Pointers and Addresses", 20,
                   {"Use the & and * operators to pass variables by reference",
                    "Explain how pointer arithmetic walks through an array"},
                   {kr(5, "Pointers and Arrays")})
          .section("Arrays of Pointers", 15,
                   {"Implement a function that sorts lines through an array of pointers",
                    "Distinguish a pointer to a pointer from a two-dimensional array"},
                   {kr(5, "Pointers and Arrays")})
          .section("Structures and Self-Referential Types", 25,
                   {"Write a structure that holds a point and pass it to a function",
                    "Build a binary tree of words with recursive tree insertion",
                    "Debug a linked list that loses its head node"},
                   {kr(6, "Structures")})
          .note("prior_knowledge", "C", "Builds on your C: no tutorial introduction")
          .build();
  const CheckReport report = check_course(outline, label_, lexicon_);
  EXPECT_TRUE(report.findings.empty()) << describe(report.findings);
  EXPECT_DOUBLE_EQ(report.on_topic_share, 1.0);
}

TEST_F(CourseCheckerLibraryTest, TheCourseTodaysPlannerWroteFailsForItsDefects) {
  const CourseOutline outline =
      OutlineBuilder("I Have One Hour", label_.query)
          .part("Pointers and Arrays (Arrays of pointers and multi-dimensional arrays)")
          .section("Pointers and addresses", 20,
                   {"Analyze pointers as function arguments", "Apply pointer arithmetic in a worked example"},
                   {})
          .section("Structure basics", 20,
                   {"Analyze declaring structures", "Apply declaring structures in a worked example"},
                   {})
          .section("A Tutorial Introduction", 20,
                   {"Analyze first programs and arithmetic", "Analyze character input and output"},
                   {kr(1, "A Tutorial Introduction")})
          .build();
  const CheckReport report = check_course(outline, label_, lexicon_);
  EXPECT_TRUE(has_finding(report, "title.first_person", "'I Have One Hour'"));
  EXPECT_TRUE(has_finding(report, "title.request_fragment", "'I Have One Hour'"));
  EXPECT_TRUE(has_finding(report, "title.debris", "has a parenthesised aside"));
  EXPECT_TRUE(has_finding(report, "objective.template", "'Apply pointer arithmetic in a worked example'"));
  EXPECT_TRUE(has_finding(report, "objective.variety", "only 2 distinct verbs"));
  EXPECT_TRUE(has_finding(report, "offtopic.share", "40 minutes are in sections with no sources"));
  EXPECT_TRUE(has_finding(report, "topic.prior_knowledge", "already knows 'c'"))
      << describe(report.findings);
}

}  // namespace
}  // namespace docprof::quality
