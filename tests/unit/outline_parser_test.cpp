// The model-output parsers (domain.md §4): the original system's own cases, the decoration variants
// it dropped, objective boundaries, errors fit for a repair prompt, and round trips through the
// renderers of outline_text.h.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/outline_parser.h"
#include "domain/outline_text.h"

namespace docprof::domain {
namespace {

using Objectives = std::vector<std::string>;

PartsParse parts_ok(const std::string& text) {
  auto result = parse_parts(text);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? result.value() : PartsParse{};
}

SectionsParse sections_ok(const std::string& text) {
  auto result = parse_sections(text);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? result.value() : SectionsParse{};
}

Outline outline_ok(const std::string& text) {
  auto result = parse_outline(text);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? result.value() : Outline{};
}

// ---- the original system's tests -------------------------------------------------------------

TEST(OriginalCases, PartsWithTotal) {
  const auto p = parts_ok(
      "Part 1: Introduction - 30 minutes\nPart 2: Advanced Topics - 90 minutes\nTotal: 120 "
      "minutes");
  EXPECT_EQ(p.parts, (std::vector<PartPlan>{{"Introduction", 30}, {"Advanced Topics", 90}}));
  EXPECT_EQ(p.stated_total, 120);
  EXPECT_FALSE(p.course_title.has_value());
}

TEST(OriginalCases, LoneTotalIsNotAPart) {
  const auto r = parse_parts("Total: 30 minutes");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "unparseable_output");
  EXPECT_NE(r.error().message.find("Part N: <title> - <minutes> minutes"), std::string::npos);
}

TEST(OriginalCases, EmptyTextIsAnErrorNotACrash) {
  const auto r = parse_parts("");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "unparseable_output");
  EXPECT_NE(r.error().message.find("empty"), std::string::npos);
  EXPECT_FALSE(parse_sections("").ok());
  EXPECT_FALSE(parse_outline("").ok());
}

TEST(OriginalCases, PartsParseAsGiven) {
  const auto p = parts_ok("Part 1: Basics - 30 minutes\nPart 2: Practice - 60 minutes\n");
  ASSERT_EQ(p.parts.size(), 2U);
  EXPECT_EQ(p.parts[0].minutes + p.parts[1].minutes, 90);
  EXPECT_FALSE(p.stated_total.has_value());
}

TEST(OriginalCases, ThreeSectionsTotalSixty) {
  const auto s = sections_ok(
      "### Section 1: A - 15 minutes\nLearning objectives:\n- a1\n- a2\n\n"
      "### Section 2: B - 20 minutes\nLearning objectives:\n- b1\n\n"
      "### Section 3: C - 25 minutes\nLearning objectives:\n- c1\n");
  ASSERT_EQ(s.sections.size(), 3U);
  int total = 0;
  for (const auto& section : s.sections) total += section.minutes;
  EXPECT_EQ(total, 60);
}

// ---- parts: decoration -----------------------------------------------------------------------

struct PartLineCase {
  std::string line;
  std::string title;
  int minutes;
};

void PrintTo(const PartLineCase& c, std::ostream* os) {
  *os << '"' << c.line << '"';
}

class PartLineTest : public ::testing::TestWithParam<PartLineCase> {};

TEST_P(PartLineTest, TitleAndMinutes) {
  const auto p = parts_ok(GetParam().line);
  ASSERT_EQ(p.parts.size(), 1U) << GetParam().line;
  EXPECT_EQ(p.parts[0].title, GetParam().title);
  EXPECT_EQ(p.parts[0].minutes, GetParam().minutes);
}

INSTANTIATE_TEST_SUITE_P(
    Decorations, PartLineTest,
    ::testing::Values(
        PartLineCase{"**Part 1: Foundations - 45 minutes**", "Foundations", 45},
        PartLineCase{"**Part 1: Foundations** - 45 minutes", "Foundations", 45},
        PartLineCase{"**Part 1:** Foundations - 45 minutes", "Foundations", 45},
        PartLineCase{"## Part 1: Foundations - 45 minutes", "Foundations", 45},
        PartLineCase{"### **Part 1: Foundations** — 45 min", "Foundations", 45},
        PartLineCase{"1. Part 1: Foundations - 45 minutes", "Foundations", 45},
        PartLineCase{"- Part 1: Foundations - 45 minutes", "Foundations", 45},
        PartLineCase{"*Part 1: Foundations* – 45 mins", "Foundations", 45},
        PartLineCase{"Part 1: Foundations (45 mins)", "Foundations", 45},
        PartLineCase{"Part 1: Foundations: 45m", "Foundations", 45},
        PartLineCase{"Part 1 - Foundations - 1 hour 15 minutes", "Foundations", 75},
        PartLineCase{"Part 1: Foundations - 1.5 hours", "Foundations", 90},
        PartLineCase{"Part 1: Foundations – 1h 30m", "Foundations", 90},
        PartLineCase{"Part I: Foundations - 45 minutes", "Foundations", 45},
        PartLineCase{"Part One: Foundations - 45 minutes", "Foundations", 45},
        PartLineCase{"PART 1: FOUNDATIONS - 45 MINUTES", "FOUNDATIONS", 45},
        PartLineCase{"Part 1: Cost-Benefit Analysis - 45 minutes", "Cost-Benefit Analysis", 45},
        PartLineCase{"Part 2: Pre-1914 Europe – 30 min", "Pre-1914 Europe", 30},
        PartLineCase{"Part 1: Foundations - approx. 45 minutes", "Foundations", 45},
        PartLineCase{"Part 1: Foundations (Estimated time: 45 minutes)", "Foundations", 45},
        PartLineCase{"Part 1 (45 minutes): Foundations", "Foundations", 45},
        PartLineCase{"Part 1: Rome in 24 Hours - 45 minutes", "Rome in 24 Hours", 45},
        PartLineCase{"Part 1: The 90-Minute Valuation - 30 minutes", "The 90-Minute Valuation", 30},
        PartLineCase{"Part 1: Foundations - 90 minutes (1.5 hours)", "Foundations", 90},
        PartLineCase{"Part 1: Foundations 45 minutes", "Foundations", 45},
        PartLineCase{"> Part 1: Foundations - 45 minutes", "Foundations", 45},
        PartLineCase{"Part 1: Foundations\xC2\xA0-\xC2\xA0"
                     "45 minutes",
                     "Foundations", 45}));

TEST(ParseParts, CourseTitleLine) {
  const auto p = parts_ok(
      "**Course title:** Corporate Valuation in Practice\n\nPart 1: DCF - 60 minutes\n"
      "Part 2: Multiples - 60 minutes\nTotal: 120 minutes\n");
  EXPECT_EQ(p.course_title, "Corporate Valuation in Practice");
  EXPECT_EQ(p.parts.size(), 2U);
}

TEST(ParseParts, ChatterFencesAndCrlf) {
  const auto p = parts_ok(
      "Here is a plan for your course:\r\n\r\n```\r\nPart 1: Basics - 40 minutes\r\n"
      "Part 2: Practice - 80 minutes\r\nTotal: 120 minutes\r\n```\r\n\r\nLet me know if you want "
      "changes to Part 2.\r\n");
  EXPECT_EQ(p.parts, (std::vector<PartPlan>{{"Basics", 40}, {"Practice", 80}}));
  EXPECT_EQ(p.stated_total, 120);
}

TEST(ParseParts, TitleKeepsNoTrailingCarriageReturnOrDecoration) {
  const auto p = parts_ok("**Part 1: Basics:**\r\nDuration: 40 minutes\r\n");
  ASSERT_EQ(p.parts.size(), 1U);
  EXPECT_EQ(p.parts[0].title, "Basics");
  EXPECT_EQ(p.parts[0].minutes, 40);
}

TEST(ParseParts, PartWithoutTimeNamesTheLine) {
  const auto r =
      parse_parts("Part 1: Basics - 30 minutes\nPart 2: Advanced Topics\nTotal: 30 minutes");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "unparseable_output");
  EXPECT_NE(r.error().message.find("Part 2: Advanced Topics"), std::string::npos);
}

TEST(ParseParts, ZeroMinutesIsAnError) {
  EXPECT_FALSE(parse_parts("Part 1: Basics - 0 minutes").ok());
}

TEST(ParseParts, RefusalIsAnErrorQuotingTheAnswer) {
  const auto r = parse_parts("I'm sorry, but I can't help with that request.");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("I'm sorry"), std::string::npos);
}

TEST(ParseParts, ProseMentioningPartsIsNotAPart) {
  const auto p = parts_ok(
      "Part 1 builds the base and Part 2 applies it.\nPart 1: Base - 30 minutes\n"
      "Part 2: Application - 30 minutes\n");
  EXPECT_EQ(p.parts.size(), 2U);
}

TEST(ParseParts, TotalVariantsAreNeverParts) {
  const auto p = parts_ok(
      "Part 1: A - 60 minutes\nPart 2: B - 60 minutes\n**Total time: 120 minutes**\n"
      "Grand total: 120 minutes\n");
  EXPECT_EQ(p.parts.size(), 2U);
  EXPECT_EQ(p.stated_total, 120);
}

TEST(ParseParts, TitleStartingWithTotalIsAPart) {
  const auto p = parts_ok("Part 1: Total Quality Management - 45 minutes");
  ASSERT_EQ(p.parts.size(), 1U);
  EXPECT_EQ(p.parts[0].title, "Total Quality Management");
}

// ---- sections --------------------------------------------------------------------------------

TEST(ParseSections, RequestedFormat) {
  const auto s = sections_ok(
      "## Part 2: Valuation Methods\n\n### Section 1: Discounted Cash Flow - 40 minutes\n"
      "Learning objectives:\n- Project free cash flows\n- Compute a terminal value\n\n"
      "### Section 2: Trading Multiples - 20 minutes\nLearning objectives:\n- Pick comparables\n"
      "- Apply EV/EBITDA\n\nTotal for this part: 60 minutes\n");
  EXPECT_EQ(s.part_title, "Valuation Methods");
  EXPECT_EQ(s.stated_total, 60);
  ASSERT_EQ(s.sections.size(), 2U);
  EXPECT_EQ(s.sections[0], (SectionDraft{"Discounted Cash Flow",
                                         40,
                                         {"Project free cash flows", "Compute a terminal value"}, {}}));
  EXPECT_EQ(s.sections[1].objectives, (Objectives{"Pick comparables", "Apply EV/EBITDA"}));
}

struct SectionLineCase {
  std::string header;
  std::string title;
  int minutes;
};

void PrintTo(const SectionLineCase& c, std::ostream* os) {
  *os << '"' << c.header << '"';
}

class SectionHeaderTest : public ::testing::TestWithParam<SectionLineCase> {};

TEST_P(SectionHeaderTest, TitleAndMinutes) {
  const auto s = sections_ok(GetParam().header + "\n- first objective\n- second objective\n");
  ASSERT_EQ(s.sections.size(), 1U) << GetParam().header;
  EXPECT_EQ(s.sections[0].title, GetParam().title);
  EXPECT_EQ(s.sections[0].minutes, GetParam().minutes);
  EXPECT_EQ(s.sections[0].objectives, (Objectives{"first objective", "second objective"}));
}

INSTANTIATE_TEST_SUITE_P(
    Headers, SectionHeaderTest,
    ::testing::Values(SectionLineCase{"### Section 1: Ratios - 20 minutes", "Ratios", 20},
                      SectionLineCase{"### **Section 2: Ratios** - 20 minutes", "Ratios", 20},
                      SectionLineCase{"### **Section 2: Ratios - 20 minutes**", "Ratios", 20},
                      SectionLineCase{"**Section 3: Ratios (25 min)**", "Ratios", 25},
                      SectionLineCase{"Section 1.2: Ratios – 20 min", "Ratios", 20},
                      SectionLineCase{"#### Ratios - 20 minutes", "Ratios", 20},
                      SectionLineCase{"### 2. Ratios (20 mins)", "Ratios", 20},
                      SectionLineCase{"### Lesson 4: Ratios — 20m", "Ratios", 20},
                      SectionLineCase{"Section A: Ratios: 20 minutes", "Ratios", 20},
                      SectionLineCase{"1. **Ratios** (20 minutes)", "Ratios", 20},
                      SectionLineCase{"**Ratios - 20 minutes**", "Ratios", 20},
                      SectionLineCase{"Section 2 - Cost-Benefit Analysis - 1 hour",
                                      "Cost-Benefit Analysis", 60}));

struct ObjectiveMarkerCase {
  std::string name;
  std::string items;
};

class ObjectiveMarkerTest : public ::testing::TestWithParam<ObjectiveMarkerCase> {};

TEST_P(ObjectiveMarkerTest, ItemsAreObjectives) {
  const auto s = sections_ok("### Section 1: Intro - 15 minutes\n" + GetParam().items);
  ASSERT_EQ(s.sections.size(), 1U);
  EXPECT_EQ(s.sections[0].objectives, (Objectives{"Define risk", "Measure return"}));
}

INSTANTIATE_TEST_SUITE_P(
    Markers, ObjectiveMarkerTest,
    ::testing::Values(
        ObjectiveMarkerCase{"dash", "Learning objectives:\n- Define risk\n- Measure return\n"},
        ObjectiveMarkerCase{"star", "Learning objectives:\n* Define risk\n* Measure return\n"},
        ObjectiveMarkerCase{"bullet",
                            "Objectives:\n\xE2\x80\xA2 Define risk\n\xE2\x80\xA2 Measure return\n"},
        ObjectiveMarkerCase{"numbered",
                            "**Learning Objectives:**\n1. Define risk\n2. Measure return\n"},
        ObjectiveMarkerCase{"paren", "Learning objectives:\n1) Define risk\n2) Measure return\n"},
        ObjectiveMarkerCase{"noheader", "- Define risk\n- Measure return\n"},
        ObjectiveMarkerCase{"bold",
                            "#### Learning Objectives\n- **Define** risk\n- Measure return\n"},
        ObjectiveMarkerCase{"indented",
                            "Learning objectives:\n   - Define risk\n   - Measure return\n"}),
    [](const ::testing::TestParamInfo<ObjectiveMarkerCase>& marker) { return marker.param.name; });

TEST(ParseSections, ObjectiveNeverSwallowsGluedTotal) {
  const auto s = sections_ok(
      "### Section 1: A - 30 minutes\nLearning objectives:\n- One\n- Two\nTotal for this part: 30 "
      "minutes");
  ASSERT_EQ(s.sections.size(), 1U);
  EXPECT_EQ(s.sections[0].objectives, (Objectives{"One", "Two"}));
  EXPECT_EQ(s.stated_total, 30);
}

TEST(ParseSections, SectionNeverInheritsObjectivesOfAnother) {
  const auto s = sections_ok(
      "### Section 1: A - 30 minutes\nLearning objectives:\n- One\n- Two\n"
      "### Section 2: B - 30 minutes\n");
  ASSERT_EQ(s.sections.size(), 2U);
  EXPECT_EQ(s.sections[0].objectives.size(), 2U);
  EXPECT_TRUE(s.sections[1].objectives.empty());
}

TEST(ParseSections, ProseAfterObjectivesEndsThem) {
  const auto s = sections_ok(
      "### Section 1: A - 30 minutes\n- One\n- Two\n\nThis part gives learners a solid base.\n"
      "- Let me know if you want more depth\n");
  ASSERT_EQ(s.sections.size(), 1U);
  EXPECT_EQ(s.sections[0].objectives, (Objectives{"One", "Two"}));
}

TEST(ParseSections, DescriptionBeforeObjectivesDoesNotEndThem) {
  const auto s = sections_ok(
      "### Section 1: A - 30 minutes\nAn overview of the method.\nLearning objectives:\n- One\n- "
      "Two\n");
  EXPECT_EQ(s.sections[0].objectives, (Objectives{"One", "Two"}));
}

TEST(ParseSections, OtherListsAreNotObjectives) {
  const auto s = sections_ok(
      "### Section 1: A - 30 minutes\nKey topics:\n- Topic\nLearning objectives:\n- One\n- Two\n"
      "Activities:\n- Worksheet\n");
  EXPECT_EQ(s.sections[0].objectives, (Objectives{"One", "Two"}));
}

TEST(ParseSections, WrappedObjectiveIsJoined) {
  const auto s = sections_ok(
      "### Section 1: A - 30 minutes\nLearning objectives:\n- Explain why the discount rate\n"
      "  reflects risk\n- Two\n");
  EXPECT_EQ(s.sections[0].objectives,
            (Objectives{"Explain why the discount rate reflects risk", "Two"}));
}

TEST(ParseSections, TimeOnTheLineBelowTheHeader) {
  const auto s = sections_ok("**Section 1: A**\n*Duration: 25 minutes*\n- One\n- Two\n");
  ASSERT_EQ(s.sections.size(), 1U);
  EXPECT_EQ(s.sections[0].minutes, 25);
  EXPECT_EQ(s.sections[0].objectives.size(), 2U);
}

TEST(ParseSections, HeaderWithoutMinutesIsKeptAtZero) {
  const auto s = sections_ok("### Section 1: A - 30 minutes\n- One\n### Section 2: B\n- Two\n");
  ASSERT_EQ(s.sections.size(), 2U);
  EXPECT_EQ(s.sections[1].minutes, 0);
  EXPECT_EQ(s.sections[1].objectives, (Objectives{"Two"}));
}

TEST(ParseSections, NoMinutesAnywhereIsAnError) {
  const auto r = parse_sections("### Section 1: A\n- One\n### Section 2: B\n- Two\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "unparseable_output");
  EXPECT_NE(r.error().message.find("minutes"), std::string::npos);
}

TEST(ParseSections, NoSectionIsAnError) {
  const auto r = parse_sections("## Part 1: Basics\n\nTotal for this part: 60 minutes");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("Section"), std::string::npos);
}

TEST(ParseSections, TruncatedAnswerKeepsEverySectionRead) {
  const auto s = sections_ok(
      "### Section 1: A - 30 minutes\n- One\n- Two\n### Section 2: B - 20 minutes\n- Thr");
  ASSERT_EQ(s.sections.size(), 2U);
  EXPECT_EQ(s.sections[1].objectives, (Objectives{"Thr"}));
}

TEST(ParseSections, StopsAtASecondPart) {
  const auto s = sections_ok(
      "## Part 1: Basics\n### Section 1: A - 30 minutes\n- One\n## Part 2: More\n"
      "### Section 1: B - 30 minutes\n- Two\n");
  EXPECT_EQ(s.part_title, "Basics");
  ASSERT_EQ(s.sections.size(), 1U);
}

TEST(ParseSections, CommentaryEndsTheOutline) {
  const auto s = sections_ok(
      "### Section 1: A - 30 minutes\n- One\n- Two\n\n**Notes:**\n- Section 2: B - 20 minutes was "
      "removed\n");
  ASSERT_EQ(s.sections.size(), 1U);
  EXPECT_EQ(s.sections[0].objectives.size(), 2U);
}

TEST(ParseSections, BoldDurationFieldIsNotASection) {
  const auto s = sections_ok(
      "### Section 1: A\n**Duration:** 20 minutes\n**Learning Objectives:**\n- One\n- Two\n");
  ASSERT_EQ(s.sections.size(), 1U);
  EXPECT_EQ(s.sections[0], (SectionDraft{"A", 20, {"One", "Two"}, {}}));
}

TEST(ParseSections, EmphasisedParenthesisedTime) {
  const auto s = sections_ok("### Section 2: Title B *(25 minutes)*\n- b1\n");
  ASSERT_EQ(s.sections.size(), 1U);
  EXPECT_EQ(s.sections[0].title, "Title B");
  EXPECT_EQ(s.sections[0].minutes, 25);
}

TEST(ParseSections, ListedSectionRemarkWithoutTimeIsNoHeader) {
  const auto s = sections_ok(
      "### Section 1: A - 30 minutes\nLearning objectives:\n- Section 2: review the basics\n- "
      "Two\n");
  ASSERT_EQ(s.sections.size(), 1U);
  EXPECT_EQ(s.sections[0].objectives, (Objectives{"Section 2: review the basics", "Two"}));
}

TEST(ParseSections, AllZeroErrorNamesTheFirstSection) {
  const auto r = parse_sections("### Section 1: Ratios\n- One\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("'Ratios'"), std::string::npos);
}

TEST(ParseParts, RemarksAfterThePlanAreIgnored) {
  const auto p = parts_ok(
      "Part 1: A - 30 minutes\nPart 2: B - 30 minutes\n\nNotes:\nPart 3: C is optional\n"
      "Part 3: C - 20 minutes\n");
  EXPECT_EQ(p.parts.size(), 2U);
}

TEST(ParseParts, ListedPartWithoutTimeIsARemark) {
  const auto p = parts_ok("Part 1: A - 30 minutes\n- Part 1: assumes no background\n");
  EXPECT_EQ(p.parts, (std::vector<PartPlan>{{"A", 30}}));
}

TEST(ParseParts, ListedPartWithTimeBelow) {
  const auto p =
      parts_ok("- **Part 1: A**\n  - Duration: 30 minutes\n- **Part 2: B**\n  - Time: 1 hour\n");
  EXPECT_EQ(p.parts, (std::vector<PartPlan>{{"A", 30}, {"B", 60}}));
}

TEST(ParseParts, LongLinesStayFast) {
  std::string line = "Part 1: ";
  for (int i = 0; i < 20000; ++i) line += "a 1-m (x 2m ";
  const auto r = parse_parts(line + "\n" + line);
  EXPECT_TRUE(r.ok());  // a time is found; the point is that this returns at all, quickly
}

TEST(ParseSections, NotesBetweenSectionsDoNotEndTheOutline) {
  const auto s = sections_ok(
      "### Section 1: A - 30 minutes\n- One\n- Two\n**Note:** learners need a calculator\n"
      "- Section 9: bring the workbook - 5 minutes\n### Section 2: B - 20 minutes\n- Three\n");
  ASSERT_EQ(s.sections.size(), 2U);
  EXPECT_EQ(s.sections[0].objectives, (Objectives{"One", "Two"}));
  EXPECT_EQ(s.sections[1], (SectionDraft{"B", 20, {"Three"}, {}}));
}

TEST(ParseSections, DeepHeadingMayNameTheCourse) {
  const auto s = sections_ok("#### Course Review and Next Steps - 15 minutes\n- Recap\n- Plan\n");
  ASSERT_EQ(s.sections.size(), 1U);
  EXPECT_EQ(s.sections[0].title, "Course Review and Next Steps");
}

TEST(ParseOutline, CourseHeadingWithTimeIsNotASection) {
  const auto o = outline_ok(
      "# Corporate Valuation (6 hours)\n## Corporate Valuation Course - 360 minutes\n"
      "**Revised Outline (360 minutes)**\n## Part 1: Basics\n### Section 1: A - 30 minutes\n- x\n");
  ASSERT_EQ(o.parts.size(), 1U);
  EXPECT_EQ(o.total_minutes(), 30);
}

TEST(ParseSections, ListedLabelsAndTimesAreNotObjectives) {
  const auto s = sections_ok(
      "1. **Section 1: Intro**\n   - **Duration:** 20 minutes\n   - **Learning objectives:**\n"
      "     - Define a\n     - Explain b\n   - Key topics:\n     - not an objective\n");
  ASSERT_EQ(s.sections.size(), 1U);
  EXPECT_EQ(s.sections[0], (SectionDraft{"Intro", 20, {"Define a", "Explain b"}, {}}));
}

TEST(ParseSections, LetteredObjectives) {
  const auto s = sections_ok("Section 1: A - 10 minutes\n  a. Do x\n  b) Do y\n");
  EXPECT_EQ(s.sections[0].objectives, (Objectives{"Do x", "Do y"}));
}

// ---- whole outline ---------------------------------------------------------------------------

TEST(ParseOutline, PartsWithSectionsAndMinutes) {
  const auto o = outline_ok(
      "## Part 1: Basics\n### Section 1: A - 30 minutes\n- One\n### Section 2: B - 15 minutes\n"
      "- Two\nTotal for this part: 45 minutes\n\n**Part 2: Practice (60 minutes)**\n"
      "### Section 1: C - 60 minutes\n- Three\n\nTotal: 105 minutes\n\nChanges made:\n"
      "- Section 2: B - shortened to 15 minutes\n");
  ASSERT_EQ(o.parts.size(), 2U);
  EXPECT_EQ(o.parts[0].title, "Basics");
  EXPECT_EQ(o.parts[0].minutes, 45);
  EXPECT_EQ(o.parts[1].title, "Practice");
  EXPECT_EQ(o.parts[1].minutes, 60);
  EXPECT_EQ(o.total_minutes(), 105);
  EXPECT_EQ(o.parts[1].sections[0].objectives, (Objectives{"Three"}));
}

TEST(ParseOutline, SectionsBeforeAnyPartFormAnUntitledPart) {
  const auto o = outline_ok(
      "### Section 1: A - 30 minutes\n- One\n\nPart 2: Later\n"
      "### Section 2: B - 10 minutes\n- Two\n");
  ASSERT_EQ(o.parts.size(), 2U);
  EXPECT_EQ(o.parts[0].title, "");
  EXPECT_EQ(o.parts[1].title, "Later");
}

TEST(ParseOutline, SummaryPartLinesWithoutSectionsAreDropped) {
  const auto o = outline_ok(
      "Part 1: Basics - 30 minutes\nPart 2: Practice - 30 minutes\n\n## Part 1: Basics\n"
      "### Section 1: A - 30 minutes\n- One\n## Part 2: Practice\n### Section 1: B - 30 minutes\n- "
      "Two\n");
  ASSERT_EQ(o.parts.size(), 2U);
  EXPECT_EQ(o.parts[0].sections.size(), 1U);
}

TEST(ParseOutline, OnlyTotalsIsAnError) {
  const auto r = parse_outline("## Part 1: Basics - 60 minutes\n\nTotal: 60 minutes\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "unparseable_output");
}

// ---- validation ------------------------------------------------------------------------------

TEST(NormalizeSections, ZeroMinutesBecomeFifteen) {
  std::vector<SectionDraft> sections{{"X", 0, {"a", "b"}, {}}, {"Y", 20, {"a", "b"}, {}}};
  const auto warnings = normalize_sections(sections);
  EXPECT_EQ(sections[0].minutes, 15);
  EXPECT_EQ(sections[1].minutes, 20);
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_EQ(warnings[0], "Section 'X' had no minutes; set to 15");
}

TEST(NormalizeSections, FewObjectivesAreNotedNotChanged) {
  std::vector<SectionDraft> sections{{"X", 10, {"only"}, {}}, {"Y", 10, {}, {}}};
  const auto warnings = normalize_sections(sections);
  EXPECT_EQ(warnings.size(), 2U);
  EXPECT_EQ(sections[0].objectives, (Objectives{"only"}));
  EXPECT_NE(warnings[0].find("'X'"), std::string::npos);
}

TEST(CheckParts, OverOneHundredTwentyIsNoted) {
  const auto warnings = check_parts({{"Short", 120}, {"Long", 150}});
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_NE(warnings[0].find("'Long'"), std::string::npos);
  EXPECT_NE(warnings[0].find("150"), std::string::npos);
}

// ---- round trips through the renderers -------------------------------------------------------

PartDraft sample_part(const std::string& title) {
  return PartDraft{
      title,
      75,
      {{"Cost-Benefit Analysis", 45, {"Weigh costs: direct and indirect", "Rank options"}, {}},
       {"Risk (and Return)", 30, {"Define volatility", "Use the 1.5 hours rule - sparingly"}, {}}}};
}

TEST(RoundTrip, PartsList) {
  const std::vector<PartPlan> parts{{"Foundations of Valuation", 60},
                                    {"Cost-Benefit Analysis", 90},
                                    {"Case Studies: 2008 Crisis", 45}};
  const auto p = parts_ok(render_parts_list(parts));
  EXPECT_EQ(p.parts, parts);
  EXPECT_EQ(p.stated_total, 195);
}

TEST(RoundTrip, Part) {
  const PartDraft part = sample_part("Valuation Methods");
  const auto s = sections_ok(render_part(2, part));
  EXPECT_EQ(s.part_title, "Valuation Methods");
  EXPECT_EQ(s.sections, part.sections);
  EXPECT_EQ(s.stated_total, 75);
}

TEST(RoundTrip, Outline) {
  Outline outline{{sample_part("Basics"), sample_part("Advanced Topics")}};
  const auto parsed = outline_ok(render_outline(outline));
  EXPECT_EQ(parsed, outline);
}

}  // namespace
}  // namespace docprof::domain
