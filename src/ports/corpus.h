// Corpus: the ingested books of the library — where each came from (path, format, SHA-256), its
// chapters (with kinds) and sections, and its text in chunks with their locations and vectors —
// and the search over those chunks. An ingested book is also a book of the Library (its
// summary_json and book/chapter/section vectors), written in the same transaction, so that a book
// is never half-stored and removing it from the library removes its corpus too.
//
// Chunks are ranked by the one pure scorer of domain/corpus_ranking.h (BM25 over their terms fused
// with the vectors' cosine similarity), so every backend ranks alike.
//
// Thread safety: implementations must allow concurrent calls from many threads.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "domain/book_summary.h"
#include "ports/library.h"

namespace docprof::ports {

struct SourceRecord {
  std::string source_path;  // as given to ingest, made absolute
  std::string format;       // text | markdown | html | epub | pdf
  std::string sha256;       // of the source's bytes (all pages of a multi-page manual)
  int words = 0;
  int pages = 0;            // 0 = not a paged format
  std::int64_t ingested_at_ms = 0;
  int ingest_version = 0;   // of the code that read and cut the source (IngestService::kIngestVersion)
};

struct StoredSection {
  int section_index = 0;  // 1-based within its chapter
  std::string title;
  int words = 0;
  int first_page = 0;  // 0 = not paged
  int last_page = 0;
};

struct StoredChapter {
  int chapter_number = 0;
  std::string kind;  // chapter | front_matter | appendix | index | back_matter
  std::string title;
  int words = 0;
  int first_page = 0;
  int last_page = 0;
  std::vector<StoredSection> sections;
};

struct StoredChunk {
  std::string chunk_id;
  int chunk_index = 0;  // 0-based, reading order
  int chapter_number = 0;
  int section_index = 0;
  int page = 0;  // 0 = not paged
  int words = 0;
  std::string text;
  std::vector<float> embedding;
};

// Everything an ingest stores for one book.
struct IngestedBook {
  BookInfo info;
  domain::BookSummary summary;
  std::vector<BookVector> vectors;  // book, chapter and section vectors (as for an imported book)
  SourceRecord source;
  std::vector<StoredChapter> chapters;
  std::vector<StoredChunk> chunks;  // every embedding has the dims of `vectors`
};

// What `books show` prints of an ingested book.
struct BookStructure {
  BookInfo info;
  SourceRecord source;
  std::vector<StoredChapter> chapters;
  int chunks = 0;
};

struct CorpusSearch {
  std::string text;
  std::span<const float> embedding;
  std::string embedding_model;
  std::optional<std::string> book_id;  // search one book only
  int top_k = 10;
  double min_similarity = 0.0;  // cosine floor for a chunk found by its vector alone
};

struct ChunkMatch {
  std::string chunk_id;
  std::string book_id;
  std::string book_title;
  int chapter_number = 0;
  std::string chapter_title;
  std::optional<std::string> section_title;
  std::optional<int> page;
  double score = 0.0;
  std::string text;
};

// A chapter of a book, or one of its sections by title: where a stored section is read from.
struct PassageSource {
  std::string book_id;
  int chapter_number = 0;
  std::optional<std::string> section_title;  // nullopt: the whole chapter
};

class Corpus {
 public:
  virtual ~Corpus() = default;
  // The source an ingested book was made from; nullopt for an unknown or imported (not ingested) book.
  virtual std::optional<SourceRecord> find_source(const std::string& book_id) = 0;
  // Stores the book, or replaces it (by book_id) with everything it had — vectors, chapters,
  // sections, chunks and their terms — in one transaction. Throws std::invalid_argument for
  // inconsistent dims (nothing changes).
  virtual void put_ingested_book(const IngestedBook& book) = 0;
  // The structure of an ingested book; nullopt when it is unknown or was imported from summary_json.
  virtual std::optional<BookStructure> book_structure(const std::string& book_id) = 0;
  // The best chunks for a search, best first. Vectors of another embedding model are never compared.
  virtual std::vector<ChunkMatch> search_chunks(const CorpusSearch& search) = 0;

  // The ids of the chunks of a chapter section (of the whole chapter when `section_title` is
  // nullopt), in reading order, at most `limit`; empty for a book that was not ingested.
  virtual std::vector<std::string> chunk_ids_of(const std::string& book_id, int chapter_number,
                                                const std::optional<std::string>& section_title, int limit) = 0;
  // chunk_ids_of for each of many chapters or sections (a stored course's sources): one answer per
  // source, in the order given. This default asks for each in turn; a store across the network
  // answers all in one round trip.
  virtual std::vector<std::vector<std::string>> chunk_ids_of_each(const std::vector<PassageSource>& sources,
                                                                  int limit) {
    std::vector<std::vector<std::string>> out;
    out.reserve(sources.size());
    for (const auto& source : sources) {
      out.push_back(chunk_ids_of(source.book_id, source.chapter_number, source.section_title, limit));
    }
    return out;
  }
  // The chunks of these ids that exist (score 0), in the order given.
  virtual std::vector<ChunkMatch> chunks_by_id(const std::vector<std::string>& chunk_ids) = 0;

  // Books with chunks whose vectors are not of `model` with `dims` (every book with chunks when
  // `all`), by book_id.
  virtual std::vector<std::string> books_to_reembed(const std::string& model, int dims, bool all) = 0;
  // A book's chunks in reading order: id and text (no embedding).
  virtual std::vector<StoredChunk> chunk_texts(const std::string& book_id) = 0;
  // Replaces the vectors of a book's chunks (by chunk_id; every embedding of `dims` values) in one
  // transaction. Throws std::invalid_argument for a wrong dims (nothing changes).
  virtual void put_chunk_vectors(const std::string& book_id, const std::string& model, int dims,
                                 const std::vector<std::pair<std::string, std::vector<float>>>& vectors) = 0;
};

}  // namespace docprof::ports
