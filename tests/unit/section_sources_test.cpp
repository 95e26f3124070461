// Sources of stored sections (section_sources.h): Read: references resolved against the run's
// books, the word match for sections without references, and what build_course_rows stores.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "domain/course_builder.h"
#include "domain/section_sources.h"
#include "workflow_test_support.h"

namespace docprof::testing {
namespace {

using Sources = std::vector<SectionSource>;
using Words = std::vector<std::string>;

BookMatch risk_book() {
  BookMatch book;
  book.book_id = "book-risk";
  book.title = "Risk and Return";
  book.similarity = 0.5;
  book.summary.source_title = book.title;
  book.summary.chapters = {
      {1, "Measuring Risk", "", {{"Beta and market risk", {"beta", "market risk premium"}, {"CAPM"}, ""}}},
      {4, "Cost of Capital", "",
       {{"The cost of debt", {"bond yields", "credit spreads"}, {"after-tax cost of debt"}, ""},
        {"Weighted average cost of capital", {"WACC", "capital structure"}, {"target weights"}, ""}}}};
  return book;
}

std::vector<BookMatch> library() {
  return {valuation_book(), risk_book()};
}

SectionDraft draft(std::string title, std::vector<std::string> objectives, std::vector<ReadingRef> reads = {}) {
  return SectionDraft{std::move(title), 20, std::move(objectives), std::move(reads)};
}

TEST(ContentWords, LowerCasesDropsStopWordsAndFoldsPlurals) {
  EXPECT_EQ(content_words("Explain the Companies' Free Cash Flows and taxes"),
            (Words{"company", "free", "cash", "flow", "tax"}));
  EXPECT_EQ(content_words("Analysis of business processes, classes"), (Words{"analysis", "business", "process", "class"}));
  EXPECT_EQ(content_words("a I of the"), Words{});
  EXPECT_EQ(content_words("évaluation évaluations"), (Words{"évaluation"}));
}

TEST(ResolveReads, KnownBookAndChapterTakeTheSummarysTitles) {
  const auto sources = resolve_reads({{"book-valuation", 2, ""}, {"book-risk", 4, "weighted AVERAGE cost of capital"}},
                                     library());
  EXPECT_EQ(sources, (Sources{{"book-valuation", valuation_book().title, 2, "Frameworks for Valuation", std::nullopt},
                              {"book-risk", "Risk and Return", 4, "Cost of Capital",
                               std::string("Weighted average cost of capital")}}));
}

TEST(ResolveReads, AnUnknownSectionTitleKeepsTheGivenText) {
  const auto sources = resolve_reads({{"book-risk", 1, " Volatility drag "}}, library());
  ASSERT_EQ(sources.size(), 1U);
  EXPECT_EQ(sources[0].section_title, std::optional<std::string>("Volatility drag"));
}

TEST(ResolveReads, UnknownBooksAndChaptersAreDroppedDuplicatesKeptOnce) {
  const auto sources = resolve_reads(
      {{"no-such-book", 1, ""}, {"book-risk", 9, ""}, {"book-risk", 1, ""}, {"book-risk", 1, ""}}, library());
  EXPECT_EQ(sources, (Sources{{"book-risk", "Risk and Return", 1, "Measuring Risk", std::nullopt}}));
}

TEST(ResolveReads, ABookMayBeNamedByItsTitle) {
  const auto sources = resolve_reads({{"risk and return", 1, ""}}, library());
  ASSERT_EQ(sources.size(), 1U);
  EXPECT_EQ(sources[0].book_id, "book-risk");
}

TEST(SectionSources, ReadsWinOverWords) {
  const auto sources =
      section_sources(draft("Enterprise DCF", {"Discount free cash flow at the WACC"}, {{"book-risk", 1, ""}}), library());
  EXPECT_EQ(sources, (Sources{{"book-risk", "Risk and Return", 1, "Measuring Risk", std::nullopt}}));
}

TEST(SectionSources, WithoutReadsTheBestChapterAndSectionByWords) {
  const auto sources = section_sources(
      draft("Estimating the cost of capital", {"Compute the after-tax cost of debt from bond yields"}), library());
  EXPECT_EQ(sources, (Sources{{"book-risk", "Risk and Return", 4, "Cost of Capital", std::string("The cost of debt")}}));
}

TEST(SectionSources, UnresolvableReadsFallBackToWords) {
  const auto sources = section_sources(
      draft("Enterprise DCF", {"Project free cash flow", "Estimate continuing value"}, {{"made-up", 3, ""}}), library());
  ASSERT_EQ(sources.size(), 1U);
  EXPECT_EQ(sources[0].book_id, "book-valuation");
  EXPECT_EQ(sources[0].chapter_number, 2);
  EXPECT_EQ(sources[0].section_title, std::optional<std::string>("Enterprise DCF"));
}

TEST(SectionSources, ASingleSharedWordIsNotEnough) {
  EXPECT_TRUE(section_sources(draft("Market psychology", {"Describe herd behaviour"}), library()).empty());
  EXPECT_TRUE(section_sources(draft("Poetry", {"Read sonnets", "Write a haiku"}), library()).empty());
  EXPECT_TRUE(section_sources(draft("Cost of capital", {}), {}).empty());
}

TEST(SectionSources, TiesGoToTheHigherRankedBookThenTheEarlierChapter) {
  BookMatch first = risk_book();
  BookMatch second = risk_book();
  second.book_id = "book-risk-copy";
  const auto sources = section_sources(draft("Market risk and beta", {"Estimate beta"}), {first, second});
  ASSERT_EQ(sources.size(), 1U);
  EXPECT_EQ(sources[0].book_id, "book-risk");
  EXPECT_EQ(sources[0].chapter_number, 1);
  // The chapter matches, but no single section shares two words: the whole chapter is meant.
  BookMatch flat = risk_book();
  flat.summary.chapters[1].sections = {{"Debt", {"bonds"}, {}, ""}, {"Equity", {"capital"}, {}, ""}};
  const auto whole = section_sources(draft("Cost of capital", {"Use bond yields"}), {flat});
  ASSERT_EQ(whole.size(), 1U);
  EXPECT_EQ(whole[0].chapter_number, 4);
  EXPECT_FALSE(whole[0].section_title.has_value());
}

TEST(CourseRowsSources, SectionRowsCarrySourcesPartRowsNone) {
  const Outline outline{{PartDraft{"Foundations", 0,
                                   {draft("Risk", {"Explain beta", "Use CAPM"}, {{"book-risk", 1, "Beta and market risk"}}),
                                    draft("Enterprise DCF", {"Project free cash flow", "Estimate continuing value"}),
                                    draft("Poetry", {"Read sonnets", "Write a haiku"})}}}};
  RunState state = expanded_state(outline);
  state.books = library();
  state.notes = {{"uncovered_topic", "real options", "No book covers real options"}};
  const CourseRows rows = build_course_rows(state, outline, 0);
  ASSERT_EQ(rows.sections.size(), 4U);
  EXPECT_TRUE(rows.sections[0].sources.empty());  // the part row
  EXPECT_EQ(rows.sections[1].sources,
            (Sources{{"book-risk", "Risk and Return", 1, "Measuring Risk", std::string("Beta and market risk")}}));
  ASSERT_EQ(rows.sections[2].sources.size(), 1U);
  EXPECT_EQ(rows.sections[2].sources[0].chapter_title, "Frameworks for Valuation");
  EXPECT_TRUE(rows.sections[3].sources.empty());
  EXPECT_EQ(rows.course.notes, state.notes);
}

}  // namespace
}  // namespace docprof::testing
