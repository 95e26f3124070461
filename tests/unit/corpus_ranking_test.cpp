// rank_chunks: BM25 over chunk postings fused with vector cosines; rare words count more, a chunk
// found by its vector alone needs the similarity floor, top_k and deterministic ties.
#include <gtest/gtest.h>

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
