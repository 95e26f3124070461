#include "domain/book_views.h"

#include "domain/section_sources.h"
#include "domain/source_context.h"

namespace docprof::domain {
namespace {

class DirectBookViews final : public BookViews {
 public:
  std::shared_ptr<const ChapterWords> chapter_words(const BookList& books) const override {
    return std::make_shared<const ChapterWords>(books.get());
  }
  std::shared_ptr<const std::string> source_context(const BookList& books, int budget_tokens) const override {
    return std::make_shared<const std::string>(build_source_context(books.get(), budget_tokens));
  }
};

}  // namespace

const BookViews& direct_book_views() {
  static const DirectBookViews views;
  return views;
}

}  // namespace docprof::domain
