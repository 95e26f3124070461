// BookList: a run's books shared among the copies of its state — copies share one vector, changes
// copy it first, equality holds between shared and separately made equal lists, and JSON sees a
// plain array.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "domain/book_list.h"
#include "domain/models.h"
#include "domain/models_json.h"

namespace docprof::domain {
namespace {

BookMatch book(const std::string& id) {
  BookMatch match;
  match.book_id = id;
  match.title = "Book " + id;
  ChapterSummary chapter;
  chapter.chapter_number = 1;
  chapter.chapter_title = "Chapter of " + id;
  match.summary.chapters.push_back(chapter);
  return match;
}

TEST(BookList, ACopySharesTheBooksAndAChangeCopiesThemFirst) {
  const BookList first = {book("a"), book("b")};
  BookList second = first;
  EXPECT_EQ(first.shared(), second.shared()) << "a copy costs a reference count";
  EXPECT_EQ(second, first);

  second.push_back(book("c"));
  EXPECT_NE(first.shared(), second.shared());
  ASSERT_EQ(first.size(), 2U);
  ASSERT_EQ(second.size(), 3U);
  EXPECT_EQ(second[2].book_id, "c");
  EXPECT_EQ(second.front().book_id, "a");
  EXPECT_NE(second, first);

  second.clear();
  EXPECT_TRUE(second.empty());
  EXPECT_EQ(second.begin(), second.end());
  EXPECT_EQ(first.size(), 2U) << "the shared books never change";
}

TEST(BookList, ListsMadeApartFromEqualBooksAreEqual) {
  const BookList one = std::vector<BookMatch>{book("a")};
  const BookList other = {book("a")};
  EXPECT_NE(one.shared(), other.shared());
  EXPECT_EQ(one, other);
  EXPECT_TRUE(one == std::vector<BookMatch>{book("a")});
  EXPECT_EQ(BookList{}, BookList(std::vector<BookMatch>{})) << "empty either way";
  EXPECT_EQ(BookList(std::vector<BookMatch>{}).shared(), nullptr);
}

TEST(BookList, ARunStatesBooksAreAPlainJsonArrayBothWays) {
  RunState state;
  state.course_id = "c1";
  state.books = {book("a"), book("b")};
  const nlohmann::json j = state;
  ASSERT_TRUE(j.at("books").is_array());
  EXPECT_EQ(j.at("books").size(), 2U);
  EXPECT_EQ(j.at("books")[1].at("book_id"), "b");
  const auto back = j.get<RunState>();
  EXPECT_EQ(back.books, state.books);
  EXPECT_EQ(back, state);
}

}  // namespace
}  // namespace docprof::domain
