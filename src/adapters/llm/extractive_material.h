// ExtractiveMaterial: the candidate material the extractive planner builds a course from — the
// books a library search finds for the request (with the same top_k and min_similarity as the
// workflow's own search), each chapter and chapter section scored against the request by cosine
// similarity of its text (domain/book_vectors.h) with the query, as domain::PlanBook values.
//
// Every step of a run asks for the same material again (the steps may run in different processes,
// so the planner recomputes its plan each time). Within a process the material of a query is
// cached, keyed by the query, the embedding model and the search settings, and valid only for one
// state of the library: the library's fingerprint (every book's id, import time and embedding
// model, from list_books()) is compared on each call, and any change — a book added, re-imported
// or removed, here or in another process — empties the cache. A cached answer is thus exactly what
// a fresh computation would give.
//
// Thread safety: material_for() may be called concurrently; a mutex guards the cache, searches and
// embeddings run outside it (two threads missing at once both compute, with equal results).
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "domain/course_plan.h"
#include "ports/embedder.h"
#include "ports/library.h"
#include "ports/provider_error.h"

namespace docprof::adapters::llm {

struct ExtractiveOptions {
  int top_k = 10;                  // books per search, as the workflow's search (domain.md §2)
  double min_similarity = 0.0;     // the embedder's calibrated default is what the workflow uses
  std::size_t cache_queries = 64;  // material of this many recent queries is kept; 0 = no cache
  // Matches the request's named topics with the material (domain::PlanRequest::analyzer); the
  // composition root passes the process's analyzer. Without one, plans follow relevance alone.
  const domain::TermAnalyzer* analyzer = nullptr;
};

using MaterialResult = std::variant<std::vector<domain::PlanBook>, ports::ProviderError>;

class ExtractiveMaterial {
 public:
  ExtractiveMaterial(ports::Library& library, ports::Embedder& embedder, ExtractiveOptions options);

  // The found books, most relevant first, with scored chapters and sections. Errors: the
  // embedder's own ProviderError, or "library_error" (transient) when the library fails.
  MaterialResult material_for(const std::string& query);
  const domain::TermAnalyzer* analyzer() const { return options_.analyzer; }

 private:
  MaterialResult compute(const std::string& query);
  std::string library_fingerprint();

  ports::Library& library_;
  ports::Embedder& embedder_;
  ExtractiveOptions options_;

  std::mutex mutex_;
  std::string fingerprint_;  // the library state the cached entries belong to
  std::map<std::string, std::vector<domain::PlanBook>> cache_;
  std::deque<std::string> insertion_order_;  // oldest first, for eviction
};

// Cosine similarity of two L2-normalised vectors (their dot product); 0 when the lengths differ.
double dot_product(const std::vector<float>& a, const std::vector<float>& b);

}  // namespace docprof::adapters::llm
