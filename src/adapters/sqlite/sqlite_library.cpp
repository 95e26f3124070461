#include "adapters/sqlite/sqlite_library.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "adapters/sqlite/sqlite_codec.h"
#include "domain/library_index.h"
#include "domain/library_ranking.h"
#include "ports/parsed_summaries.h"

namespace docprof::adapters::sqlite {
namespace {

// Dot product of a stored vector (raw float32 bytes, not necessarily aligned) with the query.
// The bytes are copied into `scratch` first; eight running sums let the compiler vectorise.
float dot(BlobView stored, std::span<const float> query, std::vector<float>& scratch) {
  scratch.resize(query.size());
  std::memcpy(scratch.data(), stored.data, query.size() * sizeof(float));
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

// Removes a book's documents and terms, and their share of the library's statistics.
void remove_terms(Session& session, const std::string& book_id) {
  session
      .query(
          "UPDATE library_stats SET "
          "docs = docs - (SELECT count(*) FROM book_docs d WHERE d.book_id = ?1 AND d.kind = library_stats.kind), "
          "total_length = total_length - (SELECT coalesce(sum(length), 0) FROM book_docs d "
          "WHERE d.book_id = ?1 AND d.kind = library_stats.kind)",
          book_id)
      .run();
  session.query("DELETE FROM book_terms WHERE book_id = ?", book_id).run();
  session.query("DELETE FROM book_docs WHERE book_id = ?", book_id).run();
}

void insert_terms(Session& session, const std::string& book_id, const std::vector<domain::IndexedDoc>& docs) {
  for (const auto& doc : docs) {
    const std::string_view kind = domain::to_string(doc.kind);
    session
        .query("INSERT INTO book_docs (book_id, kind, chapter_number, section_index, length) VALUES (?, ?, ?, ?, ?)",
               book_id, kind, doc.chapter_number, doc.section_index, doc.length)
        .run();
    session.query("UPDATE library_stats SET docs = docs + 1, total_length = total_length + ? WHERE kind = ?",
                  doc.length, kind)
        .run();
    for (const auto& [term, weight] : doc.terms) {
      session
          .query(
              "INSERT INTO book_terms (term, book_id, kind, chapter_number, section_index, weight, doc_length) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)",
              term, book_id, kind, doc.chapter_number, doc.section_index, weight, doc.length)
          .run();
    }
  }
}

// A JSON array of strings for json_each(?), without control characters.
template <typename Strings>
std::string json_array_of(const Strings& items) {
  std::string out = "[";
  for (const std::string& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      if (static_cast<unsigned char>(c) < 0x20) continue;
      out += c;
    }
    out += '"';
  }
  out += ']';
  return out;
}

std::vector<std::string> terms_of(const std::vector<domain::QueryTerm>& query) {
  std::vector<std::string> terms;
  terms.reserve(query.size());
  for (const auto& q : query) terms.push_back(q.term);
  return terms;
}

}  // namespace

SqliteLibrary::SqliteLibrary(std::shared_ptr<SqliteDatabase> database, const domain::TermAnalyzer& analyzer)
    : database_(std::move(database)), analyzer_(analyzer) {}

void SqliteLibrary::put_book(const ports::BookInfo& info, const domain::BookSummary& summary,
                             const std::vector<ports::BookVector>& vectors) {
  put_book_with(info, summary, vectors, {});
}

void SqliteLibrary::put_book_with(const ports::BookInfo& info, const domain::BookSummary& summary,
                                  const std::vector<ports::BookVector>& vectors,
                                  const std::function<void(Session&)>& also) {
  if (info.book_id.empty()) throw std::invalid_argument("put_book: empty book_id");
  const std::size_t dims = vectors.empty() ? 0 : vectors.front().embedding.size();
  for (const auto& vector : vectors) {
    if (vector.embedding.empty() || vector.embedding.size() != dims) {
      throw std::invalid_argument("put_book " + info.book_id + ": vector '" + vector.ref +
                                  "' has " + std::to_string(vector.embedding.size()) +
                                  " dims, expected " + std::to_string(dims) + " (and not 0)");
    }
  }
  const std::string summary_json = to_json_text(summary);
  const std::vector<domain::IndexedDoc> docs = domain::index_book(summary, analyzer_);
  database_->write([&](Session& session) {
    remove_terms(session, info.book_id);
    session.query("DELETE FROM book_vectors WHERE book_id = ?", info.book_id).run();
    session
        .query(
            "INSERT INTO books (book_id, title, author, chapters, embedding_model, created_at, "
            "summary_json) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (book_id) DO UPDATE SET title = excluded.title, "
            "author = excluded.author, chapters = excluded.chapters, "
            "embedding_model = excluded.embedding_model, created_at = excluded.created_at, "
            "summary_json = excluded.summary_json",
            info.book_id, info.title, info.author, info.chapters, info.embedding_model,
            info.created_at_ms, summary_json)
        .run();
    for (const auto& vector : vectors) {
      session
          .query(
              "INSERT INTO book_vectors (book_id, kind, ref, chapter_number, embedding_model, "
              "dims, embedding) VALUES (?, ?, ?, ?, ?, ?, ?)",
              info.book_id, to_string(vector.kind), vector.ref, vector.chapter_number,
              info.embedding_model, static_cast<std::int64_t>(dims), float_blob(vector.embedding))
          .run();
    }
    insert_terms(session, info.book_id, docs);
    if (also) also(session);
  });
}

bool SqliteLibrary::remove_book(const std::string& book_id) {
  return database_->write([&](Session& session) {
    remove_terms(session, book_id);
    session.query("DELETE FROM book_vectors WHERE book_id = ?", book_id).run();
    session.query("DELETE FROM books WHERE book_id = ?", book_id).run();
    return session.changes() > 0;
  });
}

std::vector<ports::BookInfo> SqliteLibrary::list_books() {
  return database_->read([](Session& session) {
    std::vector<ports::BookInfo> books;
    auto row = session.query(
        "SELECT book_id, title, author, chapters, embedding_model, created_at FROM books "
        "ORDER BY title, book_id");
    while (row.step()) {
      books.push_back(ports::BookInfo{row.text(0), row.text(1), row.text(2), row.int32(3),
                                      row.text(4), row.int64(5)});
    }
    return books;
  });
}

std::map<std::string, int> SqliteLibrary::books_per_embedding_model() {
  return database_->read([](Session& session) {
    std::map<std::string, int> counts;
    auto row = session.query("SELECT embedding_model, count(*) FROM books GROUP BY embedding_model");
    while (row.step()) counts[row.text(0)] = row.int32(1);
    return counts;
  });
}

std::optional<domain::BookSummary> SqliteLibrary::get_book(const std::string& book_id) {
  return database_->read([&](Session& session) -> std::optional<domain::BookSummary> {
    auto row = session.query("SELECT summary_json FROM books WHERE book_id = ?", book_id);
    if (!row.step()) return std::nullopt;
    return from_json_text<domain::BookSummary>(row.text(0), "books[" + book_id + "].summary_json");
  });
}

std::vector<domain::BookMatch> SqliteLibrary::search(const ports::LibrarySearch& request) {
  if (request.top_k <= 0) return {};
  const std::vector<domain::QueryTerm> query = domain::query_terms(analyzer_, request.text);
  return database_->read([&](Session& session) {
    domain::LibraryStats stats;
    {
      auto row = session.query("SELECT kind, docs, total_length FROM library_stats");
      while (row.step()) {
        const domain::KindStats kind_stats{static_cast<double>(row.int64(1)), row.real(2)};
        stats.of(domain::book_vector_kind(row.text_view(0))) = kind_stats;
      }
    }
    std::vector<domain::Posting> postings;
    if (!query.empty()) {
      auto row = session.query(
          "SELECT term, book_id, kind, chapter_number, section_index, weight, doc_length FROM book_terms "
          "WHERE term IN (SELECT value FROM json_each(?))",
          json_array_of(terms_of(query)));
      while (row.step()) {
        postings.push_back(domain::Posting{row.text(0), row.text(1), domain::book_vector_kind(row.text_view(2)),
                                           row.int32(3), row.int32(4), row.real(5), row.real(6)});
      }
    }
    domain::RankingOptions options;
    options.top_k = request.top_k;
    options.min_similarity = request.min_similarity;
    std::vector<domain::VectorHit> hits;
    if (!request.embedding.empty()) {
      std::vector<float> scratch;
      std::string current_id;
      const auto read_hits = [&](Statement& row) {
        while (row.step()) {
          const BlobView stored = row.blob(4);
          if (stored.size != request.embedding.size() * sizeof(float)) continue;  // guarded by a CHECK too
          const std::string_view book_id = row.text_view(0);
          if (book_id != current_id) current_id.assign(book_id);
          hits.push_back(domain::VectorHit{current_id, domain::book_vector_kind(row.text_view(1)), row.int32(2),
                                           domain::section_index_of_ref(row.text_view(3)),
                                           dot(stored, request.embedding, scratch)});
        }
      };
      const auto dims = static_cast<std::int64_t>(request.embedding.size());
      // Every book's own vector, then the chapter and section vectors of the books that may be
      // found (domain::books_worth_vectors): a tenth of the reading on a 1,000-book library.
      auto books = session.query(
          "SELECT book_id, kind, chapter_number, ref, embedding FROM book_vectors "
          "WHERE embedding_model = ? AND dims = ? AND kind = 'book'",
          request.embedding_model, dims);
      read_hits(books);
      // Without postings (no word of the request is in the library) the vectors are all there is
      // to go by: every one is read. Otherwise the books near the top by their words and their
      // own vector, and those stored without a vector of their own, have their others read.
      std::set<std::string> worth;
      std::set<std::string_view> with_own_vector;
      for (const auto& hit : hits) with_own_vector.insert(hit.book_id);
      if (!postings.empty()) worth = domain::books_worth_vectors(query, stats, postings, hits, options);
      auto all_books = session.query("SELECT book_id FROM books");
      while (all_books.step()) {
        if (postings.empty() || !with_own_vector.contains(all_books.text_view(0))) worth.insert(all_books.text(0));
      }
      auto parts = session.query(
          "SELECT book_id, kind, chapter_number, ref, embedding FROM book_vectors "
          "WHERE book_id IN (SELECT value FROM json_each(?)) AND embedding_model = ? AND dims = ? "
          "AND kind <> 'book'",
          json_array_of(worth), request.embedding_model, dims);
      read_hits(parts);
    }
    const auto topics = domain::topic_queries(analyzer_, request.text, query);
    const auto ranked = domain::rank_books(query, stats, postings, hits, options, topics);

    std::vector<domain::BookMatch> matches;
    for (const auto& found : ranked) {
      auto row = session.query("SELECT title, author, summary_json FROM books WHERE book_id = ?", found.book_id);
      if (!row.step()) continue;  // vectors without a book: cannot happen with foreign keys on
      domain::BookMatch match;
      match.book_id = found.book_id;
      match.title = row.text(0);
      match.author = row.text(1);
      match.similarity = found.score;
      match.chapter_scores = found.chapters;
      match.section_scores = found.sections;
      match.matched_terms = found.matched_terms;
      match.topics = found.topics;
      match.summary =
          *ports::stored::parsed_summary(found.book_id, row.text(2), "books[" + found.book_id + "].summary_json");
      matches.push_back(std::move(match));
    }
    return matches;
  });
}

}  // namespace docprof::adapters::sqlite
