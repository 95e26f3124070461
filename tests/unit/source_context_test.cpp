#include "domain/source_context.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/text.h"

namespace docprof::domain {
namespace {

ChapterSummary chapter(int number, std::string title, std::string summary,
                       std::vector<std::string> topics = {},
                       std::vector<std::string> concepts = {}) {
  ChapterSummary c;
  c.chapter_number = number;
  c.chapter_title = std::move(title);
  c.summary = std::move(summary);
  SectionSummary s;
  s.section_title = "Section";
  s.topics = std::move(topics);
  s.key_concepts = std::move(concepts);
  c.sections.push_back(std::move(s));
  return c;
}

BookMatch book(std::string id, std::string title, double similarity,
               std::vector<ChapterSummary> chapters, std::vector<ChapterScore> scores = {}) {
  BookMatch b;
  b.book_id = std::move(id);
  b.title = title;
  b.author = "A. Author";
  b.similarity = similarity;
  b.chapter_scores = std::move(scores);
  b.summary.source_title = std::move(title);
  b.summary.author = "A. Author";
  b.summary.source_summary = "A book about " + b.book_id + ".";
  b.summary.total_chapters = static_cast<int>(chapters.size());
  b.summary.chapters = std::move(chapters);
  return b;
}

std::string repeat(std::string_view unit, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += unit;
  return out;
}

BookMatch big_book(int index) {
  std::vector<ChapterSummary> chapters;
  std::vector<ChapterScore> scores;
  for (int c = 1; c <= 40; ++c) {
    std::vector<std::string> topics;
    for (int t = 0; t < 20; ++t)
      topics.push_back("topic " + std::to_string(c) + "." + std::to_string(t));
    chapters.push_back(chapter(c, "Chapter title " + std::to_string(c),
                               repeat("Long chapter summary. ", 100), topics, topics));
    scores.push_back({c, 0.9 - 0.01 * c, {}});
  }
  BookMatch b = book("book-" + std::to_string(index), "Big Book " + std::to_string(index),
                     0.9 - 0.01 * index, chapters, scores);
  b.summary.source_summary = repeat("An enormous summary sentence. ", 300);
  return b;
}

TEST(EstimateTokens, IsCeilOfBytesOverFour) {
  EXPECT_EQ(estimate_tokens(""), 0);
  EXPECT_EQ(estimate_tokens("a"), 1);
  EXPECT_EQ(estimate_tokens("abcd"), 1);
  EXPECT_EQ(estimate_tokens("abcde"), 2);
  EXPECT_EQ(estimate_tokens("\u00E9\u00E9"), 1);  // 4 bytes
}

TEST(SourceContext, NoBooksGivesTheSentinel) {
  EXPECT_EQ(build_source_context({}, 6000), "No source material available");
  EXPECT_EQ(build_source_context({}, 6000), kNoSourceMaterial);
}

TEST(SourceContext, DigestHasTitleSummaryAndChaptersNotJson) {
  const auto text = build_source_context({book("b1", "Valuation", 0.83,
                                               {chapter(1, "Cash Flows", "Free cash flow basics.",
                                                        {"FCFF", "FCFE"}, {"discounting"})})},
                                         6000);
  EXPECT_NE(text.find("Valuation by A. Author (relevance 0.83)"), std::string::npos) << text;
  EXPECT_NE(text.find("A book about b1."), std::string::npos);
  EXPECT_NE(text.find("Ch 1: Cash Flows \u2014 Free cash flow basics."), std::string::npos) << text;
  EXPECT_NE(text.find("Topics: FCFF, FCFE"), std::string::npos) << text;
  EXPECT_NE(text.find("Key concepts: discounting"), std::string::npos) << text;
  EXPECT_EQ(text.find("chapter_number"), std::string::npos);
  EXPECT_EQ(text.find('{'), std::string::npos);
}

TEST(SourceContext, KeepsInputOrderOfBooks) {
  const auto text =
      build_source_context({book("b1", "Most Relevant", 0.9, {}), book("b2", "Second", 0.95, {}),
                            book("b3", "Third", 0.5, {})},
                           6000);
  const auto first = text.find("Most Relevant");
  const auto second = text.find("Second");
  const auto third = text.find("Third");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(third, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
}

TEST(SourceContext, OrdersChaptersByScoreThenBookOrder) {
  const auto text = build_source_context({book("b1", "Book", 0.9,
                                               {chapter(1, "Alpha", "a"), chapter(2, "Beta", "b"),
                                                chapter(3, "Gamma", "c"), chapter(4, "Delta", "d")},
                                               {{3, 0.8, {}}, {1, 0.6, {}}})},
                                         6000);
  const auto gamma = text.find("Ch 3: Gamma");
  const auto alpha = text.find("Ch 1: Alpha");
  const auto beta = text.find("Ch 2: Beta");
  const auto delta = text.find("Ch 4: Delta");
  ASSERT_NE(gamma, std::string::npos);
  ASSERT_NE(delta, std::string::npos);
  EXPECT_LT(gamma, alpha);
  EXPECT_LT(alpha, beta);
  EXPECT_LT(beta, delta);
}

TEST(SourceContext, UnsortedChapterScoresAreRankedBestFirst) {
  const auto text = build_source_context(
      {book("b1", "Book", 0.9, {chapter(1, "Alpha", "a"), chapter(2, "Beta", "b")},
            {{1, 0.2, {}}, {2, 0.7, {}}})},
      6000);
  EXPECT_LT(text.find("Ch 2: Beta"), text.find("Ch 1: Alpha"));
}

TEST(SourceContext, NeverExceedsTheBudget) {
  std::vector<BookMatch> books;
  for (int i = 0; i < 5; ++i) books.push_back(big_book(i));
  for (const int budget : {1, 5, 10, 20, 50, 100, 333, 1000, 6000, 20000}) {
    const auto text = build_source_context(books, budget);
    EXPECT_LE(estimate_tokens(text), budget) << budget;
    EXPECT_TRUE(is_valid_utf8(text)) << budget;
  }
}

TEST(SourceContext, NeverExceedsTheBudgetAtAnySize) {
  // Many short lines: an off-by-one in the accounting of line breaks shows up at some budget.
  std::vector<BookMatch> books;
  for (int b = 0; b < 4; ++b) {
    std::vector<ChapterSummary> chapters;
    for (int c = 1; c <= 6; ++c)
      chapters.push_back(chapter(c, "C" + std::to_string(c), "s", {"t"}));
    books.push_back(book("b" + std::to_string(b), "B" + std::to_string(b), 0.5, chapters));
  }
  const std::string full = build_source_context(books, 100000);
  std::size_t previous = 0;
  for (int budget = 1; budget <= estimate_tokens(full); ++budget) {
    const std::string text = build_source_context(books, budget);
    ASSERT_LE(estimate_tokens(text), budget) << budget;
    EXPECT_GE(text.size(), previous) << budget;  // more budget never shows less
    previous = text.size();
  }
  EXPECT_EQ(build_source_context(books, estimate_tokens(full)), full);
}

TEST(SourceContext, ZeroBudgetGivesNothing) {
  EXPECT_EQ(build_source_context({big_book(1)}, 0), "");
  EXPECT_EQ(build_source_context({big_book(1)}, -5), "");
}

TEST(SourceContext, TightBudgetKeepsBestBookAndBestChapter) {
  const std::vector<BookMatch> books{
      book("b1", "First", 0.9, {chapter(1, "Weak", "w"), chapter(2, "Strong", "s")},
           {{2, 0.9, {}}, {1, 0.1, {}}}),
      book("b2", "Second", 0.5, {chapter(1, "Other", "o")}, {{1, 0.05, {}}})};
  const auto full = build_source_context(books, 6000);
  ASSERT_NE(full.find("Ch 1: Other"), std::string::npos);
  // Find the smallest budget that admits the strongest chapter: at it, the weaker ones are out.
  for (int budget = 1; budget < estimate_tokens(full); ++budget) {
    const auto text = build_source_context(books, budget);
    if (text.find("Ch 2: Strong") == std::string::npos) continue;
    EXPECT_NE(text.find("First"), std::string::npos);
    EXPECT_NE(text.find("Second"), std::string::npos);
    EXPECT_EQ(text.find("Ch 1: Weak"), std::string::npos);
    EXPECT_EQ(text.find("Ch 1: Other"), std::string::npos);
    return;
  }
  FAIL() << "the strong chapter never appeared";
}

TEST(SourceContext, TitlesOfAllBooksComeBeforeAnyChapter) {
  std::vector<BookMatch> books;
  for (int i = 0; i < 10; ++i) books.push_back(big_book(i));
  const auto text = build_source_context(books, 400);  // 1600 bytes: titles only, or nearly
  for (int i = 0; i < 10; ++i) {
    EXPECT_NE(text.find("Big Book " + std::to_string(i) + " by"), std::string::npos) << i;
  }
}

TEST(SourceContext, FiftyBigBooksStayBoundedAndNamed) {
  std::vector<BookMatch> books;
  for (int i = 0; i < 50; ++i) books.push_back(big_book(i));
  const auto text = build_source_context(books, 6000);
  EXPECT_LE(estimate_tokens(text), 6000);
  EXPECT_GT(estimate_tokens(text), 5000);  // the budget is used, not wasted
  for (int i = 0; i < 50; ++i) {
    EXPECT_NE(
        text.find("Book " + std::to_string(i + 1) + ": Big Book " + std::to_string(i) + " by"),
        std::string::npos)
        << i;
  }
  // The most relevant book's best chapter is in; the digest is not dominated by one book.
  EXPECT_NE(text.find("Ch 1: Chapter title 1 "), std::string::npos);
}

TEST(SourceContext, LongTextsAreClippedPerLine) {
  BookMatch b = big_book(0);
  const auto text = build_source_context({b}, 100000);
  // Every chapter is listed, but no single line carries a whole 2,200-byte summary.
  EXPECT_NE(text.find("Ch 40: "), std::string::npos);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    EXPECT_LT(end - start, 1200u);
    start = end + 1;
  }
}

TEST(SourceContext, ClipsNeverSplitUtf8) {
  BookMatch b = book("b1", "\u65E5\u672C", 0.7,
                     {chapter(1, repeat("\u00E9", 300), repeat("\u65E5\u672C\u8A9E", 400),
                              {repeat("\u00FC", 100)})});
  b.summary.source_summary = repeat("\xF0\x9F\x98\x80", 500);
  for (const int budget : {3, 10, 40, 100, 200, 400, 1000, 5000}) {
    const auto text = build_source_context({b}, budget);
    EXPECT_TRUE(is_valid_utf8(text)) << budget;
    EXPECT_LE(estimate_tokens(text), budget);
  }
  EXPECT_NE(build_source_context({b}, 5000).find("\u2026"), std::string::npos);
}

TEST(SourceContext, MultiLineSummariesAreFolded) {
  BookMatch b =
      book("b1", "Book", 0.7, {chapter(1, "Title\nwith break", "line one\nline two\r\n")});
  const auto text = build_source_context({b}, 6000);
  EXPECT_NE(text.find("Ch 1: Title with break \u2014 line one line two"), std::string::npos)
      << text;
}

TEST(SourceContext, TopicsAreDeduplicatedAndCapped) {
  ChapterSummary c = chapter(1, "Chap", "s", {"NPV", "npv", "IRR"}, {});
  SectionSummary more;
  more.topics = {"IRR", "WACC"};
  c.sections.push_back(more);
  const auto text = build_source_context({book("b1", "Book", 0.7, {c})}, 6000);
  EXPECT_NE(text.find("Topics: NPV, IRR, WACC"), std::string::npos) << text;
}

TEST(SourceContext, IsDeterministic) {
  std::vector<BookMatch> books;
  for (int i = 0; i < 8; ++i) books.push_back(big_book(i));
  EXPECT_EQ(build_source_context(books, 3000), build_source_context(books, 3000));
}

TEST(SourceContext, NamesEachBookByItsIdAndEachChapterByItsNumber) {
  const auto text = build_source_context(
      {book("5b0c2a8e-3f4d-4c61-9a57-2f1e8d7c6b10", "Valuation", 0.83, {chapter(7, "Multiples", "m")})}, 6000);
  EXPECT_NE(text.find("(relevance 0.83) [book_id: 5b0c2a8e-3f4d-4c61-9a57-2f1e8d7c6b10]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nCh 7: Multiples"), std::string::npos) << text;
}

TEST(SourceContext, FallsBackToSummaryTitleAndAuthor) {
  BookMatch b = book("b1", "", 0.5, {});
  b.summary.source_title = "From Summary";
  b.author = "";
  b.summary.author = "Summary Author";
  const auto text = build_source_context({b}, 6000);
  EXPECT_NE(text.find("From Summary by Summary Author"), std::string::npos) << text;
}

}  // namespace
}  // namespace docprof::domain
