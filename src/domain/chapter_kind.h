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

namespace docprof::domain {

// `index` is the chapter's 0-based position among `count` chapters.
std::string classify_chapter_kind(std::string_view title, int index, int count);

}  // namespace docprof::domain
