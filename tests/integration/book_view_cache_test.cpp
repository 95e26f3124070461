// BookViewCache: what steps work out from a run's books is worked out once per shared book list,
// read by every copy of the list, never handed to other books (not even at a freed list's
// address), and always what the domain works out itself.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../unit/workflow_test_support.h"
#include "domain/course_builder.h"
#include "domain/section_sources.h"
#include "domain/source_context.h"
#include "engine/book_view_cache.h"

namespace docprof::engine {
namespace {

using namespace docprof::testing;

domain::BookMatch tax_book() {
  domain::BookMatch book;
  book.book_id = "book-tax";
  book.title = "Principles of Taxation";
  book.summary.source_title = book.title;
  book.summary.chapters = {
      {1, "Income Tax Basics", "Taxable income and deductions.",
       {{"Deductions and credits", {"standard deduction", "tax credit"}, {"marginal rate"}, "1-20"}}}};
  return book;
}

domain::SectionDraft draft(const std::string& title, std::vector<std::string> objectives) {
  domain::SectionDraft section;
  section.title = title;
  section.minutes = 30;
  section.objectives = std::move(objectives);
  return section;
}

TEST(BookViewCache, CopiesOfAListShareWhatWasWorkedOutOnce) {
  BookViewCache cache;
  const domain::BookList books{valuation_book(), tax_book()};
  const domain::BookList copy = books;  // as every copy of a run's state holds it
  const auto words = cache.chapter_words(books);
  ASSERT_NE(words, nullptr);
  EXPECT_EQ(cache.chapter_words(copy), words) << "worked out once for the shared vector";
  const auto context = cache.source_context(books, 6000);
  EXPECT_EQ(cache.source_context(copy, 6000), context);
  EXPECT_EQ(*context, domain::build_source_context(books.get(), 6000)) << "what the domain works out itself";
  const auto smaller = cache.source_context(copy, 40);
  EXPECT_NE(smaller, context) << "another budget, another context";
  EXPECT_EQ(*smaller, domain::build_source_context(books.get(), 40));
}

TEST(BookViewCache, EqualBooksInAnotherListAreWorkedOutForThatList) {
  BookViewCache cache;
  const domain::BookList one{valuation_book()};
  const domain::BookList other{valuation_book()};  // equal books, its own vector
  const auto words = cache.chapter_words(one);
  EXPECT_NE(cache.chapter_words(other), words) << "words point into their own list's books";
  const auto wanted = draft("Enterprise DCF", {"Discount free cash flow at the WACC"});
  EXPECT_EQ(domain::SourceMatcher(other.get(), cache.chapter_words(other)).sources(wanted),
            domain::SourceMatcher(one.get(), words).sources(wanted));
}

TEST(BookViewCache, AFreedListsValuesNeverServeOtherBooks) {
  BookViewCache cache;
  const auto tax_section = draft("Deductions", {"Claim the standard deduction and a tax credit"});
  for (int round = 0; round < 50; ++round) {
    // Alternate books in lists made and freed in turn: an allocator often reuses the address.
    const bool valuation = round % 2 == 0;
    const domain::BookList books = valuation ? domain::BookList{valuation_book()} : domain::BookList{tax_book()};
    const auto sources = domain::SourceMatcher(books.get(), cache.chapter_words(books)).sources(tax_section);
    if (valuation) {
      EXPECT_TRUE(sources.empty()) << "round " << round << ": the valuation book has no deductions";
    } else {
      ASSERT_EQ(sources.size(), 1U) << "round " << round;
      EXPECT_EQ(sources[0].book_id, "book-tax");
    }
    EXPECT_EQ(*cache.source_context(books, 6000), domain::build_source_context(books.get(), 6000))
        << "round " << round;
  }
}

TEST(BookViewCache, AListWithNoBooksIsWorkedOutEachTime) {
  BookViewCache cache;
  const domain::BookList none;
  EXPECT_EQ(*cache.source_context(none, 6000), std::string(domain::kNoSourceMaterial));
  const auto sources =
      domain::SourceMatcher(none.get(), cache.chapter_words(none)).sources(draft("Anything", {"Explain it"}));
  EXPECT_TRUE(sources.empty());
}

TEST(BookViewCache, StoredRowsAreTheSameWithOrWithoutIt) {
  BookViewCache cache;
  domain::RunState state = planned_state({{"Valuation", 60}});
  state.books = domain::BookList{valuation_book(), tax_book()};
  domain::Outline outline;
  domain::PartDraft part;
  part.title = "Valuation";
  part.sections = {draft("Enterprise DCF", {"Discount free cash flow at the WACC"}),
                   draft("Deductions", {"Claim the standard deduction and a tax credit"})};
  outline.parts = {part};
  const auto direct = domain::build_course_rows(state, outline, 1'000);
  const auto cached = domain::build_course_rows(state, outline, 1'000, cache);
  ASSERT_EQ(cached.sections.size(), direct.sections.size());
  for (std::size_t i = 0; i < direct.sections.size(); ++i) {
    EXPECT_EQ(cached.sections[i].sources, direct.sections[i].sources) << "row " << i;
  }
  EXPECT_FALSE(cached.sections[1].sources.empty()) << "the DCF section found its chapter";
}

TEST(BookViewCache, ThreadsAskingAtOnceGetOneAnswer) {
  BookViewCache cache;
  const domain::BookList books{valuation_book(), tax_book()};
  std::vector<std::shared_ptr<const domain::ChapterWords>> words(8);
  std::vector<std::shared_ptr<const std::string>> contexts(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < words.size(); ++i) {
    threads.emplace_back([&, i] {
      const domain::BookList copy = books;
      words[i] = cache.chapter_words(copy);
      contexts[i] = cache.source_context(copy, 6000);
    });
  }
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < words.size(); ++i) {
    EXPECT_EQ(words[i], cache.chapter_words(books)) << "thread " << i << ": the kept answer";
    EXPECT_EQ(*contexts[i], domain::build_source_context(books.get(), 6000));
  }
}

}  // namespace
}  // namespace docprof::engine
