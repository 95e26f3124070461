#include "ports/corpus_terms.h"

#include <stdexcept>
#include <string>

namespace docprof::ports {
namespace {

std::string heading_of(const std::vector<StoredChapter>& chapters, const StoredChunk& chunk) {
  for (const auto& chapter : chapters) {
    if (chapter.chapter_number != chunk.chapter_number) continue;
    std::string heading = chapter.title;
    for (const auto& section : chapter.sections) {
      if (section.section_index == chunk.section_index && section.title != chapter.title) {
        heading += ". " + section.title;
      }
    }
    return heading;
  }
  return "";
}

}  // namespace

std::vector<domain::ChunkTerms> checked_chunk_terms(const IngestedBook& book, const domain::TermAnalyzer& analyzer) {
  const std::size_t dims = book.vectors.empty() ? 0 : book.vectors.front().embedding.size();
  for (const auto& chunk : book.chunks) {
    if (chunk.embedding.empty() || chunk.embedding.size() != dims) {
      throw std::invalid_argument("put_ingested_book " + book.info.book_id + ": chunk " +
                                  std::to_string(chunk.chunk_index) + " has " +
                                  std::to_string(chunk.embedding.size()) + " dims, expected " +
                                  std::to_string(dims) + " (and not 0)");
    }
  }
  std::vector<domain::ChunkTerms> terms;
  terms.reserve(book.chunks.size());
  for (const auto& chunk : book.chunks) {
    terms.push_back(domain::chunk_terms(analyzer, chunk.text, heading_of(book.chapters, chunk)));
  }
  return terms;
}

}  // namespace docprof::ports
