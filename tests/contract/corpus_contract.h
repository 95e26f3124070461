// The Corpus contract's backends (tests/contract/corpus_contract_test.cpp and
// corpus_ranking_contract_test.cpp): a name and a factory of fresh fixtures (an empty library and
// its corpus each). A new backend adds one factory to corpus_backends() in corpus_backends.cpp.
// Thread safety: a fixture belongs to one test; its ports are as thread-safe as the backend's.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "ports/corpus.h"
#include "ports/library.h"

namespace docprof::contract {

class CorpusFixture {
 public:
  virtual ~CorpusFixture() = default;
  virtual ports::Library& library() = 0;  // the library the corpus writes its books through
  virtual ports::Corpus& corpus() = 0;
  // The rows of one of the book's tables (books, book_vectors, book_terms, book_sources,
  // book_chapters, book_sections, chunks, chunk_terms) that belong to the book: what the port does
  // not show, such as a removed book's term postings.
  virtual std::int64_t rows_of_book(const std::string& table, const std::string& book_id) = 0;
};

struct CorpusBackend {
  std::string name;  // a test-name suffix: letters, digits and '_' only
  std::function<std::unique_ptr<CorpusFixture>()> make = {};
};

std::vector<CorpusBackend> corpus_backends();

// How GoogleTest names the parameter (in ctest's test names too): the backend's name.
inline void PrintTo(const CorpusBackend& backend, std::ostream* out) { *out << backend.name; }

}  // namespace docprof::contract
