// BookList: the books a run found (best first, with the summaries used), as RunState keeps them.
//
// A run's state is copied at every step (decided, committed, cached by the stores); its books —
// summaries of every chapter and section of each — are most of it, and change once per run. A
// BookList shares one immutable vector among its copies: a copy costs a reference count, and two
// lists sharing their vector compare equal without reading it. Changing a list (assigning,
// clear, push_back) gives it a vector of its own (copy on write); the shared one never changes.
//
// Thread safety: a value type. Distinct BookList objects may be used from any threads while
// sharing their books; one object is not to be changed while another thread reads it.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <vector>

#include "domain/book_summary.h"

namespace docprof::domain {

class BookList {
 public:
  using value_type = BookMatch;
  using const_iterator = std::vector<BookMatch>::const_iterator;
  using iterator = const_iterator;  // read only: change a list through its members below

  BookList() = default;
  BookList(std::vector<BookMatch> books);  // NOLINT(google-explicit-constructor): a list is its books
  BookList(std::initializer_list<BookMatch> books) : BookList(std::vector<BookMatch>(books)) {}
  // Shares books already held elsewhere (a store's cache of the books it read).
  explicit BookList(std::shared_ptr<const std::vector<BookMatch>> books);

  const std::vector<BookMatch>& get() const;
  operator const std::vector<BookMatch>&() const { return get(); }  // NOLINT(google-explicit-constructor)
  // The shared vector (null when the list is empty), for a cache to keep and share again.
  const std::shared_ptr<const std::vector<BookMatch>>& shared() const { return books_; }

  const_iterator begin() const { return get().begin(); }
  const_iterator end() const { return get().end(); }
  std::size_t size() const { return books_ ? books_->size() : 0; }
  bool empty() const { return size() == 0; }
  const BookMatch& operator[](std::size_t i) const { return (*books_)[i]; }
  const BookMatch& front() const { return books_->front(); }

  void clear() { books_.reset(); }
  void push_back(BookMatch book);

  // The same books: at once when both share one vector, else book by book.
  bool operator==(const BookList& other) const;
  bool operator==(const std::vector<BookMatch>& other) const { return get() == other; }

 private:
  std::shared_ptr<const std::vector<BookMatch>> books_;  // null: no books
};

}  // namespace docprof::domain
