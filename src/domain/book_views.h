// BookViews: what a step works out from a run's books alone — the words its sections are matched
// by (ChapterWords, section_sources.h) and the source context shown to a model (source_context.h).
//
// Both are costly (every chapter and section summary of every book is read) and both depend on the
// books only, which change once per run and are shared by the runs that found the same books
// (BookList). The domain asks for them here; the engine answers from a cache kept by book list
// (engine/book_view_cache.h), so each is worked out once per list, not once per step or per part.
// direct_book_views() works each out every time (tests, one-off callers).
//
// Thread safety: implementations must allow const calls from many threads; direct_book_views()
// is stateless.
#pragma once

#include <memory>
#include <string>

#include "domain/book_list.h"

namespace docprof::domain {

class ChapterWords;

class BookViews {
 public:
  virtual ~BookViews() = default;
  // The books' chapter and section words; valid while `books` (or a list sharing them) lives.
  virtual std::shared_ptr<const ChapterWords> chapter_words(const BookList& books) const = 0;
  // build_source_context(books, budget_tokens).
  virtual std::shared_ptr<const std::string> source_context(const BookList& books, int budget_tokens) const = 0;
};

const BookViews& direct_book_views();

}  // namespace docprof::domain
