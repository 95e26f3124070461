// BookViewCache: the engine's domain::BookViews — what is worked out from a run's books alone (the
// words its sections are matched by, the source context its prompts show), kept by book list so
// that each is worked out once per list and not at every step that needs it.
//
// A list is known by its shared vector (domain::BookList::shared): every copy of a run's state, and
// every run a store's cache gave the same books, shares it. An entry holds the vector only weakly
// and is used only while the vector lives, so a freed vector's address, reused, never finds it. At
// most kLists lists are kept (the most recently used); a list with no books is never kept.
//
// Thread safety: safe from any thread. A value is worked out outside the lock; two threads asking
// for a new one at once may both work it out, and the first one kept is what both later read.
#pragma once

#include <cstddef>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "domain/book_views.h"

namespace docprof::engine {

class BookViewCache final : public domain::BookViews {
 public:
  static constexpr std::size_t kLists = 32;
  static constexpr std::size_t kBudgetsPerList = 4;

  std::shared_ptr<const domain::ChapterWords> chapter_words(const domain::BookList& books) const override;
  std::shared_ptr<const std::string> source_context(const domain::BookList& books, int budget_tokens) const override;

 private:
  struct Entry {
    std::weak_ptr<const void> books;  // the shared vector the values were worked out from
    std::shared_ptr<const domain::ChapterWords> words;
    std::map<int, std::shared_ptr<const std::string>> contexts;  // by budget
  };
  // The live entry of `books`, made most recent (a new one if none); under mu_.
  Entry& entry_of(const domain::BookList& books) const;

  mutable std::mutex mu_;
  mutable std::list<Entry> entries_;  // most recently used first
};

}  // namespace docprof::engine
