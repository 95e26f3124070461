// PgCorpus: the corpus of ingested books in the distributed deployment's PostgreSQL database
// (migration 9), in the tables and columns of SQLite's (sqlite_corpus.h): their sources
// (book_sources), chapters and sections (book_chapters, book_sections), and chunks with their
// vectors (chunks, float32 values as bytea) and term postings (chunk_terms). A book is written
// through PgLibrary::put_book_with, so the library's row, vectors and terms and the corpus change
// in one transaction (rows in batches, as a JSON recordset per statement), which bumps the
// library's version; PgLibrary::remove_book removes the corpus rows too (foreign keys cascade).
//
// search_chunks() ranks in process with domain::rank_chunks, as SqliteCorpus does, so both
// backends rank alike (pgvector is not packaged in Debian 12). In one repeatable-read snapshot it
// reads the searched chunks' statistics, the postings of the query's terms (an index lookup) and
// the vectors of the chunks searched — every chunk of the book (or library) while they number at
// most domain::kCompareAllChunkVectorsUpTo, else only the chunks that hold a word of the query, as
// SqliteCorpus does — a dot product each, summed as SqliteCorpus sums. The vectors of a model (and dims) are decoded
// once and kept in memory per library version (PgLibrary::version, read in the search's snapshot)
// while they fit in kCachedVectorBytes; a larger corpus is read from the database at each search.
// Vectors of another model (or other dims) are never compared.
//
// Thread safety: safe from any thread; any number of processes may share the database.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "adapters/postgres/pg_library.h"
#include "adapters/postgres/pg_pool.h"
#include "domain/corpus_ranking.h"
#include "domain/term_analyzer.h"
#include "ports/corpus.h"

namespace docprof::adapters::postgres {

class PgCorpus final : public ports::Corpus {
 public:
  // The vectors of one model kept in memory at most (64 MiB: 16,000 chunks of 1,024 dims).
  static constexpr std::int64_t kCachedVectorBytes = std::int64_t{64} << 20;

  // `library` (over the same database) and `analyzer` must outlive the corpus.
  PgCorpus(std::shared_ptr<PgPool> pool, PgLibrary& library, const domain::TermAnalyzer& analyzer);

  std::optional<ports::SourceRecord> find_source(const std::string& book_id) override;
  void put_ingested_book(const ports::IngestedBook& book) override;
  std::optional<ports::BookStructure> book_structure(const std::string& book_id) override;
  std::vector<ports::ChunkMatch> search_chunks(const ports::CorpusSearch& search) override;
  std::vector<std::string> chunk_ids_of(const std::string& book_id, int chapter_number,
                                        const std::optional<std::string>& section_title, int limit) override;
  // In one statement (a stored course's sources: dozens of them).
  std::vector<std::vector<std::string>> chunk_ids_of_each(const std::vector<ports::PassageSource>& sources,
                                                          int limit) override;
  std::vector<ports::ChunkMatch> chunks_by_id(const std::vector<std::string>& chunk_ids) override;
  std::vector<std::string> books_to_reembed(const std::string& model, int dims, bool all) override;
  std::vector<ports::StoredChunk> chunk_texts(const std::string& book_id) override;
  void put_chunk_vectors(const std::string& book_id, const std::string& model, int dims,
                         const std::vector<std::pair<std::string, std::vector<float>>>& vectors) override;

 private:
  struct CachedVector {
    std::string chunk_id;
    std::string book_id;
    std::vector<float> values;
  };
  struct CachedVectors {
    std::int64_t version = -1;
    std::shared_ptr<const std::vector<CachedVector>> vectors;  // null: too many to keep
  };
  // The vectors of (model, dims) at `version`, from the cache or read on `connection`; null when
  // they exceed kCachedVectorBytes.
  std::shared_ptr<const std::vector<CachedVector>> cached_vectors(PgConnection& connection, std::int64_t version,
                                                                  const std::string& model, std::int64_t dims);
  // The cosine of the search's embedding with the vector of every chunk searched (of `with_terms`
  // only, unless `every_chunk`), in the caller's snapshot.
  std::vector<domain::ChunkVectorHit> vector_hits(PgConnection& connection, const ports::CorpusSearch& search,
                                                  bool every_chunk, const std::set<std::string>& with_terms);

  std::shared_ptr<PgPool> pool_;
  PgLibrary& library_;
  const domain::TermAnalyzer& analyzer_;
  std::mutex cache_mu_;
  std::map<std::pair<std::string, std::int64_t>, CachedVectors> cache_;  // by (model, dims)
};

}  // namespace docprof::adapters::postgres
