// Library: the shared collection of books (summary_json documents), their vectors and their
// analysed terms. search() ranks with the one pure scorer of domain/library_ranking.h — BM25 over
// the terms fused with the vectors' cosine similarity — so that every backend ranks alike; a
// backend only stores and reads the documents (domain/library_index.h) and statistics it needs,
// and keeps the statistics current in the same transaction as each import or removal.
//
// Thread safety: implementations must allow concurrent calls from many threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/book_summary.h"

namespace docprof::ports {

enum class VectorKind { book, chapter, section };

struct BookVector {
  VectorKind kind = VectorKind::book;
  std::string ref;  // "" for the book, "<chapter_number>" or "<chapter_number>.<section index>"
  int chapter_number = 0;  // 0 for the book vector
  std::vector<float> embedding;
};

struct BookInfo {
  std::string book_id;
  std::string title;
  std::string author;
  int chapters = 0;
  std::string embedding_model;
  std::int64_t created_at_ms = 0;
};

// One search of the library for a request: its words (for the terms) and its embedding.
struct LibrarySearch {
  std::string text;
  std::span<const float> embedding;
  std::string embedding_model;
  int top_k = 10;
  double min_similarity = 0.0;  // the embedder's cosine floor (domain::RankingOptions)
};

class Library {
 public:
  virtual ~Library() = default;
  // Adds (or replaces, by book_id) a book with its vectors, in one transaction.
  virtual void put_book(const BookInfo& info, const domain::BookSummary& summary,
                        const std::vector<BookVector>& vectors) = 0;
  virtual bool remove_book(const std::string& book_id) = 0;
  virtual std::vector<BookInfo> list_books() = 0;
  // How many books have their vectors in each embedding model ("hashing-v1/1024" -> 18).
  virtual std::map<std::string, int> books_per_embedding_model() = 0;
  virtual std::optional<domain::BookSummary> get_book(const std::string& book_id) = 0;
  // The books found for the request (domain/library_ranking.h), best first, at most top_k, with
  // their chapter and section scores, the request's words each matched, and their summaries.
  // Vectors of another embedding model are never compared.
  virtual std::vector<domain::BookMatch> search(const LibrarySearch& request) = 0;
};

}  // namespace docprof::ports
