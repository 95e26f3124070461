// LibraryService: importing, searching and removing books of the shared library. Importing
// validates a summary_json document, embeds its book digest, chapters and chapter sections with the
// configured embedder, and stores the book with its vectors in one transaction.
//
// Book ids are derived from title and author, so importing the same book again replaces it.
// Thread safety: safe for concurrent use when the ports are.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "domain/book_summary.h"
#include "domain/result.h"
#include "ports/clock.h"
#include "ports/embedder.h"
#include "ports/library.h"

namespace docprof::engine {

struct ImportedBook {
  ports::BookInfo info;
  int vectors = 0;
};

class LibraryService {
 public:
  LibraryService(ports::Library& library, ports::Embedder& embedder, ports::Clock& clock);

  // Errors: invalid_book (with the JSON path of the problem), provider_error (embedding failed).
  domain::Result<ImportedBook> import_book(const nlohmann::json& summary_json);
  // Searches with a free text, as a course request would (min_similarity < 0: the embedder's default).
  domain::Result<std::vector<domain::BookMatch>> search(const std::string& text, int top_k, double min_similarity);
  std::vector<ports::BookInfo> list();
  bool remove(const std::string& book_id);

  static std::string book_id_for(const domain::BookSummary& summary);

 private:
  ports::Library& library_;
  ports::Embedder& embedder_;
  ports::Clock& clock_;
};

}  // namespace docprof::engine
