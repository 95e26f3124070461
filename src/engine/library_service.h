// LibraryService: importing, searching and removing books of the shared library. Importing
// validates a summary_json document, embeds its book digest, chapters and chapter sections with the
// configured embedder, and stores the book with its vectors in one transaction.
//
// Book ids are derived from title and author, so importing the same book again replaces it.
// Thread safety: safe for concurrent use when the ports are.
#pragma once

#include <functional>
#include <optional>
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

struct ReembedReport {
  int rebuilt = 0;
  int skipped = 0;  // already embedded with the configured embedder
};
// Told about each rebuilt book: its info (now with the new model), the model it had, its vector count.
using ReembedProgress = std::function<void(const ports::BookInfo&, const std::string& previous_model, int vectors)>;

class LibraryService {
 public:
  LibraryService(ports::Library& library, ports::Embedder& embedder, ports::Clock& clock);

  // Errors: invalid_book (with the JSON path of the problem), provider_error (embedding failed).
  domain::Result<ImportedBook> import_book(const nlohmann::json& summary_json);
  // Rebuilds the vectors of every book not made with the configured embedder (every book when
  // `all`), one transaction per book, so an interrupted run keeps what it finished and can go on.
  // Errors: provider_error (embedding failed; the message names the book).
  domain::Result<ReembedReport> reembed(bool all, const ReembedProgress& on_book);
  // Searches with a free text, as a course request would (min_similarity < 0: the embedder's default).
  // Errors: embedder_mismatch (the library holds vectors of another embedder), provider_error.
  domain::Result<std::vector<domain::BookMatch>> search(const std::string& text, int top_k, double min_similarity);
  std::vector<ports::BookInfo> list();
  // A book of the library as a match of its own (summary, title, author; no scores), for a
  // revision's prompt: the books a course already reads. nullopt when it is not in the library.
  std::optional<domain::BookMatch> book(const std::string& book_id);
  bool remove(const std::string& book_id);

  static std::string book_id_for(const domain::BookSummary& summary);

 private:
  domain::Result<std::vector<ports::BookVector>> embed_book(const domain::BookSummary& summary);

  ports::Library& library_;
  ports::Embedder& embedder_;
  ports::Clock& clock_;
};

}  // namespace docprof::engine
