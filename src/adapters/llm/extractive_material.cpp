#include "adapters/llm/extractive_material.h"

#include <exception>
#include <span>
#include <utility>

#include "domain/book_vectors.h"

namespace docprof::adapters::llm {
namespace {

ports::ProviderError library_error(const std::exception& e) {
  // A library failure is usually a busy or briefly unavailable database: worth a retry.
  return ports::ProviderError{"library_error", std::string("library: ") + e.what(), true, 0, {}};
}

// The scored chapters and sections of one found book, in book order.
domain::PlanBook plan_book(const domain::BookMatch& match,
                           const std::vector<domain::BookVectorText>& texts,
                           std::span<const ports::Embedding> vectors,
                           const ports::Embedding& query) {
  std::map<std::string, double> score_by_ref;
  for (std::size_t i = 0; i < texts.size() && i < vectors.size(); ++i) {
    score_by_ref[texts[i].ref] = dot_product(query, vectors[i]);
  }
  const auto score = [&](const std::string& ref) {
    const auto it = score_by_ref.find(ref);
    return it == score_by_ref.end() ? 0.0 : it->second;
  };
  domain::PlanBook book;
  book.book_id = match.book_id;
  book.title = match.title.empty() ? match.summary.source_title : match.title;
  book.relevance = match.similarity;
  for (const auto& chapter : match.summary.chapters) {
    domain::PlanChapter planned;
    planned.chapter_number = chapter.chapter_number;
    planned.title = chapter.chapter_title;
    const std::string ref = std::to_string(chapter.chapter_number);
    planned.relevance = score(ref);
    for (std::size_t s = 0; s < chapter.sections.size(); ++s) {
      const auto& section = chapter.sections[s];
      planned.sections.push_back(domain::PlanSection{section.section_title, section.topics,
                                                     section.key_concepts,
                                                     score(ref + "." + std::to_string(s + 1))});
    }
    book.chapters.push_back(std::move(planned));
  }
  return book;
}

}  // namespace

double dot_product(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return 0.0;
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += static_cast<double>(a[i]) * b[i];
  return sum;
}

ExtractiveMaterial::ExtractiveMaterial(ports::Library& library, ports::Embedder& embedder,
                                       ExtractiveOptions options)
    : library_(library), embedder_(embedder), options_(options) {}

std::string ExtractiveMaterial::library_fingerprint() {
  std::string fingerprint = embedder_.model();
  for (const auto& book : library_.list_books()) {
    fingerprint += '\n';
    fingerprint += book.book_id;
    fingerprint += ' ';
    fingerprint += std::to_string(book.created_at_ms);
    fingerprint += ' ';
    fingerprint += book.embedding_model;
  }
  return fingerprint;
}

MaterialResult ExtractiveMaterial::material_for(const std::string& query) {
  if (options_.cache_queries == 0) return compute(query);
  std::string fingerprint;
  try {
    fingerprint = library_fingerprint();
  } catch (const std::exception& e) {
    return library_error(e);
  }
  {
    std::lock_guard lock(mutex_);
    if (fingerprint != fingerprint_) {
      cache_.clear();
      insertion_order_.clear();
      fingerprint_ = fingerprint;
    }
    if (const auto it = cache_.find(query); it != cache_.end()) return it->second;
  }
  MaterialResult result = compute(query);
  if (const auto* books = std::get_if<std::vector<domain::PlanBook>>(&result)) {
    std::lock_guard lock(mutex_);
    // Another thread may have seen a newer library meanwhile: keep only what matches it.
    if (fingerprint == fingerprint_ && cache_.emplace(query, *books).second) {
      insertion_order_.push_back(query);
      while (cache_.size() > options_.cache_queries) {
        cache_.erase(insertion_order_.front());
        insertion_order_.pop_front();
      }
    }
  }
  return result;
}

MaterialResult ExtractiveMaterial::compute(const std::string& query) {
  const std::vector<std::string> query_text{query};
  auto embedded = embedder_.embed(query_text);
  if (auto* error = std::get_if<ports::ProviderError>(&embedded)) return std::move(*error);
  auto& query_vectors = std::get<std::vector<ports::Embedding>>(embedded);
  if (query_vectors.empty()) {
    return ports::ProviderError{"embedding_error", "the embedder returned no vector", false, 0, {}};
  }
  const ports::Embedding query_vector = std::move(query_vectors.front());

  std::vector<domain::BookMatch> matches;
  try {
    matches =
        library_.search(query_vector, embedder_.model(), options_.top_k, options_.min_similarity);
  } catch (const std::exception& e) {
    return library_error(e);
  }

  // One embedding call for every chapter and section text of every found book.
  std::vector<std::vector<domain::BookVectorText>> texts_by_book;
  std::vector<std::string> inputs;
  for (const auto& match : matches) {
    texts_by_book.push_back(domain::book_vector_texts(match.summary));
    for (const auto& text : texts_by_book.back()) inputs.push_back(text.text);
  }
  auto text_vectors = embedder_.embed(inputs);
  if (auto* error = std::get_if<ports::ProviderError>(&text_vectors)) return std::move(*error);
  const auto& vectors = std::get<std::vector<ports::Embedding>>(text_vectors);
  if (vectors.size() != inputs.size()) {
    return ports::ProviderError{"embedding_error",
                                "the embedder returned " + std::to_string(vectors.size()) +
                                    " vectors for " + std::to_string(inputs.size()) + " texts",
                                false,
                                0,
                                {}};
  }

  std::vector<domain::PlanBook> books;
  std::size_t offset = 0;
  for (std::size_t b = 0; b < matches.size(); ++b) {
    const std::size_t count = texts_by_book[b].size();
    books.push_back(plan_book(matches[b], texts_by_book[b],
                              std::span<const ports::Embedding>(vectors).subspan(offset, count),
                              query_vector));
    offset += count;
  }
  return books;
}

}  // namespace docprof::adapters::llm
