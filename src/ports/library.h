// Library: the shared collection of books (summary_json documents) and their vectors.
// A book is scored by the best of its vectors (book digest, chapters, chapter sections).
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
  // Books whose best vector (of embedding_model) scores ≥ min_similarity, best first, at most top_k,
  // with their per-chapter scores and summaries.
  virtual std::vector<domain::BookMatch> search(std::span<const float> embedding, const std::string& embedding_model,
                                                int top_k, double min_similarity) = 0;
};

}  // namespace docprof::ports
