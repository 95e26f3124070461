// The library's book summaries as parsed from their stored JSON text (books.summary_json), kept for
// the searches of this process. A search hands back the summaries of the books it found, and
// parsing a big book's summary costs many times more than reading its text; the same books are
// found again and again. An entry is used only for the very text it was parsed from (a replaced
// book's new summary is parsed anew); the most recently used are kept.
//
// Thread safety: safe from any thread; the summaries handed out are immutable.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "domain/book_summary.h"

namespace docprof::ports::stored {

inline constexpr std::size_t kParsedSummaries = 64;

// The summary `text` of book `book_id`, parsed (from_json_text's errors, naming `context`).
std::shared_ptr<const domain::BookSummary> parsed_summary(const std::string& book_id, const std::string& text,
                                                          std::string_view context);

}  // namespace docprof::ports::stored
