#include "adapters/sqlite/sqlite_library.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <unordered_map>

#include "adapters/sqlite/sqlite_codec.h"

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

struct BookScore {
  double best = -std::numeric_limits<double>::infinity();
  std::vector<domain::ChapterScore> chapters;

  void add(bool is_chapter_vector, int chapter_number, double score) {
    best = std::max(best, score);
    if (!is_chapter_vector) return;
    for (auto& chapter : chapters) {
      if (chapter.chapter_number == chapter_number) {
        chapter.similarity = std::max(chapter.similarity, score);
        return;
      }
    }
    chapters.push_back({chapter_number, score});
  }
};

bool better_first(const domain::ChapterScore& a, const domain::ChapterScore& b) {
  if (a.similarity != b.similarity) return a.similarity > b.similarity;
  return a.chapter_number < b.chapter_number;
}

}  // namespace

SqliteLibrary::SqliteLibrary(std::shared_ptr<SqliteDatabase> database)
    : database_(std::move(database)) {}

void SqliteLibrary::put_book(const ports::BookInfo& info, const domain::BookSummary& summary,
                             const std::vector<ports::BookVector>& vectors) {
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
  database_->write([&](Session& session) {
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
  });
}

bool SqliteLibrary::remove_book(const std::string& book_id) {
  return database_->write([&](Session& session) {
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

std::vector<domain::BookMatch> SqliteLibrary::search(std::span<const float> embedding,
                                                     const std::string& embedding_model, int top_k,
                                                     double min_similarity) {
  if (top_k <= 0 || embedding.empty()) return {};
  return database_->read([&](Session& session) {
    std::unordered_map<std::string, BookScore> scores;
    {
      std::vector<float> scratch;
      BookScore* current = nullptr;  // vectors of one book are usually stored together
      std::string current_id;
      auto row = session.query(
          "SELECT book_id, kind <> 'book', chapter_number, embedding FROM book_vectors "
          "WHERE embedding_model = ? AND dims = ?",
          embedding_model, static_cast<std::int64_t>(embedding.size()));
      while (row.step()) {
        const std::string_view book_id = row.text_view(0);
        if (current == nullptr || book_id != current_id) {
          current_id.assign(book_id);
          current = &scores[current_id];
        }
        const BlobView stored = row.blob(3);
        if (stored.size != embedding.size() * sizeof(float)) continue;  // guarded by a CHECK too
        const double score = dot(stored, embedding, scratch);
        current->add(row.int64(1) != 0, row.int32(2), score);
      }
    }

    std::vector<std::pair<std::string, BookScore*>> found;
    for (auto& [book_id, score] : scores) {
      if (score.best >= min_similarity) found.emplace_back(book_id, &score);
    }
    const auto by_score = [](const auto& a, const auto& b) {
      if (a.second->best != b.second->best) return a.second->best > b.second->best;
      return a.first < b.first;
    };
    const auto keep = std::min(found.size(), static_cast<std::size_t>(top_k));
    std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(keep), found.end(),
                      by_score);
    found.resize(keep);

    std::vector<domain::BookMatch> matches;
    for (auto& [book_id, score] : found) {
      auto row =
          session.query("SELECT title, author, summary_json FROM books WHERE book_id = ?", book_id);
      if (!row.step()) continue;  // vectors without a book: cannot happen with foreign keys on
      domain::BookMatch match;
      match.book_id = book_id;
      match.title = row.text(0);
      match.author = row.text(1);
      match.similarity = score->best;
      match.chapter_scores = std::move(score->chapters);
      std::sort(match.chapter_scores.begin(), match.chapter_scores.end(), better_first);
      match.summary =
          from_json_text<domain::BookSummary>(row.text(2), "books[" + book_id + "].summary_json");
      matches.push_back(std::move(match));
    }
    return matches;
  });
}

}  // namespace docprof::adapters::sqlite
