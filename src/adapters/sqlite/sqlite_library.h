// SqliteLibrary: the book library of embedded mode. Books (table books, summary_json as JSON TEXT)
// and their vectors (book_vectors: one per book digest, chapter and chapter section, float32 BLOBs
// tagged with the embedding model and dims).
//
// search() is brute force: one query streams every vector of the requested model and dims, a dot
// product scores each (vectors are L2-normalised, so this is cosine similarity), a book scores its
// best vector, and a chapter the best of its chapter and section vectors. Nothing is cached, so
// books added or removed by other processes are seen at once. Vectors of another model (or other
// dims) are never compared: a query of a model with no vectors finds nothing.
//
// Thread safety: safe from any thread; several processes may share the file (see SqliteDatabase).
#pragma once

#include <memory>

#include "adapters/sqlite/sqlite_database.h"
#include "ports/library.h"

namespace docprof::adapters::sqlite {

class SqliteLibrary final : public ports::Library {
 public:
  explicit SqliteLibrary(std::shared_ptr<SqliteDatabase> database);

  // Replaces the book (by book_id) and all its vectors. Every vector must have the same, non-zero
  // number of dims (std::invalid_argument otherwise, and nothing changes).
  void put_book(const ports::BookInfo& info, const domain::BookSummary& summary,
                const std::vector<ports::BookVector>& vectors) override;
  bool remove_book(const std::string& book_id) override;
  std::vector<ports::BookInfo> list_books() override;
  std::map<std::string, int> books_per_embedding_model() override;  // by title, then book_id
  std::optional<domain::BookSummary> get_book(const std::string& book_id) override;
  std::vector<domain::BookMatch> search(std::span<const float> embedding,
                                        const std::string& embedding_model, int top_k,
                                        double min_similarity) override;

 private:
  std::shared_ptr<SqliteDatabase> database_;
};

}  // namespace docprof::adapters::sqlite
