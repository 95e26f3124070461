// The Corpus contract (ports/corpus.h), run against every backend of corpus_backends(), with small
// ingested books written by hand and embedded by the offline hashing embedder: storing a book
// with its source, structure and chunks (and the library's book in the same write), replacing it
// by book_id, refusing inconsistent dims, the search over chunks, the chunk ids of a section, the
// chunks of given ids, re-embedding, and the removal of a book from the library taking its corpus.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "adapters/embed/hashing_embedder.h"
#include "contract/contract_samples.h"
#include "contract/corpus_contract.h"
#include "engine/book_embedding.h"

namespace docprof::contract {
namespace {

struct ChapterSpec {
  std::string title;
  std::vector<std::string> sections;
  std::string kind = "chapter";
};

struct ChunkSpec {
  int chapter_number = 0;
  int section_index = 0;
  int page = 0;
  std::string text;
};

const std::vector<ChapterSpec> kValuationChapters = {
    {"Discounted Cash Flow", {"Free Cash Flow", "Terminal Value"}},
    {"Cost of Capital", {"Beta and Risk"}},
    {"Index", {}, "index"},
};
const std::vector<ChunkSpec> kValuationChunks = {
    {1, 0, 1, "Discounted cash flow valuation values a firm by the cash flows it is expected to generate."},
    {1, 1, 2, "Free cash flow to the firm is operating income after taxes minus net reinvestment."},
    {1, 1, 2, "Forecast free cash flow year by year until the firm reaches its stable growth period."},
    {1, 2, 3, "The terminal value captures cash flows beyond the horizon with a perpetual stable growth rate."},
    {2, 0, 4, "The weighted average cost of capital blends the cost of equity with the after-tax cost of debt."},
    {2, 1, 5, "Beta measures the market risk of an equity relative to a diversified portfolio."},
    {3, 0, 6, "beta 5, cash flow 1-3, terminal value 3"},
};
const std::vector<ChapterSpec> kGardenChapters = {{"Tomatoes", {"Pruning", "Watering"}}};
const std::vector<ChunkSpec> kGardenChunks = {
    {1, 1, 0, "Pinch out tomato suckers every week so the plant puts its energy into fruit."},
    {1, 2, 0, "Water tomatoes deeply at the base in the morning and never on the leaves."},
};

class CorpusContract : public ::testing::TestWithParam<CorpusBackend> {
 protected:
  void SetUp() override { fixture_ = GetParam().make(); }
  ports::Library& library() { return fixture_->library(); }
  ports::Corpus& corpus() { return fixture_->corpus(); }

  // An ingested book as IngestService makes one: summary, book/chapter/section vectors, source,
  // structure and embedded chunks (ids "<book_id>/<sha256>/<index>").
  ports::IngestedBook book(const std::string& book_id, const std::string& title, const std::string& sha256,
                           const std::vector<ChapterSpec>& chapters, const std::vector<ChunkSpec>& chunks,
                           int pages) {
    ports::IngestedBook out;
    out.summary.source_title = title;
    out.summary.author = "A. Writer";
    out.summary.total_chapters = static_cast<int>(chapters.size());
    out.summary.source_summary = "What " + title + " teaches.";
    for (std::size_t c = 0; c < chapters.size(); ++c) {
      const int number = static_cast<int>(c) + 1;
      domain::ChapterSummary chapter;
      chapter.chapter_number = number;
      chapter.chapter_title = chapters[c].title;
      chapter.summary = "About " + chapters[c].title + ".";
      chapter.kind = chapters[c].kind;
      ports::StoredChapter stored{number, chapters[c].kind, chapters[c].title, 0, pages > 0 ? number : 0,
                                  pages > 0 ? number + 1 : 0, {}};
      for (std::size_t s = 0; s < chapters[c].sections.size(); ++s) {
        domain::SectionSummary section;
        section.section_title = chapters[c].sections[s];
        section.topics = {chapters[c].sections[s]};
        chapter.sections.push_back(section);
        stored.sections.push_back(ports::StoredSection{static_cast<int>(s) + 1, chapters[c].sections[s], 10,
                                                       stored.first_page, stored.last_page});
        stored.words += 10;
      }
      out.summary.chapters.push_back(chapter);
      out.chapters.push_back(stored);
    }
    out.info = ports::BookInfo{book_id, title, "A. Writer", static_cast<int>(chapters.size()), embedder_.model(), kT0};
    out.vectors = engine::embed_book_vectors(embedder_, out.summary).value();
    int words = 0;
    for (std::size_t i = 0; i < chunks.size(); ++i) {
      const auto& spec = chunks[i];
      const int chunk_words = static_cast<int>(std::count(spec.text.begin(), spec.text.end(), ' ')) + 1;
      words += chunk_words;
      out.chunks.push_back(ports::StoredChunk{book_id + "/" + sha256 + "/" + std::to_string(i), static_cast<int>(i),
                                              spec.chapter_number, spec.section_index, spec.page, chunk_words,
                                              spec.text, embedder_.embed_text(spec.text)});
    }
    out.source = ports::SourceRecord{"/books/" + book_id + ".md", pages > 0 ? "pdf" : "markdown", sha256, words,
                                     pages, kT0 + 1, 3};
    return out;
  }
  ports::IngestedBook valuation(const std::string& sha256 = std::string(64, 'a')) {
    return book("b-valuation", "Valuation in Practice", sha256, kValuationChapters, kValuationChunks, 6);
  }
  ports::IngestedBook garden() {
    return book("b-garden", "The Kitchen Garden", std::string(64, 'b'), kGardenChapters, kGardenChunks, 0);
  }

  std::vector<ports::ChunkMatch> search(const std::string& text, std::optional<std::string> book_id = std::nullopt,
                                        int top_k = 10) {
    const auto embedding = embedder_.embed_text(text);
    ports::CorpusSearch request;
    request.text = text;
    request.embedding = embedding;
    request.embedding_model = embedder_.model();
    request.book_id = std::move(book_id);
    request.top_k = top_k;
    request.min_similarity = adapters::embed::HashingEmbedder::kDefaultMinSimilarity;
    return corpus().search_chunks(request);
  }

  static std::vector<std::string> ids_of(const std::vector<ports::ChunkMatch>& matches) {
    std::vector<std::string> ids;
    for (const auto& m : matches) ids.push_back(m.chunk_id);
    return ids;
  }

  adapters::embed::HashingEmbedder embedder_{256};
  std::unique_ptr<CorpusFixture> fixture_;
};

TEST_P(CorpusContract, PutIngestedBookStoresTheLibraryBookItsSourceStructureAndChunks) {
  const auto stored = valuation();
  corpus().put_ingested_book(stored);

  EXPECT_EQ(library().get_book("b-valuation"), stored.summary);
  ASSERT_EQ(library().list_books().size(), 1u);
  EXPECT_EQ(library().list_books()[0].title, "Valuation in Practice");

  const auto source = corpus().find_source("b-valuation");
  ASSERT_TRUE(source.has_value());
  EXPECT_EQ(source->source_path, stored.source.source_path);
  EXPECT_EQ(source->format, "pdf");
  EXPECT_EQ(source->sha256, stored.source.sha256);
  EXPECT_EQ(source->words, stored.source.words);
  EXPECT_EQ(source->pages, 6);
  EXPECT_EQ(source->ingested_at_ms, kT0 + 1);
  EXPECT_EQ(source->ingest_version, 3);

  const auto structure = corpus().book_structure("b-valuation");
  ASSERT_TRUE(structure.has_value());
  EXPECT_EQ(structure->info.book_id, "b-valuation");
  EXPECT_EQ(structure->info.author, "A. Writer");
  EXPECT_EQ(structure->info.chapters, 3);
  EXPECT_EQ(structure->info.embedding_model, embedder_.model());
  EXPECT_EQ(structure->info.created_at_ms, kT0);
  EXPECT_EQ(structure->source.sha256, stored.source.sha256);
  EXPECT_EQ(structure->chunks, 7);
  ASSERT_EQ(structure->chapters.size(), 3u);
  for (std::size_t c = 0; c < 3; ++c) {
    const auto& got = structure->chapters[c];
    const auto& want = stored.chapters[c];
    EXPECT_EQ(got.chapter_number, want.chapter_number);
    EXPECT_EQ(got.kind, want.kind);
    EXPECT_EQ(got.title, want.title);
    EXPECT_EQ(got.words, want.words);
    EXPECT_EQ(got.first_page, want.first_page);
    EXPECT_EQ(got.last_page, want.last_page);
    ASSERT_EQ(got.sections.size(), want.sections.size()) << got.title;
    for (std::size_t s = 0; s < got.sections.size(); ++s) {
      EXPECT_EQ(got.sections[s].section_index, want.sections[s].section_index);
      EXPECT_EQ(got.sections[s].title, want.sections[s].title);
      EXPECT_EQ(got.sections[s].words, want.sections[s].words);
      EXPECT_EQ(got.sections[s].first_page, want.sections[s].first_page);
    }
  }
  EXPECT_EQ(structure->chapters[2].kind, "index");

  // The chunks in reading order, with their locations and text (and no vectors).
  const auto texts = corpus().chunk_texts("b-valuation");
  ASSERT_EQ(texts.size(), stored.chunks.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(texts[i].chunk_id, stored.chunks[i].chunk_id);
    EXPECT_EQ(texts[i].chunk_index, static_cast<int>(i));
    EXPECT_EQ(texts[i].chapter_number, stored.chunks[i].chapter_number);
    EXPECT_EQ(texts[i].section_index, stored.chunks[i].section_index);
    EXPECT_EQ(texts[i].page, stored.chunks[i].page);
    EXPECT_EQ(texts[i].words, stored.chunks[i].words);
    EXPECT_EQ(texts[i].text, stored.chunks[i].text);
    EXPECT_TRUE(texts[i].embedding.empty());
  }
  EXPECT_TRUE(corpus().chunk_texts("b-unknown").empty());
}

TEST_P(CorpusContract, AnImportedOrUnknownBookHasNoSourceStructureOrChunks) {
  const auto imported = garden();
  library().put_book(imported.info, imported.summary, imported.vectors);
  EXPECT_FALSE(corpus().find_source("b-garden").has_value());
  EXPECT_FALSE(corpus().book_structure("b-garden").has_value());
  EXPECT_TRUE(corpus().chunk_ids_of("b-garden", 1, std::nullopt, 10).empty());
  EXPECT_TRUE(corpus().chunk_texts("b-garden").empty());
  EXPECT_TRUE(search("tomato suckers").empty());
  EXPECT_FALSE(corpus().find_source("b-unknown").has_value());
  EXPECT_FALSE(corpus().book_structure("b-unknown").has_value());
}

TEST_P(CorpusContract, PutIngestedBookReplacesEverythingTheBookHadUnderItsId) {
  corpus().put_ingested_book(valuation());
  corpus().put_ingested_book(garden());
  const auto old_ids = ids_of(search("terminal value stable growth"));
  ASSERT_FALSE(old_ids.empty());

  // The same book again (say, read by a newer ingest version): the same rows, not twice.
  corpus().put_ingested_book(valuation());
  EXPECT_EQ(corpus().book_structure("b-valuation")->chunks, 7);
  EXPECT_EQ(fixture_->rows_of_book("chunks", "b-valuation"), 7);

  // Other bytes: one chapter of other text, fewer pages.
  const std::vector<ChapterSpec> options_chapters = {{"Option Pricing", {"Black and Scholes"}}};
  const std::vector<ChunkSpec> options_chunks = {
      {1, 1, 1, "The Black and Scholes model prices a European call option from volatility and time."}};
  auto replacement = book("b-valuation", "Options Explained", std::string(64, 'c'), options_chapters,
                          options_chunks, 1);
  corpus().put_ingested_book(replacement);

  const auto structure = corpus().book_structure("b-valuation");
  ASSERT_TRUE(structure.has_value());
  EXPECT_EQ(structure->info.title, "Options Explained");
  EXPECT_EQ(structure->source.sha256, std::string(64, 'c'));
  EXPECT_EQ(structure->source.pages, 1);
  EXPECT_EQ(structure->chunks, 1);
  ASSERT_EQ(structure->chapters.size(), 1u);
  EXPECT_EQ(structure->chapters[0].title, "Option Pricing");
  ASSERT_EQ(structure->chapters[0].sections.size(), 1u);
  EXPECT_EQ(library().get_book("b-valuation"), replacement.summary);
  EXPECT_EQ(library().list_books().size(), 2u);

  EXPECT_TRUE(corpus().chunks_by_id(old_ids).empty()) << "the old chunks are gone";
  for (const auto& match : search("terminal value stable growth")) {
    EXPECT_EQ(std::find(old_ids.begin(), old_ids.end(), match.chunk_id), old_ids.end()) << match.text;
  }
  EXPECT_EQ(fixture_->rows_of_book("chunks", "b-valuation"), 1);
  EXPECT_EQ(fixture_->rows_of_book("book_chapters", "b-valuation"), 1);
  EXPECT_EQ(fixture_->rows_of_book("book_sections", "b-valuation"), 1);
  const auto options = search("black scholes option pricing");
  ASSERT_FALSE(options.empty());
  EXPECT_EQ(options[0].chunk_id, replacement.chunks[0].chunk_id);
  EXPECT_EQ(options[0].book_title, "Options Explained");
  // The other book is untouched.
  EXPECT_EQ(corpus().book_structure("b-garden")->chunks, 2);
}

TEST_P(CorpusContract, PutIngestedBookWithInconsistentDimsChangesNothing) {
  const auto first = valuation();
  corpus().put_ingested_book(first);

  auto wrong = valuation(std::string(64, 'd'));
  wrong.chunks[3].embedding.pop_back();
  EXPECT_THROW(corpus().put_ingested_book(wrong), std::invalid_argument);
  auto empty = valuation(std::string(64, 'e'));
  empty.chunks[0].embedding.clear();
  EXPECT_THROW(corpus().put_ingested_book(empty), std::invalid_argument);
  EXPECT_EQ(corpus().find_source("b-valuation")->sha256, first.source.sha256);
  EXPECT_EQ(corpus().book_structure("b-valuation")->chunks, 7);
  EXPECT_FALSE(search("terminal value stable growth").empty());

  auto new_book = garden();
  new_book.chunks[1].embedding.push_back(0.0f);
  EXPECT_THROW(corpus().put_ingested_book(new_book), std::invalid_argument);
  EXPECT_FALSE(corpus().find_source("b-garden").has_value());
  EXPECT_FALSE(library().get_book("b-garden").has_value());
  EXPECT_EQ(fixture_->rows_of_book("chunks", "b-garden"), 0);
}

TEST_P(CorpusContract, SearchChunksFindsThePassageBestFirstWithItsLocation) {
  const auto stored = valuation();
  corpus().put_ingested_book(stored);
  corpus().put_ingested_book(garden());

  const auto found = search("terminal value with a stable growth rate");
  ASSERT_FALSE(found.empty());
  const auto& best = found.front();
  EXPECT_EQ(best.chunk_id, stored.chunks[3].chunk_id);
  EXPECT_EQ(best.book_id, "b-valuation");
  EXPECT_EQ(best.book_title, "Valuation in Practice");
  EXPECT_EQ(best.chapter_number, 1);
  EXPECT_EQ(best.chapter_title, "Discounted Cash Flow");
  EXPECT_EQ(best.section_title, std::optional<std::string>("Terminal Value"));
  EXPECT_EQ(best.page, std::optional<int>(3));
  EXPECT_EQ(best.text, stored.chunks[3].text);
  EXPECT_GT(best.score, 0.0);
  for (std::size_t i = 1; i < found.size(); ++i) EXPECT_GE(found[i - 1].score, found[i].score);

  // A chunk before its chapter's first section has no section; an unpaged book's chunks no page.
  const auto wacc = search("weighted average cost of capital");
  ASSERT_FALSE(wacc.empty());
  EXPECT_EQ(wacc[0].chunk_id, stored.chunks[4].chunk_id);
  EXPECT_FALSE(wacc[0].section_title.has_value());
  const auto tomatoes = search("pinch out tomato suckers");
  ASSERT_FALSE(tomatoes.empty());
  EXPECT_EQ(tomatoes[0].book_id, "b-garden");
  EXPECT_EQ(tomatoes[0].section_title, std::optional<std::string>("Pruning"));
  EXPECT_FALSE(tomatoes[0].page.has_value());

  // top_k bounds the answer; a book restricts it; top_k 0 finds nothing.
  EXPECT_EQ(search("cash flow", std::nullopt, 2).size(), 2u);
  const auto in_garden = search("cash flow and tomatoes", "b-garden");
  ASSERT_FALSE(in_garden.empty());
  for (const auto& m : in_garden) EXPECT_EQ(m.book_id, "b-garden");
  EXPECT_TRUE(search("cash flow", std::nullopt, 0).empty());
  EXPECT_TRUE(search("cash flow", "b-unknown").empty());
}

TEST_P(CorpusContract, SearchNeverComparesVectorsOfAnotherModel) {
  corpus().put_ingested_book(valuation());
  const std::string text = "zzzz qqqq";  // no word of any chunk: only a vector could find one
  ports::CorpusSearch request;
  request.text = text;
  const std::vector<float> all_ones(256, 1.0f / 16.0f);  // close to every hashed vector's direction
  request.embedding = all_ones;
  request.embedding_model = "another-model/256";
  request.top_k = 10;
  request.min_similarity = -1.0;  // any cosine would do
  EXPECT_TRUE(corpus().search_chunks(request).empty());
  request.embedding_model = embedder_.model();
  EXPECT_EQ(corpus().search_chunks(request).size(), 7u) << "the same vector of this model finds every chunk";
  // By its words, a chunk is found whatever the query's model.
  request.text = "beta market risk";
  request.embedding_model = "another-model/256";
  const auto lexical = corpus().search_chunks(request);
  ASSERT_FALSE(lexical.empty());
  EXPECT_EQ(lexical[0].section_title, std::optional<std::string>("Beta and Risk"));
}

TEST_P(CorpusContract, ChunkIdsOfASectionOrChapterAreInReadingOrder) {
  const auto stored = valuation();
  corpus().put_ingested_book(stored);
  const auto& c = stored.chunks;
  EXPECT_EQ(corpus().chunk_ids_of("b-valuation", 1, "Free Cash Flow", 10),
            (std::vector<std::string>{c[1].chunk_id, c[2].chunk_id}));
  EXPECT_EQ(corpus().chunk_ids_of("b-valuation", 1, "Free Cash Flow", 1), (std::vector<std::string>{c[1].chunk_id}));
  EXPECT_EQ(corpus().chunk_ids_of("b-valuation", 1, std::nullopt, 10),
            (std::vector<std::string>{c[0].chunk_id, c[1].chunk_id, c[2].chunk_id, c[3].chunk_id}));
  EXPECT_EQ(corpus().chunk_ids_of("b-valuation", 2, "Beta and Risk", 10), (std::vector<std::string>{c[5].chunk_id}));
  EXPECT_TRUE(corpus().chunk_ids_of("b-valuation", 2, "Free Cash Flow", 10).empty()) << "a section of another chapter";
  EXPECT_TRUE(corpus().chunk_ids_of("b-valuation", 9, std::nullopt, 10).empty());
  EXPECT_TRUE(corpus().chunk_ids_of("b-unknown", 1, std::nullopt, 10).empty());
}

TEST_P(CorpusContract, ChunkIdsOfEachSourceAreChunkIdsOfEachInTheOrderGiven) {
  corpus().put_ingested_book(valuation());
  corpus().put_ingested_book(garden());
  const std::vector<ports::PassageSource> sources{{"b-valuation", 2, "Beta and Risk"},
                                                  {"b-valuation", 1, std::nullopt},
                                                  {"b-unknown", 1, std::nullopt},
                                                  {"b-valuation", 1, "Free Cash Flow"},
                                                  {"b-valuation", 2, "Free Cash Flow"},
                                                  {"b-garden", 1, std::nullopt},
                                                  {"b-valuation", 1, "Free Cash Flow"}};
  for (const int limit : {10, 1}) {
    const auto each = corpus().chunk_ids_of_each(sources, limit);
    ASSERT_EQ(each.size(), sources.size()) << "one answer per source";
    for (std::size_t i = 0; i < sources.size(); ++i) {
      EXPECT_EQ(each[i], corpus().chunk_ids_of(sources[i].book_id, sources[i].chapter_number,
                                               sources[i].section_title, limit))
          << "source " << i << ", limit " << limit;
    }
    EXPECT_FALSE(each[1].empty());
    EXPECT_TRUE(each[2].empty()) << "a book that was not ingested";
  }
  EXPECT_TRUE(corpus().chunk_ids_of_each({}, 10).empty());
}

TEST_P(CorpusContract, ChunksByIdAreTheOnesThatExistInTheOrderGiven) {
  const auto stored = valuation();
  corpus().put_ingested_book(stored);
  corpus().put_ingested_book(garden());
  const auto& c = stored.chunks;
  const std::string tomato = garden().chunks[0].chunk_id;
  const auto found = corpus().chunks_by_id({c[5].chunk_id, "no-such-chunk", tomato, c[0].chunk_id});
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(ids_of(found), (std::vector<std::string>{c[5].chunk_id, tomato, c[0].chunk_id}));
  EXPECT_EQ(found[0].chapter_title, "Cost of Capital");
  EXPECT_EQ(found[0].section_title, std::optional<std::string>("Beta and Risk"));
  EXPECT_EQ(found[0].page, std::optional<int>(5));
  EXPECT_EQ(found[0].text, c[5].text);
  EXPECT_EQ(found[1].book_id, "b-garden");
  EXPECT_EQ(found[1].book_title, "The Kitchen Garden");
  EXPECT_FALSE(found[1].page.has_value());
  EXPECT_FALSE(found[2].section_title.has_value());
  for (const auto& m : found) EXPECT_EQ(m.score, 0.0);
  EXPECT_TRUE(corpus().chunks_by_id({}).empty());
}

TEST_P(CorpusContract, ReembeddingReplacesAChunksVectorsAndRefusesWrongDims) {
  const auto stored = valuation();
  corpus().put_ingested_book(stored);
  corpus().put_ingested_book(garden());
  EXPECT_TRUE(corpus().books_to_reembed(embedder_.model(), 256, false).empty());
  EXPECT_EQ(corpus().books_to_reembed(embedder_.model(), 256, true),
            (std::vector<std::string>{"b-garden", "b-valuation"}));
  const adapters::embed::HashingEmbedder other(128);
  EXPECT_EQ(corpus().books_to_reembed(other.model(), 128, false),
            (std::vector<std::string>{"b-garden", "b-valuation"}));

  std::vector<std::pair<std::string, std::vector<float>>> vectors;
  for (const auto& chunk : corpus().chunk_texts("b-valuation")) {
    vectors.emplace_back(chunk.chunk_id, other.embed_text(chunk.text));
  }
  // A wrong dims anywhere: refused, and nothing changes.
  auto wrong = vectors;
  wrong.back().second.push_back(0.0f);
  EXPECT_THROW(corpus().put_chunk_vectors("b-valuation", other.model(), 128, wrong), std::invalid_argument);
  const std::vector<std::pair<std::string, std::vector<float>>> no_values = {{vectors[0].first, {}}};
  EXPECT_THROW(corpus().put_chunk_vectors("b-valuation", other.model(), 0, no_values), std::invalid_argument);
  EXPECT_TRUE(corpus().books_to_reembed(embedder_.model(), 256, false).empty());
  EXPECT_FALSE(search("terminal value stable growth").empty());

  corpus().put_chunk_vectors("b-valuation", other.model(), 128, vectors);
  EXPECT_EQ(corpus().books_to_reembed(other.model(), 128, false), (std::vector<std::string>{"b-garden"}));
  EXPECT_EQ(corpus().books_to_reembed(embedder_.model(), 256, false), (std::vector<std::string>{"b-valuation"}));

  // The new vectors are searched with the new model's query vectors, the old model's no more.
  const std::string text = "perpetual horizon";
  const auto query = other.embed_text(text);
  ports::CorpusSearch request;
  request.text = "zzzz";  // no word of a chunk: found by the vector alone
  request.embedding = query;
  request.embedding_model = other.model();
  request.top_k = 3;
  request.min_similarity = 0.1;
  const auto by_new_vector = corpus().search_chunks(request);
  ASSERT_FALSE(by_new_vector.empty());
  EXPECT_EQ(by_new_vector[0].chunk_id, stored.chunks[3].chunk_id);
  const auto old_query = embedder_.embed_text(text);
  request.embedding = old_query;
  request.embedding_model = embedder_.model();
  for (const auto& m : corpus().search_chunks(request)) EXPECT_EQ(m.book_id, "b-garden") << m.text;
}

TEST_P(CorpusContract, RemovingTheBookFromTheLibraryRemovesItsCorpus) {
  const auto stored = valuation();
  corpus().put_ingested_book(stored);
  corpus().put_ingested_book(garden());
  ASSERT_GT(fixture_->rows_of_book("chunk_terms", "b-valuation"), 0);

  EXPECT_TRUE(library().remove_book("b-valuation"));
  EXPECT_FALSE(corpus().find_source("b-valuation").has_value());
  EXPECT_FALSE(corpus().book_structure("b-valuation").has_value());
  EXPECT_TRUE(corpus().chunk_texts("b-valuation").empty());
  EXPECT_TRUE(corpus().chunk_ids_of("b-valuation", 1, std::nullopt, 10).empty());
  EXPECT_TRUE(corpus().chunks_by_id({stored.chunks[0].chunk_id}).empty());
  for (const auto& m : search("terminal value stable growth and cash flow")) EXPECT_EQ(m.book_id, "b-garden");
  EXPECT_EQ(corpus().books_to_reembed(embedder_.model(), 256, true), (std::vector<std::string>{"b-garden"}));
  for (const char* table : {"books", "book_vectors", "book_terms", "book_sources", "book_chapters", "book_sections",
                            "chunks", "chunk_terms"}) {
    EXPECT_EQ(fixture_->rows_of_book(table, "b-valuation"), 0) << table;
  }
  EXPECT_EQ(corpus().book_structure("b-garden")->chunks, 2) << "the other book keeps its corpus";
  EXPECT_FALSE(search("tomato suckers").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, CorpusContract, ::testing::ValuesIn(corpus_backends()),
                         [](const ::testing::TestParamInfo<CorpusBackend>& p) { return p.param.name; });

}  // namespace
}  // namespace docprof::contract
