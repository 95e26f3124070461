// Both backends rank books alike (issue 12): the whole sample library (examples/library), imported
// into SqliteLibrary and PgLibrary with the same vectors, answers the same requests with the same
// books in the same order, the same chapters, the same matched words and topics, and the same
// scores (to rounding: the statistics are summed in another order). Real SQLite and PostgreSQL 15.
#include <atomic>
#include <cmath>
#include <thread>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/embed/hashing_embedder.h"
#include "adapters/embed/stemming_analyzer.h"
#include "adapters/postgres/pg_library.h"
#include "adapters/postgres/pg_migrations.h"
#include "adapters/sqlite/sqlite_database.h"
#include "adapters/sqlite/sqlite_library.h"
#include "engine/book_embedding.h"
#include "integration/temp_dir.h"
#include "support/postgres_server.h"

namespace docprof {
namespace {

class PostgresLibraryParity : public ::testing::Test {
 protected:
  void SetUp() override {
    adapters::postgres::pg_migrate(*pool_);
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(DOCPROF_SOURCE_DIR) / "examples" / "library")) {
      if (entry.path().extension() != ".json") continue;
      std::ifstream in(entry.path());
      auto parsed = domain::parse_book_summary(nlohmann::json::parse(in));
      ASSERT_TRUE(parsed) << entry.path() << ": " << parsed.error().message;
      const auto& summary = parsed.value();
      ports::BookInfo info;
      info.book_id = entry.path().stem().string();
      info.title = summary.source_title;
      info.author = summary.author;
      info.chapters = static_cast<int>(summary.chapters.size());
      info.embedding_model = embedder_.model();
      info.created_at_ms = 1'800'000'000'000;
      const auto vectors = engine::embed_book_vectors(embedder_, summary).value();
      sqlite_.put_book(info, summary, vectors);
      postgres_.put_book(info, summary, vectors);
      ++books_;
    }
  }

  std::vector<domain::BookMatch> search(ports::Library& library, const std::string& text) {
    const auto embedding = embedder_.embed_text(text);
    ports::LibrarySearch request;
    request.text = text;
    request.embedding = embedding;
    request.embedding_model = embedder_.model();
    request.top_k = 10;
    request.min_similarity = adapters::embed::HashingEmbedder::kDefaultMinSimilarity;
    return library.search(request);
  }

  adapters::embed::HashingEmbedder embedder_;
  test_support::TempDir dir_{"docprof-parity"};
  adapters::sqlite::SqliteLibrary sqlite_{adapters::sqlite::SqliteDatabase::open_and_migrate(dir_.file("docprof.db")),
                                          adapters::embed::default_analyzer()};
  std::shared_ptr<adapters::postgres::PgPool> pool_ = std::make_shared<adapters::postgres::PgPool>(
      test_support::PostgresServer::shared().fresh_schema_url(), 2);
  adapters::postgres::PgLibrary postgres_{pool_, adapters::embed::default_analyzer()};
  int books_ = 0;
};

TEST_F(PostgresLibraryParity, EveryRequestFindsTheSameBooksInTheSameOrderWithTheSameScores) {
  ASSERT_GE(books_, 10);
  const auto expected_books = sqlite_.list_books();
  const auto actual_books = postgres_.list_books();
  ASSERT_EQ(actual_books.size(), expected_books.size());
  for (std::size_t i = 0; i < expected_books.size(); ++i) {
    EXPECT_EQ(actual_books[i].book_id, expected_books[i].book_id);
    EXPECT_EQ(actual_books[i].title, expected_books[i].title);
    EXPECT_EQ(actual_books[i].author, expected_books[i].author);
    EXPECT_EQ(actual_books[i].chapters, expected_books[i].chapters);
    EXPECT_EQ(actual_books[i].embedding_model, expected_books[i].embedding_model);
    EXPECT_EQ(actual_books[i].created_at_ms, expected_books[i].created_at_ms);
  }
  EXPECT_EQ(sqlite_.books_per_embedding_model(), postgres_.books_per_embedding_model());
  int found = 0;
  for (const char* request :
       {"learn corporate valuation in 6 hours", "evolution and natural selection", "quantum electrodynamics for beginners",
        "value investing and margin of safety", "history of humankind", "black holes and the big bang",
        "discounted cash flow, cost of capital and multiples", "zzz nothing matches this"}) {
    const auto expected = search(sqlite_, request);
    const auto actual = search(postgres_, request);
    found += static_cast<int>(expected.size());
    ASSERT_EQ(actual.size(), expected.size()) << request;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      SCOPED_TRACE(std::string(request) + " #" + std::to_string(i));
      EXPECT_EQ(actual[i].book_id, expected[i].book_id);
      EXPECT_NEAR(actual[i].similarity, expected[i].similarity, 1e-9);
      EXPECT_EQ(actual[i].matched_terms, expected[i].matched_terms);
      EXPECT_EQ(actual[i].topics, expected[i].topics);
      EXPECT_EQ(actual[i].summary, expected[i].summary);
      ASSERT_EQ(actual[i].chapter_scores.size(), expected[i].chapter_scores.size());
      for (std::size_t c = 0; c < expected[i].chapter_scores.size(); ++c) {
        EXPECT_EQ(actual[i].chapter_scores[c].chapter_number, expected[i].chapter_scores[c].chapter_number);
        EXPECT_NEAR(actual[i].chapter_scores[c].similarity, expected[i].chapter_scores[c].similarity, 1e-9);
      }
      EXPECT_EQ(actual[i].section_scores.size(), expected[i].section_scores.size());
    }
  }
  EXPECT_GT(found, 8);  // the requests found books: the comparison compared something
}

TEST_F(PostgresLibraryParity, RemovingABookKeepsTheRankingsAlike) {
  const auto listed = sqlite_.list_books();
  ASSERT_FALSE(listed.empty());
  ASSERT_TRUE(sqlite_.remove_book(listed.front().book_id));
  ASSERT_TRUE(postgres_.remove_book(listed.front().book_id));
  const auto expected = search(sqlite_, "investing, valuation and the history of markets");
  const auto actual = search(postgres_, "investing, valuation and the history of markets");
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(actual[i].book_id, expected[i].book_id);
    EXPECT_NEAR(actual[i].similarity, expected[i].similarity, 1e-9);
  }
}

// Each process caches the vectors per library version: a book another process removes or adds is
// seen by the next search.
TEST_F(PostgresLibraryParity, ASecondProcesssCachedVectorsFollowTheLibrarysChanges) {
  adapters::postgres::PgLibrary other{pool_, adapters::embed::default_analyzer()};
  const std::string text = "how to value a company: discounted cash flow and the cost of capital";
  const auto before = search(other, text);
  ASSERT_FALSE(before.empty());
  const std::string top = before.front().book_id;
  const auto summary = postgres_.get_book(top);
  ASSERT_TRUE(summary);
  const auto info = [&] {
    for (const auto& b : postgres_.list_books()) {
      if (b.book_id == top) return b;
    }
    return ports::BookInfo{};
  }();

  ASSERT_TRUE(postgres_.remove_book(top));
  for (const auto& match : search(other, text)) EXPECT_NE(match.book_id, top) << "a removed book is not found";

  postgres_.put_book(info, *summary, engine::embed_book_vectors(embedder_, *summary).value());
  const auto after = search(other, text);
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(after.front().book_id, top) << "the book added again is found again";
  EXPECT_NEAR(after.front().similarity, before.front().similarity, 1e-6);
}

// A search reads the library in a few statements, keeping what changes only with the library's
// version between searches: while another process removes and adds a book again and again, each
// search still answers as the library was at one version — with the book (and its summary) or
// without it, never a mix — or, when the library changed during each of its attempts, says so.
TEST_F(PostgresLibraryParity, SearchesWhileAnotherProcessChangesTheLibraryAnswerAtOneVersion) {
  adapters::postgres::PgLibrary other{pool_, adapters::embed::default_analyzer()};
  const std::string text = "how to value a company: discounted cash flow and the cost of capital";
  const auto ids = [](const std::vector<domain::BookMatch>& found) {
    std::vector<std::string> out;
    for (const auto& match : found) out.push_back(match.book_id);
    return out;
  };
  const auto with = ids(search(other, text));
  ASSERT_FALSE(with.empty());
  const std::string top = with.front();
  const auto summary = postgres_.get_book(top);
  ASSERT_TRUE(summary);
  ports::BookInfo info;
  for (const auto& b : postgres_.list_books()) {
    if (b.book_id == top) info = b;
  }
  const auto vectors = engine::embed_book_vectors(embedder_, *summary).value();
  ASSERT_TRUE(postgres_.remove_book(top));
  const auto without = ids(search(other, text));
  postgres_.put_book(info, *summary, vectors);

  std::atomic<bool> done{false};
  std::thread changer([&] {
    for (int i = 0; i < 40; ++i) {
      postgres_.remove_book(top);
      postgres_.put_book(info, *summary, vectors);
    }
    done.store(true);
  });
  int answered = 0;
  int gave_up = 0;
  while (!done.load() || answered == 0) {
    try {
      const auto found = search(other, text);
      const auto found_ids = ids(found);
      if (found_ids == with) {
        EXPECT_EQ(found.front().summary.chapters.size(), summary->chapters.size()) << "the book as it was stored";
      } else {
        EXPECT_EQ(found_ids, without) << "a search answers at one version of the library";
      }
      ++answered;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("the library changed during each of"), std::string::npos) << e.what();
      ++gave_up;
    }
  }
  changer.join();
  EXPECT_GT(answered, 0);
  EXPECT_EQ(ids(search(other, text)), with) << "the library as the changes left it";
  RecordProperty("answered", answered);
  RecordProperty("gave_up", gave_up);
}

}  // namespace
}  // namespace docprof
