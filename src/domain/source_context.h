// The source context shown to a model: a compact digest of the found books within a token budget
// (domain.md §3) — most relevant books first, and within a book its most relevant chapters
// (by BookMatch::chapter_scores, then book order), with chapter summaries, topics and key concepts.
// Never the summaries' raw JSON. Each book's line ends with "[book_id: <id>]" and each chapter
// line starts "Ch <n>: ", so a model can cite them in "Read: <book_id> ch <n>" lines.
// Thread safety: stateless.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/book_summary.h"

namespace docprof::domain {

inline constexpr std::string_view kNoSourceMaterial = "No source material available";

// Rough token count used for budgets: ceil(bytes / 4).
int estimate_tokens(std::string_view text);

// The digest of books, at most budget_tokens (estimate_tokens) long; kNoSourceMaterial when
// there are no books. Always includes at least each book's title line while the budget allows.
std::string build_source_context(const std::vector<BookMatch>& books, int budget_tokens);

}  // namespace docprof::domain
