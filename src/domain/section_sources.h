// What each stored section is to be read from (SectionSource), resolved against the run's books
// (RunState::books) when a course is stored. Used by build_course_rows (course_builder.h).
//
// A section's own "Read:" references (SectionDraft::reads) are resolved first: a reference whose
// book (by book_id, else by its title, case-insensitively) and chapter exist becomes a source with
// the book's title, the chapter's title and the section title — in the summary's own spelling when
// one of the chapter's sections matches it case-insensitively, else as given; nullopt when the
// reference names none. References to unknown books or chapters are dropped; duplicates kept once.
//
// A section with no resolvable reference (a remote model's answer gives none) is matched to the
// books by words: its title and objectives against each chapter's title, section titles, topics
// and key concepts (lower-case words minus stop words, plurals folded to their singular). The
// chapter sharing the most distinct words, at least kMinSharedWords, gives one source (ties: the
// higher-ranked book, then the earlier chapter); within it, the section sharing the most words (at
// least kMinSharedWords, ties: the earlier) names the section, else the whole chapter is meant.
// Nothing overlaps enough: no source.
//
// SourceMatcher does that for every section of a course: the books' chapter and section words
// (ChapterWords) are read once, not once per section (a course has dozens of sections, a book
// hundreds of them) — and, given to it by a BookViews cache (book_views.h), once for every run with
// those books.
//
// Thread safety: the functions are stateless; a SourceMatcher is immutable once built (const use
// from any thread), and refers to the books it was built from, which must outlive it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/book_summary.h"
#include "domain/models.h"

namespace docprof::domain {

inline constexpr int kMinSharedWords = 2;

// Every book's chapters' words, in rank then chapter order: what a section is matched by. Refers
// to the books it was read from, which must outlive it.
class ChapterWords {
 public:
  explicit ChapterWords(const std::vector<BookMatch>& books);

 private:
  friend class SourceMatcher;
  using Words = std::vector<std::string>;  // sorted, distinct
  struct Chapter {
    const BookMatch* book;
    const ChapterSummary* chapter;
    Words words;                       // the chapter's title and all its sections'
    std::vector<Words> section_words;  // per section of the chapter
  };
  std::vector<Chapter> chapters_;
};

// The books' words, for finding many sections' sources (see above).
class SourceMatcher {
 public:
  explicit SourceMatcher(const std::vector<BookMatch>& books);  // reads the books' words
  // With the books' words read already (ChapterWords of these very books).
  SourceMatcher(const std::vector<BookMatch>& books, std::shared_ptr<const ChapterWords> words);

  // The section's sources: its resolved reads, or else its best chapter by words.
  std::vector<SectionSource> sources(const SectionDraft& section) const;
  // Only the best chapter by words (and section within it), ignoring the section's reads.
  std::vector<SectionSource> by_words(const SectionDraft& section) const;

 private:
  const std::vector<BookMatch>& books_;
  std::shared_ptr<const ChapterWords> words_;
};

// The section's sources: its resolved reads, or else its best chapter by words (see above).
std::vector<SectionSource> section_sources(const SectionDraft& section, const std::vector<BookMatch>& books);

// Only the resolution of references, in their order (unknown books/chapters dropped, duplicates once).
std::vector<SectionSource> resolve_reads(const std::vector<ReadingRef>& reads, const std::vector<BookMatch>& books);

// The distinct content words of a text: lower-cased ASCII words (bytes >= 0x80 count as letters),
// stop words and one-letter words removed, plurals folded ("companies" -> "company", "flows" ->
// "flow", "classes" -> "class"), in first-seen order.
std::vector<std::string> content_words(std::string_view text);

}  // namespace docprof::domain
