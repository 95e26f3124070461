// Ranking the corpus (the chunks of ingested books) for a search: BM25 over the chunks' analysed
// terms — single terms and adjacent pairs, as library_index.h indexes books — fused with the
// cosine similarity of the query's embedding with each chunk's vector. Every backend stores the
// postings and vectors and ranks with this one function, so SQLite and PostgreSQL rank alike.
//
// A chunk qualifies when it contains a word of the query or its vector reaches `min_similarity`;
// the fused score is (1 - vector_weight) × BM25 relative to the best chunk's + vector_weight ×
// cosine. `chunk_terms` gives the terms a backend stores for one chunk.
//
// Thread safety: pure functions over plain values.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/library_ranking.h"
#include "domain/term_analyzer.h"

namespace docprof::domain {

// The terms of one chunk: term -> weight (pairs included) and its length (the summed weights of
// single terms), as stored in the term index. The words of its chapter's and section's titles
// (`heading`) count kHeadingWeight times each, as a title says more about a passage than a word in
// passing. They are also indexed on their own, marked (heading_term): a passage under a title
// that names the query's words is about them — "what is a borrow" finds "References and
// Borrowing" before "RefCell<T> and the Interior Mutability Pattern", whose text says "borrow"
// more often — and BM25 weighs such a title match by how rare it is, like any term.
inline constexpr double kHeadingWeight = 2.0;
std::string heading_term(std::string_view term);
struct ChunkTerms {
  std::vector<std::pair<std::string, double>> terms;  // by term
  double length = 0.0;
};
ChunkTerms chunk_terms(const TermAnalyzer& analyzer, std::string_view text, std::string_view heading = {});

// A search compares the vector of every chunk searched while they number at most this many; beyond
// it, only the chunks holding a word of the query (a ranking decision: every backend makes it alike).
inline constexpr int kCompareAllChunkVectorsUpTo = 50'000;

struct ChunkPosting {
  std::string term;
  std::string chunk_id;
  double weight = 0.0;      // count of the term in the chunk
  double doc_length = 0.0;  // ChunkTerms::length of the chunk
};

struct ChunkVectorHit {
  std::string chunk_id;
  double cosine = 0.0;
};

struct CorpusStats {
  double chunks = 0.0;        // chunks searched (of one book, or of all)
  double total_length = 0.0;  // their summed lengths
};

struct CorpusRankingOptions {
  int top_k = 10;
  double min_similarity = 0.17;  // cosine floor for a chunk found by its vector alone
  double vector_weight = 0.3;
};

struct RankedChunk {
  std::string chunk_id;
  double score = 0.0;    // fused, 0..1
  double lexical = 0.0;  // BM25
  double cosine = 0.0;
};

// The terms a corpus search looks up for `text`: query_terms, and for each single term its
// heading_term, weighted kHeadingMatchWeight times as much.
inline constexpr double kHeadingMatchWeight = 1.0;
std::vector<QueryTerm> corpus_query_terms(const TermAnalyzer& analyzer, std::string_view text);

// The best chunks, best first, at most top_k (ties by chunk id).
std::vector<RankedChunk> rank_chunks(const std::vector<QueryTerm>& query, const CorpusStats& stats,
                                     const std::vector<ChunkPosting>& postings,
                                     const std::vector<ChunkVectorHit>& vectors, const CorpusRankingOptions& options);

}  // namespace docprof::domain
