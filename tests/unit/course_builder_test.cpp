// The stored shape of a course (domain.md §1), the title rule (§6), derived ids and timestamps.
#include <gtest/gtest.h>

#include <set>

#include "domain/course_builder.h"
#include "domain/ids.h"
#include "domain/time_format.h"
#include "workflow_test_support.h"

namespace docprof::testing {
namespace {

TEST(CourseTitle, AStatedTitleWins) {
  EXPECT_EQ(course_title(std::string("  Valuing a Company "), {{"Intro", 30}}, "q"), "Valuing a Company");
}

TEST(CourseTitle, ABlankStatedTitleFallsBackToTheFirstPart) {
  EXPECT_EQ(course_title(std::string("  "), {{"Intro", 30}}, "q"), "Intro Course");
}

TEST(CourseTitle, AShortFirstPartTitleGetsCourseAppended) {
  EXPECT_EQ(course_title(std::nullopt, {{"Foundations of Valuation", 30}, {"B", 30}}, "q"),
            "Foundations of Valuation Course");
}

TEST(CourseTitle, AFirstPartTitleWithAColonIsKeptAsIs) {
  EXPECT_EQ(course_title(std::nullopt, {{"Valuation: The Basics", 30}}, "q"), "Valuation: The Basics");
}

TEST(CourseTitle, ALongFirstPartTitleIsKeptAsIs) {
  const std::string fifty(50, 'x');
  EXPECT_EQ(course_title(std::nullopt, {{fifty, 30}}, "q"), fifty);
  const std::string forty_nine(49, 'x');
  EXPECT_EQ(course_title(std::nullopt, {{forty_nine, 30}}, "q"), forty_nine + " Course");
}

TEST(CourseTitle, WithoutPartsTheQuerysFirstSentenceIsUsed) {
  EXPECT_EQ(course_title(std::nullopt, {}, "Learn SQL joins. I have 2 hours."), "Learn SQL joins Course");
  const std::string long_query(100, 'q');
  EXPECT_EQ(course_title(std::nullopt, {}, long_query), std::string(60, 'q') + " Course");
}

TEST(CourseTitle, NothingAtAllGivesCustomCourse) { EXPECT_EQ(course_title(std::nullopt, {}, "   "), "Custom Course"); }

TEST(CourseTitle, ProvisionalTitleIsTheQuerysFirstHundredCodePoints) {
  const std::string query = std::string(99, 'a') + "éé";
  EXPECT_EQ(provisional_title(query), std::string(99, 'a') + "é");
}

TEST(CourseRows, PartsAndSectionsFollowTheStoredShape) {
  const Outline outline{{PartDraft{"P1", 0, {section("A", 20), section("B", 25, 2)}},
                         PartDraft{"P2", 0, {section("C", 30, 4)}}}};
  RunState s = expanded_state(outline);
  s.preferences.depth = Depth::technical;
  const CourseRows rows = build_course_rows(s, outline, 0);
  EXPECT_EQ(rows.course.created_at, "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(rows.course.preferences.depth, Depth::technical);
  EXPECT_EQ(rows.course.original_query, s.query);
  EXPECT_EQ(rows.course.status, CourseStatus::active);
  ASSERT_EQ(rows.sections.size(), 5U);
  const auto& p1 = rows.sections[0];
  EXPECT_EQ(p1.order_index, 1);
  EXPECT_EQ(p1.estimated_minutes, 45);
  EXPECT_FALSE(p1.parent_section_id.has_value());
  EXPECT_TRUE(p1.learning_objectives.empty());
  EXPECT_EQ(rows.sections[1].order_index, 2);
  EXPECT_EQ(rows.sections[2].order_index, 3);
  EXPECT_EQ(rows.sections[2].learning_objectives.size(), 2U);
  EXPECT_EQ(rows.sections[3].order_index, 4);
  EXPECT_EQ(rows.sections[3].estimated_minutes, 30);
  EXPECT_EQ(rows.sections[4].parent_section_id, rows.sections[3].section_id);
  for (const auto& row : rows.sections) {
    EXPECT_EQ(row.course_id, "course-1");
    EXPECT_EQ(row.status, SectionStatus::not_started);
  }
}

TEST(CourseRows, IdsAreDerivedFromCourseAndPosition) {
  const Outline outline{{PartDraft{"P1", 0, {section("A", 20), section("B", 25)}}}};
  const RunState s = expanded_state(outline);
  const CourseRows first = build_course_rows(s, outline, 1);
  const CourseRows again = build_course_rows(s, outline, 99999);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < first.sections.size(); ++i) {
    EXPECT_EQ(first.sections[i].section_id, again.sections[i].section_id);
    ids.insert(first.sections[i].section_id);
  }
  EXPECT_EQ(ids.size(), first.sections.size());
  RunState other = s;
  other.course_id = "course-2";
  EXPECT_NE(build_course_rows(other, outline, 1).sections[0].section_id, first.sections[0].section_id);
}

TEST(DerivedUuid, IsAWellFormedVersionEightUuid) {
  const std::string id = derived_uuid("course-1", "part:1");
  ASSERT_EQ(id.size(), 36U);
  EXPECT_EQ(id[8], '-');
  EXPECT_EQ(id[13], '-');
  EXPECT_EQ(id[14], '8');
  EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
  EXPECT_EQ(id, derived_uuid("course-1", "part:1"));
}

TEST(DerivedUuid, SeparatesItsInputs) {
  EXPECT_NE(derived_uuid("ab", "c"), derived_uuid("a", "bc"));
  std::set<std::string> seen;
  for (int p = 1; p <= 50; ++p) {
    for (int s = 1; s <= 40; ++s) seen.insert(derived_uuid("c", "part:" + std::to_string(p) + "/section:" + std::to_string(s)));
  }
  EXPECT_EQ(seen.size(), 2000U);
}

TEST(TimeFormat, FormatsEpochMillisecondsAsIsoUtc) {
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(1'790'000'000'123), "2026-09-21T14:13:20.123Z");
  EXPECT_EQ(format_iso8601(951'782'400'000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(1'704'067'199'999), "2023-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace docprof::testing
