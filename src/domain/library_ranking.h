// Ranking the library for a request (domain.md §7): the one scorer every storage backend uses, so
// that SQLite and PostgreSQL rank alike. It fuses two signals:
//
//  * lexical: BM25 over the analysed documents of library_index.h (book digest, chapters,
//    sections), with inverse document frequencies from the whole library — a word that every book
//    uses ("value", "system") counts little, a word few chapters use ("pointer") counts much;
//  * vectors: the cosine similarity of the request's embedding with each document's vector (what a
//    semantic embedder brings: synonyms, paraphrase).
//
// A book is found when it covers enough of the request's information (the IDF-weighted share of
// the request's words it contains, `min_coverage`) or its best vector reaches the embedder's
// `min_similarity`; found books are ranked by the fused score and cut relative to the best one
// (`relative_cut`), so that a book sharing one incidental word with the request does not ride
// along with the books about it. Chapters and sections get fused scores too, for the planner.
//
// Thread safety: pure functions over plain values.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/book_summary.h"
#include "domain/book_vectors.h"
#include "domain/term_analyzer.h"

namespace docprof::domain {

// A term of the request: single term or pair, with the word(s) to show when it matches. The
// request is read for the words that name what to learn first (search_text: "I want", "teach me",
// "write", "run" out; "back up" -> "backup").
struct QueryTerm {
  std::string term;
  std::string word;
  double weight = 1.0;
  bool pair = false;
};
std::vector<QueryTerm> query_terms(const TermAnalyzer& analyzer, std::string_view text);

// One topic the request names (course_plan_request.h read_request), as the request's terms that
// spell it: "Write shell scripts that run as Git hooks" names "shell scripts" and "Git hooks".
struct TopicQuery {
  std::string topic;             // as written in the request
  std::vector<QueryTerm> terms;  // a subset of the request's terms (singles and pairs)
};
// The request's named topics with terms of their own, when it names two or more: a request on one
// topic is searched for that topic already.
std::vector<TopicQuery> topic_queries(const TermAnalyzer& analyzer, std::string_view text,
                                      const std::vector<QueryTerm>& query);

// One indexed document containing one query term (what a backend reads from its term index).
struct Posting {
  std::string term;
  std::string book_id;
  BookVectorKind kind = BookVectorKind::book;
  int chapter_number = 0;
  int section_index = 0;
  double weight = 0.0;      // field-weighted count of the term in the document
  double doc_length = 0.0;  // the document's length (IndexedDoc::length)
};

struct KindStats {
  double docs = 0.0;          // documents of this kind in the library
  double total_length = 0.0;  // their summed lengths
};
struct LibraryStats {
  KindStats book;
  KindStats chapter;
  KindStats section;
  KindStats& of(BookVectorKind kind) {
    return kind == BookVectorKind::chapter ? chapter : kind == BookVectorKind::section ? section : book;
  }
};

// The cosine similarity of the request's embedding with one stored vector.
struct VectorHit {
  std::string book_id;
  BookVectorKind kind = BookVectorKind::book;
  int chapter_number = 0;
  int section_index = 0;
  double cosine = 0.0;
};

struct RankingOptions {
  int top_k = 10;
  double min_similarity = 0.17;  // the embedder's cosine floor (its calibrated default)
  double min_coverage = 0.5;     // share of the request's information a book must contain
  double relative_cut = 0.35;    // found books score at least this fraction of the best
  double vector_weight = 0.3;    // share of the fused score that comes from vectors
};

struct RankedBook {
  std::string book_id;
  double score = 0.0;     // fused, 0..1 (the best book of a request has 1)
  double lexical = 0.0;   // BM25-based book score
  double cosine = 0.0;    // best vector cosine
  double coverage = 0.0;  // IDF share of the request's words the book contains
  std::vector<std::string> matched_terms;  // the request's words found in the book
  std::vector<ChapterScore> chapters;      // fused chapter scores, best first
  std::vector<SectionScore> sections;      // fused section scores of sections that matched
  std::vector<std::string> topics;         // the request's topics this book is the best source for
};

// The books whose chapter and section vectors are worth reading for a request: the first
// 3 × top_k books ranked by their postings and their own vectors only (`book_vectors`, the
// book-level hits), found with half the usual coverage and similarity floors. Reading every vector
// of a 1,000-book library costs more than ranking it; a book found only by one chapter's vector
// while its words and its own vector are far from the request is the price (rare: a book's vector
// sums its chapters').
std::set<std::string> books_worth_vectors(const std::vector<QueryTerm>& query, const LibraryStats& stats,
                                          const std::vector<Posting>& postings,
                                          const std::vector<VectorHit>& book_vectors,
                                          const RankingOptions& options);

// The found books, best first, at most top_k.
//
// With topics, each topic is searched on its own too (its terms only, lexically): the book that
// covers a topic best is kept even when it covers too little of the whole request to be found —
// "shell scripts that run as Git hooks" wants the shell's manual and Git's, not one book that
// mentions both — and each kept book lists the topics it is the best source for. A topic's book
// joins after the found books (replacing the last one not serving a topic when top_k are kept,
// never the best one).
std::vector<RankedBook> rank_books(const std::vector<QueryTerm>& query, const LibraryStats& stats,
                                   const std::vector<Posting>& postings,
                                   const std::vector<VectorHit>& vectors,
                                   const RankingOptions& options,
                                   const std::vector<TopicQuery>& topics = {});

}  // namespace docprof::domain
