// Plain text into document blocks: paragraphs are separated by blank lines (their lines joined
// with spaces); a paragraph of one short line that looks like a heading becomes one — "Chapter 3",
// "CHAPTER IV.", "Part II", "Appendix A …", "2. Getting Started" / "2 Getting Started" (level 1),
// "2.1 Installing" (level 2) — and so does a line underlined with === (level 1) or --- (level 2).
// Used by the text reader and, per page, by the PDF reader when the PDF has no outline.
//
// Thread safety: stateless functions.
#pragma once

#include <string_view>
#include <vector>

#include "domain/document_outline.h"

namespace docprof::adapters::ingest {

// Appends the blocks of `text` (UTF-8, any line ends) to `out`, each tagged with `page` (0 = none).
// `detect_headings` false: every paragraph is a paragraph.
void append_plain_text_blocks(std::string_view text, int page, bool detect_headings,
                              std::vector<domain::DocumentBlock>& out);

// The heading level of a one-line paragraph (1 or 2), or 0 when it is no heading.
int plain_heading_level(std::string_view line);

}  // namespace docprof::adapters::ingest
