// rank_chunks: BM25 over chunk postings fused with vector cosines; rare words count more, a chunk
// found by its vector alone needs the similarity floor, top_k and deterministic ties.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "domain/corpus_ranking.h"

namespace {

using namespace docprof::domain;

QueryTerm term(const std::string& t) { return QueryTerm{t, t, 1.0, false}; }

TEST(CorpusRanking, RareWordsOutweighCommonOnes) {
  const std::vector<QueryTerm> query{term("revert"), term("commit")};
  const CorpusStats stats{10, 1000};
  // "commit" is in every chunk; "revert" only in c7.
  std::vector<ChunkPosting> postings;
  for (int i = 0; i < 10; ++i) postings.push_back({"commit", "c" + std::to_string(i), 3, 100});
  postings.push_back({"revert", "c7", 1, 100});
  const auto ranked = rank_chunks(query, stats, postings, {}, {});
  ASSERT_EQ(ranked.size(), 10u);
  EXPECT_EQ(ranked.front().chunk_id, "c7");
  EXPECT_DOUBLE_EQ(ranked.front().score, 0.7);  // the best lexical score, no vector
  for (std::size_t i = 1; i < ranked.size(); ++i) EXPECT_LT(ranked[i].score, ranked.front().score);
  // The others tie: by chunk id.
  EXPECT_EQ(ranked[1].chunk_id, "c0");
  EXPECT_EQ(ranked.back().chunk_id, "c9");
}

TEST(CorpusRanking, VectorsFuseAndAloneNeedTheFloor) {
  const std::vector<QueryTerm> query{term("lamp")};
  const CorpusStats stats{4, 400};
  const std::vector<ChunkPosting> postings{{"lamp", "a", 2, 100}, {"lamp", "b", 2, 100}};
  const std::vector<ChunkVectorHit> vectors{{"a", 0.2}, {"b", 0.6}, {"c", 0.5}, {"d", 0.1}};
  CorpusRankingOptions options;
  options.min_similarity = 0.3;
  const auto ranked = rank_chunks(query, stats, postings, vectors, options);
  ASSERT_EQ(ranked.size(), 3u);  // d is below the floor and has no word of the query
  EXPECT_EQ(ranked[0].chunk_id, "b");
  EXPECT_NEAR(ranked[0].score, 0.7 + 0.3 * 0.6, 1e-12);
  EXPECT_EQ(ranked[1].chunk_id, "a");
  EXPECT_EQ(ranked[2].chunk_id, "c");
  EXPECT_NEAR(ranked[2].score, 0.3 * 0.5, 1e-12);
  options.top_k = 1;
  EXPECT_EQ(rank_chunks(query, stats, postings, vectors, options).size(), 1u);
}

TEST(CorpusRanking, WithoutWordsTheVectorsDecide) {
  const auto ranked = rank_chunks({}, {3, 300}, {}, {{"x", 0.4}, {"y", 0.9}}, {});
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].chunk_id, "y");
  EXPECT_DOUBLE_EQ(ranked[0].score, 0.9);
}

}  // namespace

namespace {

// A tiny analyzer: lower-case runs of letters, a few stop words dropped, "-ing" and a plural "s"
// taken off longer words (so that "borrowing" and "borrows" are the term "borrow").
class TinyAnalyzer final : public TermAnalyzer {
 public:
  std::vector<AnalyzedWord> words(std::string_view text) const override {
    static const std::set<std::string> kStop{"a", "an", "the", "is", "what", "to", "and", "of", "it", "at", "as",
                                             "if", "you", "we", "can", "from", "them", "in", "every"};
    std::vector<AnalyzedWord> out;
    std::string word;
    auto flush = [&] {
      if (!word.empty() && !kStop.contains(word)) {
        std::string term = word;
        if (term.size() > 5 && term.ends_with("ing")) term.resize(term.size() - 3);
        else if (term.size() > 4 && term.ends_with('s')) term.pop_back();
        out.push_back(AnalyzedWord{term, word, false});
      }
      word.clear();
    };
    for (const char c : text) {
      if (std::isalpha(static_cast<unsigned char>(c)) != 0) word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      else flush();
    }
    flush();
    return out;
  }
  std::string name() const override { return "tiny"; }
};

// A passage under a title that names the query's words is about them: the heading's words are
// indexed on their own (heading_term) and the search looks them up too.
TEST(CorpusRanking, APassageUnderATitleNamingTheQueryOutranksOneThatOnlySaysTheWordMoreOften) {
  const TinyAnalyzer analyzer;
  const std::vector<std::pair<std::string, ChunkTerms>> chunks{
      {"refcell", chunk_terms(analyzer,
                              "A mutable borrow to an immutable value: borrow_mut borrows mutably, borrow borrows "
                              "immutably, and the borrow checker counts every borrow at runtime.",
                              "Smart Pointers. RefCell and the Interior Mutability Pattern")},
      {"borrowing", chunk_terms(analyzer,
                                "We call the action of creating a reference borrowing. As in real life, if a person "
                                "owns something, you can borrow it from them.",
                                "Understanding Ownership. References and Borrowing")},
      {"other", chunk_terms(analyzer, "Structs group related values.", "Using Structs")},
  };
  std::vector<ChunkPosting> postings;
  double total = 0;
  for (const auto& [id, terms] : chunks) {
    total += terms.length;
    for (const auto& [t, weight] : terms.terms) postings.push_back({t, id, weight, terms.length});
  }
  const auto query = corpus_query_terms(analyzer, "what is a borrow");
  ASSERT_TRUE(std::any_of(query.begin(), query.end(), [](const QueryTerm& q) { return q.term == heading_term("borrow"); }));
  std::vector<ChunkPosting> relevant;
  for (const auto& p : postings) {
    if (std::any_of(query.begin(), query.end(), [&](const QueryTerm& q) { return q.term == p.term; })) relevant.push_back(p);
  }
  const auto ranked = rank_chunks(query, CorpusStats{3, total}, relevant, {}, {});
  ASSERT_GE(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].chunk_id, "borrowing");
  EXPECT_EQ(ranked[1].chunk_id, "refcell");
  // Without the heading terms the passage that says "borrow" most often wins.
  const auto words_only = rank_chunks(query_terms(analyzer, "what is a borrow"), CorpusStats{3, total}, relevant, {}, {});
  ASSERT_GE(words_only.size(), 2u);
  EXPECT_EQ(words_only[0].chunk_id, "refcell");
}

TEST(CorpusRanking, HeadingTermsAreNoWordsAndAddNothingToTheLength) {
  const TinyAnalyzer analyzer;
  const auto with = chunk_terms(analyzer, "text words here", "Title");
  const auto without = chunk_terms(analyzer, "text words here", "");
  EXPECT_DOUBLE_EQ(with.length, without.length + kHeadingWeight);
  EXPECT_TRUE(std::any_of(with.terms.begin(), with.terms.end(),
                          [](const auto& t) { return t.first == heading_term("title"); }));
  for (const auto& word : analyzer.words("§title")) EXPECT_NE(word.term.front(), heading_term("x").front());
}

}  // namespace
