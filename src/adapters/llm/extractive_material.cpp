#include "adapters/llm/extractive_material.h"

#include <exception>
#include <span>
#include <utility>


namespace docprof::adapters::llm {
namespace {

ports::ProviderError library_error(const std::exception& e) {
  // A library failure is usually a busy or briefly unavailable database: worth a retry.
  return ports::ProviderError{"library_error", std::string("library: ") + e.what(), true, 0, {}};
}

// The scored chapters and sections of one found book, in book order, as the search scored them.
domain::PlanBook plan_book(const domain::BookMatch& match) {
  std::map<int, const domain::ChapterScore*> chapter_scores;
  for (const auto& c : match.chapter_scores) chapter_scores.emplace(c.chapter_number, &c);
  std::map<std::pair<int, int>, double> section_scores;
  for (const auto& s : match.section_scores) section_scores[{s.chapter_number, s.section_index}] = s.similarity;
  domain::PlanBook book;
  book.book_id = match.book_id;
  book.title = match.title.empty() ? match.summary.source_title : match.title;
  book.relevance = match.similarity;
  book.topics = match.topics;
  for (const auto& chapter : match.summary.chapters) {
    domain::PlanChapter planned;
    planned.chapter_number = chapter.chapter_number;
    planned.title = chapter.chapter_title;
    planned.kind = chapter.kind;
    planned.words = chapter.words;
    if (const auto it = chapter_scores.find(chapter.chapter_number); it != chapter_scores.end()) {
      planned.relevance = it->second->similarity;
    }
    for (std::size_t s = 0; s < chapter.sections.size(); ++s) {
      const auto& section = chapter.sections[s];
      const auto it = section_scores.find({chapter.chapter_number, static_cast<int>(s) + 1});
      domain::PlanSection planned_section;
      planned_section.title = section.section_title;
      planned_section.topics = section.topics;
      planned_section.key_concepts = section.key_concepts;
      planned_section.subsections = section.subsections;
      planned_section.words = section.words;
      planned_section.relevance = it == section_scores.end() ? 0.0 : it->second;
      planned.sections.push_back(std::move(planned_section));
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
    matches = library_.search(ports::LibrarySearch{query, query_vector, embedder_.model(), options_.top_k,
                                                   options_.min_similarity});
  } catch (const std::exception& e) {
    return library_error(e);
  }
  std::vector<domain::PlanBook> books;
  for (const auto& match : matches) books.push_back(plan_book(match));
  // Every step of a course plans from this material: its words are analysed once.
  if (options_.analyzer != nullptr) domain::analyse_plan_books(books, *options_.analyzer);
  return books;
}

}  // namespace docprof::adapters::llm
