// Every backend of corpus_backends() ranks the same corpus alike (ports/corpus.h: one pure scorer,
// domain/corpus_ranking.h). The ingest fixtures (tests/fixtures/ingest: a Markdown book, an HTML
// page, a multi-page manual) are read, cut and embedded once by the real readers and the hashing
// embedder, stored in each backend, and searched with the same questions: the chunks found, their
// order, their scores and their locations must be the same on every backend.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "adapters/embed/hashing_embedder.h"
#include "adapters/embed/stemming_analyzer.h"
#include "adapters/ingest/file_document_reader.h"
#include "contract/corpus_contract.h"
#include "engine/ingest_service.h"
#include "engine/system_clock.h"

namespace docprof::contract {
namespace {

const std::filesystem::path kFixtures = std::filesystem::path(DOCPROF_SOURCE_DIR) / "tests" / "fixtures" / "ingest";

struct Question {
  std::string text;
  std::optional<std::string> book_id;
  int top_k = 8;
};

// The answers of one backend to the questions.
std::vector<std::vector<ports::ChunkMatch>> answers_of(const CorpusBackend& backend,
                                                       const std::vector<Question>& questions) {
  auto fixture = backend.make();
  adapters::ingest::FileDocumentReader reader;
  adapters::embed::HashingEmbedder embedder;
  engine::SystemClock clock;
  engine::IngestService service(reader, fixture->corpus(), embedder, clock, adapters::embed::default_analyzer());
  for (const char* source : {"field-guide.md", "single-page.html", "manual"}) {
    const auto outcome = service.ingest((kFixtures / source).string(), {});
    if (!outcome) throw std::runtime_error(backend.name + ": " + source + ": " + outcome.error().message);
  }
  std::vector<std::vector<ports::ChunkMatch>> answers;
  for (const auto& question : questions) {
    auto found = service.search(question.text, question.book_id, question.top_k);
    if (!found) throw std::runtime_error(backend.name + ": " + question.text + ": " + found.error().message);
    answers.push_back(std::move(found.value()));
  }
  return answers;
}

TEST(CorpusRankingContract, EveryBackendFindsTheSameChunksInTheSameOrderWithTheSameScores) {
  const std::string guide = engine::IngestService::book_id_for_source((kFixtures / "field-guide.md").string());
  const std::vector<Question> questions = {
      {"how do I undo a commit", std::nullopt},
      {"git revert creates a new commit that applies the opposite", std::nullopt},
      {"how do I trim the wick", std::nullopt},
      {"resolving merge conflicts between branches", std::nullopt},
      {"tea", std::nullopt},
      {"commit", guide, 20},
      {"a question about nothing in these books: quantum chromodynamics", std::nullopt},
  };
  const auto backends = corpus_backends();
  ASSERT_GE(backends.size(), 2u);
  const auto reference = answers_of(backends[0], questions);
  // The reference itself answers as the fixtures say (so that the comparison is of real results).
  ASSERT_FALSE(reference[0].empty());
  EXPECT_EQ(reference[0][0].chapter_title, "3. Undoing Changes");
  ASSERT_FALSE(reference[1].empty());
  EXPECT_EQ(reference[1][0].section_title.value_or(""), "Reverting a Commit");
  ASSERT_FALSE(reference[2].empty());
  EXPECT_EQ(reference[2][0].section_title.value_or(""), "2.1. Trimming");
  EXPECT_GT(reference[5].size(), 8u);

  for (std::size_t b = 1; b < backends.size(); ++b) {
    const auto answers = answers_of(backends[b], questions);
    ASSERT_EQ(answers.size(), reference.size());
    for (std::size_t q = 0; q < questions.size(); ++q) {
      SCOPED_TRACE(backends[b].name + " vs " + backends[0].name + ": \"" + questions[q].text + "\"");
      ASSERT_EQ(answers[q].size(), reference[q].size());
      for (std::size_t i = 0; i < answers[q].size(); ++i) {
        const auto& got = answers[q][i];
        const auto& want = reference[q][i];
        EXPECT_EQ(got.chunk_id, want.chunk_id) << "rank " << i;
        // The statistics' sums may be added in another order: the last bits may differ.
        EXPECT_NEAR(got.score, want.score, 1e-9) << "rank " << i;
        EXPECT_EQ(got.book_id, want.book_id);
        EXPECT_EQ(got.book_title, want.book_title);
        EXPECT_EQ(got.chapter_number, want.chapter_number);
        EXPECT_EQ(got.chapter_title, want.chapter_title);
        EXPECT_EQ(got.section_title, want.section_title);
        EXPECT_EQ(got.page, want.page);
        EXPECT_EQ(got.text, want.text);
      }
    }
  }
}

}  // namespace
}  // namespace docprof::contract
