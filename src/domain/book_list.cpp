#include "domain/book_list.h"

namespace docprof::domain {

BookList::BookList(std::vector<BookMatch> books) {
  if (!books.empty()) books_ = std::make_shared<const std::vector<BookMatch>>(std::move(books));
}

BookList::BookList(std::shared_ptr<const std::vector<BookMatch>> books) : books_(std::move(books)) {
  if (books_ && books_->empty()) books_.reset();
}

const std::vector<BookMatch>& BookList::get() const {
  static const std::vector<BookMatch> none;
  return books_ ? *books_ : none;
}

void BookList::push_back(BookMatch book) {
  std::vector<BookMatch> books = get();
  books.push_back(std::move(book));
  books_ = std::make_shared<const std::vector<BookMatch>>(std::move(books));
}

bool BookList::operator==(const BookList& other) const {
  if (books_ == other.books_) return true;
  return get() == other.get();
}

}  // namespace docprof::domain
