// PgLibrary: the book library of the distributed deployment, in the same tables as SQLite's
// (books, book_vectors with float32 values as bytea, book_docs, book_terms, library_stats). A book
// and all it brings (vectors, term documents and postings, the statistics' share) are written in
// one transaction, rows in batches (one statement per table, the rows as a JSON recordset); an
// ingested book's corpus (pg_corpus.h) joins that transaction through put_book_with, and removing
// the book removes its corpus rows too (foreign keys cascade).
//
// search() ranks in-process with domain::rank_books, as SqliteLibrary does, so both backends rank
// alike (pgvector is not packaged in Debian 12): it reads the postings of the request's terms,
// every book vector of the requested model and dims, then the chapter and section vectors of the
// books worth them (domain::books_worth_vectors), a dot product each (vectors are L2-normalised:
// cosine similarity). What changes only with the library's version (library_version, bumped in
// the transaction of every import and removal) is read once per version, in a repeatable-read
// snapshot, and kept in memory: the term statistics and book ids, and the decoded vectors of each
// model; the found books' rows (title, author, parsed summary) are kept as searches read them, up
// to kCachedSummaryBytes of summaries per version. A search is then two statements — the version
// with the postings, and the found books' rows not kept yet, with the version — and one that finds
// the version changed between them starts again, so a search never mixes two versions; books added or removed by other processes are seen by the next
// search (PgCorpus keeps its chunk vectors by the same version). Vectors of another model (or other
// dims) are never compared.
//
// Thread safety: safe from any thread; any number of processes may share the database.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/postgres/pg_pool.h"
#include "domain/book_vectors.h"
#include "domain/library_ranking.h"
#include "domain/term_analyzer.h"
#include "ports/library.h"

namespace docprof::adapters::postgres {

class PgLibrary final : public ports::Library {
 public:
  // `analyzer` must outlive the library (the process's default analyzer, usually).
  PgLibrary(std::shared_ptr<PgPool> pool, const domain::TermAnalyzer& analyzer);

  // Replaces the book (by book_id) and all its vectors. Every vector must have the same, non-zero
  // number of dims (std::invalid_argument otherwise, and nothing changes).
  void put_book(const ports::BookInfo& info, const domain::BookSummary& summary,
                const std::vector<ports::BookVector>& vectors) override;
  bool remove_book(const std::string& book_id) override;
  std::vector<ports::BookInfo> list_books() override;  // by title, then book_id
  std::map<std::string, int> books_per_embedding_model() override;
  std::optional<domain::BookSummary> get_book(const std::string& book_id) override;
  std::vector<domain::BookMatch> search(const ports::LibrarySearch& request) override;

  // put_book, with `also(connection)` run inside the same transaction after the book and its
  // vectors are written and before the library's version is bumped (the corpus of an ingested
  // book, pg_corpus.h): an exception from it undoes all.
  void put_book_with(const ports::BookInfo& info, const domain::BookSummary& summary,
                     const std::vector<ports::BookVector>& vectors, const std::function<void(PgConnection&)>& also);

  // The library's version (library_version), read on the caller's connection, and its bump inside
  // the caller's transaction: every change of stored vectors bumps it, so that the vectors a
  // process keeps in memory per version (here and in PgCorpus) are read again after it.
  static std::int64_t version(PgConnection& connection);
  static void bump_version(PgConnection& connection);

 private:
  struct CachedVector {
    std::string book_id;
    domain::BookVectorKind kind = domain::BookVectorKind::book;
    int chapter_number = 0;
    int section_index = 0;
    std::vector<float> values;
  };
  struct CachedVectors {
    std::int64_t version = -1;
    std::shared_ptr<const std::vector<CachedVector>> vectors;
  };
  // A found book's row, parsed, as kept for the searches at one version.
  struct CachedBook {
    std::string title;
    std::string author;
    std::shared_ptr<const domain::BookSummary> summary;
  };
  struct CachedBooks {
    std::int64_t version = -1;
    std::map<std::string, CachedBook> by_id;
    std::size_t summary_bytes = 0;  // of the summaries' JSON text
  };
  static constexpr std::size_t kCachedSummaryBytes = 64u << 20;
  // The library's term statistics and book ids at one version.
  struct AtVersion {
    std::int64_t version = -1;
    domain::LibraryStats stats;
    std::vector<std::string> book_ids;
  };
  // The search at one library version; nullopt when the library changed during it.
  std::optional<std::vector<domain::BookMatch>> search_once(const ports::LibrarySearch& request,
                                                            const std::vector<domain::QueryTerm>& query,
                                                            const std::string& terms_json,
                                                            const std::vector<domain::TopicQuery>& topics);
  // What is kept of `version` (read if need be); null when the library is at another version now.
  std::shared_ptr<const AtVersion> library_at(std::int64_t version);
  std::shared_ptr<const std::vector<CachedVector>> vectors_at(std::int64_t version, const std::string& model,
                                                              std::int64_t dims);

  std::shared_ptr<PgPool> pool_;
  const domain::TermAnalyzer& analyzer_;
  std::mutex cache_mu_;
  std::map<std::pair<std::string, std::int64_t>, CachedVectors> cache_;  // by (model, dims)
  std::shared_ptr<const AtVersion> at_;  // the newest version read
  CachedBooks books_;
};

}  // namespace docprof::adapters::postgres
