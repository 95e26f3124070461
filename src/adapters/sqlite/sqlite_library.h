// SqliteLibrary: the book library of embedded mode. Books (table books, summary_json as JSON TEXT),
// their vectors (book_vectors: one per book digest, chapter and chapter section, float32 BLOBs
// tagged with the embedding model and dims) and their term index (book_docs, book_terms: the
// documents of domain/library_index.h, one row per document and term; library_stats: documents
// and lengths per kind, updated in the same transaction as every import and removal).
//
// search() reads the postings of the request's terms (an index lookup), streams every vector of
// the requested model and dims for a dot product each (vectors are L2-normalised: cosine
// similarity), and ranks with domain::rank_books. Nothing is cached, so books added or removed by
// other processes are seen at once. Vectors of another model (or other dims) are never compared.
//
// Thread safety: safe from any thread; several processes may share the file (see SqliteDatabase).
#pragma once

#include <functional>
#include <memory>

#include "adapters/sqlite/sqlite_database.h"
#include "domain/term_analyzer.h"
#include "ports/library.h"

namespace docprof::adapters::sqlite {

class SqliteLibrary final : public ports::Library {
 public:
  // `analyzer` must outlive the library (the process's default analyzer, usually).
  SqliteLibrary(std::shared_ptr<SqliteDatabase> database, const domain::TermAnalyzer& analyzer);

  // Replaces the book (by book_id) and all its vectors. Every vector must have the same, non-zero
  // number of dims (std::invalid_argument otherwise, and nothing changes).
  void put_book(const ports::BookInfo& info, const domain::BookSummary& summary,
                const std::vector<ports::BookVector>& vectors) override;
  bool remove_book(const std::string& book_id) override;
  std::vector<ports::BookInfo> list_books() override;
  std::map<std::string, int> books_per_embedding_model() override;  // by title, then book_id
  std::optional<domain::BookSummary> get_book(const std::string& book_id) override;
  std::vector<domain::BookMatch> search(const ports::LibrarySearch& request) override;

  // put_book, with `also(session)` run inside the same transaction after the book and its vectors
  // are written (the corpus of an ingested book, sqlite_corpus.h): an exception from it undoes all.
  void put_book_with(const ports::BookInfo& info, const domain::BookSummary& summary,
                     const std::vector<ports::BookVector>& vectors, const std::function<void(Session&)>& also);

 private:
  std::shared_ptr<SqliteDatabase> database_;
  const domain::TermAnalyzer& analyzer_;
};

}  // namespace docprof::adapters::sqlite
