#include "adapters/postgres/pg_corpus.h"

#include <algorithm>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string_view>

#include "adapters/postgres/pg_codec.h"
#include "ports/corpus_terms.h"

namespace docprof::adapters::postgres {
namespace {

// Rows per INSERT or UPDATE of chunks (with their terms): a few MB of JSON per statement.
constexpr std::size_t kChunksPerStatement = 256;

nlohmann::json page_or_null(int page) {
  if (page <= 0) return nullptr;
  return page;
}

int page_of(const PgResult& rows, int row, int column) { return rows.is_null(row, column) ? 0 : rows.int32(row, column); }

std::string bytea_of(const std::vector<float>& values) {
  return bytea_hex(std::string_view(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
}

// The dot product as SqliteCorpus computes it (one running float sum, in order), so that both
// backends score a chunk with the same bits.
double dot(std::span<const float> stored, std::span<const float> query) {
  float total = 0.0f;
  for (std::size_t i = 0; i < query.size(); ++i) total += stored[i] * query[i];
  return total;
}

std::vector<float> floats_of(const std::string& bytes) {
  std::vector<float> values(bytes.size() / sizeof(float));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
  return values;
}

void delete_corpus(PgConnection& connection, const std::string& book_id) {
  // The terms by their chunks (chunk_terms_by_chunk): chunk_terms has no index led by book_id.
  connection.run("DELETE FROM chunk_terms WHERE chunk_id IN (SELECT chunk_id FROM chunks WHERE book_id = $1)",
                 book_id);
  connection.run("DELETE FROM chunks WHERE book_id = $1", book_id);
  connection.run("DELETE FROM book_sections WHERE book_id = $1", book_id);
  connection.run("DELETE FROM book_chapters WHERE book_id = $1", book_id);
  connection.run("DELETE FROM book_sources WHERE book_id = $1", book_id);
}

void insert_structure(PgConnection& connection, const ports::IngestedBook& book) {
  const std::string& id = book.info.book_id;
  const auto& source = book.source;
  connection.run(
      "INSERT INTO book_sources (book_id, source_path, format, sha256, words, pages, ingest_version, ingested_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      id, source.source_path, source.format, source.sha256, source.words,
      source.pages > 0 ? std::optional<int>(source.pages) : std::nullopt, source.ingest_version,
      source.ingested_at_ms);
  nlohmann::json chapter_rows = nlohmann::json::array();
  nlohmann::json section_rows = nlohmann::json::array();
  for (const auto& chapter : book.chapters) {
    chapter_rows.push_back({{"chapter_number", chapter.chapter_number},
                            {"kind", chapter.kind},
                            {"title", chapter.title},
                            {"words", chapter.words},
                            {"first_page", page_or_null(chapter.first_page)},
                            {"last_page", page_or_null(chapter.last_page)}});
    for (const auto& section : chapter.sections) {
      section_rows.push_back({{"chapter_number", chapter.chapter_number},
                              {"section_index", section.section_index},
                              {"title", section.title},
                              {"words", section.words},
                              {"first_page", page_or_null(section.first_page)},
                              {"last_page", page_or_null(section.last_page)}});
    }
  }
  if (!chapter_rows.empty()) {
    connection.run(
        "INSERT INTO book_chapters (book_id, chapter_number, kind, title, words, first_page, last_page) "
        "SELECT $1, chapter_number, kind, title, words, first_page, last_page FROM jsonb_to_recordset($2::jsonb) "
        "AS x(chapter_number integer, kind text, title text, words integer, first_page integer, last_page integer)",
        id, to_json_text(chapter_rows));
  }
  if (!section_rows.empty()) {
    connection.run(
        "INSERT INTO book_sections (book_id, chapter_number, section_index, title, words, first_page, last_page) "
        "SELECT $1, chapter_number, section_index, title, words, first_page, last_page "
        "FROM jsonb_to_recordset($2::jsonb) AS x(chapter_number integer, section_index integer, title text, "
        "words integer, first_page integer, last_page integer)",
        id, to_json_text(section_rows));
  }
}

void insert_chunks(PgConnection& connection, const ports::IngestedBook& book,
                   const std::vector<domain::ChunkTerms>& terms, std::int64_t dims) {
  const std::string& id = book.info.book_id;
  for (std::size_t start = 0; start < book.chunks.size(); start += kChunksPerStatement) {
    const std::size_t end = std::min(book.chunks.size(), start + kChunksPerStatement);
    nlohmann::json chunk_rows = nlohmann::json::array();
    nlohmann::json term_rows = nlohmann::json::array();
    for (std::size_t i = start; i < end; ++i) {
      const auto& chunk = book.chunks[i];
      chunk_rows.push_back({{"chunk_id", chunk.chunk_id},
                            {"chunk_index", chunk.chunk_index},
                            {"chapter_number", chunk.chapter_number},
                            {"section_index", chunk.section_index},
                            {"page", page_or_null(chunk.page)},
                            {"words", chunk.words},
                            {"term_length", terms[i].length},
                            {"text", chunk.text},
                            {"embedding", bytea_of(chunk.embedding)}});
      for (const auto& [term, weight] : terms[i].terms) {
        term_rows.push_back(
            {{"term", term}, {"chunk_id", chunk.chunk_id}, {"weight", weight}, {"doc_length", terms[i].length}});
      }
    }
    connection.run(
        "INSERT INTO chunks (chunk_id, book_id, chunk_index, chapter_number, section_index, page, words, term_length, "
        "embedding_model, dims, text, embedding) "
        "SELECT chunk_id, $1, chunk_index, chapter_number, section_index, page, words, term_length, $2, $3, text, "
        "embedding FROM jsonb_to_recordset($4::jsonb) AS x(chunk_id text, chunk_index integer, chapter_number integer, "
        "section_index integer, page integer, words integer, term_length float8, text text, embedding bytea)",
        id, book.info.embedding_model, dims, to_json_text(chunk_rows));
    if (term_rows.empty()) continue;
    connection.run(
        "INSERT INTO chunk_terms (term, chunk_id, book_id, weight, doc_length) "
        "SELECT term, chunk_id, $1, weight, doc_length FROM jsonb_to_recordset($2::jsonb) "
        "AS x(term text, chunk_id text, weight float8, doc_length float8)",
        id, to_json_text(term_rows));
  }
}

// The chunks of `chunk_ids` that exist, in the order given (repeats included), with their book,
// chapter and section: (position in chunk_ids, match with score 0).
std::vector<std::pair<std::size_t, ports::ChunkMatch>> located_chunks(PgConnection& connection,
                                                                      const std::vector<std::string>& chunk_ids) {
  std::vector<std::pair<std::size_t, ports::ChunkMatch>> found;
  if (chunk_ids.empty()) return found;
  const auto rows = connection.run(
      "SELECT ids.position, c.chunk_id, c.book_id, b.title, c.chapter_number, ch.title, s.title, c.page, c.text "
      "FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS ids(chunk_id, position) "
      "JOIN chunks c ON c.chunk_id = ids.chunk_id JOIN books b ON b.book_id = c.book_id "
      "LEFT JOIN book_chapters ch ON ch.book_id = c.book_id AND ch.chapter_number = c.chapter_number "
      "LEFT JOIN book_sections s ON s.book_id = c.book_id AND s.chapter_number = c.chapter_number "
      "AND s.section_index = c.section_index ORDER BY ids.position",
      to_json_text(nlohmann::json(chunk_ids)));
  found.reserve(static_cast<std::size_t>(rows.rows()));
  for (int r = 0; r < rows.rows(); ++r) {
    ports::ChunkMatch match;
    match.chunk_id = rows.text(r, 1);
    match.book_id = rows.text(r, 2);
    match.book_title = rows.text(r, 3);
    match.chapter_number = rows.int32(r, 4);
    match.chapter_title = rows.optional_text(r, 5).value_or("");
    match.section_title = rows.optional_text(r, 6);
    if (!rows.is_null(r, 7)) match.page = rows.int32(r, 7);
    match.text = rows.text(r, 8);
    found.emplace_back(static_cast<std::size_t>(rows.int64(r, 0) - 1), std::move(match));
  }
  return found;
}

}  // namespace

PgCorpus::PgCorpus(std::shared_ptr<PgPool> pool, PgLibrary& library, const domain::TermAnalyzer& analyzer)
    : pool_(std::move(pool)), library_(library), analyzer_(analyzer) {}

std::optional<ports::SourceRecord> PgCorpus::find_source(const std::string& book_id) {
  return pool_->read([&](PgConnection& connection) -> std::optional<ports::SourceRecord> {
    const auto rows = connection.run(
        "SELECT source_path, format, sha256, words, pages, ingested_at, ingest_version FROM book_sources "
        "WHERE book_id = $1",
        book_id);
    if (rows.rows() == 0) return std::nullopt;
    return ports::SourceRecord{rows.text(0, 0),        rows.text(0, 1),  rows.text(0, 2), rows.int32(0, 3),
                               page_of(rows, 0, 4), rows.int64(0, 5), rows.int32(0, 6)};
  });
}

void PgCorpus::put_ingested_book(const ports::IngestedBook& book) {
  const std::vector<domain::ChunkTerms> terms = ports::checked_chunk_terms(book, analyzer_);
  const std::size_t dims = book.vectors.empty() ? 0 : book.vectors.front().embedding.size();
  library_.put_book_with(book.info, book.summary, book.vectors, [&](PgConnection& connection) {
    delete_corpus(connection, book.info.book_id);
    insert_structure(connection, book);
    insert_chunks(connection, book, terms, static_cast<std::int64_t>(dims));
  });
}

std::optional<ports::BookStructure> PgCorpus::book_structure(const std::string& book_id) {
  // One snapshot: a book replaced meanwhile is read whole, before or after.
  return pool_->snapshot([&](PgConnection& connection) -> std::optional<ports::BookStructure> {
    const auto book = connection.run(
        "SELECT b.title, b.author, b.chapters, b.embedding_model, b.created_at, s.source_path, s.format, s.sha256, "
        "s.words, s.pages, s.ingested_at, s.ingest_version FROM books b JOIN book_sources s ON s.book_id = b.book_id "
        "WHERE b.book_id = $1",
        book_id);
    if (book.rows() == 0) return std::nullopt;
    ports::BookStructure out;
    out.info = ports::BookInfo{book_id,          book.text(0, 0), book.text(0, 1),
                               book.int32(0, 2), book.text(0, 3), book.int64(0, 4)};
    out.source = ports::SourceRecord{book.text(0, 5),        book.text(0, 6),   book.text(0, 7), book.int32(0, 8),
                                     page_of(book, 0, 9), book.int64(0, 10), book.int32(0, 11)};
    const auto chapters = connection.run(
        "SELECT chapter_number, kind, title, words, first_page, last_page FROM book_chapters WHERE book_id = $1 "
        "ORDER BY chapter_number",
        book_id);
    for (int r = 0; r < chapters.rows(); ++r) {
      out.chapters.push_back(ports::StoredChapter{chapters.int32(r, 0), chapters.text(r, 1), chapters.text(r, 2),
                                                  chapters.int32(r, 3), page_of(chapters, r, 4),
                                                  page_of(chapters, r, 5), {}});
    }
    const auto sections = connection.run(
        "SELECT chapter_number, section_index, title, words, first_page, last_page FROM book_sections "
        "WHERE book_id = $1 ORDER BY chapter_number, section_index",
        book_id);
    for (int r = 0; r < sections.rows(); ++r) {
      const int number = sections.int32(r, 0);
      for (auto& chapter : out.chapters) {
        if (chapter.chapter_number != number) continue;
        chapter.sections.push_back(ports::StoredSection{sections.int32(r, 1), sections.text(r, 2),
                                                        sections.int32(r, 3), page_of(sections, r, 4),
                                                        page_of(sections, r, 5)});
      }
    }
    out.chunks = connection.run("SELECT count(*) FROM chunks WHERE book_id = $1", book_id).int32(0, 0);
    return out;
  });
}

std::shared_ptr<const std::vector<PgCorpus::CachedVector>> PgCorpus::cached_vectors(PgConnection& connection,
                                                                                    std::int64_t version,
                                                                                    const std::string& model,
                                                                                    std::int64_t dims) {
  const auto key = std::make_pair(model, dims);
  {
    std::lock_guard lock(cache_mu_);
    const auto found = cache_.find(key);
    if (found != cache_.end() && found->second.version == version) return found->second.vectors;
  }
  std::shared_ptr<std::vector<CachedVector>> vectors;
  const std::int64_t count =
      connection.run("SELECT count(*) FROM chunks WHERE embedding_model = $1 AND dims = $2", model, dims).int64(0, 0);
  if (count * dims * static_cast<std::int64_t>(sizeof(float)) <= kCachedVectorBytes) {
    vectors = std::make_shared<std::vector<CachedVector>>();
    const auto rows = connection.run(
        "SELECT chunk_id, book_id, embedding FROM chunks WHERE embedding_model = $1 AND dims = $2", model, dims);
    vectors->reserve(static_cast<std::size_t>(rows.rows()));
    for (int r = 0; r < rows.rows(); ++r) {
      vectors->push_back(CachedVector{rows.text(r, 0), rows.text(r, 1), floats_of(rows.bytea(r, 2))});
    }
  }
  std::lock_guard lock(cache_mu_);
  cache_[key] = CachedVectors{version, vectors};
  return vectors;
}

std::vector<domain::ChunkVectorHit> PgCorpus::vector_hits(PgConnection& connection, const ports::CorpusSearch& search,
                                                          bool every_chunk, const std::set<std::string>& with_terms) {
  std::vector<domain::ChunkVectorHit> hits;
  const auto dims = static_cast<std::int64_t>(search.embedding.size());
  const auto searched = [&](const std::string& book_id, const std::string& chunk_id) {
    return (!search.book_id || book_id == *search.book_id) && (every_chunk || with_terms.contains(chunk_id));
  };
  const auto cached = cached_vectors(connection, PgLibrary::version(connection), search.embedding_model, dims);
  if (cached) {
    for (const auto& v : *cached) {
      if (searched(v.book_id, v.chunk_id)) hits.push_back(domain::ChunkVectorHit{v.chunk_id, dot(v.values, search.embedding)});
    }
    return hits;
  }
  // Too many to keep: the vectors of the chunks searched, from the database.
  const std::string sql =
      std::string("SELECT chunk_id, book_id, embedding FROM chunks WHERE embedding_model = $1 AND dims = $2") +
      (search.book_id ? " AND book_id = $3" : " AND $3::text IS NULL") +
      (every_chunk ? "" : " AND chunk_id = ANY($4::text[])");
  const auto rows = every_chunk
                        ? connection.run(sql, search.embedding_model, dims, search.book_id)
                        : connection.run(sql, search.embedding_model, dims, search.book_id,
                                         text_array({with_terms.begin(), with_terms.end()}));
  hits.reserve(static_cast<std::size_t>(rows.rows()));
  for (int r = 0; r < rows.rows(); ++r) {
    const std::string stored = rows.bytea(r, 2);
    if (stored.size() != search.embedding.size() * sizeof(float)) continue;  // guarded by a CHECK too
    hits.push_back(domain::ChunkVectorHit{rows.text(r, 0), dot(floats_of(stored), search.embedding)});
  }
  return hits;
}

std::vector<ports::ChunkMatch> PgCorpus::search_chunks(const ports::CorpusSearch& search) {
  if (search.top_k <= 0) return {};
  const std::vector<domain::QueryTerm> query = domain::corpus_query_terms(analyzer_, search.text);
  std::vector<std::string> query_terms;
  for (const auto& q : query) query_terms.push_back(q.term);
  return pool_->snapshot([&](PgConnection& connection) {
    domain::CorpusStats stats;
    {
      const auto rows =
          search.book_id
              ? connection.run("SELECT count(*), coalesce(sum(term_length), 0) FROM chunks WHERE book_id = $1",
                               *search.book_id)
              : connection.exec("SELECT count(*), coalesce(sum(term_length), 0) FROM chunks");
      stats.chunks = static_cast<double>(rows.int64(0, 0));
      stats.total_length = rows.real(0, 1);
    }
    std::vector<domain::ChunkPosting> postings;
    std::set<std::string> with_terms;
    if (!query.empty()) {
      const auto rows = connection.run(
          "SELECT term, chunk_id, weight, doc_length FROM chunk_terms "
          "WHERE term = ANY($1::text[]) AND ($2::text IS NULL OR book_id = $2)",
          text_array(query_terms), search.book_id);
      postings.reserve(static_cast<std::size_t>(rows.rows()));
      for (int r = 0; r < rows.rows(); ++r) {
        postings.push_back(domain::ChunkPosting{rows.text(r, 0), rows.text(r, 1), rows.real(r, 2), rows.real(r, 3)});
        with_terms.insert(postings.back().chunk_id);
      }
    }
    std::vector<domain::ChunkVectorHit> hits;
    if (!search.embedding.empty()) {
      const bool every_chunk = stats.chunks <= domain::kCompareAllChunkVectorsUpTo || postings.empty();
      hits = vector_hits(connection, search, every_chunk, with_terms);
    }
    domain::CorpusRankingOptions options;
    options.top_k = search.top_k;
    options.min_similarity = search.min_similarity;
    const auto ranked = domain::rank_chunks(query, stats, postings, hits, options);

    std::vector<std::string> ids;
    ids.reserve(ranked.size());
    for (const auto& found : ranked) ids.push_back(found.chunk_id);
    std::vector<ports::ChunkMatch> matches;
    for (auto& [position, match] : located_chunks(connection, ids)) {
      match.score = ranked[position].score;
      matches.push_back(std::move(match));
    }
    return matches;
  });
}

std::vector<std::string> PgCorpus::chunk_ids_of(const std::string& book_id, int chapter_number,
                                                const std::optional<std::string>& section_title, int limit) {
  return pool_->read([&](PgConnection& connection) {
    const auto rows =
        section_title
            ? connection.run(
                  "SELECT c.chunk_id FROM chunks c JOIN book_sections s ON s.book_id = c.book_id "
                  "AND s.chapter_number = c.chapter_number AND s.section_index = c.section_index "
                  "WHERE c.book_id = $1 AND c.chapter_number = $2 AND s.title = $3 ORDER BY c.chunk_index LIMIT $4",
                  book_id, chapter_number, *section_title, limit)
            : connection.run(
                  "SELECT chunk_id FROM chunks WHERE book_id = $1 AND chapter_number = $2 "
                  "ORDER BY chunk_index LIMIT $3",
                  book_id, chapter_number, limit);
    std::vector<std::string> ids;
    ids.reserve(static_cast<std::size_t>(rows.rows()));
    for (int r = 0; r < rows.rows(); ++r) ids.push_back(rows.text(r, 0));
    return ids;
  });
}

std::vector<std::vector<std::string>> PgCorpus::chunk_ids_of_each(const std::vector<ports::PassageSource>& sources,
                                                                  int limit) {
  std::vector<std::vector<std::string>> out(sources.size());
  if (sources.empty() || limit <= 0) return out;
  nlohmann::json wanted = nlohmann::json::array();
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const auto& source = sources[i];
    const nlohmann::json title = source.section_title ? nlohmann::json(*source.section_title) : nlohmann::json();
    wanted.push_back(
        {{"ord", i}, {"book_id", source.book_id}, {"chapter_number", source.chapter_number}, {"section_title", title}});
  }
  // As chunk_ids_of, per source (a section's chunks are those of the chapter's sections by that
  // title), in one statement.
  const auto rows = pool_->read([&](PgConnection& connection) {
    return connection.run(
        "SELECT s.ord, x.chunk_id FROM json_to_recordset($1::json) AS s(ord int, book_id text, chapter_number int, "
        "section_title text) CROSS JOIN LATERAL (SELECT c.chunk_id, c.chunk_index FROM chunks c "
        "WHERE c.book_id = s.book_id AND c.chapter_number = s.chapter_number AND (s.section_title IS NULL OR "
        "EXISTS (SELECT 1 FROM book_sections b WHERE b.book_id = c.book_id AND b.chapter_number = c.chapter_number "
        "AND b.section_index = c.section_index AND b.title = s.section_title)) "
        "ORDER BY c.chunk_index LIMIT $2) x ORDER BY s.ord, x.chunk_index",
        wanted.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), limit);
  });
  for (int r = 0; r < rows.rows(); ++r) {
    const auto ord = static_cast<std::size_t>(rows.int32(r, 0));
    if (ord < out.size()) out[ord].push_back(rows.text(r, 1));
  }
  return out;
}

std::vector<ports::ChunkMatch> PgCorpus::chunks_by_id(const std::vector<std::string>& chunk_ids) {
  return pool_->read([&](PgConnection& connection) {
    std::vector<ports::ChunkMatch> found;
    for (auto& [position, match] : located_chunks(connection, chunk_ids)) found.push_back(std::move(match));
    return found;
  });
}

std::vector<std::string> PgCorpus::books_to_reembed(const std::string& model, int dims, bool all) {
  return pool_->read([&](PgConnection& connection) {
    const auto rows = connection.run(
        "SELECT DISTINCT book_id COLLATE \"C\" FROM chunks WHERE $1 OR embedding_model <> $2 OR dims <> $3 "
        "ORDER BY 1",
        all, model, dims);
    std::vector<std::string> books;
    books.reserve(static_cast<std::size_t>(rows.rows()));
    for (int r = 0; r < rows.rows(); ++r) books.push_back(rows.text(r, 0));
    return books;
  });
}

std::vector<ports::StoredChunk> PgCorpus::chunk_texts(const std::string& book_id) {
  return pool_->read([&](PgConnection& connection) {
    const auto rows = connection.run(
        "SELECT chunk_id, chunk_index, chapter_number, section_index, page, words, text FROM chunks "
        "WHERE book_id = $1 ORDER BY chunk_index",
        book_id);
    std::vector<ports::StoredChunk> chunks;
    chunks.reserve(static_cast<std::size_t>(rows.rows()));
    for (int r = 0; r < rows.rows(); ++r) {
      chunks.push_back(ports::StoredChunk{rows.text(r, 0), rows.int32(r, 1), rows.int32(r, 2), rows.int32(r, 3),
                                          page_of(rows, r, 4), rows.int32(r, 5), rows.text(r, 6), {}});
    }
    return chunks;
  });
}

void PgCorpus::put_chunk_vectors(const std::string& book_id, const std::string& model, int dims,
                                 const std::vector<std::pair<std::string, std::vector<float>>>& vectors) {
  for (const auto& [chunk_id, embedding] : vectors) {
    if (dims <= 0 || embedding.size() != static_cast<std::size_t>(dims)) {
      throw std::invalid_argument("put_chunk_vectors " + book_id + ": chunk " + chunk_id + " has " +
                                  std::to_string(embedding.size()) + " dims, expected " + std::to_string(dims));
    }
  }
  pool_->transaction([&](PgConnection& connection) {
    for (std::size_t start = 0; start < vectors.size(); start += kChunksPerStatement) {
      const std::size_t end = std::min(vectors.size(), start + kChunksPerStatement);
      nlohmann::json rows = nlohmann::json::array();
      for (std::size_t i = start; i < end; ++i) {
        rows.push_back({{"chunk_id", vectors[i].first}, {"embedding", bytea_of(vectors[i].second)}});
      }
      connection.run(
          "UPDATE chunks c SET embedding_model = $2, dims = $3, embedding = x.embedding "
          "FROM jsonb_to_recordset($4::jsonb) AS x(chunk_id text, embedding bytea) "
          "WHERE c.chunk_id = x.chunk_id AND c.book_id = $1",
          book_id, model, dims, to_json_text(rows));
    }
    PgLibrary::bump_version(connection);  // the cached chunk vectors of this version are stale now
  });
}

}  // namespace docprof::adapters::postgres
