// Chapter kinds of an ingested book, from a chapter's title and its position: front matter
// (preface, foreword, contents, acknowledgements, copyright, dedication, …), index, appendix
// (including "Appendix B" and letter-numbered entries "A. …"); a numbered entry is never the index, back matter (bibliography, glossary,
// colophon, notes, …), otherwise a chapter. A licence, credits or "about" entry is front matter
// before the middle of the book and back matter after it. The course planner leaves front and back
// matter and indexes out of courses.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace docprof::domain {

// `index` is the chapter's 0-based position among `count` chapters. In a `numbered_book` (most
// chapters start with a number, "3 Data Types"), an entry in the second half numbered by a letter
// the way texinfo numbers appendices ("B Test Functions") is an appendix.
std::string classify_chapter_kind(std::string_view title, int index, int count, bool numbered_book = false);

// True when at least half of the titles (and at least three) start with a digit.
bool is_numbered_book(const std::vector<std::string>& titles);

}  // namespace docprof::domain
