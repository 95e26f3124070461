#include "domain/book_summary.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/models_json.h"

namespace docprof::domain {
namespace {

using nlohmann::json;

const std::string kUnicode = "\u00C9valuation \u2014 \u4F01\u696D\u4FA1\u5024 \U0001F680";

// A complete summary_json in the original's format (domain.md §7), three chapters.
json full_document() {
  return json::parse(R"({
    "source_title": "Valuation: Measuring and Managing the Value of Companies",
    "author": "McKinsey & Company",
    "total_chapters": 3,
    "source_summary": "A practitioner's guide to corporate valuation.",
    "chapters": [
      {"chapter_number": 1, "chapter_title": "Why Value Value?", "summary": "Value creation.",
       "sections": [{"section_title": "Return on capital", "topics": ["ROIC", "growth"],
                     "key_concepts": ["value driver"], "page_range": "3-17"}]},
      {"chapter_number": 2, "chapter_title": "Fundamental Principles", "summary": "Cash flow.",
       "sections": [{"section_title": "Conservation of value", "topics": ["M&M"],
                     "key_concepts": [], "page_range": "18-30"},
                    {"section_title": "Expectations treadmill", "topics": [],
                     "key_concepts": ["TRS"], "page_range": ""}]},
      {"chapter_number": 3, "chapter_title": "Frameworks", "summary": "DCF and economic profit.",
       "sections": [{"section_title": "Enterprise DCF", "topics": ["FCF", "WACC", "TV"],
                     "key_concepts": ["free cash flow"], "page_range": "31-60"}]}
    ]})");
}

json minimal_document() {
  return json::parse(
      R"({"source_title": "Backups", "chapters": [{"chapter_number": 0, "chapter_title": "Intro"}]})");
}

TEST(ParseBookSummary, FullDocumentKeepsEveryField) {
  const auto r = parse_book_summary(full_document());
  ASSERT_TRUE(r.ok()) << r.error().message;
  const BookSummary& b = *r;
  EXPECT_EQ(b.source_title, "Valuation: Measuring and Managing the Value of Companies");
  EXPECT_EQ(b.author, "McKinsey & Company");
  EXPECT_EQ(b.total_chapters, 3);
  EXPECT_EQ(b.source_summary, "A practitioner's guide to corporate valuation.");
  ASSERT_EQ(b.chapters.size(), 3U);
  EXPECT_EQ(b.chapters[1].chapter_number, 2);
  EXPECT_EQ(b.chapters[1].chapter_title, "Fundamental Principles");
  EXPECT_EQ(b.chapters[1].summary, "Cash flow.");
  ASSERT_EQ(b.chapters[1].sections.size(), 2U);
  EXPECT_EQ(b.chapters[1].sections[1], (SectionSummary{"Expectations treadmill", {}, {"TRS"}, ""}));
  EXPECT_EQ(b.chapters[2].sections[0].topics, (std::vector<std::string>{"FCF", "WACC", "TV"}));
  EXPECT_EQ(b.chapters[0].sections[0].page_range, "3-17");
}

TEST(ParseBookSummary, MinimalDocumentGetsTheDefaults) {
  const auto r = parse_book_summary(minimal_document());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, (BookSummary{"Backups", "", 1, "", {ChapterSummary{0, "Intro", "", {}}}}));
}

TEST(ParseBookSummary, MissingTotalChaptersCountsTheChapters) {
  json d = full_document();
  d.erase("total_chapters");
  const auto r = parse_book_summary(d);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->total_chapters, 3);
}

TEST(ParseBookSummary, TotalChaptersMayDifferFromTheListedChapters) {
  json d = full_document();
  d["total_chapters"] = 40;  // summaries often cover only some chapters of a book
  ASSERT_TRUE(parse_book_summary(d).ok());
  EXPECT_EQ(parse_book_summary(d)->total_chapters, 40);
}

TEST(ParseBookSummary, SectionDefaultsApplyWhenKeysAreMissing) {
  json d = minimal_document();
  d["chapters"][0]["sections"] = json::parse(R"([{"section_title": "Only a title"}])");
  const auto r = parse_book_summary(d);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->chapters[0].sections[0], (SectionSummary{"Only a title", {}, {}, ""}));
}

TEST(ParseBookSummary, NullOptionalFieldsAreTheDefaults) {
  json d = minimal_document();
  d["author"] = nullptr;
  d["source_summary"] = nullptr;
  d["chapters"][0]["sections"] = nullptr;
  const auto r = parse_book_summary(d);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->author, "");
  EXPECT_TRUE(r->chapters[0].sections.empty());
}

TEST(ParseBookSummary, UnicodeTextIsKept) {
  json d = minimal_document();
  d["source_title"] = kUnicode;
  d["chapters"][0]["chapter_title"] = kUnicode;
  const auto r = parse_book_summary(json::parse(d.dump()));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->source_title, kUnicode);
  EXPECT_EQ(r->chapters[0].chapter_title, kUnicode);
}

TEST(ParseBookSummary, ParsedSummaryWritesBackToAnEquivalentDocument) {
  const auto first = parse_book_summary(full_document());
  ASSERT_TRUE(first.ok());
  const json written = *first;
  EXPECT_EQ(written, full_document());
  const auto second = parse_book_summary(json::parse(written.dump()));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, *first);
}

TEST(ParseBookSummary, ChapterNumbersNeedNotBeContiguous) {
  json d = full_document();
  d["chapters"][2]["chapter_number"] = 12;
  EXPECT_TRUE(parse_book_summary(d).ok());
}

// Each invalid document: one problem, one message naming its path.
struct Invalid {
  std::string name;
  std::function<void(json&)> spoil;  // applied to full_document()
  std::string message;
};

class InvalidBookSummary : public testing::TestWithParam<Invalid> {};

TEST_P(InvalidBookSummary, IsRejectedNamingThePath) {
  json d = full_document();
  GetParam().spoil(d);
  Result<BookSummary> r = Error{};
  ASSERT_NO_THROW(r = parse_book_summary(d));
  ASSERT_FALSE(r.ok()) << d.dump();
  EXPECT_EQ(r.error(), (Error{"invalid_book", GetParam().message}));
}

json& ch(json& d, std::size_t i) {
  return d["chapters"][i];
}
json& sec(json& d, std::size_t c, std::size_t s) {
  return d["chapters"][c]["sections"][s];
}

INSTANTIATE_TEST_SUITE_P(
    EachRule, InvalidBookSummary,
    testing::Values(
        Invalid{"array", [](json& d) { d = json::array({d}); }, "$: expected an object"},
        Invalid{"string", [](json& d) { d = d.dump(); }, "$: expected an object"},
        Invalid{"null", [](json& d) { d = nullptr; }, "$: expected an object"},
        Invalid{"source_title_missing", [](json& d) { d.erase("source_title"); },
                "source_title: expected a non-empty string"},
        Invalid{"source_title_empty", [](json& d) { d["source_title"] = ""; },
                "source_title: expected a non-empty string"},
        Invalid{"source_title_number", [](json& d) { d["source_title"] = 5; },
                "source_title: expected a string"},
        Invalid{"author_number", [](json& d) { d["author"] = 1; }, "author: expected a string"},
        Invalid{"total_chapters_negative", [](json& d) { d["total_chapters"] = -1; },
                "total_chapters: expected an integer >= 0"},
        Invalid{"total_chapters_fraction", [](json& d) { d["total_chapters"] = 2.5; },
                "total_chapters: expected an integer"},
        Invalid{"total_chapters_string", [](json& d) { d["total_chapters"] = "3"; },
                "total_chapters: expected an integer"},
        Invalid{"source_summary_array", [](json& d) { d["source_summary"] = json::array(); },
                "source_summary: expected a string"},
        Invalid{"chapters_missing", [](json& d) { d.erase("chapters"); },
                "chapters: expected a non-empty array"},
        Invalid{"chapters_empty", [](json& d) { d["chapters"] = json::array(); },
                "chapters: expected a non-empty array"},
        Invalid{"chapters_object", [](json& d) { d["chapters"] = json::object(); },
                "chapters: expected an array"},
        Invalid{"chapter_not_object", [](json& d) { ch(d, 1) = "chapter"; },
                "chapters[1]: expected an object"},
        Invalid{"chapter_number_missing", [](json& d) { ch(d, 2).erase("chapter_number"); },
                "chapters[2].chapter_number: missing"},
        Invalid{"chapter_number_negative", [](json& d) { ch(d, 1)["chapter_number"] = -4; },
                "chapters[1].chapter_number: expected an integer >= 0"},
        Invalid{"chapter_number_string", [](json& d) { ch(d, 0)["chapter_number"] = "1"; },
                "chapters[0].chapter_number: expected an integer"},
        Invalid{"chapter_number_fraction", [](json& d) { ch(d, 0)["chapter_number"] = 1.5; },
                "chapters[0].chapter_number: expected an integer"},
        Invalid{"chapter_number_huge", [](json& d) { ch(d, 0)["chapter_number"] = 1LL << 33; },
                "chapters[0].chapter_number: integer out of range"},
        Invalid{"chapter_number_duplicate", [](json& d) { ch(d, 2)["chapter_number"] = 1; },
                "chapters[2].chapter_number: duplicate chapter number 1 (also chapters[0])"},
        Invalid{"chapter_title_missing", [](json& d) { ch(d, 1).erase("chapter_title"); },
                "chapters[1].chapter_title: expected a non-empty string"},
        Invalid{"chapter_title_empty", [](json& d) { ch(d, 2)["chapter_title"] = ""; },
                "chapters[2].chapter_title: expected a non-empty string"},
        Invalid{"chapter_summary_number", [](json& d) { ch(d, 0)["summary"] = 0; },
                "chapters[0].summary: expected a string"},
        Invalid{"sections_not_array", [](json& d) { ch(d, 0)["sections"] = "none"; },
                "chapters[0].sections: expected an array"},
        Invalid{"section_not_object", [](json& d) { sec(d, 1, 1) = 3; },
                "chapters[1].sections[1]: expected an object"},
        Invalid{"section_title_missing", [](json& d) { sec(d, 1, 0).erase("section_title"); },
                "chapters[1].sections[0].section_title: expected a non-empty string"},
        Invalid{"section_title_empty", [](json& d) { sec(d, 2, 0)["section_title"] = ""; },
                "chapters[2].sections[0].section_title: expected a non-empty string"},
        Invalid{"topics_not_array", [](json& d) { sec(d, 0, 0)["topics"] = "ROIC"; },
                "chapters[0].sections[0].topics: expected an array"},
        Invalid{"topic_not_string", [](json& d) { sec(d, 2, 0)["topics"][1] = 7; },
                "chapters[2].sections[0].topics[1]: expected a string"},
        Invalid{"key_concept_null", [](json& d) { sec(d, 0, 0)["key_concepts"][0] = nullptr; },
                "chapters[0].sections[0].key_concepts[0]: expected a string"},
        Invalid{"page_range_number", [](json& d) { sec(d, 0, 0)["page_range"] = 3; },
                "chapters[0].sections[0].page_range: expected a string"}),
    [](const testing::TestParamInfo<Invalid>& test) { return test.param.name; });

}  // namespace
}  // namespace docprof::domain
