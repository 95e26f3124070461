// "Read:" and "Note:" lines (docs/formats.md): their grammar on its own, inside part-sections
// answers, whole outlines and parts answers, and round trips through the renderers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/outline_parser.h"
#include "domain/outline_text.h"
#include "domain/reference_lines.h"

namespace docprof::domain {
namespace {

using Refs = std::vector<ReadingRef>;
using Notes = std::vector<CourseNote>;

// ---- Read: lines on their own ------------------------------------------------------------------

TEST(ReadLine, ChapterOnly) {
  EXPECT_EQ(parse_read_line("Read: mckinsey-7e ch 3"), (ReadingRef{"mckinsey-7e", 3, ""}));
}

TEST(ReadLine, ChapterAndSection) {
  EXPECT_EQ(parse_read_line("Read: b1 ch 12 \xC2\xA7 The core valuation principle"),
            (ReadingRef{"b1", 12, "The core valuation principle"}));
}

TEST(ReadLine, ChapterSpellings) {
  for (const char* text : {"Read: b1 chapter 4", "Read: b1 Ch. 4", "read: b1 CH 4", "Read : b1 ch.4",
                           "Read: b1 Chapter 4 ", "Read: b1, ch 4", "Read: `b1` ch 4"}) {
    EXPECT_EQ(parse_read_line(text), (ReadingRef{"b1", 4, ""})) << text;
  }
}

TEST(ReadLine, UuidBookIdsKeepTheirHyphens) {
  EXPECT_EQ(parse_read_line("Read: 5b0c2a8e-3f4d-4c61-9a57-2f1e8d7c6b10 ch 2 \xC2\xA7 \"Cash flow\""),
            (ReadingRef{"5b0c2a8e-3f4d-4c61-9a57-2f1e8d7c6b10", 2, "Cash flow"}));
}

TEST(ReadLine, WordsStartingWithChAreNoChapter) {
  EXPECT_EQ(parse_read_line("Read: chemistry-book chapter 7"), (ReadingRef{"chemistry-book", 7, ""}));
  EXPECT_FALSE(parse_read_line("Read: the chart 7").has_value());
}

TEST(ReadLine, InvalidLinesGiveNothing) {
  EXPECT_FALSE(parse_read_line("Read: b1").has_value());           // no chapter
  EXPECT_FALSE(parse_read_line("Read: b1 ch").has_value());        // no number
  EXPECT_FALSE(parse_read_line("Read: ch 3").has_value());         // no book
  EXPECT_FALSE(parse_read_line("Read: b1 ch 0").has_value());      // chapters count from 1
  EXPECT_FALSE(parse_read_line("Read:").has_value());
  EXPECT_FALSE(parse_read_line("Reading: b1 ch 3").has_value());   // another label
  EXPECT_FALSE(parse_read_line("Read the chapter 3 notes").has_value());
  EXPECT_TRUE(is_read_line("Read: b1"));
  EXPECT_FALSE(is_read_line("Readings: b1 ch 3"));
}

TEST(ReadLine, RendersCanonically) {
  EXPECT_EQ(render_read_line(ReadingRef{"b1", 3, ""}), "Read: b1 ch 3");
  EXPECT_EQ(render_read_line(ReadingRef{"b1", 3, "Risk"}), "Read: b1 ch 3 \xC2\xA7 Risk");
  for (const ReadingRef& ref : {ReadingRef{"b1", 3, ""}, ReadingRef{"a-b-c", 17, "Section: two"}}) {
    EXPECT_EQ(parse_read_line(render_read_line(ref)), ref);
  }
}

// ---- Note: lines on their own ------------------------------------------------------------------

TEST(NoteLine, ThreeForms) {
  EXPECT_EQ(parse_note_line("Note: Assumes basic algebra"), (CourseNote{"note", "", "Assumes basic algebra"}));
  EXPECT_EQ(parse_note_line("Note (prior_knowledge): Skips accounting basics"),
            (CourseNote{"prior_knowledge", "", "Skips accounting basics"}));
  EXPECT_EQ(parse_note_line("Note (uncovered_topic: real options): No book covers it"),
            (CourseNote{"uncovered_topic", "real options", "No book covers it"}));
}

TEST(NoteLine, KindsAreNormalisedOrRejected) {
  EXPECT_EQ(parse_note_line("NOTE (Uncovered Topic: Options (derivatives)): none")->kind, "uncovered_topic");
  EXPECT_EQ(parse_note_line("Note (uncovered-topic: x): y")->topic, "x");
  EXPECT_EQ(parse_note_line("Note (uncovered_topic: Options (derivatives)): none")->topic,
            "Options (derivatives)");
  EXPECT_FALSE(parse_note_line("Note (see below!): x").has_value());
  EXPECT_FALSE(parse_note_line("Note (open: x").has_value());
}

TEST(NoteLine, NotesWithoutAMessageAreNoNotes) {
  EXPECT_FALSE(parse_note_line("Note:").has_value());
  EXPECT_FALSE(parse_note_line("Notes: x").has_value());
  EXPECT_FALSE(parse_note_line("Note (prior_knowledge):   ").has_value());
  EXPECT_FALSE(parse_note_line("Noteworthy: x").has_value());
}

TEST(NoteLine, RenderParsesBack) {
  for (const CourseNote& note : {CourseNote{"note", "", "Plain remark"}, CourseNote{"prior_knowledge", "", "m"},
                                 CourseNote{"uncovered_topic", "real options", "No material"},
                                 CourseNote{"note", "topic", "m"}}) {
    EXPECT_EQ(parse_note_line(render_note(note)), note) << render_note(note);
    const auto parts = parse_parts("Part 1: A - 30 minutes\n" + render_note(note) + "\n");
    ASSERT_TRUE(parts.ok());
    EXPECT_EQ(parts->notes, Notes{note});
  }
  EXPECT_EQ(render_note(CourseNote{"uncovered_topic", "x", "y"}), "Note (uncovered_topic: x): y");
  EXPECT_EQ(render_note(CourseNote{"", "", "y"}), "Note: y");
}

// ---- Read: lines in answers -------------------------------------------------------------------

TEST(SectionsWithReads, ReadLinesAfterObjectives) {
  const auto s = parse_sections(
      "## Part 1: Basics\n\n### Section 1: Cash Flow - 30 minutes\nLearning objectives:\n- Define FCF\n"
      "- Compute NOPAT\nRead: b1 ch 2\nRead: b2 ch 5 \xC2\xA7 Free cash flow\n\n"
      "### Section 2: WACC - 20 minutes\nLearning objectives:\n- Estimate beta\n- Weight costs\n");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->sections.size(), 2U);
  EXPECT_EQ(s->sections[0].objectives, (std::vector<std::string>{"Define FCF", "Compute NOPAT"}));
  EXPECT_EQ(s->sections[0].reads, (Refs{{"b1", 2, ""}, {"b2", 5, "Free cash flow"}}));
  EXPECT_EQ(s->sections[1], (SectionDraft{"WACC", 20, {"Estimate beta", "Weight costs"}, {}}));
}

TEST(SectionsWithReads, DecoratedAmongObjectivesWithCrlf) {
  const auto s = parse_sections(
      "### Section 1: Risk - 25 minutes  \r\n- Explain beta\r\n- Read: b1 Ch. 4  \r\n"
      "**Read:** b1 chapter 5 \xC2\xA7 Market risk\r\n- Estimate the premium\r\n"
      "### Section 2: Returns - 20 minutes\r\n- One\r\n- Two\r\n");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->sections.size(), 2U);
  EXPECT_EQ(s->sections[0].objectives, (std::vector<std::string>{"Explain beta", "Estimate the premium"}));
  EXPECT_EQ(s->sections[0].reads, (Refs{{"b1", 4, ""}, {"b1", 5, "Market risk"}}));
  EXPECT_EQ(s->sections[1].title, "Returns");
  EXPECT_TRUE(s->sections[1].reads.empty());
}

TEST(SectionsWithReads, InvalidReadLinesAreIgnored) {
  const auto s = parse_sections(
      "### Section 1: A - 30 minutes\n- One\nRead: b1\nRead: ch 3\n- Two\nRead:\n"
      "### Section 2: B - 30 minutes\n- Three\n");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->sections.size(), 2U);
  EXPECT_EQ(s->sections[0].objectives, (std::vector<std::string>{"One", "Two"}));
  EXPECT_TRUE(s->sections[0].reads.empty());
}

TEST(SectionsWithReads, ReadLineBeforeAnySectionBelongsToNone) {
  const auto s = parse_sections("Read: b1 ch 1\n### Section 1: A - 30 minutes\n- One\n- Two\n");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->sections.size(), 1U);
  EXPECT_TRUE(s->sections[0].reads.empty());
}

TEST(SectionsWithReads, ReadsOnlyIsNoSection) {
  const auto s = parse_sections("Read: b1 ch 1\nRead: b2 ch 3\n");
  EXPECT_FALSE(s.ok());
}

TEST(OutlineWithReads, WholeOutlineKeepsReadsPerSection) {
  const auto o = parse_outline(
      "## Part 1: A\n### Section 1: A1 - 30 minutes\n- x\n- y\nRead: b1 ch 1\n"
      "## Part 2: B\n### Section 1: B1 - 30 minutes\n- z\nRead: b2 ch 9 \xC2\xA7 Options\n");
  ASSERT_TRUE(o.ok()) << o.error().message;
  ASSERT_EQ(o->parts.size(), 2U);
  EXPECT_EQ(o->parts[0].sections[0].reads, (Refs{{"b1", 1, ""}}));
  EXPECT_EQ(o->parts[1].sections[0].reads, (Refs{{"b2", 9, "Options"}}));
}

TEST(OutlineWithReads, RenderedOutlineRoundTripsItsReads) {
  Outline outline;
  outline.parts.push_back(PartDraft{"Foundations", 50,
                                    {SectionDraft{"Cash flow", 30, {"Define FCF", "Compute NOPAT"},
                                                  {{"b1", 2, ""}, {"b2", 5, "Free cash flow"}}},
                                     SectionDraft{"Risk", 20, {"Explain beta", "Use CAPM"}, {}}}});
  outline.parts.push_back(
      PartDraft{"Valuation", 40, {SectionDraft{"DCF", 40, {"Discount", "Sum"}, {{"b1", 7, "Terminal value"}}}}});
  const std::string text = render_outline(outline);
  EXPECT_NE(text.find("- Compute NOPAT\nRead: b1 ch 2\nRead: b2 ch 5 \xC2\xA7 Free cash flow\n"),
            std::string::npos)
      << text;
  const auto parsed = parse_outline(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed.value(), outline);
  const auto part = parse_sections(render_part(1, outline.parts[0]));
  ASSERT_TRUE(part.ok());
  EXPECT_EQ(part->sections, outline.parts[0].sections);
}

// ---- Note: lines in parts answers ---------------------------------------------------------------

TEST(PartsWithNotes, NotesAreCollectedAndAreNeverParts) {
  const auto p = parse_parts(
      "Course title: Valuation\nNote (prior_knowledge): You know basic accounting, so it is skipped\n"
      "Part 1: Cash Flows - 60 minutes\nPart 2: DCF - 60 minutes\nTotal: 120 minutes\n\n"
      "- Note (uncovered_topic: Real options): No book in the library covers them - 30 minutes\n"
      "**Note:** Part 3: Extras - 20 minutes were left out\n");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->parts, (std::vector<PartPlan>{{"Cash Flows", 60}, {"DCF", 60}}));
  EXPECT_EQ(p->notes, (Notes{{"prior_knowledge", "", "You know basic accounting, so it is skipped"},
                             {"uncovered_topic", "Real options", "No book in the library covers them - 30 minutes"},
                             {"note", "", "Part 3: Extras - 20 minutes were left out"}}));
}

TEST(PartsWithNotes, NotesInARemarksBlockAreStillRead) {
  const auto p = parse_parts(
      "Part 1: A - 30 minutes\r\nPart 2: B - 30 minutes  \r\n\r\nNotes:\r\nPart 3: C - 20 minutes\r\n"
      "- Note (uncovered_topic: C): not in the library\r\n");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->parts.size(), 2U);
  EXPECT_EQ(p->notes, (Notes{{"uncovered_topic", "C", "not in the library"}}));
}

TEST(PartsWithNotes, NoNotesGiveAnEmptyList) {
  const auto p = parse_parts("Part 1: A - 30 minutes\nNotes:\n- assumes nothing\n");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->notes.empty());
}

TEST(PartsWithNotes, OnlyNotesIsStillUnparseable) {
  const auto p = parse_parts("Note (uncovered_topic: x): nothing to plan\n");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, "unparseable_output");
}

TEST(SectionsWithNotes, NoteInASectionsAnswerStaysARemark) {
  const auto s = parse_sections(
      "### Section 1: A - 30 minutes\n- One\n- Two\nNote (prior_knowledge): skip the intro\n- not an objective\n"
      "### Section 2: B - 20 minutes\n- Three\n");
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->sections.size(), 2U);
  EXPECT_EQ(s->sections[0].objectives, (std::vector<std::string>{"One", "Two"}));
}

}  // namespace
}  // namespace docprof::domain
