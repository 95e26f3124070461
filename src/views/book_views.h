// The JSON shape of a library search, shared by `docprof books search --json` and
// GET /books/search: one object per found book, best first —
//   {book_id, title, author, similarity, matched_terms: [word…],
//    chapters: [{chapter, chapter_number, chapter_title, similarity, matched_terms}],
//    chapter_scores: (the same list)}
// `chapters[].chapter` (the CLI's key) and `chapter_scores` (the API's key) are both kept, so
// clients of either keep working; chapters are best first.
//
// Thread safety: stateless.
#pragma once

#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "domain/book_summary.h"

namespace docprof::views {

nlohmann::json book_search_json(const std::vector<domain::BookMatch>& found);

}  // namespace docprof::views
