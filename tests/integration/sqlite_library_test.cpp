// SqliteLibrary against a real database file: books with their vectors, replacement and removal,
// and brute-force search (ranking, threshold, top_k, per-chapter scores, model isolation), plus a
// 1,000-book library searched for one planted book (the time it takes is printed, not asserted).
#include <chrono>
#include <cmath>
#include <iostream>
#include <random>

#include <gtest/gtest.h>

#include "adapters/embed/stemming_analyzer.h"
#include "adapters/sqlite/sqlite_library.h"
#include "integration/temp_dir.h"

namespace {

using namespace docprof;
using adapters::sqlite::SqliteDatabase;
using adapters::sqlite::SqliteLibrary;
using test_support::TempDir;

constexpr int kDims = 16;
const std::string kModel = "hashing-v1/16";

// A search by vectors alone (no words): the library ranks by cosine similarity.
std::vector<domain::BookMatch> search_vectors(ports::Library& library, const std::vector<float>& embedding,
                                              const std::string& model, int top_k, double min_similarity) {
  return library.search(ports::LibrarySearch{"", embedding, model, top_k, min_similarity});
}

std::vector<float> normalized(std::vector<float> v) {
  double norm = 0;
  for (float x : v) norm += static_cast<double>(x) * x;
  for (float& x : v) x = static_cast<float>(x / std::sqrt(norm));
  return v;
}

// A unit vector along axis `a`, optionally mixed with axis `b` at `weight`.
std::vector<float> axis(int a, int b = -1, float weight = 0.0f) {
  std::vector<float> v(kDims, 0.0f);
  v[static_cast<std::size_t>(a)] = 1.0f;
  if (b >= 0) v[static_cast<std::size_t>(b)] += weight;
  return normalized(v);
}

domain::BookSummary summary(const std::string& title, int chapters) {
  domain::BookSummary s;
  s.source_title = title;
  s.author = "Author of " + title;
  s.total_chapters = chapters;
  s.source_summary = "About " + title;
  for (int c = 1; c <= chapters; ++c) {
    s.chapters.push_back({c,
                          "Chapter " + std::to_string(c),
                          "summary " + std::to_string(c),
                          {{"Intro", {"topic"}, {"concept"}, "1-10"}}});
  }
  return s;
}

ports::BookInfo info(const std::string& id, const std::string& model = kModel) {
  return ports::BookInfo{id, "Title " + id, "Author " + id, 3, model, 1'800'000'000'000};
}

ports::BookVector book_vector(std::vector<float> e) {
  return {ports::VectorKind::book, "", 0, std::move(e)};
}
ports::BookVector chapter_vector(int chapter, std::vector<float> e) {
  return {ports::VectorKind::chapter, std::to_string(chapter), chapter, std::move(e)};
}
ports::BookVector section_vector(int chapter, int section, std::vector<float> e) {
  return {ports::VectorKind::section, std::to_string(chapter) + "." + std::to_string(section),
          chapter, std::move(e)};
}

std::vector<std::string> ids(const std::vector<domain::BookMatch>& matches) {
  std::vector<std::string> out;
  for (const auto& m : matches) out.push_back(m.book_id);
  return out;
}

class SqliteLibraryTest : public ::testing::Test {
 protected:
  SqliteLibraryTest()
      : db_(SqliteDatabase::open_and_migrate(dir_.file("docprof.db"))), library_(db_, adapters::embed::default_analyzer()) {}

  // Books whose best vector scores 1.0, ~0.89, ~0.71, ~0.45 and 0 against axis(0).
  void put_ranked_books() {
    library_.put_book(info("exact"), summary("exact", 3), {book_vector(axis(0))});
    library_.put_book(info("close"), summary("close", 3), {chapter_vector(1, axis(0, 1, 0.5f))});
    library_.put_book(info("half"), summary("half", 3), {book_vector(axis(0, 1, 1.0f))});
    library_.put_book(info("far"), summary("far", 3), {section_vector(2, 1, axis(1, 0, 0.5f))});
    library_.put_book(info("none"), summary("none", 3), {book_vector(axis(5))});
  }

  TempDir dir_;
  std::shared_ptr<SqliteDatabase> db_;
  SqliteLibrary library_;
};

TEST_F(SqliteLibraryTest, PutGetAndListRoundTrip) {
  const auto s = summary("Valuation", 2);
  library_.put_book(info("b2"), summary("other", 1), {book_vector(axis(1))});
  library_.put_book(info("b1"), s, {book_vector(axis(0)), chapter_vector(1, axis(1))});
  EXPECT_EQ(library_.get_book("b1"), s);
  EXPECT_FALSE(library_.get_book("missing").has_value());
  const auto books = library_.list_books();
  ASSERT_EQ(books.size(), 2u);
  EXPECT_EQ(books[0].book_id, "b1");  // by title: "Title b1" < "Title b2"
  EXPECT_EQ(books[0].author, "Author b1");
  EXPECT_EQ(books[0].chapters, 3);
  EXPECT_EQ(books[0].embedding_model, kModel);
  EXPECT_EQ(books[0].created_at_ms, 1'800'000'000'000);
}

TEST_F(SqliteLibraryTest, PutBookReplacesTheBookAndAllItsVectors) {
  library_.put_book(info("b1"), summary("first", 1),
                    {book_vector(axis(0)), chapter_vector(1, axis(0))});
  library_.put_book(info("b1"), summary("second", 2), {book_vector(axis(3))});
  EXPECT_TRUE(search_vectors(library_, axis(0), kModel, 10, 0.5).empty());  // old vectors are gone
  const auto found = search_vectors(library_, axis(3), kModel, 10, 0.5);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].summary.source_title, "second");
  EXPECT_EQ(library_.list_books().size(), 1u);
}

TEST_F(SqliteLibraryTest, VectorsOfMixedDimsAreRejectedAndTheOldBookStays) {
  library_.put_book(info("b1"), summary("first", 1), {book_vector(axis(0))});
  std::vector<float> short_vector(kDims - 1, 0.1f);
  EXPECT_THROW(library_.put_book(info("b1"), summary("second", 1),
                                 {book_vector(axis(1)), chapter_vector(1, short_vector)}),
               std::invalid_argument);
  EXPECT_EQ(library_.get_book("b1")->source_title, "first");
  EXPECT_EQ(search_vectors(library_, axis(0), kModel, 10, 0.9).size(), 1u);
}

TEST_F(SqliteLibraryTest, RemoveBookRemovesItFromSearchToo) {
  library_.put_book(info("b1"), summary("first", 1), {book_vector(axis(0))});
  EXPECT_TRUE(library_.remove_book("b1"));
  EXPECT_FALSE(library_.remove_book("b1"));
  EXPECT_TRUE(library_.list_books().empty());
  EXPECT_TRUE(search_vectors(library_, axis(0), kModel, 10, -1.0).empty());
}

TEST_F(SqliteLibraryTest, SearchRanksBooksBestFirstWithTheirScores) {
  put_ranked_books();
  const auto found = search_vectors(library_, axis(0), kModel, 10, 0.3);
  EXPECT_EQ(ids(found), (std::vector<std::string>{"exact", "close", "half", "far"}));
  ASSERT_EQ(found.size(), 4u);
  EXPECT_NEAR(found[0].similarity, 1.0, 1e-6);
  EXPECT_NEAR(found[1].similarity, 1.0 / std::sqrt(1.25), 1e-6);
  EXPECT_NEAR(found[2].similarity, 1.0 / std::sqrt(2.0), 1e-6);
  EXPECT_NEAR(found[3].similarity, 0.5 / std::sqrt(1.25), 1e-6);
  EXPECT_EQ(found[0].title, "Title exact");
  EXPECT_EQ(found[0].author, "Author exact");
  EXPECT_EQ(found[0].summary, summary("exact", 3));
}

TEST_F(SqliteLibraryTest, BooksBelowTheThresholdAreLeftOut) {
  put_ranked_books();
  EXPECT_EQ(ids(search_vectors(library_, axis(0), kModel, 10, 0.8)),
            (std::vector<std::string>{"exact", "close"}));
  EXPECT_TRUE(search_vectors(library_, axis(7), kModel, 10, 0.1).empty());
}

TEST_F(SqliteLibraryTest, AScoreEqualToTheThresholdIsKept) {
  put_ranked_books();
  const auto all = search_vectors(library_, axis(0), kModel, 10, 0.3);
  const double half = all.at(2).similarity;
  EXPECT_EQ(ids(search_vectors(library_, axis(0), kModel, 10, half)),
            (std::vector<std::string>{"exact", "close", "half"}));
}

TEST_F(SqliteLibraryTest, TopKLimitsTheResultsToTheBest) {
  put_ranked_books();
  EXPECT_EQ(ids(search_vectors(library_, axis(0), kModel, 2, 0.0)),
            (std::vector<std::string>{"exact", "close"}));
  EXPECT_TRUE(search_vectors(library_, axis(0), kModel, 0, 0.0).empty());
}

TEST_F(SqliteLibraryTest, VectorsOfAnotherModelAreNeverCompared) {
  put_ranked_books();
  library_.put_book(info("other-model", "openai/text-embedding-3-small"), summary("o", 1),
                    {book_vector(axis(0))});
  EXPECT_TRUE(search_vectors(library_, axis(0), "some-other-model", 10, -1.0).empty());
  const auto found = search_vectors(library_, axis(0), "openai/text-embedding-3-small", 10, 0.0);
  EXPECT_EQ(ids(found), (std::vector<std::string>{"other-model"}));
  EXPECT_EQ(search_vectors(library_, axis(0), kModel, 10, 0.99).size(), 1u);  // not "other-model"
}

TEST_F(SqliteLibraryTest, AQueryOfOtherDimsFindsNothing) {
  put_ranked_books();
  const std::vector<float> longer(kDims * 2, 0.1f);
  EXPECT_TRUE(search_vectors(library_, longer, kModel, 10, -1.0).empty());
}

TEST_F(SqliteLibraryTest, ABookScoresItsBestVectorAndEachChapterItsBestVector) {
  library_.put_book(info("b1"), summary("b1", 3),
                    {book_vector(axis(2)),                    // 0 against axis(0)
                     chapter_vector(1, axis(1, 0, 0.5f)),     // ~0.45
                     section_vector(1, 1, axis(0, 1, 0.2f)),  // ~0.98: chapter 1's best
                     chapter_vector(2, axis(0, 1, 1.0f)),     // ~0.71
                     section_vector(2, 1, axis(3)),           // 0
                     chapter_vector(3, axis(4))});            // 0
  const auto found = search_vectors(library_, axis(0), kModel, 10, 0.5);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NEAR(found[0].similarity, 1.0 / std::sqrt(1.04), 1e-6);
  ASSERT_EQ(found[0].chapter_scores.size(), 3u);
  EXPECT_EQ(found[0].chapter_scores[0].chapter_number, 1);
  EXPECT_NEAR(found[0].chapter_scores[0].similarity, 1.0 / std::sqrt(1.04), 1e-6);
  EXPECT_EQ(found[0].chapter_scores[1].chapter_number, 2);
  EXPECT_NEAR(found[0].chapter_scores[1].similarity, 1.0 / std::sqrt(2.0), 1e-6);
  EXPECT_EQ(found[0].chapter_scores[2].chapter_number, 3);
  EXPECT_NEAR(found[0].chapter_scores[2].similarity, 0.0, 1e-6);
}

TEST_F(SqliteLibraryTest, BooksAddedThroughAnotherConnectionAreFoundAtOnce) {
  library_.put_book(info("b1"), summary("b1", 1), {book_vector(axis(1))});
  EXPECT_TRUE(search_vectors(library_, axis(0), kModel, 10, 0.5).empty());
  SqliteLibrary other(SqliteDatabase::open(db_->path()), docprof::adapters::embed::default_analyzer());
  other.put_book(info("b2"), summary("b2", 1), {book_vector(axis(0))});
  EXPECT_EQ(ids(search_vectors(library_, axis(0), kModel, 10, 0.5)), (std::vector<std::string>{"b2"}));
}

TEST(SqliteLibraryScale, AThousandBooksOfTwentyVectorsFindThePlantedBook) {
  constexpr int kBooks = 1000;
  constexpr int kVectorsPerBook = 20;
  constexpr int kLargeDims = 512;
  TempDir dir;
  SqliteLibrary library(SqliteDatabase::open_and_migrate(dir.file("docprof.db")), docprof::adapters::embed::default_analyzer());
  std::mt19937 random(7);
  std::normal_distribution<float> gaussian;
  const auto random_unit = [&] {
    std::vector<float> v(kLargeDims);
    for (float& x : v) x = gaussian(random);
    return normalized(v);
  };
  const auto query = random_unit();
  for (int b = 0; b < kBooks; ++b) {
    std::vector<ports::BookVector> vectors;
    vectors.push_back(book_vector(random_unit()));
    for (int v = 1; v < kVectorsPerBook; ++v) {
      auto e = random_unit();
      if (b == 617 && v == 13) {  // one section close to the query
        for (std::size_t i = 0; i < e.size(); ++i) e[i] = query[i] + 0.1f * e[i];
        e = normalized(e);
      }
      vectors.push_back(section_vector(1 + v / 4, v % 4, std::move(e)));
    }
    auto book = info("book-" + std::to_string(b), "hashing-v1/512");
    library.put_book(book, summary(book.title, 5), vectors);
  }
  std::vector<double> millis;
  std::vector<domain::BookMatch> found;
  for (int run = 0; run < 5; ++run) {
    const auto start = std::chrono::steady_clock::now();
    found = search_vectors(library, query, "hashing-v1/512", 10, 0.5);
    millis.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  ASSERT_EQ(found.size(), 1u);  // random 512-dim unit vectors score about ±0.05
  EXPECT_EQ(found[0].book_id, "book-617");
  EXPECT_GT(found[0].similarity, 0.99);
  EXPECT_EQ(found[0].chapter_scores.front().chapter_number, 1 + 13 / 4);
  std::sort(millis.begin(), millis.end());
  std::cout << "[ timing   ] search over " << kBooks * kVectorsPerBook << " vectors of "
            << kLargeDims << " dims: median " << millis[2] << " ms (min " << millis[0] << ", max "
            << millis[4] << ")\n";
  ::testing::Test::RecordProperty("search_median_ms", std::to_string(millis[2]));
}

}  // namespace
