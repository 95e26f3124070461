// What the course quality checker reads: the outline JSON of `docprof course show --json` (with
// and without the newer `sources` and `notes` fields) and the relevance label files.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "quality/course_outline.h"
#include "quality/relevance_label.h"

namespace docprof::quality {
namespace {

using nlohmann::json;

json outline_json() {
  return json::parse(R"({
    "course_id": "c1", "title": "Valuing a Company", "original_query": "value a company",
    "parts": [{"title": "Cash Flow", "estimated_minutes": 45, "sections": [
      {"title": "Free Cash Flow", "estimated_minutes": 45,
       "learning_objectives": ["Compute free cash flow from an income statement and a balance sheet",
                               "Interpret the WACC"],
       "sources": [{"book_id": "b1", "book_title": "Valuation", "chapter_number": 9,
                    "chapter_title": "Analyzing Performance", "section_title": null},
                   {"book_id": "b2", "book_title": "Investment Valuation", "chapter_number": 3,
                    "chapter_title": "Financial Statements", "section_title": "Cash flows"}]}]}],
    "sections": [], "total_minutes": 45,
    "notes": [{"kind": "uncovered_topic", "topic": "real options", "message": "no chapter"}]
  })");
}

TEST(CourseCheckerJsonTest, ReadsPartsSectionsSourcesAndNotes) {
  const CourseOutline outline = outline_from_json(outline_json());
  EXPECT_EQ(outline.course_id, "c1");
  EXPECT_EQ(outline.query, "value a company");
  ASSERT_EQ(outline.parts.size(), 1u);
  ASSERT_EQ(outline.parts[0].sections.size(), 1u);
  const OutlineSection& section = outline.parts[0].sections[0];
  EXPECT_EQ(section.minutes, 45);
  EXPECT_EQ(section.objectives.size(), 2u);
  ASSERT_EQ(section.sources.size(), 2u);
  EXPECT_EQ(section.sources[0].book_id, "b1");
  EXPECT_EQ(section.sources[0].chapter_number, 9);
  EXPECT_FALSE(section.sources[0].section_title.has_value());
  EXPECT_EQ(section.sources[1].section_title.value_or(""), "Cash flows");
  ASSERT_EQ(outline.notes.size(), 1u);
  EXPECT_EQ(outline.notes[0].kind, "uncovered_topic");
  EXPECT_EQ(outline.notes[0].topic, "real options");
  EXPECT_EQ(outline.total_minutes(), 45);
}

TEST(CourseCheckerJsonTest, AnOutlineWithoutSourcesOrNotesReadsThemAsEmpty) {
  json j = outline_json();
  j.erase("notes");
  j["parts"][0]["sections"][0].erase("sources");
  const CourseOutline outline = outline_from_json(j);
  EXPECT_TRUE(outline.notes.empty());
  EXPECT_TRUE(outline.parts[0].sections[0].sources.empty());
  EXPECT_EQ(outline.parts[0].sections[0].objectives.size(), 2u);
}

TEST(CourseCheckerJsonTest, AnOutlineWithoutPartsOrTitleIsRefused) {
  json j = outline_json();
  j.erase("parts");
  EXPECT_THROW(outline_from_json(j), std::invalid_argument);
  j = outline_json();
  j["title"] = 3;
  EXPECT_THROW(outline_from_json(j), std::invalid_argument);
}

TEST(CourseCheckerJsonTest, ReadsALabelFile) {
  const auto labels = labels_from_json(json::parse(R"([
    {"id": "rust-1h", "library": "debian", "split": "heldout", "query": "teach me Rust",
     "hours": 1.5, "depth": "technical", "books": ["rust-book"], "also_ok": ["cargo-book"],
     "topics": ["ownership"], "uncoverable_topics": ["async"], "prior_knowledge": ["C"],
     "topic_order": true},
    {"id": "valuation", "query": "value a company", "hours": 6, "books": ["mckinsey-valuation-7e"]}
  ])"));
  ASSERT_EQ(labels.size(), 2u);
  EXPECT_EQ(labels[0].library, "debian");
  EXPECT_EQ(labels[0].split, "heldout");
  EXPECT_DOUBLE_EQ(labels[0].hours, 1.5);
  EXPECT_EQ(labels[0].depth, "technical");
  EXPECT_EQ(labels[0].also_ok, std::vector<std::string>{"cargo-book"});
  EXPECT_EQ(labels[0].uncoverable_topics, std::vector<std::string>{"async"});
  EXPECT_EQ(labels[0].prior_knowledge, std::vector<std::string>{"C"});
  EXPECT_TRUE(labels[0].topic_order);
  EXPECT_EQ(labels[1].depth, "balanced");
  EXPECT_FALSE(labels[1].topic_order);
  EXPECT_TRUE(labels[1].topics.empty());
}

TEST(CourseCheckerJsonTest, ALabelWithoutQueryHoursOrBooksIsRefused) {
  EXPECT_THROW(label_from_json(json::parse(R"({"id": "x", "hours": 1, "books": []})")),
               std::invalid_argument);
  EXPECT_THROW(label_from_json(json::parse(R"({"id": "x", "query": "q", "books": []})")),
               std::invalid_argument);
  EXPECT_THROW(label_from_json(json::parse(R"({"id": "x", "query": "q", "hours": 1})")),
               std::invalid_argument);
  EXPECT_THROW(labels_from_json(json::parse(R"({"id": "x"})")), std::invalid_argument);
}

}  // namespace
}  // namespace docprof::quality
