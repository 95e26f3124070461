#include "engine/book_embedding.h"

#include "domain/book_vectors.h"

namespace docprof::engine {
namespace {

ports::VectorKind to_port(domain::BookVectorKind kind) {
  switch (kind) {
    case domain::BookVectorKind::book:
      return ports::VectorKind::book;
    case domain::BookVectorKind::chapter:
      return ports::VectorKind::chapter;
    case domain::BookVectorKind::section:
      return ports::VectorKind::section;
  }
  return ports::VectorKind::book;
}

}  // namespace

domain::Result<std::vector<ports::Embedding>> embed_texts(ports::Embedder& embedder, std::span<const std::string> texts) {
  auto embedded = embedder.embed(texts);
  if (const auto* error = std::get_if<ports::ProviderError>(&embedded)) {
    return domain::Error{"provider_error",
                         "embedding failed: " + error->code + (error->message.empty() ? "" : ": " + error->message)};
  }
  auto& vectors = std::get<std::vector<ports::Embedding>>(embedded);
  if (vectors.size() != texts.size()) {
    return domain::Error{"provider_error", "the embedder returned " + std::to_string(vectors.size()) +
                                               " vectors for " + std::to_string(texts.size()) + " texts"};
  }
  return std::move(vectors);
}

domain::Result<std::vector<ports::BookVector>> embed_book_vectors(ports::Embedder& embedder,
                                                                  const domain::BookSummary& summary) {
  const auto texts = domain::book_vector_texts(summary);
  std::vector<std::string> inputs;
  inputs.reserve(texts.size());
  for (const auto& t : texts) inputs.push_back(t.text);
  auto vectors = embed_texts(embedder, inputs);
  if (!vectors) return vectors.error();
  std::vector<ports::BookVector> book_vectors;
  book_vectors.reserve(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    book_vectors.push_back(ports::BookVector{to_port(texts[i].kind), texts[i].ref, texts[i].chapter_number,
                                             std::move(vectors.value()[i])});
  }
  return book_vectors;
}

}  // namespace docprof::engine
