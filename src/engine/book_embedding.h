// Embedding what the library stores: a book's digest, chapter and section texts
// (domain/book_vectors.h) and, for ingested books, its chunks — with the configured embedder, its
// failures as provider_error values. Shared by LibraryService (import, reembed) and IngestService.
//
// Thread safety: as safe as the embedder (stateless functions otherwise).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "domain/book_summary.h"
#include "domain/result.h"
#include "ports/embedder.h"
#include "ports/library.h"

namespace docprof::engine {

// One vector per text, in order. Error provider_error (the embedder failed, or answered a wrong count).
domain::Result<std::vector<ports::Embedding>> embed_texts(ports::Embedder& embedder, std::span<const std::string> texts);

// The book, chapter and section vectors of a summary.
domain::Result<std::vector<ports::BookVector>> embed_book_vectors(ports::Embedder& embedder,
                                                                  const domain::BookSummary& summary);

}  // namespace docprof::engine
