#include "engine/library_service.h"

#include <nlohmann/json.hpp>

#include "domain/ids.h"
#include "engine/book_embedding.h"
#include "engine/embedder_compatibility.h"

namespace docprof::engine {

using domain::Error;

LibraryService::LibraryService(ports::Library& library, ports::Embedder& embedder, ports::Clock& clock)
    : library_(library), embedder_(embedder), clock_(clock) {}

std::string LibraryService::book_id_for(const domain::BookSummary& summary) {
  return domain::derived_uuid("docprof-books", summary.source_title + "\n" + summary.author);
}

namespace {

Error embed_error(const ports::ProviderError& e) {
  return Error{"provider_error", "embedding failed: " + e.code + (e.message.empty() ? "" : ": " + e.message)};
}

}  // namespace

domain::Result<std::vector<ports::BookVector>> LibraryService::embed_book(const domain::BookSummary& summary) {
  return embed_book_vectors(embedder_, summary);
}

domain::Result<ImportedBook> LibraryService::import_book(const nlohmann::json& summary_json) {
  auto summary = domain::parse_book_summary(summary_json);
  if (!summary) return summary.error();
  auto vectors = embed_book(summary.value());
  if (!vectors) return vectors.error();

  ports::BookInfo info;
  info.book_id = book_id_for(summary.value());
  info.title = summary->source_title;
  info.author = summary->author;
  info.chapters = static_cast<int>(summary->chapters.size());
  info.embedding_model = embedder_.model();
  info.created_at_ms = clock_.now_ms();
  library_.put_book(info, summary.value(), vectors.value());
  return ImportedBook{info, static_cast<int>(vectors->size())};
}

domain::Result<ReembedReport> LibraryService::reembed(bool all, const ReembedProgress& on_book) {
  ReembedReport report;
  for (auto info : library_.list_books()) {
    if (!all && info.embedding_model == embedder_.model()) {
      ++report.skipped;
      continue;
    }
    const auto summary = library_.get_book(info.book_id);
    if (!summary) continue;  // removed meanwhile
    auto vectors = embed_book(*summary);
    if (!vectors) {
      return Error{vectors.error().code, "\"" + info.title + "\": " + vectors.error().message + " (" +
                                             std::to_string(report.rebuilt) +
                                             " book(s) rebuilt before it are kept; run reembed again to go on)"};
    }
    const std::string previous = info.embedding_model;
    info.embedding_model = embedder_.model();
    library_.put_book(info, *summary, vectors.value());  // one transaction per book: nothing half-done
    ++report.rebuilt;
    if (on_book) on_book(info, previous, static_cast<int>(vectors->size()));
  }
  return report;
}

domain::Result<std::vector<domain::BookMatch>> LibraryService::search(const std::string& text, int top_k,
                                                                      double min_similarity) {
  std::vector<std::string> inputs{text};
  auto embedded = embedder_.embed(inputs);
  if (const auto* error = std::get_if<ports::ProviderError>(&embedded)) return embed_error(*error);
  const auto& vectors = std::get<std::vector<ports::Embedding>>(embedded);
  if (vectors.empty()) return Error{"provider_error", "the embedder returned no vector"};
  if (auto refusal = embedder_mismatch(library_.books_per_embedding_model(), embedder_.model())) {
    return Error{kEmbedderMismatch, *refusal};
  }
  const double threshold = min_similarity < 0 ? embedder_.default_min_similarity() : min_similarity;
  return library_.search(ports::LibrarySearch{text, vectors.front(), embedder_.model(), top_k, threshold});
}

std::optional<domain::BookMatch> LibraryService::book(const std::string& book_id) {
  auto summary = library_.get_book(book_id);
  if (!summary) return std::nullopt;
  domain::BookMatch match;
  match.book_id = book_id;
  match.title = summary->source_title;
  match.author = summary->author;
  match.summary = std::move(*summary);
  return match;
}

std::vector<ports::BookInfo> LibraryService::list() { return library_.list_books(); }

bool LibraryService::remove(const std::string& book_id) { return library_.remove_book(book_id); }

}  // namespace docprof::engine
