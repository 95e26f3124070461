#include "adapters/postgres/pg_library.h"

#include <algorithm>
#include <map>
#include <optional>
#include <cstring>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "adapters/postgres/pg_codec.h"
#include "domain/library_index.h"
#include "domain/library_ranking.h"
#include "ports/parsed_summaries.h"

namespace docprof::adapters::postgres {
namespace {

// Dot product of a stored vector with the query; eight running sums let the compiler vectorise.
float dot(const std::vector<float>& stored, std::span<const float> query) {
  float sums[8] = {};
  const std::size_t n = std::min(stored.size(), query.size());
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (std::size_t lane = 0; lane < 8; ++lane) sums[lane] += stored[i + lane] * query[i + lane];
  }
  float total = 0.0f;
  for (; i < n; ++i) total += stored[i] * query[i];
  for (float sum : sums) total += sum;
  return total;
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
  put_book_with(info, summary, vectors, {});
}

std::int64_t PgLibrary::version(PgConnection& connection) {
  return connection.exec("SELECT version FROM library_version").int64(0, 0);
}

void PgLibrary::bump_version(PgConnection& connection) {
  connection.exec("UPDATE library_version SET version = version + 1");
}

void PgLibrary::put_book_with(const ports::BookInfo& info, const domain::BookSummary& summary,
                              const std::vector<ports::BookVector>& vectors,
                              const std::function<void(PgConnection&)>& also) {
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
    if (also) also(connection);
    bump_version(connection);
  });
}

bool PgLibrary::remove_book(const std::string& book_id) {
  return pool_->transaction([&](PgConnection& connection) {
    remove_terms(connection, book_id);
    connection.run("DELETE FROM book_vectors WHERE book_id = $1", book_id);
    const bool removed = connection.run("DELETE FROM books WHERE book_id = $1", book_id).affected() > 0;
    if (removed) bump_version(connection);
    return removed;
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

namespace {

// The term statistics as library_stats holds them.
domain::LibraryStats stats_from(const PgResult& rows) {
  domain::LibraryStats stats;
  for (int r = 0; r < rows.rows(); ++r) {
    const domain::KindStats kind_stats{static_cast<double>(rows.int64(r, 1)), rows.real(r, 2)};
    stats.of(domain::book_vector_kind(rows.text(r, 0))) = kind_stats;
  }
  return stats;
}

// Searches in a row that each found the library changed under them before the search gives up
// (the step that asked is retried later).
constexpr int kSearchAttempts = 5;

}  // namespace

std::shared_ptr<const PgLibrary::AtVersion> PgLibrary::library_at(std::int64_t version) {
  {
    std::lock_guard lock(cache_mu_);
    if (at_ && at_->version == version) return at_;
  }
  auto at = pool_->snapshot([](PgConnection& connection) {
    auto read = std::make_shared<AtVersion>();
    read->version = PgLibrary::version(connection);
    read->stats = stats_from(connection.exec("SELECT kind, docs, total_length FROM library_stats"));
    const auto ids = connection.exec("SELECT book_id FROM books");
    for (int r = 0; r < ids.rows(); ++r) read->book_ids.push_back(ids.text(r, 0));
    return read;
  });
  std::lock_guard lock(cache_mu_);
  if (!at_ || at_->version < at->version) at_ = at;  // versions only grow
  return at->version == version ? at : nullptr;
}

std::shared_ptr<const std::vector<PgLibrary::CachedVector>> PgLibrary::vectors_at(std::int64_t version,
                                                                                  const std::string& model,
                                                                                  std::int64_t dims) {
  const auto key = std::make_pair(model, dims);
  {
    std::lock_guard lock(cache_mu_);
    const auto found = cache_.find(key);
    if (found != cache_.end() && found->second.version == version) return found->second.vectors;
  }
  auto read = pool_->snapshot([&](PgConnection& connection) {
    CachedVectors read_at;
    read_at.version = PgLibrary::version(connection);
    auto vectors = std::make_shared<std::vector<CachedVector>>();
    const auto rows = connection.run(
        "SELECT book_id, kind, chapter_number, ref, embedding FROM book_vectors WHERE embedding_model = $1 AND dims = "
        "$2 ORDER BY book_id, kind, ref",
        model, dims);
    vectors->reserve(static_cast<std::size_t>(rows.rows()));
    for (int r = 0; r < rows.rows(); ++r) {
      const std::string stored = rows.bytea(r, 4);
      if (stored.size() != static_cast<std::size_t>(dims) * sizeof(float)) continue;  // guarded by a CHECK too
      CachedVector v;
      v.book_id = rows.text(r, 0);
      v.kind = domain::book_vector_kind(rows.text(r, 1));
      v.chapter_number = rows.int32(r, 2);
      v.section_index = domain::section_index_of_ref(rows.text(r, 3));
      v.values.resize(static_cast<std::size_t>(dims));
      std::memcpy(v.values.data(), stored.data(), stored.size());
      vectors->push_back(std::move(v));
    }
    read_at.vectors = std::move(vectors);
    return read_at;
  });
  std::lock_guard lock(cache_mu_);
  auto& kept = cache_[key];
  if (kept.version < read.version) kept = read;
  return read.version == version ? read.vectors : nullptr;
}

std::vector<domain::BookMatch> PgLibrary::search(const ports::LibrarySearch& request) {
  if (request.top_k <= 0) return {};
  const std::vector<domain::QueryTerm> query = domain::query_terms(analyzer_, request.text);
  std::vector<std::string> terms;
  for (const auto& q : query) terms.push_back(q.term);
  const std::string terms_json = text_array(terms);
  const auto topics = domain::topic_queries(analyzer_, request.text, query);
  for (int attempt = 1;; ++attempt) {
    if (auto found = search_once(request, query, terms_json, topics)) return std::move(*found);
    if (attempt == kSearchAttempts) {
      throw std::runtime_error("the library changed during each of " + std::to_string(kSearchAttempts) +
                               " searches in a row (books being imported or removed); search again later");
    }
  }
}

std::optional<std::vector<domain::BookMatch>> PgLibrary::search_once(const ports::LibrarySearch& request,
                                                                     const std::vector<domain::QueryTerm>& query,
                                                                     const std::string& terms_json,
                                                                     const std::vector<domain::TopicQuery>& topics) {
  // The version and the postings of the request's terms in one statement (one snapshot); the rest
  // of the library at that version is kept in memory, and the books' rows are read with the version
  // they were read at: a search that finds the library changed between its statements starts again.
  std::int64_t version = 0;
  std::vector<domain::Posting> postings;
  pool_->read([&](PgConnection& connection) {
    const auto rows = connection.run(
        "WITH t AS MATERIALIZED (SELECT term, book_id, kind, chapter_number, section_index, weight, doc_length "
        "FROM book_terms WHERE term = ANY($1::text[])) "
        "SELECT v.version, t.term, t.book_id, t.kind, t.chapter_number, t.section_index, t.weight, t.doc_length "
        "FROM library_version v LEFT JOIN t ON true",
        terms_json);
    for (int r = 0; r < rows.rows(); ++r) {
      version = rows.int64(r, 0);
      if (rows.is_null(r, 1)) continue;  // no posting: the version alone
      postings.push_back(domain::Posting{rows.text(r, 1), rows.text(r, 2), domain::book_vector_kind(rows.text(r, 3)),
                                         rows.int32(r, 4), rows.int32(r, 5), rows.real(r, 6), rows.real(r, 7)});
    }
  });
  const auto at = library_at(version);
  if (!at) return std::nullopt;

  domain::RankingOptions options;
  options.top_k = request.top_k;
  options.min_similarity = request.min_similarity;
  std::vector<domain::VectorHit> hits;
  if (!request.embedding.empty()) {
    const auto vectors =
        vectors_at(version, request.embedding_model, static_cast<std::int64_t>(request.embedding.size()));
    if (!vectors) return std::nullopt;
    const auto hit_of = [&](const CachedVector& v) {
      return domain::VectorHit{v.book_id, v.kind, v.chapter_number, v.section_index, dot(v.values, request.embedding)};
    };
    // Every book's own vector, then the chapter and section vectors of the books that may be found.
    std::set<std::string> with_own_vector;
    for (const auto& v : *vectors) {
      if (v.kind != domain::BookVectorKind::book) continue;
      hits.push_back(hit_of(v));
      with_own_vector.insert(v.book_id);
    }
    std::set<std::string> worth;
    if (!postings.empty()) worth = domain::books_worth_vectors(query, at->stats, postings, hits, options);
    for (const auto& book_id : at->book_ids) {
      if (postings.empty() || !with_own_vector.contains(book_id)) worth.insert(book_id);
    }
    for (const auto& v : *vectors) {
      if (v.kind != domain::BookVectorKind::book && worth.contains(v.book_id)) hits.push_back(hit_of(v));
    }
  }
  const auto ranked = domain::rank_books(query, at->stats, postings, hits, options, topics);
  if (ranked.empty()) return std::vector<domain::BookMatch>{};

  // The found books' rows: those kept at this version, then the others, read with the version.
  std::map<std::string, CachedBook> books;
  std::vector<std::string> missing;
  {
    std::lock_guard lock(cache_mu_);
    for (const auto& found : ranked) {
      const auto kept = books_.version == version ? books_.by_id.find(found.book_id) : books_.by_id.end();
      if (kept != books_.by_id.end()) books.emplace(found.book_id, kept->second);
      else missing.push_back(found.book_id);
    }
  }
  if (!missing.empty()) {
    bool same_version = true;
    struct ReadBook {
      std::string book_id;
      CachedBook book;
      std::size_t summary_bytes = 0;
    };
    std::vector<ReadBook> read;
    pool_->read([&](PgConnection& connection) {
      const auto rows = connection.run(
          "WITH b AS MATERIALIZED (SELECT book_id, title, author, summary_json FROM books "
          "WHERE book_id = ANY($1::text[])) "
          "SELECT v.version, b.book_id, b.title, b.author, b.summary_json FROM library_version v LEFT JOIN b ON true",
          text_array(missing));
      for (int r = 0; r < rows.rows(); ++r) {
        if (rows.int64(r, 0) != version) same_version = false;
        if (rows.is_null(r, 1)) continue;
        const std::string book_id = rows.text(r, 1);
        const std::string summary_json = rows.text(r, 4);
        auto summary = std::make_shared<const domain::BookSummary>(
            *ports::stored::parsed_summary(book_id, summary_json, "books[" + book_id + "].summary_json"));
        read.push_back(ReadBook{book_id, CachedBook{rows.text(r, 2), rows.text(r, 3), std::move(summary)},
                                summary_json.size()});
      }
    });
    if (!same_version) return std::nullopt;
    std::lock_guard lock(cache_mu_);
    if (books_.version < version) books_ = CachedBooks{version, {}, 0};  // versions only grow
    for (auto& row : read) {
      if (books_.version == version && books_.summary_bytes + row.summary_bytes <= kCachedSummaryBytes &&
          books_.by_id.emplace(row.book_id, row.book).second) {
        books_.summary_bytes += row.summary_bytes;
      }
      books.emplace(row.book_id, std::move(row.book));
    }
  }

  std::vector<domain::BookMatch> matches;
  for (const auto& found : ranked) {
    const auto row = books.find(found.book_id);
    if (row == books.end()) continue;
    domain::BookMatch match;
    match.book_id = found.book_id;
    match.title = row->second.title;
    match.author = row->second.author;
    match.similarity = found.score;
    match.chapter_scores = found.chapters;
    match.section_scores = found.sections;
    match.matched_terms = found.matched_terms;
    match.topics = found.topics;
    match.summary = *row->second.summary;
    matches.push_back(std::move(match));
  }
  return matches;
}

}  // namespace docprof::adapters::postgres
