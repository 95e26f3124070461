#include "engine/book_view_cache.h"

#include <utility>

#include "domain/section_sources.h"
#include "domain/source_context.h"

namespace docprof::engine {

BookViewCache::Entry& BookViewCache::entry_of(const domain::BookList& books) const {
  const std::shared_ptr<const void> key = books.shared();
  for (auto it = entries_.begin(); it != entries_.end();) {
    const auto held = it->books.lock();
    if (!held) {
      it = entries_.erase(it);  // its books are gone: nothing can ask for it again
      continue;
    }
    if (held == key) {
      entries_.splice(entries_.begin(), entries_, it);
      return entries_.front();
    }
    ++it;
  }
  entries_.push_front(Entry{key, nullptr, {}});
  if (entries_.size() > kLists) entries_.pop_back();
  return entries_.front();
}

std::shared_ptr<const domain::ChapterWords> BookViewCache::chapter_words(const domain::BookList& books) const {
  if (books.empty()) return domain::direct_book_views().chapter_words(books);
  {
    std::lock_guard lock(mu_);
    if (auto words = entry_of(books).words) return words;
  }
  auto words = domain::direct_book_views().chapter_words(books);
  std::lock_guard lock(mu_);
  Entry& entry = entry_of(books);
  if (!entry.words) entry.words = std::move(words);
  return entry.words;
}

std::shared_ptr<const std::string> BookViewCache::source_context(const domain::BookList& books,
                                                                 int budget_tokens) const {
  if (books.empty()) return domain::direct_book_views().source_context(books, budget_tokens);
  {
    std::lock_guard lock(mu_);
    const Entry& entry = entry_of(books);
    const auto found = entry.contexts.find(budget_tokens);
    if (found != entry.contexts.end()) return found->second;
  }
  auto context = domain::direct_book_views().source_context(books, budget_tokens);
  std::lock_guard lock(mu_);
  Entry& entry = entry_of(books);
  const auto found = entry.contexts.find(budget_tokens);
  if (found != entry.contexts.end()) return found->second;
  if (entry.contexts.size() < kBudgetsPerList) entry.contexts.emplace(budget_tokens, context);
  return context;
}

}  // namespace docprof::engine
