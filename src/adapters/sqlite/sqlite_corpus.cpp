#include "adapters/sqlite/sqlite_corpus.h"

#include <cstring>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "domain/corpus_ranking.h"
#include "ports/corpus_terms.h"

namespace docprof::adapters::sqlite {
namespace {

std::optional<std::int64_t> page_or_null(int page) {
  if (page <= 0) return std::nullopt;
  return page;
}

int page_of(const Statement& row, int column) {
  return row.is_null(column) ? 0 : row.int32(column);
}

float dot(BlobView stored, std::span<const float> query, std::vector<float>& scratch) {
  scratch.resize(query.size());
  std::memcpy(scratch.data(), stored.data, query.size() * sizeof(float));
  float total = 0.0f;
  for (std::size_t i = 0; i < query.size(); ++i) total += scratch[i] * query[i];
  return total;
}

void delete_corpus(Session& session, const std::string& book_id) {
  session.query("DELETE FROM chunk_terms WHERE book_id = ?", book_id).run();
  session.query("DELETE FROM chunks WHERE book_id = ?", book_id).run();
  session.query("DELETE FROM book_sections WHERE book_id = ?", book_id).run();
  session.query("DELETE FROM book_chapters WHERE book_id = ?", book_id).run();
  session.query("DELETE FROM book_sources WHERE book_id = ?", book_id).run();
}

// A chunk read with its book, chapter and section (columns: book_id, book title, chapter_number,
// chapter title, section title, page, text).
ports::ChunkMatch match_of(const std::string& chunk_id, double score, const Statement& row) {
  ports::ChunkMatch match;
  match.chunk_id = chunk_id;
  match.book_id = row.text(0);
  match.book_title = row.text(1);
  match.chapter_number = row.int32(2);
  match.chapter_title = row.text(3);
  match.section_title = row.optional_text(4);
  if (!row.is_null(5)) match.page = row.int32(5);
  match.score = score;
  match.text = row.text(6);
  return match;
}

}  // namespace

SqliteCorpus::SqliteCorpus(std::shared_ptr<SqliteDatabase> database, SqliteLibrary& library,
                           const domain::TermAnalyzer& analyzer)
    : database_(std::move(database)), library_(library), analyzer_(analyzer) {}

std::optional<ports::SourceRecord> SqliteCorpus::find_source(const std::string& book_id) {
  return database_->read([&](Session& session) -> std::optional<ports::SourceRecord> {
    auto row = session.query(
        "SELECT source_path, format, sha256, words, pages, ingested_at, ingest_version FROM book_sources "
        "WHERE book_id = ?",
        book_id);
    if (!row.step()) return std::nullopt;
    return ports::SourceRecord{row.text(0),      row.text(1),  row.text(2), row.int32(3),
                               page_of(row, 4), row.int64(5), row.int32(6)};
  });
}

void SqliteCorpus::put_ingested_book(const ports::IngestedBook& book) {
  const std::vector<domain::ChunkTerms> terms = ports::checked_chunk_terms(book, analyzer_);
  const std::size_t dims = book.vectors.empty() ? 0 : book.vectors.front().embedding.size();

  const std::string& id = book.info.book_id;
  library_.put_book_with(book.info, book.summary, book.vectors, [&](Session& session) {
    delete_corpus(session, id);
    const auto& source = book.source;
    session
        .query(
            "INSERT INTO book_sources (book_id, source_path, format, sha256, words, pages, ingest_version, "
            "ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            id, source.source_path, source.format, source.sha256, source.words, page_or_null(source.pages),
            source.ingest_version, source.ingested_at_ms)
        .run();
    for (const auto& chapter : book.chapters) {
      session
          .query(
              "INSERT INTO book_chapters (book_id, chapter_number, kind, title, words, first_page, last_page) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)",
              id, chapter.chapter_number, chapter.kind, chapter.title, chapter.words,
              page_or_null(chapter.first_page), page_or_null(chapter.last_page))
          .run();
      for (const auto& section : chapter.sections) {
        session
            .query(
                "INSERT INTO book_sections (book_id, chapter_number, section_index, title, words, first_page, "
                "last_page) VALUES (?, ?, ?, ?, ?, ?, ?)",
                id, chapter.chapter_number, section.section_index, section.title, section.words,
                page_or_null(section.first_page), page_or_null(section.last_page))
            .run();
      }
    }
    for (std::size_t i = 0; i < book.chunks.size(); ++i) {
      const auto& chunk = book.chunks[i];
      session
          .query(
              "INSERT INTO chunks (chunk_id, book_id, chunk_index, chapter_number, section_index, page, words, "
              "term_length, embedding_model, dims, text, embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              chunk.chunk_id, id, chunk.chunk_index, chunk.chapter_number, chunk.section_index,
              page_or_null(chunk.page), chunk.words, terms[i].length, book.info.embedding_model,
              static_cast<std::int64_t>(dims), chunk.text, float_blob(chunk.embedding))
          .run();
      for (const auto& [term, weight] : terms[i].terms) {
        session
            .query("INSERT INTO chunk_terms (term, chunk_id, book_id, weight, doc_length) VALUES (?, ?, ?, ?, ?)",
                   term, chunk.chunk_id, id, weight, terms[i].length)
            .run();
      }
    }
  });
}

std::optional<ports::BookStructure> SqliteCorpus::book_structure(const std::string& book_id) {
  return database_->read([&](Session& session) -> std::optional<ports::BookStructure> {
    auto row = session.query(
        "SELECT b.title, b.author, b.chapters, b.embedding_model, b.created_at, s.source_path, s.format, s.sha256, "
        "s.words, s.pages, s.ingested_at, s.ingest_version FROM books b JOIN book_sources s ON s.book_id = b.book_id "
        "WHERE b.book_id = ?",
        book_id);
    if (!row.step()) return std::nullopt;
    ports::BookStructure out;
    out.info = ports::BookInfo{book_id, row.text(0), row.text(1), row.int32(2), row.text(3), row.int64(4)};
    out.source = ports::SourceRecord{row.text(5),      row.text(6),   row.text(7), row.int32(8),
                                     page_of(row, 9), row.int64(10), row.int32(11)};
    auto chapters = session.query(
        "SELECT chapter_number, kind, title, words, first_page, last_page FROM book_chapters WHERE book_id = ? "
        "ORDER BY chapter_number",
        book_id);
    while (chapters.step()) {
      out.chapters.push_back(ports::StoredChapter{chapters.int32(0), chapters.text(1), chapters.text(2),
                                                  chapters.int32(3), page_of(chapters, 4), page_of(chapters, 5), {}});
    }
    auto sections = session.query(
        "SELECT chapter_number, section_index, title, words, first_page, last_page FROM book_sections "
        "WHERE book_id = ? ORDER BY chapter_number, section_index",
        book_id);
    while (sections.step()) {
      const int number = sections.int32(0);
      for (auto& chapter : out.chapters) {
        if (chapter.chapter_number != number) continue;
        chapter.sections.push_back(ports::StoredSection{sections.int32(1), sections.text(2), sections.int32(3),
                                                        page_of(sections, 4), page_of(sections, 5)});
      }
    }
    auto count = session.query("SELECT count(*) FROM chunks WHERE book_id = ?", book_id);
    count.step();
    out.chunks = count.int32(0);
    return out;
  });
}

std::vector<ports::ChunkMatch> SqliteCorpus::search_chunks(const ports::CorpusSearch& search) {
  if (search.top_k <= 0) return {};
  const std::vector<domain::QueryTerm> query = domain::corpus_query_terms(analyzer_, search.text);
  const std::string book = search.book_id.value_or("");
  const bool one_book = search.book_id.has_value();
  return database_->read([&](Session& session) {
    domain::CorpusStats stats;
    {
      auto row = session.query(
          "SELECT count(*), coalesce(sum(term_length), 0) FROM chunks WHERE (?1 = 0 OR book_id = ?2)", one_book, book);
      row.step();
      stats.chunks = static_cast<double>(row.int64(0));
      stats.total_length = row.real(1);
    }
    std::vector<domain::ChunkPosting> postings;
    std::set<std::string> with_terms;
    if (!query.empty()) {
      nlohmann::json terms = nlohmann::json::array();
      for (const auto& q : query) terms.push_back(q.term);
      auto row = session.query(
          "SELECT term, chunk_id, weight, doc_length FROM chunk_terms "
          "WHERE term IN (SELECT value FROM json_each(?1)) AND (?2 = 0 OR book_id = ?3)",
          terms.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), one_book, book);
      while (row.step()) {
        postings.push_back(domain::ChunkPosting{row.text(0), row.text(1), row.real(2), row.real(3)});
        with_terms.insert(postings.back().chunk_id);
      }
    }
    std::vector<domain::ChunkVectorHit> hits;
    if (!search.embedding.empty()) {
      std::vector<float> scratch;
      const auto dims = static_cast<std::int64_t>(search.embedding.size());
      const bool read_all = stats.chunks <= domain::kCompareAllChunkVectorsUpTo || postings.empty();
      auto row = session.query(
          "SELECT chunk_id, embedding FROM chunks WHERE embedding_model = ?1 AND dims = ?2 "
          "AND (?3 = 0 OR book_id = ?4)",
          search.embedding_model, dims, one_book, book);
      while (row.step()) {
        const std::string_view chunk_id = row.text_view(0);
        if (!read_all && !with_terms.contains(std::string(chunk_id))) continue;
        const BlobView stored = row.blob(1);
        if (stored.size != search.embedding.size() * sizeof(float)) continue;
        hits.push_back(domain::ChunkVectorHit{std::string(chunk_id), dot(stored, search.embedding, scratch)});
      }
    }
    domain::CorpusRankingOptions options;
    options.top_k = search.top_k;
    options.min_similarity = search.min_similarity;
    const auto ranked = domain::rank_chunks(query, stats, postings, hits, options);

    std::vector<ports::ChunkMatch> matches;
    for (const auto& found : ranked) {
      auto row = session.query(
          "SELECT c.book_id, b.title, c.chapter_number, ch.title, s.title, c.page, c.text FROM chunks c "
          "JOIN books b ON b.book_id = c.book_id "
          "LEFT JOIN book_chapters ch ON ch.book_id = c.book_id AND ch.chapter_number = c.chapter_number "
          "LEFT JOIN book_sections s ON s.book_id = c.book_id AND s.chapter_number = c.chapter_number "
          "AND s.section_index = c.section_index WHERE c.chunk_id = ?",
          found.chunk_id);
      if (!row.step()) continue;
      matches.push_back(match_of(found.chunk_id, found.score, row));
    }
    return matches;
  });
}

std::vector<std::string> SqliteCorpus::chunk_ids_of(const std::string& book_id, int chapter_number,
                                                    const std::optional<std::string>& section_title, int limit) {
  return database_->read([&](Session& session) {
    std::vector<std::string> ids;
    auto row = section_title
                   ? session.query(
                         "SELECT c.chunk_id FROM chunks c JOIN book_sections s ON s.book_id = c.book_id "
                         "AND s.chapter_number = c.chapter_number AND s.section_index = c.section_index "
                         "WHERE c.book_id = ? AND c.chapter_number = ? AND s.title = ? ORDER BY c.chunk_index LIMIT ?",
                         book_id, chapter_number, *section_title, limit)
                   : session.query(
                         "SELECT chunk_id FROM chunks WHERE book_id = ? AND chapter_number = ? "
                         "ORDER BY chunk_index LIMIT ?",
                         book_id, chapter_number, limit);
    while (row.step()) ids.push_back(row.text(0));
    return ids;
  });
}

std::vector<ports::ChunkMatch> SqliteCorpus::chunks_by_id(const std::vector<std::string>& chunk_ids) {
  return database_->read([&](Session& session) {
    std::vector<ports::ChunkMatch> found;
    for (const auto& id : chunk_ids) {
      auto row = session.query(
          "SELECT c.book_id, b.title, c.chapter_number, ch.title, s.title, c.page, c.text FROM chunks c "
          "JOIN books b ON b.book_id = c.book_id "
          "LEFT JOIN book_chapters ch ON ch.book_id = c.book_id AND ch.chapter_number = c.chapter_number "
          "LEFT JOIN book_sections s ON s.book_id = c.book_id AND s.chapter_number = c.chapter_number "
          "AND s.section_index = c.section_index WHERE c.chunk_id = ?",
          id);
      if (!row.step()) continue;
      found.push_back(match_of(id, 0.0, row));
    }
    return found;
  });
}

std::vector<std::string> SqliteCorpus::books_to_reembed(const std::string& model, int dims, bool all) {
  return database_->read([&](Session& session) {
    std::vector<std::string> books;
    auto row = session.query(
        "SELECT DISTINCT book_id FROM chunks WHERE ?1 <> 0 OR embedding_model <> ?2 OR dims <> ?3 ORDER BY book_id",
        all, model, dims);
    while (row.step()) books.push_back(row.text(0));
    return books;
  });
}

std::vector<ports::StoredChunk> SqliteCorpus::chunk_texts(const std::string& book_id) {
  return database_->read([&](Session& session) {
    std::vector<ports::StoredChunk> chunks;
    auto row = session.query(
        "SELECT chunk_id, chunk_index, chapter_number, section_index, page, words, text FROM chunks "
        "WHERE book_id = ? ORDER BY chunk_index",
        book_id);
    while (row.step()) {
      chunks.push_back(ports::StoredChunk{row.text(0), row.int32(1), row.int32(2), row.int32(3), page_of(row, 4),
                                          row.int32(5), row.text(6), {}});
    }
    return chunks;
  });
}

void SqliteCorpus::put_chunk_vectors(const std::string& book_id, const std::string& model, int dims,
                                     const std::vector<std::pair<std::string, std::vector<float>>>& vectors) {
  for (const auto& [chunk_id, embedding] : vectors) {
    if (dims <= 0 || embedding.size() != static_cast<std::size_t>(dims)) {
      throw std::invalid_argument("put_chunk_vectors " + book_id + ": chunk " + chunk_id + " has " +
                                  std::to_string(embedding.size()) + " dims, expected " + std::to_string(dims));
    }
  }
  database_->write([&](Session& session) {
    for (const auto& [chunk_id, embedding] : vectors) {
      session
          .query("UPDATE chunks SET embedding_model = ?, dims = ?, embedding = ? WHERE chunk_id = ? AND book_id = ?",
                 model, dims, float_blob(embedding), chunk_id, book_id)
          .run();
    }
  });
}

}  // namespace docprof::adapters::sqlite
