// The Library contract (ports/library.h), run against every backend of library_backends(), with
// real books of the sample library (examples/library) embedded by the offline hashing embedder:
// put/get/list/remove, replacement by book_id, and search by a request's words.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/embed/hashing_embedder.h"
#include "contract/contract_samples.h"
#include "contract/library_contract.h"
#include "engine/book_embedding.h"

namespace docprof::contract {
namespace {

struct Book {
  ports::BookInfo info;
  domain::BookSummary summary;
  std::vector<ports::BookVector> vectors;
};

class LibraryContract : public ::testing::TestWithParam<LibraryBackend> {
 protected:
  void SetUp() override { fixture_ = GetParam().make(); }
  ports::Library& library() { return fixture_->library(); }

  // A book of examples/library under `book_id`, with its vectors as an import makes them.
  Book sample_book(const std::string& file_name, const std::string& book_id) {
    std::ifstream in(std::filesystem::path(DOCPROF_SOURCE_DIR) / "examples" / "library" / file_name);
    auto parsed = domain::parse_book_summary(nlohmann::json::parse(in));
    if (!parsed) throw std::runtime_error(file_name + ": " + parsed.error().message);
    Book book;
    book.summary = parsed.value();
    book.info.book_id = book_id;
    book.info.title = book.summary.source_title;
    book.info.author = book.summary.author;
    book.info.chapters = static_cast<int>(book.summary.chapters.size());
    book.info.embedding_model = embedder_.model();
    book.info.created_at_ms = kT0;
    book.vectors = engine::embed_book_vectors(embedder_, book.summary).value();
    return book;
  }

  void put(const Book& book) { library().put_book(book.info, book.summary, book.vectors); }

  std::vector<domain::BookMatch> search(const std::string& text) {
    const auto embedding = embedder_.embed_text(text);
    ports::LibrarySearch request;
    request.text = text;
    request.embedding = embedding;
    request.embedding_model = embedder_.model();
    request.top_k = 10;
    request.min_similarity = adapters::embed::HashingEmbedder::kDefaultMinSimilarity;
    return library().search(request);
  }

  adapters::embed::HashingEmbedder embedder_;
  std::unique_ptr<LibraryFixture> fixture_;
};

TEST_P(LibraryContract, PutGetAndListRoundTripABook) {
  const auto book = sample_book("damodaran-investment-valuation-2e.json", "b-damodaran");
  put(book);
  EXPECT_EQ(library().get_book("b-damodaran"), book.summary);
  const auto listed = library().list_books();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].book_id, "b-damodaran");
  EXPECT_EQ(listed[0].title, book.info.title);
  EXPECT_EQ(listed[0].author, "Aswath Damodaran");
  EXPECT_EQ(listed[0].chapters, book.info.chapters);
  EXPECT_EQ(listed[0].embedding_model, embedder_.model());
  EXPECT_EQ(listed[0].created_at_ms, kT0);
  EXPECT_EQ(library().books_per_embedding_model(), (std::map<std::string, int>{{embedder_.model(), 1}}));
  EXPECT_FALSE(library().get_book("b-unknown").has_value());
}

TEST_P(LibraryContract, PutBookReplacesTheBookWithTheSameIdAndAllItsVectors) {
  put(sample_book("darwin-origin-of-species.json", "b-1"));
  ASSERT_FALSE(search("natural selection and the origin of species").empty());
  const auto valuation = sample_book("damodaran-investment-valuation-2e.json", "b-1");
  put(valuation);
  const auto listed = library().list_books();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].title, valuation.info.title);
  EXPECT_EQ(library().get_book("b-1"), valuation.summary);
  EXPECT_TRUE(search("natural selection and the origin of species").empty()) << "the old vectors and terms are gone";
  const auto found = search("discounted cash flow valuation and the cost of capital");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].book_id, "b-1");
}

TEST_P(LibraryContract, ASearchAfterABookIsReplacedFindsItsNewTitleAndSummary) {
  auto book = sample_book("damodaran-investment-valuation-2e.json", "b-1");
  put(book);
  const std::string request = "discounted cash flow valuation and the cost of capital";
  ASSERT_EQ(search(request).size(), 1u);
  ASSERT_EQ(search(request).front().title, book.info.title) << "the same again (a backend may keep it)";
  book.info.title = "Investment Valuation, third edition";
  book.summary.source_title = book.info.title;
  book.summary.chapters.front().chapter_title = "Introduction to valuation, revised";
  put(book);
  const auto found = search(request);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].title, "Investment Valuation, third edition");
  EXPECT_EQ(found[0].summary, book.summary);
}

TEST_P(LibraryContract, SearchFindsABookByItsWordsBestFirst) {
  put(sample_book("damodaran-investment-valuation-2e.json", "b-damodaran"));
  put(sample_book("darwin-origin-of-species.json", "b-darwin"));
  put(sample_book("feynman-qed.json", "b-feynman"));

  const auto valuation = search("discounted cash flow valuation and the cost of capital");
  ASSERT_FALSE(valuation.empty());
  EXPECT_EQ(valuation[0].book_id, "b-damodaran");
  EXPECT_EQ(valuation[0].author, "Aswath Damodaran");
  EXPECT_GT(valuation[0].similarity, 0.0);
  EXPECT_FALSE(valuation[0].matched_terms.empty());
  EXPECT_EQ(valuation[0].summary, *library().get_book("b-damodaran"));
  for (std::size_t i = 1; i < valuation.size(); ++i) {
    EXPECT_GE(valuation[i - 1].similarity, valuation[i].similarity);
  }

  const auto evolution = search("natural selection and the origin of species");
  ASSERT_FALSE(evolution.empty());
  EXPECT_EQ(evolution[0].book_id, "b-darwin");
}

TEST_P(LibraryContract, RemoveBookRemovesItFromGetListAndSearch) {
  put(sample_book("damodaran-investment-valuation-2e.json", "b-damodaran"));
  put(sample_book("darwin-origin-of-species.json", "b-darwin"));
  EXPECT_TRUE(library().remove_book("b-damodaran"));
  EXPECT_FALSE(library().get_book("b-damodaran").has_value());
  const auto listed = library().list_books();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].book_id, "b-darwin");
  for (const auto& match : search("discounted cash flow valuation and the cost of capital")) {
    EXPECT_NE(match.book_id, "b-damodaran");
  }
  EXPECT_FALSE(library().remove_book("b-damodaran"));
  EXPECT_EQ(library().books_per_embedding_model(), (std::map<std::string, int>{{embedder_.model(), 1}}));
}

INSTANTIATE_TEST_SUITE_P(Backends, LibraryContract, ::testing::ValuesIn(library_backends()),
                         [](const ::testing::TestParamInfo<LibraryBackend>& p) { return p.param.name; });

}  // namespace
}  // namespace docprof::contract
