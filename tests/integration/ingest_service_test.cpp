// IngestService end to end below the CLI: real files read by the real readers, the hashing
// embedder, a real SQLite file. A book is stored with its chapters, sections and chunks (each
// chunk where its text is), a second ingest of the same bytes changes nothing, changed bytes
// replace everything under the same book_id in one go, removing the book removes its corpus, a bad
// file stores nothing, and corpus search finds the passage that answers a question.
#include <gtest/gtest.h>

#include "adapters/embed/hashing_embedder.h"
#include "adapters/embed/stemming_analyzer.h"
#include "adapters/ingest/file_document_reader.h"
#include "adapters/sqlite/sqlite_corpus.h"
#include "adapters/sqlite/sqlite_library.h"
#include "engine/ingest_service.h"
#include "engine/system_clock.h"
#include "integration/ingest_fixtures.h"
#include "integration/temp_dir.h"

namespace {

using namespace docprof;
using test_support::kIngestFixtures;
using test_support::TempDir;

class IngestServiceTest : public ::testing::Test {
 protected:
  IngestServiceTest()
      : database_(adapters::sqlite::SqliteDatabase::open_and_migrate(dir_.file("library.db"))),
        library_(database_, adapters::embed::default_analyzer()),
        corpus_(database_, library_, adapters::embed::default_analyzer()),
        service_(reader_, corpus_, embedder_, clock_, adapters::embed::default_analyzer()) {}

  std::int64_t count(const std::string& table) {
    return database_->read([&](adapters::sqlite::Session& session) {
      auto row = session.query("SELECT count(*) FROM " + table);
      row.step();
      return row.int64(0);
    });
  }

  engine::IngestOutcome ingest_ok(const std::string& path, const engine::IngestOptions& options = {}) {
    auto outcome = service_.ingest(path, options);
    if (!outcome) throw std::runtime_error(outcome.error().message);
    return outcome.value();
  }

  TempDir dir_{"docprof-ingest"};
  std::shared_ptr<adapters::sqlite::SqliteDatabase> database_;
  adapters::sqlite::SqliteLibrary library_;
  adapters::sqlite::SqliteCorpus corpus_;
  adapters::ingest::FileDocumentReader reader_;
  adapters::embed::HashingEmbedder embedder_;
  engine::SystemClock clock_;
  engine::IngestService service_;
};

TEST_F(IngestServiceTest, StoresChaptersSectionsAndLocatedChunks) {
  const std::string path = (kIngestFixtures / "field-guide.md").string();
  const auto outcome = ingest_ok(path);
  EXPECT_EQ(outcome.status, engine::IngestStatus::ingested);
  EXPECT_EQ(outcome.book_id, engine::IngestService::book_id_for_source(path));
  EXPECT_EQ(outcome.title, "A Field Guide to Version Control");
  EXPECT_EQ(outcome.chapters, 7);
  EXPECT_GT(outcome.chunks, 7);

  const auto structure = service_.structure(outcome.book_id);
  ASSERT_TRUE(structure.has_value());
  EXPECT_EQ(structure->source.format, "markdown");
  EXPECT_EQ(structure->source.sha256.size(), 64u);
  EXPECT_EQ(structure->chunks, outcome.chunks);
  ASSERT_EQ(structure->chapters.size(), 7u);
  EXPECT_EQ(structure->chapters[3].title, "3. Undoing Changes");
  EXPECT_EQ(structure->chapters[3].kind, "chapter");
  EXPECT_EQ(structure->chapters[6].kind, "index");
  int words = 0;
  for (const auto& c : structure->chapters) {
    int section_words = 0;
    for (const auto& s : c.sections) section_words += s.words;
    EXPECT_EQ(section_words, c.words) << c.title;
    words += c.words;
  }
  EXPECT_EQ(words, outcome.words);

  // The summary the course workflow reads: every chapter with words and kind, topics, key concepts.
  const auto summary = library_.get_book(outcome.book_id);
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(summary->chapters.size(), 7u);
  EXPECT_EQ(summary->chapters[3].kind, "chapter");
  EXPECT_EQ(summary->chapters[3].words, structure->chapters[3].words);
  EXPECT_FALSE(summary->chapters[3].sections[2].topics.empty());

  // A chunk is where its text is: the revert passage is in chapter 4, section 3.
  const auto found = service_.search("git revert creates a new commit that applies the opposite", std::nullopt, 3);
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_FALSE(found->empty());
  const auto& best = found->front();
  EXPECT_NE(best.text.find("git revert"), std::string::npos) << best.text;
  EXPECT_EQ(best.chapter_number, 4);
  EXPECT_EQ(best.chapter_title, "3. Undoing Changes");
  EXPECT_EQ(best.section_title.value_or(""), "Reverting a Commit");
  EXPECT_FALSE(best.page.has_value());
  EXPECT_EQ(best.book_title, "A Field Guide to Version Control");
}

TEST_F(IngestServiceTest, SearchFindsThePassageForAQuestion) {
  ingest_ok((kIngestFixtures / "field-guide.md").string());
  ingest_ok((kIngestFixtures / "single-page.html").string());
  ingest_ok((kIngestFixtures / "manual").string());
  const auto undo = service_.search("how do I undo a commit", std::nullopt, 5);
  ASSERT_TRUE(undo.ok());
  ASSERT_FALSE(undo->empty());
  EXPECT_EQ(undo->front().chapter_title, "3. Undoing Changes") << undo->front().text;
  const auto wick = service_.search("how do I trim the wick", std::nullopt, 5);
  ASSERT_TRUE(wick.ok());
  ASSERT_FALSE(wick->empty());
  EXPECT_EQ(wick->front().section_title.value_or(""), "2.1. Trimming") << wick->front().text;
  // Restricted to one book, only its chunks come back.
  const std::string tea_id = engine::IngestService::book_id_for_source((kIngestFixtures / "single-page.html").string());
  const auto tea = service_.search("commit", tea_id, 10);
  ASSERT_TRUE(tea.ok());
  for (const auto& m : tea.value()) EXPECT_EQ(m.book_id, tea_id);
}

TEST_F(IngestServiceTest, SameBytesAreUnchangedOtherBytesReplaceUnderTheSameId) {
  const std::string path = dir_.file("notes.md");
  test_support::write_file(path, test_support::read_file(kIngestFixtures / "field-guide.md"));
  const auto first = ingest_ok(path);
  const auto chunks_before = count("chunks");
  const auto terms_before = count("chunk_terms");
  const auto vectors_before = count("book_vectors");
  ASSERT_GT(terms_before, 0);

  std::vector<std::string> stages;
  const auto again_result =
      service_.ingest(path, {}, [&](const engine::IngestStage& stage) { stages.push_back(stage.stage); });
  ASSERT_TRUE(again_result.ok());
  const auto& again = again_result.value();
  EXPECT_EQ(again.status, engine::IngestStatus::unchanged);
  EXPECT_TRUE(stages.empty()) << "an unchanged single file is recognised by its bytes, not read again";
  EXPECT_EQ(again.book_id, first.book_id);
  EXPECT_EQ(again.chunks, first.chunks);
  EXPECT_EQ(again.words, first.words);
  EXPECT_EQ(count("chunks"), chunks_before);
  EXPECT_EQ(count("chunk_terms"), terms_before);

  // The same bytes read by an older docprof (another ingest version) are read again.
  database_->write([&](adapters::sqlite::Session& session) {
    session.query("UPDATE book_sources SET ingest_version = 0 WHERE book_id = ?", first.book_id).run();
  });
  const auto reread = ingest_ok(path);
  EXPECT_EQ(reread.status, engine::IngestStatus::replaced);
  EXPECT_EQ(reread.book_id, first.book_id);
  EXPECT_EQ(ingest_ok(path).status, engine::IngestStatus::unchanged);

  // A changed source: one chapter less. Same book, fewer chapters; no chunk of the old text left.
  const std::string old_text = test_support::read_file(path);
  test_support::write_file(path, old_text.substr(0, old_text.find("# 4. Branches and Merging")));
  const auto replaced = ingest_ok(path);
  EXPECT_EQ(replaced.status, engine::IngestStatus::replaced);
  EXPECT_EQ(replaced.book_id, first.book_id);
  EXPECT_EQ(replaced.chapters, 4);
  EXPECT_LT(replaced.words, first.words);
  EXPECT_EQ(count("books"), 1);
  EXPECT_EQ(count("chunks"), replaced.chunks);
  EXPECT_LT(count("chunks"), chunks_before);
  EXPECT_LT(count("book_vectors"), vectors_before);
  EXPECT_EQ(count("book_chapters"), 4);
  const auto merge = service_.search("resolving merge conflicts", first.book_id, 10);
  ASSERT_TRUE(merge.ok());
  for (const auto& m : merge.value()) EXPECT_EQ(m.text.find("merge --abort"), std::string::npos) << m.text;

  // --id names the book instead of the path: the same file under an id is another book.
  const auto named = ingest_ok(path, {"my-notes", "My Notes", "Me"});
  EXPECT_EQ(named.book_id, "my-notes");
  EXPECT_EQ(named.title, "My Notes");
  EXPECT_EQ(named.author, "Me");
  EXPECT_EQ(count("books"), 2);
}

TEST_F(IngestServiceTest, RemovingTheBookRemovesItsCorpus) {
  const auto outcome = ingest_ok((kIngestFixtures / "manual").string());
  ASSERT_GT(count("chunks"), 0);
  EXPECT_TRUE(library_.remove_book(outcome.book_id));
  for (const char* table : {"books", "book_vectors", "book_terms", "book_sources", "book_chapters", "book_sections",
                            "chunks", "chunk_terms"}) {
    EXPECT_EQ(count(table), 0) << table;
  }
  EXPECT_FALSE(service_.structure(outcome.book_id).has_value());
}

TEST_F(IngestServiceTest, ReembedRebuildsChunkVectorsOfAnotherEmbedder) {
  const auto outcome = ingest_ok((kIngestFixtures / "field-guide.md").string());
  adapters::embed::HashingEmbedder other(512);
  engine::IngestService with_other(reader_, corpus_, other, clock_, adapters::embed::default_analyzer());
  std::vector<std::pair<std::string, int>> told;
  const auto rebuilt = with_other.reembed_chunks(false, [&](const std::string& id, int n) { told.emplace_back(id, n); });
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.error().message;
  EXPECT_EQ(rebuilt.value(), 1);
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0], std::make_pair(outcome.book_id, outcome.chunks));
  EXPECT_EQ(count("chunks WHERE dims = 512 AND embedding_model = '" + other.model() + "'"), outcome.chunks);
  // Up to date now; --all rebuilds anyway.
  EXPECT_EQ(with_other.reembed_chunks(false, {}).value(), 0);
  EXPECT_EQ(with_other.reembed_chunks(true, {}).value(), 1);
  // The passage is found with the new vectors.
  const auto found = with_other.search("git revert creates a new commit", std::nullopt, 1);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().section_title.value_or(""), "Reverting a Commit");
}

TEST_F(IngestServiceTest, ABadFileStoresNothing) {
  test_support::write_file(dir_.file("latin1.txt"), "Chapter 1. Caf\xe9\n\nDu caf\xe9.\n");
  const auto outcome = service_.ingest(dir_.file("latin1.txt"), {});
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, "invalid_document");
  EXPECT_NE(outcome.error().message.find("latin1.txt"), std::string::npos);
  test_support::write_file(dir_.file("empty.md"), "# Only a heading\n");
  const auto empty = service_.ingest(dir_.file("empty.md"), {});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("no text"), std::string::npos) << empty.error().message;
  const auto bad_id = service_.ingest((kIngestFixtures / "notes.txt").string(), {"no spaces allowed", "", ""});
  ASSERT_FALSE(bad_id.ok());
  EXPECT_EQ(bad_id.error().code, "invalid_request");
  for (const char* table : {"books", "book_sources", "chunks"}) EXPECT_EQ(count(table), 0) << table;
}

}  // namespace
