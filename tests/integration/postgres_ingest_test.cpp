// IngestService on the distributed deployment's stores: real files read by the real readers, the
// hashing embedder, PgLibrary and PgCorpus on a throwaway PostgreSQL server (migrated as `docprof
// migrate` does). A book is stored with its chapters, sections and chunks, its passages are found
// by a question, a section's chunk ids lead to its passages, the same bytes again change nothing,
// and re-embedding with another embedder keeps the passages findable.
#include <gtest/gtest.h>

#include <algorithm>

#include "adapters/embed/hashing_embedder.h"
#include "adapters/embed/stemming_analyzer.h"
#include "adapters/ingest/file_document_reader.h"
#include "adapters/postgres/pg_corpus.h"
#include "adapters/postgres/pg_library.h"
#include "adapters/postgres/pg_migrations.h"
#include "adapters/postgres/pg_pool.h"
#include "engine/ingest_service.h"
#include "engine/system_clock.h"
#include "integration/ingest_fixtures.h"
#include "support/postgres_server.h"

namespace {

using namespace docprof;
using test_support::kIngestFixtures;

std::shared_ptr<adapters::postgres::PgPool> migrated_pool() {
  auto pool = std::make_shared<adapters::postgres::PgPool>(test_support::PostgresServer::shared().fresh_schema_url(), 4);
  adapters::postgres::pg_migrate(*pool);
  return pool;
}

class PostgresIngestTest : public ::testing::Test {
 protected:
  PostgresIngestTest()
      : pool_(migrated_pool()),
        library_(pool_, adapters::embed::default_analyzer()),
        corpus_(pool_, library_, adapters::embed::default_analyzer()),
        service_(reader_, corpus_, embedder_, clock_, adapters::embed::default_analyzer()) {}

  engine::IngestOutcome ingest_ok(const std::string& path) {
    auto outcome = service_.ingest(path, {});
    if (!outcome) throw std::runtime_error(outcome.error().message);
    return outcome.value();
  }

  std::int64_t rows(const std::string& table) {
    return pool_->read([&](adapters::postgres::PgConnection& c) {
      return c.exec("SELECT count(*) FROM " + table).int64(0, 0);
    });
  }

  std::shared_ptr<adapters::postgres::PgPool> pool_;
  adapters::postgres::PgLibrary library_;
  adapters::postgres::PgCorpus corpus_;
  adapters::ingest::FileDocumentReader reader_;
  adapters::embed::HashingEmbedder embedder_;
  engine::SystemClock clock_;
  engine::IngestService service_;
};

TEST_F(PostgresIngestTest, AnIngestedBookIsStoredAndItsPassagesAreFound) {
  const std::string path = (kIngestFixtures / "field-guide.md").string();
  const auto outcome = ingest_ok(path);
  EXPECT_EQ(outcome.status, engine::IngestStatus::ingested);
  EXPECT_EQ(outcome.book_id, engine::IngestService::book_id_for_source(path));
  EXPECT_EQ(outcome.title, "A Field Guide to Version Control");
  EXPECT_EQ(outcome.chapters, 7);
  EXPECT_GT(outcome.chunks, 7);

  // The library's book, written in the same transaction: listed, and found by a course's search.
  const auto books = library_.list_books();
  ASSERT_EQ(books.size(), 1u);
  EXPECT_EQ(books[0].book_id, outcome.book_id);
  const auto summary = library_.get_book(outcome.book_id);
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(summary->chapters.size(), 7u);

  const auto structure = service_.structure(outcome.book_id);
  ASSERT_TRUE(structure.has_value());
  EXPECT_EQ(structure->source.format, "markdown");
  EXPECT_EQ(structure->chunks, outcome.chunks);
  ASSERT_EQ(structure->chapters.size(), 7u);
  EXPECT_EQ(structure->chapters[3].title, "3. Undoing Changes");
  EXPECT_EQ(rows("chunks"), outcome.chunks);
  EXPECT_GT(rows("chunk_terms"), outcome.chunks);

  // The passage that answers a question, where it is in the book.
  const auto found = service_.search("git revert creates a new commit that applies the opposite", std::nullopt, 3);
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_FALSE(found->empty());
  const auto& best = found->front();
  EXPECT_NE(best.text.find("git revert"), std::string::npos) << best.text;
  EXPECT_EQ(best.chapter_number, 4);
  EXPECT_EQ(best.chapter_title, "3. Undoing Changes");
  EXPECT_EQ(best.section_title.value_or(""), "Reverting a Commit");
  EXPECT_EQ(best.book_title, "A Field Guide to Version Control");

  // A course section drawn from that section gets its chunk ids, and they lead back to the passage.
  const auto ids = corpus_.chunk_ids_of(outcome.book_id, 4, std::string("Reverting a Commit"), 12);
  ASSERT_FALSE(ids.empty());
  EXPECT_NE(std::find(ids.begin(), ids.end(), best.chunk_id), ids.end());
  const auto passages = corpus_.chunks_by_id(ids);
  ASSERT_EQ(passages.size(), ids.size());
  for (const auto& p : passages) EXPECT_EQ(p.section_title.value_or(""), "Reverting a Commit");

  // The same bytes again: unchanged, nothing rewritten.
  const auto again = ingest_ok(path);
  EXPECT_EQ(again.status, engine::IngestStatus::unchanged);
  EXPECT_EQ(again.chunks, outcome.chunks);
  EXPECT_EQ(rows("chunks"), outcome.chunks);
}

TEST_F(PostgresIngestTest, ReembeddedChunksAreSearchedWithTheNewEmbedder) {
  ingest_ok((kIngestFixtures / "field-guide.md").string());
  ingest_ok((kIngestFixtures / "manual").string());
  adapters::embed::HashingEmbedder other(512);
  engine::IngestService with_other(reader_, corpus_, other, clock_, adapters::embed::default_analyzer());
  // A search first, so that the old vectors are held in memory: the re-embed must replace them.
  ASSERT_TRUE(service_.search("how do I trim the wick", std::nullopt, 3).ok());
  const auto rebuilt = with_other.reembed_chunks(false, {});
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.error().message;
  EXPECT_EQ(rebuilt.value(), 2);
  EXPECT_EQ(rows("chunks WHERE dims = 512"), rows("chunks"));
  const auto wick = with_other.search("how do I trim the wick", std::nullopt, 5);
  ASSERT_TRUE(wick.ok());
  ASSERT_FALSE(wick->empty());
  EXPECT_EQ(wick->front().section_title.value_or(""), "2.1. Trimming") << wick->front().text;
}

}  // namespace
