#include "ports/parsed_summaries.h"

#include <list>
#include <mutex>

#include "ports/stored_codec.h"

namespace docprof::ports::stored {
namespace {

struct Parsed {
  std::string book_id;
  std::string text;
  std::shared_ptr<const domain::BookSummary> summary;
};

std::mutex& cache_mutex() {
  static std::mutex mu;
  return mu;
}

std::list<Parsed>& cache() {  // most recently used first
  static std::list<Parsed> entries;
  return entries;
}

}  // namespace

std::shared_ptr<const domain::BookSummary> parsed_summary(const std::string& book_id, const std::string& text,
                                                          std::string_view context) {
  {
    std::lock_guard lock(cache_mutex());
    auto& entries = cache();
    for (auto it = entries.begin(); it != entries.end(); ++it) {
      if (it->book_id == book_id && it->text == text) {
        entries.splice(entries.begin(), entries, it);
        return entries.front().summary;
      }
    }
  }
  // Parsed outside the lock: two searches may parse one text at once, and both keep a result.
  auto summary = std::make_shared<const domain::BookSummary>(from_json_text<domain::BookSummary>(text, context));
  std::lock_guard lock(cache_mutex());
  auto& entries = cache();
  entries.push_front(Parsed{book_id, text, summary});
  while (entries.size() > kParsedSummaries) entries.pop_back();
  return summary;
}

}  // namespace docprof::ports::stored
