#include "adapters/postgres/pg_library.h"

#include <cstring>
#include <set>
#include <stdexcept>

#include "adapters/postgres/pg_codec.h"
#include "domain/library_index.h"
#include "domain/library_ranking.h"

namespace docprof::adapters::postgres {
namespace {

// Dot product of stored float32 bytes with the query; eight running sums let the compiler vectorise.
float dot(const std::string& stored, std::span<const float> query, std::vector<float>& scratch) {
  scratch.resize(query.size());
  std::memcpy(scratch.data(), stored.data(), query.size() * sizeof(float));
  float sums[8] = {};
  const std::size_t n = query.size();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (std::size_t lane = 0; lane < 8; ++lane) sums[lane] += scratch[i + lane] * query[i + lane];
  }
  float total = 0.0f;
  for (; i < n; ++i) total += scratch[i] * query[i];
  for (float sum : sums) total += sum;
  return total;
}

domain::BookVectorKind kind_from(std::string_view text) {
  if (text == "chapter") return domain::BookVectorKind::chapter;
  if (text == "section") return domain::BookVectorKind::section;
  return domain::BookVectorKind::book;
}

// "3.2" -> 2; "3" or "" -> 0.
int section_index_of(std::string_view ref) {
  const auto dot_at = ref.find('.');
  if (dot_at == std::string_view::npos) return 0;
  int value = 0;
  for (const char c : ref.substr(dot_at + 1)) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::string hex_of(std::span<const float> values) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(values.size() * sizeof(float) * 2);
  const auto* bytes = reinterpret_cast<const unsigned char*>(values.data());
  for (std::size_t i = 0; i < values.size() * sizeof(float); ++i) {
    text.push_back(kDigits[bytes[i] >> 4]);
    text.push_back(kDigits[bytes[i] & 0x0f]);
  }
  return text;
}

// Removes a book's documents and terms, and their share of the library's statistics.
void remove_terms(PgConnection& connection, const std::string& book_id) {
  connection.run(
      "UPDATE library_stats s SET docs = s.docs - d.docs, total_length = s.total_length - d.total "
      "FROM (SELECT kind, count(*) AS docs, sum(length) AS total FROM book_docs WHERE book_id = $1 "
      "GROUP BY kind) d WHERE s.kind = d.kind",
      book_id);
  connection.run("DELETE FROM book_terms WHERE book_id = $1", book_id);
  connection.run("DELETE FROM book_docs WHERE book_id = $1", book_id);
}

void insert_terms(PgConnection& connection, const std::string& book_id, const std::vector<domain::IndexedDoc>& docs) {
  nlohmann::json doc_rows = nlohmann::json::array();
  nlohmann::json term_rows = nlohmann::json::array();
  for (const auto& doc : docs) {
    const std::string kind(domain::to_string(doc.kind));
    doc_rows.push_back({{"kind", kind},
                        {"chapter_number", doc.chapter_number},
                        {"section_index", doc.section_index},
                        {"length", doc.length}});
    for (const auto& [term, weight] : doc.terms) {
      term_rows.push_back({{"term", term},
                           {"kind", kind},
                           {"chapter_number", doc.chapter_number},
                           {"section_index", doc.section_index},
                           {"weight", weight},
                           {"doc_length", doc.length}});
    }
  }
  if (doc_rows.empty()) return;
  const auto dump = [](const nlohmann::json& rows) {
    return rows.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  connection.run(
      "INSERT INTO book_docs (book_id, kind, chapter_number, section_index, length) "
      "SELECT $1, kind, chapter_number, section_index, length FROM jsonb_to_recordset($2::jsonb) "
      "AS x(kind text, chapter_number integer, section_index integer, length float8)",
      book_id, dump(doc_rows));
  connection.run(
      "UPDATE library_stats s SET docs = s.docs + d.docs, total_length = s.total_length + d.total "
      "FROM (SELECT kind, count(*) AS docs, sum(length) AS total FROM book_docs WHERE book_id = $1 "
      "GROUP BY kind) d WHERE s.kind = d.kind",
      book_id);
  if (term_rows.empty()) return;
  connection.run(
      "INSERT INTO book_terms (term, book_id, kind, chapter_number, section_index, weight, doc_length) "
      "SELECT term, $1, kind, chapter_number, section_index, weight, doc_length "
      "FROM jsonb_to_recordset($2::jsonb) AS x(term text, kind text, chapter_number integer, "
      "section_index integer, weight float8, doc_length float8)",
      book_id, dump(term_rows));
}

}  // namespace

PgLibrary::PgLibrary(std::shared_ptr<PgPool> pool, const domain::TermAnalyzer& analyzer)
    : pool_(std::move(pool)), analyzer_(analyzer) {}

void PgLibrary::put_book(const ports::BookInfo& info, const domain::BookSummary& summary,
                         const std::vector<ports::BookVector>& vectors) {
  if (info.book_id.empty()) throw std::invalid_argument("put_book: empty book_id");
  const std::size_t dims = vectors.empty() ? 0 : vectors.front().embedding.size();
  nlohmann::json vector_rows = nlohmann::json::array();
  for (const auto& vector : vectors) {
    if (vector.embedding.empty() || vector.embedding.size() != dims) {
      throw std::invalid_argument("put_book " + info.book_id + ": vector '" + vector.ref + "' has " +
                                  std::to_string(vector.embedding.size()) + " dims, expected " +
                                  std::to_string(dims) + " (and not 0)");
    }
    vector_rows.push_back({{"kind", std::string(to_string(vector.kind))},
                           {"ref", vector.ref},
                           {"chapter_number", vector.chapter_number},
                           {"embedding", hex_of(vector.embedding)}});
  }
  const std::string summary_json = to_json_text(summary);
  const std::vector<domain::IndexedDoc> docs = domain::index_book(summary, analyzer_);
  pool_->transaction([&](PgConnection& connection) {
    remove_terms(connection, info.book_id);
    connection.run("DELETE FROM book_vectors WHERE book_id = $1", info.book_id);
    connection.run(
        "INSERT INTO books (book_id, title, author, chapters, embedding_model, created_at, summary_json) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (book_id) DO UPDATE SET title = excluded.title, "
        "author = excluded.author, chapters = excluded.chapters, embedding_model = excluded.embedding_model, "
        "created_at = excluded.created_at, summary_json = excluded.summary_json",
        info.book_id, info.title, info.author, info.chapters, info.embedding_model, info.created_at_ms,
        summary_json);
    if (!vector_rows.empty()) {
      connection.run(
          "INSERT INTO book_vectors (book_id, kind, ref, chapter_number, embedding_model, dims, embedding) "
          "SELECT $1, kind, ref, chapter_number, $2, $3, decode(embedding, 'hex') "
          "FROM jsonb_to_recordset($4::jsonb) AS x(kind text, ref text, chapter_number integer, embedding text)",
          info.book_id, info.embedding_model, static_cast<std::int64_t>(dims), to_json_text(vector_rows));
    }
    insert_terms(connection, info.book_id, docs);
  });
}

bool PgLibrary::remove_book(const std::string& book_id) {
  return pool_->transaction([&](PgConnection& connection) {
    remove_terms(connection, book_id);
    connection.run("DELETE FROM book_vectors WHERE book_id = $1", book_id);
    return connection.run("DELETE FROM books WHERE book_id = $1", book_id).affected() > 0;
  });
}

std::vector<ports::BookInfo> PgLibrary::list_books() {
  return pool_->read([](PgConnection& connection) {
    std::vector<ports::BookInfo> books;
    const auto rows = connection.exec(
        "SELECT book_id, title, author, chapters, embedding_model, created_at FROM books "
        "ORDER BY title COLLATE \"C\", book_id COLLATE \"C\"");
    for (int r = 0; r < rows.rows(); ++r) {
      books.push_back(ports::BookInfo{rows.text(r, 0), rows.text(r, 1), rows.text(r, 2), rows.int32(r, 3),
                                      rows.text(r, 4), rows.int64(r, 5)});
    }
    return books;
  });
}

std::map<std::string, int> PgLibrary::books_per_embedding_model() {
  return pool_->read([](PgConnection& connection) {
    std::map<std::string, int> counts;
    const auto rows = connection.exec("SELECT embedding_model, count(*) FROM books GROUP BY embedding_model");
    for (int r = 0; r < rows.rows(); ++r) counts[rows.text(r, 0)] = rows.int32(r, 1);
    return counts;
  });
}

std::optional<domain::BookSummary> PgLibrary::get_book(const std::string& book_id) {
  return pool_->read([&](PgConnection& connection) -> std::optional<domain::BookSummary> {
    const auto rows = connection.run("SELECT summary_json FROM books WHERE book_id = $1", book_id);
    if (rows.rows() == 0) return std::nullopt;
    return from_json_text<domain::BookSummary>(rows.text(0, 0), "books[" + book_id + "].summary_json");
  });
}

std::vector<domain::BookMatch> PgLibrary::search(const ports::LibrarySearch& request) {
  if (request.top_k <= 0) return {};
  const std::vector<domain::QueryTerm> query = domain::query_terms(analyzer_, request.text);
  nlohmann::json query_terms = nlohmann::json::array();
  for (const auto& q : query) query_terms.push_back(q.term);
  const std::string terms_json = query_terms.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return pool_->transaction([&](PgConnection& connection) {
    connection.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    domain::LibraryStats stats;
    {
      const auto rows = connection.exec("SELECT kind, docs, total_length FROM library_stats");
      for (int r = 0; r < rows.rows(); ++r) {
        const domain::KindStats kind_stats{static_cast<double>(rows.int64(r, 1)), rows.real(r, 2)};
        switch (kind_from(rows.text(r, 0))) {
          case domain::BookVectorKind::book:
            stats.book = kind_stats;
            break;
          case domain::BookVectorKind::chapter:
            stats.chapter = kind_stats;
            break;
          case domain::BookVectorKind::section:
            stats.section = kind_stats;
            break;
        }
      }
    }
    std::vector<domain::Posting> postings;
    if (!query.empty()) {
      const auto rows = connection.run(
          "SELECT term, book_id, kind, chapter_number, section_index, weight, doc_length FROM book_terms "
          "WHERE term IN (SELECT jsonb_array_elements_text($1::jsonb))",
          terms_json);
      for (int r = 0; r < rows.rows(); ++r) {
        postings.push_back(domain::Posting{rows.text(r, 0), rows.text(r, 1), kind_from(rows.text(r, 2)),
                                           rows.int32(r, 3), rows.int32(r, 4), rows.real(r, 5), rows.real(r, 6)});
      }
    }
    domain::RankingOptions options;
    options.top_k = request.top_k;
    options.min_similarity = request.min_similarity;
    std::vector<domain::VectorHit> hits;
    if (!request.embedding.empty()) {
      std::vector<float> scratch;
      const auto read_hits = [&](const PgResult& rows) {
        for (int r = 0; r < rows.rows(); ++r) {
          const std::string stored = rows.bytea(r, 4);
          if (stored.size() != request.embedding.size() * sizeof(float)) continue;  // guarded by a CHECK too
          hits.push_back(domain::VectorHit{rows.text(r, 0), kind_from(rows.text(r, 1)), rows.int32(r, 2),
                                           section_index_of(rows.text(r, 3)),
                                           dot(stored, request.embedding, scratch)});
        }
      };
      const auto dims = static_cast<std::int64_t>(request.embedding.size());
      // Every book's own vector, then the chapter and section vectors of the books that may be found.
      read_hits(connection.run(
          "SELECT book_id, kind, chapter_number, ref, embedding FROM book_vectors "
          "WHERE embedding_model = $1 AND dims = $2 AND kind = 'book'",
          request.embedding_model, dims));
      std::set<std::string> worth;
      std::set<std::string> with_own_vector;
      for (const auto& hit : hits) with_own_vector.insert(hit.book_id);
      if (!postings.empty()) worth = domain::books_worth_vectors(query, stats, postings, hits, options);
      const auto all_books = connection.exec("SELECT book_id FROM books");
      for (int r = 0; r < all_books.rows(); ++r) {
        std::string book_id = all_books.text(r, 0);
        if (postings.empty() || !with_own_vector.contains(book_id)) worth.insert(std::move(book_id));
      }
      nlohmann::json worth_ids = nlohmann::json::array();
      for (const auto& id : worth) worth_ids.push_back(id);
      read_hits(connection.run(
          "SELECT book_id, kind, chapter_number, ref, embedding FROM book_vectors "
          "WHERE book_id IN (SELECT jsonb_array_elements_text($1::jsonb)) AND embedding_model = $2 "
          "AND dims = $3 AND kind <> 'book'",
          worth_ids.dump(), request.embedding_model, dims));
    }
    const auto topics = domain::topic_queries(analyzer_, request.text, query);
    const auto ranked = domain::rank_books(query, stats, postings, hits, options, topics);

    std::vector<domain::BookMatch> matches;
    for (const auto& found : ranked) {
      const auto rows = connection.run("SELECT title, author, summary_json FROM books WHERE book_id = $1", found.book_id);
      if (rows.rows() == 0) continue;
      domain::BookMatch match;
      match.book_id = found.book_id;
      match.title = rows.text(0, 0);
      match.author = rows.text(0, 1);
      match.similarity = found.score;
      match.chapter_scores = found.chapters;
      match.section_scores = found.sections;
      match.matched_terms = found.matched_terms;
      match.topics = found.topics;
      match.summary = from_json_text<domain::BookSummary>(rows.text(0, 2), "books[" + found.book_id + "].summary_json");
      matches.push_back(std::move(match));
    }
    return matches;
  });
}

}  // namespace docprof::adapters::postgres
