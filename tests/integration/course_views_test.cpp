// The shared JSON and Markdown views of an outline (src/views): sources on every section row,
// nested and flat, and notes that are always present — for a stored course and while generating.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "views/course_views.h"

namespace {

using namespace docprof;
using nlohmann::json;

ports::StoredCourse stored_course() {
  ports::StoredCourse stored;
  stored.course.course_id = "c1";
  stored.course.user_id = "u1";
  stored.course.title = "Valuation Basics";
  stored.course.original_query = "learn valuation";
  stored.course.estimated_hours = 1.0;
  stored.course.created_at = stored.course.last_modified = "2026-12-03T10:00:00.000Z";
  stored.course.notes = {{"uncovered_topic", "real options", "No book covers them"}, {"note", "", "Assumes algebra"}};
  domain::CourseSection part;
  part.section_id = "p1";
  part.course_id = "c1";
  part.order_index = 1;
  part.title = "Cash Flow";
  part.estimated_minutes = 60;
  domain::CourseSection section = part;
  section.section_id = "s1";
  section.parent_section_id = "p1";
  section.order_index = 2;
  section.title = "Free Cash Flow";
  section.learning_objectives = {"Compute NOPAT"};
  section.sources = {{"b1", "Corporate Valuation", 2, "Reorganizing the Statements", std::string("Free Cash Flow")},
                     {"b2", "Risk", 4, "Cost of Capital", std::nullopt}};
  domain::CourseSection plain = section;
  plain.section_id = "s2";
  plain.order_index = 3;
  plain.title = "Wrap-up";
  plain.sources.clear();
  stored.sections = {part, section, plain};
  return stored;
}

TEST(OutlineView, SectionsCarrySourcesNestedAndFlat) {
  const json o = views::outline_json(stored_course(), nullptr, "c1");
  const json expected_sources = json::parse(R"([
      {"book_id": "b1", "book_title": "Corporate Valuation", "chapter_number": 2,
       "chapter_title": "Reorganizing the Statements", "section_title": "Free Cash Flow"},
      {"book_id": "b2", "book_title": "Risk", "chapter_number": 4, "chapter_title": "Cost of Capital",
       "section_title": null}])");
  EXPECT_EQ(o.at("parts").at(0).at("sections").at(0).at("sources"), expected_sources);
  EXPECT_EQ(o.at("parts").at(0).at("sections").at(1).at("sources"), json::array());
  EXPECT_EQ(o.at("sections").at(0).at("sources"), json::array());  // the part row
  EXPECT_EQ(o.at("sections").at(1).at("sources"), expected_sources);
}

TEST(OutlineView, NotesAreAlwaysThereWithNullForNoTopic) {
  const json o = views::outline_json(stored_course(), nullptr, "c1");
  EXPECT_EQ(o.at("notes"), json::parse(R"([
      {"kind": "uncovered_topic", "topic": "real options", "message": "No book covers them"},
      {"kind": "note", "topic": null, "message": "Assumes algebra"}])"));
  auto without = stored_course();
  without.course.notes.clear();
  EXPECT_EQ(views::outline_json(without, nullptr, "c1").at("notes"), json::array());
}

TEST(OutlineView, WhileGeneratingNotesComeFromTheRunState) {
  ports::RunRecord run;
  run.course_id = "c2";
  run.query = "learn valuation";
  const json before = views::outline_json(std::nullopt, &run, "c2");
  EXPECT_EQ(before.at("notes"), json::array());
  EXPECT_EQ(before.at("sections"), json::array());
  run.state = domain::RunState{};
  run.state->notes = {{"prior_knowledge", "", "Skips accounting"}};
  const json during = views::outline_json(std::nullopt, &run, "c2");
  EXPECT_EQ(during.at("notes"),
            json::parse(R"([{"kind": "prior_knowledge", "topic": null, "message": "Skips accounting"}])"));
  EXPECT_EQ(views::outline_json(std::nullopt, nullptr, "c3").at("notes"), json::array());
}

TEST(OutlineMarkdown, NotesOnTopAndOneReadLinePerSource) {
  const std::string md = views::outline_markdown(stored_course());
  const auto notes = md.find("\nNote (uncovered topic: real options): No book covers them\nNote: Assumes algebra\n");
  ASSERT_NE(notes, std::string::npos) << md;
  EXPECT_LT(notes, md.find("## Part 1"));
  EXPECT_NE(md.find("- Compute NOPAT\n"
                    "Read: Corporate Valuation, ch. 2 \"Reorganizing the Statements\" \u00A7 Free Cash Flow\n"
                    "Read: Risk, ch. 4 \"Cost of Capital\"\n"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("Read: ", md.find("Wrap-up")), std::string::npos) << md;
}

TEST(OutlineMarkdown, NoNotesNoNoteLines) {
  auto course = stored_course();
  course.course.notes.clear();
  EXPECT_EQ(views::outline_markdown(course).find("Note"), std::string::npos);
}

}  // namespace
