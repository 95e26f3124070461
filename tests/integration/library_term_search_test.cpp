// SqliteLibrary's term index against a real database file: a search by the request's words (with
// its hashing embedding) finds the book about them first and says which words matched; the
// library's statistics stay equal to its documents through imports, a replacement and a removal;
// a removed book is no longer found by its words; and the StemmingAnalyzer conflates the word
// forms a learner and a book use differently.
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/embed/hashing_embedder.h"
#include "adapters/embed/stemming_analyzer.h"
#include "adapters/sqlite/sqlite_library.h"
#include "engine/book_embedding.h"
#include "integration/temp_dir.h"

namespace {

using namespace docprof;
using adapters::embed::HashingEmbedder;
using adapters::sqlite::Session;
using adapters::sqlite::SqliteDatabase;
using adapters::sqlite::SqliteLibrary;
using test_support::TempDir;

domain::SectionSummary section(std::string title, std::vector<std::string> topics,
                               std::vector<std::string> concepts) {
  return domain::SectionSummary{std::move(title), std::move(topics), std::move(concepts), "", 0};
}

domain::ChapterSummary chapter(int number, std::string title, std::string summary,
                               std::vector<domain::SectionSummary> sections) {
  return domain::ChapterSummary{number, std::move(title), std::move(summary), std::move(sections), 0, "chapter"};
}

domain::BookSummary valuation_book() {
  return domain::BookSummary{
      "Measuring the Value of Companies",
      "A. Analyst",
      3,
      "Valuing firms by discounting their free cash flows at the cost of capital.",
      {chapter(1, "Discounted cash flow", "Forecast free cash flow and discount it to today.",
               {section("Free cash flow", {"free cash flow", "forecasting"}, {"operating cash flow"}),
                section("Discount rates", {"discount rate"}, {"present value"})}),
       chapter(2, "The cost of capital", "What investors require: the weighted average cost of capital.",
               {section("Cost of equity", {"beta", "equity risk premium"}, {"capital asset pricing"})}),
       chapter(3, "Terminal value", "Valuing the years beyond the forecast.",
               {section("Perpetuity growth", {"growth rate"}, {"terminal value"})})}};
}

domain::BookSummary c_book() {
  return domain::BookSummary{
      "Programming in C",
      "K. Coder",
      2,
      "The C language: pointers, structures and memory.",
      {chapter(1, "Pointers", "Addresses, pointer arithmetic and arrays.",
               {section("Pointer basics", {"addresses", "dereferencing"}, {"null pointer"})}),
       chapter(2, "Structures", "Grouping data with structures.",
               {section("Struct layout", {"padding", "alignment"}, {"unions"})})}};
}

domain::BookSummary gardening_book() {
  return domain::BookSummary{
      "Home Gardening",
      "G. Grower",
      2,
      "Growing vegetables at home.",
      {chapter(1, "Soil", "Compost and soil health.", {section("Compost", {"compost heaps"}, {"worms"})}),
       chapter(2, "Seeds", "Sowing seeds, and saving cash by keeping your own seeds.",
               {section("Sowing", {"sowing depth"}, {"germination"})})}};
}

std::vector<std::string> ids(const std::vector<domain::BookMatch>& matches) {
  std::vector<std::string> out;
  for (const auto& m : matches) out.push_back(m.book_id);
  return out;
}

class LibraryTermSearchTest : public ::testing::Test {
 protected:
  LibraryTermSearchTest()
      : db_(SqliteDatabase::open_and_migrate(dir_.file("docprof.db"))),
        library_(db_, adapters::embed::default_analyzer()) {}

  // Imports a book with its hashing vectors, made as an import makes them.
  void put(const std::string& id, const domain::BookSummary& summary) {
    const auto vectors = engine::embed_book_vectors(embedder_, summary).value();
    library_.put_book(ports::BookInfo{id, summary.source_title, summary.author,
                                      static_cast<int>(summary.chapters.size()), embedder_.model(),
                                      1'800'000'000'000},
                      summary, vectors);
  }

  void put_three() {
    put("valuation", valuation_book());
    put("c", c_book());
    put("gardening", gardening_book());
  }

  std::vector<domain::BookMatch> search(const std::string& text, int top_k = 10) {
    const auto embedding = embedder_.embed_text(text);
    return library_.search(ports::LibrarySearch{text, embedding, embedder_.model(), top_k,
                                                embedder_.default_min_similarity()});
  }

  struct KindCounts {
    std::map<std::string, std::int64_t> stats_docs;
    std::map<std::string, std::int64_t> doc_rows;
    std::map<std::string, double> stats_length;
    std::map<std::string, double> doc_length;
  };

  KindCounts counts() {
    return db_->read([](Session& session) {
      KindCounts c;
      auto stats = session.query("SELECT kind, docs, total_length FROM library_stats");
      while (stats.step()) {
        c.stats_docs[stats.text(0)] = stats.int64(1);
        c.stats_length[stats.text(0)] = stats.real(2);
      }
      auto docs = session.query("SELECT kind, count(*), sum(length) FROM book_docs GROUP BY kind");
      while (docs.step()) {
        c.doc_rows[docs.text(0)] = docs.int64(1);
        c.doc_length[docs.text(0)] = docs.real(2);
      }
      return c;
    });
  }

  // library_stats agrees with book_docs for every kind (a kind without documents counts 0).
  void expect_stats_match_docs(std::int64_t expected_books) {
    const KindCounts c = counts();
    ASSERT_EQ(c.stats_docs.size(), 3u);
    for (const auto& [kind, docs] : c.stats_docs) {
      const auto rows = c.doc_rows.find(kind);
      EXPECT_EQ(docs, rows == c.doc_rows.end() ? 0 : rows->second) << kind;
      const auto length = c.doc_length.find(kind);
      EXPECT_NEAR(c.stats_length.at(kind), length == c.doc_length.end() ? 0.0 : length->second, 1e-6) << kind;
    }
    EXPECT_EQ(c.stats_docs.at("book"), expected_books);
  }

  TempDir dir_;
  std::shared_ptr<SqliteDatabase> db_;
  SqliteLibrary library_;
  HashingEmbedder embedder_;
};

TEST_F(LibraryTermSearchTest, SearchByWordsFindsTheBookAboutThemFirstWithItsMatchedWords) {
  put_three();
  const auto found = search("free cash flow and the cost of capital");
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0].book_id, "valuation");
  EXPECT_EQ(found[0].title, "Measuring the Value of Companies");
  // The best lexical book: 0.7 x 1 (relative lexical) + 0.3 x its best cosine.
  EXPECT_GT(found[0].similarity, 0.7);
  EXPECT_LE(found[0].similarity, 1.0);
  EXPECT_EQ(found[0].matched_terms, (std::vector<std::string>{"free", "cash", "flow", "cost", "capital"}));
  EXPECT_EQ(ids(found), std::vector<std::string>{"valuation"});  // "cash" alone does not bring gardening
  ASSERT_FALSE(found[0].chapter_scores.empty());
  for (std::size_t i = 1; i < found[0].chapter_scores.size(); ++i) {
    EXPECT_GE(found[0].chapter_scores[i - 1].similarity, found[0].chapter_scores[i].similarity);
  }

  const auto c = search("pointers and structures");
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(c[0].book_id, "c");
  EXPECT_EQ(c[0].matched_terms, (std::vector<std::string>{"pointers", "structures"}));
}

TEST_F(LibraryTermSearchTest, WordsWithoutAnEmbeddingStillFindTheBook) {
  put_three();
  const auto found = library_.search(ports::LibrarySearch{"compost and seeds", {}, embedder_.model(), 10, 0.17});
  ASSERT_EQ(ids(found), std::vector<std::string>{"gardening"});
  EXPECT_EQ(found[0].matched_terms, (std::vector<std::string>{"compost", "seeds"}));
}

TEST_F(LibraryTermSearchTest, TopKLimitsTheBooksFound) {
  put_three();
  put("c2", c_book());
  EXPECT_EQ(search("pointers and structures").size(), 2u);
  EXPECT_EQ(search("pointers and structures", 1).size(), 1u);
  EXPECT_TRUE(search("pointers and structures", 0).empty());
}

TEST_F(LibraryTermSearchTest, LibraryStatsEqualTheDocumentsThroughImportsReplacementAndRemoval) {
  expect_stats_match_docs(0);
  put_three();
  expect_stats_match_docs(3);
  {
    const KindCounts c = counts();
    // 1 digest per book; 3 + 2 + 2 chapters; 4 + 2 + 2 sections.
    EXPECT_EQ(c.stats_docs.at("chapter"), 7);
    EXPECT_EQ(c.stats_docs.at("section"), 8);
  }

  // Re-importing a book replaces its documents: a shorter C book (one chapter, one section).
  domain::BookSummary shorter = c_book();
  shorter.chapters.pop_back();
  shorter.total_chapters = 1;
  put("c", shorter);
  expect_stats_match_docs(3);
  EXPECT_EQ(counts().stats_docs.at("chapter"), 6);
  EXPECT_EQ(counts().stats_docs.at("section"), 7);
  // The same book again changes nothing.
  put("c", shorter);
  expect_stats_match_docs(3);
  EXPECT_EQ(counts().stats_docs.at("chapter"), 6);

  EXPECT_TRUE(library_.remove_book("valuation"));
  expect_stats_match_docs(2);
  EXPECT_EQ(counts().stats_docs.at("chapter"), 3);
  EXPECT_FALSE(library_.remove_book("valuation"));
  expect_stats_match_docs(2);

  EXPECT_TRUE(library_.remove_book("c"));
  EXPECT_TRUE(library_.remove_book("gardening"));
  expect_stats_match_docs(0);
  EXPECT_NEAR(counts().stats_length.at("chapter"), 0.0, 1e-6);
}

TEST_F(LibraryTermSearchTest, AReplacedBookIsFoundByItsNewWordsOnly) {
  put_three();
  domain::BookSummary shorter = c_book();
  shorter.chapters.pop_back();  // no chapter on structures any more
  shorter.source_summary = "The C language: pointers.";
  put("c", shorter);
  const auto pointers = search("pointer arithmetic");
  ASSERT_FALSE(pointers.empty());
  EXPECT_EQ(pointers[0].book_id, "c");
  EXPECT_TRUE(search("struct layout padding alignment").empty());
}

TEST_F(LibraryTermSearchTest, ARemovedBookIsNoLongerFoundByItsWords) {
  put_three();
  ASSERT_EQ(ids(search("compost and seeds")), std::vector<std::string>{"gardening"});
  ASSERT_TRUE(library_.remove_book("gardening"));
  EXPECT_TRUE(search("compost and seeds").empty());
  const std::int64_t terms = db_->read([](Session& session) {
    auto row = session.query("SELECT count(*) FROM book_terms WHERE book_id = 'gardening'");
    return row.step() ? row.int64(0) : -1;
  });
  EXPECT_EQ(terms, 0);
  // The other books are still found.
  ASSERT_FALSE(search("pointers and structures").empty());
}

TEST(StemmingAnalyzerTerms, ValuationValueAndValuingShareATerm) {
  using adapters::embed::term_of;
  EXPECT_EQ(term_of("valuation"), term_of("value"));
  EXPECT_EQ(term_of("valuing"), term_of("value"));
  EXPECT_EQ(term_of("valuations"), term_of("valued"));
  EXPECT_EQ(term_of("programmer"), term_of("programming"));
  EXPECT_EQ(term_of("programmers"), term_of("program"));
  EXPECT_NE(term_of("value"), term_of("valve"));
  EXPECT_NE(term_of("program"), term_of("progress"));
}

TEST_F(LibraryTermSearchTest, AConflatedWordFindsTheBookThatUsesAnotherForm) {
  put_three();
  // The request says "valuation" and "programmer"; the books say only "value", "valuing" and
  // "programming".
  const auto valuation = search("valuation");
  ASSERT_FALSE(valuation.empty());
  EXPECT_EQ(valuation[0].book_id, "valuation");
  EXPECT_EQ(valuation[0].matched_terms, std::vector<std::string>{"valuation"});

  const auto programmer = search("programmer");
  ASSERT_FALSE(programmer.empty());
  EXPECT_EQ(programmer[0].book_id, "c");
  EXPECT_EQ(programmer[0].matched_terms, std::vector<std::string>{"programmer"});
}

}  // namespace
