// SqliteCorpus: the corpus of ingested books in the embedded SQLite file (migration 9): their
// sources (book_sources), chapters and sections (book_chapters, book_sections), and chunks with
// their vectors (chunks, float32 BLOBs) and term postings (chunk_terms). A book is written through
// SqliteLibrary::put_book_with, so the library's row, vectors and terms and the corpus change in
// one transaction; SqliteLibrary::remove_book removes the corpus rows too (foreign keys cascade).
//
// search_chunks() reads the postings of the query's terms (an index lookup) and the vectors of the
// chunks searched — every chunk of the book (or library) while they number at most
// domain::kCompareAllChunkVectorsUpTo, else only the chunks that hold a word of the query — and
// ranks them with domain::rank_chunks. Vectors of another model (or other dims) are never compared.
//
// Thread safety: safe from any thread; several processes may share the file (see SqliteDatabase).
#pragma once

#include <memory>

#include "adapters/sqlite/sqlite_database.h"
#include "adapters/sqlite/sqlite_library.h"
#include "domain/term_analyzer.h"
#include "ports/corpus.h"

namespace docprof::adapters::sqlite {

class SqliteCorpus final : public ports::Corpus {
 public:
  // `library` (over the same database) and `analyzer` must outlive the corpus.
  SqliteCorpus(std::shared_ptr<SqliteDatabase> database, SqliteLibrary& library, const domain::TermAnalyzer& analyzer);

  std::optional<ports::SourceRecord> find_source(const std::string& book_id) override;
  void put_ingested_book(const ports::IngestedBook& book) override;
  std::optional<ports::BookStructure> book_structure(const std::string& book_id) override;
  std::vector<ports::ChunkMatch> search_chunks(const ports::CorpusSearch& search) override;
  std::vector<std::string> chunk_ids_of(const std::string& book_id, int chapter_number,
                                        const std::optional<std::string>& section_title, int limit) override;
  std::vector<ports::ChunkMatch> chunks_by_id(const std::vector<std::string>& chunk_ids) override;
  std::vector<std::string> books_to_reembed(const std::string& model, int dims, bool all) override;
  std::vector<ports::StoredChunk> chunk_texts(const std::string& book_id) override;
  void put_chunk_vectors(const std::string& book_id, const std::string& model, int dims,
                         const std::vector<std::pair<std::string, std::vector<float>>>& vectors) override;

 private:
  std::shared_ptr<SqliteDatabase> database_;
  SqliteLibrary& library_;
  const domain::TermAnalyzer& analyzer_;
};

}  // namespace docprof::adapters::sqlite
