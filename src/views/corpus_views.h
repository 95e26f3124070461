// The JSON shapes of ingested books and corpus searches (issue 13), shared by the CLI
// (`books show --json`, `search --json`) and, later, the HTTP API (GET /books/{id}, GET /search):
//   book:   {book_id, title, author, format, source_path, words, chunks, pages?,
//            chapters: [{chapter_number, kind, title, words, page_range?, sections: [{title, words, page_range?}]}]}
//   search: [{chunk_id, book_id, book_title, chapter_number, chapter_title, section_title|null, page|null, score, text}]
// page_range ("X-Y") and pages appear for paged formats only.
//
// Thread safety: stateless.
#pragma once

#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ports/corpus.h"

namespace docprof::views {

nlohmann::json book_structure_json(const ports::BookStructure& book);
nlohmann::json chunk_matches_json(const std::vector<ports::ChunkMatch>& matches);

}  // namespace docprof::views
