// book_vector_texts: which texts a book is embedded as (domain.md §7): one digest, one per chapter,
// one per chapter section, with the library's kind/ref/chapter_number conventions.
#include "domain/book_vectors.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using docprof::domain::BookSummary;
using docprof::domain::BookVectorKind;
using docprof::domain::BookVectorText;
using docprof::domain::ChapterSummary;
using docprof::domain::SectionSummary;

bool contains(const std::string& text, const std::string& piece) {
  return text.find(piece) != std::string::npos;
}

BookSummary valuation_book() {
  BookSummary book;
  book.source_title = "Corporate Valuation";
  book.author = "A. Author";
  book.total_chapters = 2;
  book.source_summary = "How companies create value and how to measure it.";
  book.chapters = {
      ChapterSummary{4,
                     "Estimating the Cost of Capital",
                     "WACC from the cost of equity and the after-tax cost of debt.",
                     {SectionSummary{"Cost of Equity",
                                     {"risk-free rate", "beta estimation"},
                                     {"CAPM", "equity risk premium"},
                                     "93-112"},
                      SectionSummary{"Cost of Debt", {"credit ratings"}, {"tax shield"}, ""}}},
      ChapterSummary{5, "Discounted Cash Flow", "Discounting free cash flow.", {}},
  };
  return book;
}

TEST(BookVectorTexts, OneDigestThenEachChapterFollowedByItsSections) {
  const auto texts = book_vector_texts(valuation_book());
  ASSERT_EQ(texts.size(), 5u);  // book + 2 chapters + 2 sections
  EXPECT_EQ(texts[0].kind, BookVectorKind::book);
  EXPECT_EQ(texts[1].kind, BookVectorKind::chapter);
  EXPECT_EQ(texts[2].kind, BookVectorKind::section);
  EXPECT_EQ(texts[3].kind, BookVectorKind::section);
  EXPECT_EQ(texts[4].kind, BookVectorKind::chapter);
}

TEST(BookVectorTexts, RefsAndChapterNumbersFollowTheLibraryConvention) {
  const auto texts = book_vector_texts(valuation_book());
  EXPECT_EQ(texts[0].ref, "");
  EXPECT_EQ(texts[0].chapter_number, 0);
  EXPECT_EQ(texts[1].ref, "4");
  EXPECT_EQ(texts[1].chapter_number, 4);
  EXPECT_EQ(texts[2].ref, "4.1");  // section index is 1-based within the chapter
  EXPECT_EQ(texts[3].ref, "4.2");
  EXPECT_EQ(texts[3].chapter_number, 4);
  EXPECT_EQ(texts[4].ref, "5");
  EXPECT_EQ(texts[4].chapter_number, 5);
}

TEST(BookVectorTexts, DigestHasTitleAuthorSummaryAndChapterTitles) {
  const std::string digest = book_vector_texts(valuation_book())[0].text;
  EXPECT_TRUE(contains(digest, "Corporate Valuation"));
  EXPECT_TRUE(contains(digest, "A. Author"));
  EXPECT_TRUE(contains(digest, "How companies create value"));
  EXPECT_TRUE(contains(digest, "Estimating the Cost of Capital; Discounted Cash Flow"));
  EXPECT_FALSE(contains(digest, "beta estimation"));  // section detail lives in its own vectors
}

TEST(BookVectorTexts, ChapterHasItsTitleBookTitleSummaryAndAllSectionDetail) {
  const std::string chapter = book_vector_texts(valuation_book())[1].text;
  EXPECT_TRUE(contains(chapter, "Estimating the Cost of Capital"));
  EXPECT_TRUE(contains(chapter, "Corporate Valuation"));
  EXPECT_TRUE(contains(chapter, "WACC from the cost of equity"));
  EXPECT_TRUE(contains(chapter, "Cost of Equity"));
  EXPECT_TRUE(contains(chapter, "risk-free rate, beta estimation"));
  EXPECT_TRUE(contains(chapter, "CAPM, equity risk premium"));
  EXPECT_TRUE(contains(chapter, "credit ratings"));
  EXPECT_TRUE(contains(chapter, "tax shield"));
  EXPECT_FALSE(contains(chapter, "Discounting free cash flow"));  // another chapter's summary
  EXPECT_FALSE(contains(chapter, "93-112"));                      // page ranges are not content
}

TEST(BookVectorTexts, SectionHasItsOwnDetailAndTheChapterTitleOnly) {
  const auto texts = book_vector_texts(valuation_book());
  const std::string& section = texts[2].text;
  EXPECT_EQ(section,
            "Cost of Equity\nrisk-free rate, beta estimation\nCAPM, equity risk premium\n"
            "Estimating the Cost of Capital");
  EXPECT_FALSE(contains(texts[3].text, "beta"));
  EXPECT_TRUE(contains(texts[3].text, "Estimating the Cost of Capital"));
}

TEST(BookVectorTexts, SkipsBlankFieldsAndTrimsWhitespace) {
  BookSummary book;
  book.source_title = "  Sparse Book  ";
  book.chapters = {ChapterSummary{
      1, "Only a Title", "   ", {SectionSummary{"Lonely Section", {"", "  topic  ", ""}, {}, ""}}}};
  const auto texts = book_vector_texts(book);
  ASSERT_EQ(texts.size(), 3u);
  EXPECT_EQ(texts[0].text, "Sparse Book\nOnly a Title");
  EXPECT_EQ(texts[1].text, "Only a Title\nSparse Book\nLonely Section\ntopic");
  EXPECT_EQ(texts[2].text, "Lonely Section\ntopic\nOnly a Title");
}

TEST(BookVectorTexts, KeepsTheSummaryChapterOrderAndNumbers) {
  BookSummary book;
  book.source_title = "Out of Order";
  book.chapters = {ChapterSummary{7, "Seven", "", {}}, ChapterSummary{0, "Prologue", "", {}}};
  const auto texts = book_vector_texts(book);
  ASSERT_EQ(texts.size(), 3u);
  EXPECT_EQ(texts[1].ref, "7");
  EXPECT_EQ(texts[2].ref, "0");
  EXPECT_EQ(texts[2].chapter_number, 0);
}

TEST(BookVectorTexts, IsDeterministic) {
  EXPECT_EQ(book_vector_texts(valuation_book()), book_vector_texts(valuation_book()));
}

TEST(BookVectorKind, NamesMatchTheStoredKinds) {
  EXPECT_EQ(to_string(BookVectorKind::book), "book");
  EXPECT_EQ(to_string(BookVectorKind::chapter), "chapter");
  EXPECT_EQ(to_string(BookVectorKind::section), "section");
}

TEST(BookVectorTexts, EveryFixtureBookGetsOneVectorPerChapterAndSection) {
  const std::filesystem::path dir = std::filesystem::path(DOCPROF_FIXTURES_DIR) / "books";
  int books = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path());
    const auto parsed = docprof::domain::parse_book_summary(nlohmann::json::parse(in));
    ASSERT_TRUE(parsed.ok()) << entry.path() << ": " << parsed.error().message;
    std::size_t expected = 1 + parsed->chapters.size();
    for (const auto& chapter : parsed->chapters) expected += chapter.sections.size();
    const auto texts = book_vector_texts(*parsed);
    EXPECT_EQ(texts.size(), expected) << entry.path();
    for (const BookVectorText& t : texts)
      EXPECT_FALSE(t.text.empty()) << entry.path() << " " << t.ref;
    ++books;
  }
  EXPECT_GE(books, 8);
}

}  // namespace
