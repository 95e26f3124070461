// The term index of an ingested book's chunks, as every Corpus stores it (ports/corpus.h): each
// chunk's terms (domain::chunk_terms) with its heading — its chapter's title, and its section's
// when that does not repeat the chapter's. One place, so that every backend indexes, and so ranks,
// alike.
//
// Thread safety: stateless.
#pragma once

#include <vector>

#include "domain/corpus_ranking.h"
#include "domain/term_analyzer.h"
#include "ports/corpus.h"

namespace docprof::ports {

// The terms of each of the book's chunks, in their order. Throws std::invalid_argument when a
// chunk has no vector or one of other dims than the book's vectors (nothing may be stored then).
std::vector<domain::ChunkTerms> checked_chunk_terms(const IngestedBook& book, const domain::TermAnalyzer& analyzer);

}  // namespace docprof::ports
