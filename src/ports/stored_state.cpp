#include "ports/stored_state.h"

#include <functional>
#include <list>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "ports/stored_codec.h"
#include "util/digest.h"

namespace docprof::ports::stored {
namespace {

using Books = std::vector<domain::BookMatch>;

// A cheap key to find cached books equal to a state's without comparing them all: the books' ids,
// scores and chapter counts.
std::size_t fingerprint(const Books& books) {
  std::size_t seed = books.size();
  const auto mix = [&seed](std::size_t value) { seed ^= value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2); };
  for (const auto& book : books) {
    mix(std::hash<std::string>{}(book.book_id));
    mix(std::hash<double>{}(book.similarity));
    mix(book.summary.chapters.size());
  }
  return seed;
}

struct BookSet {
  std::string digest;
  std::size_t fingerprint = 0;
  std::shared_ptr<const std::string> text;
  std::shared_ptr<const Books> books;
};

// The most recently used book sets, first.
class BookSetCache {
 public:
  std::optional<BookSet> by_books(const Books& books) {
    const std::size_t key = fingerprint(books);
    std::lock_guard lock(mu_);
    for (auto it = sets_.begin(); it != sets_.end(); ++it) {
      if (it->fingerprint == key && *it->books == books) return touch(it);
    }
    return std::nullopt;
  }

  std::optional<BookSet> by_digest(const std::string& digest) {
    std::lock_guard lock(mu_);
    for (auto it = sets_.begin(); it != sets_.end(); ++it) {
      if (it->digest == digest) return touch(it);
    }
    return std::nullopt;
  }

  void clear() {
    std::lock_guard lock(mu_);
    sets_.clear();
  }

  void put(BookSet set) {
    std::lock_guard lock(mu_);
    for (auto it = sets_.begin(); it != sets_.end(); ++it) {
      if (it->digest == set.digest) {
        sets_.erase(it);
        break;
      }
    }
    sets_.push_front(std::move(set));
    if (sets_.size() > kCachedBookSets) sets_.pop_back();
  }

 private:
  BookSet touch(std::list<BookSet>::iterator it) {
    sets_.splice(sets_.begin(), sets_, it);
    return sets_.front();
  }

  std::mutex mu_;
  std::list<BookSet> sets_;
};

BookSetCache& cache() {
  static BookSetCache instance;
  return instance;
}

}  // namespace

StateColumns state_to_columns(const domain::RunState& state) {
  StateColumns columns;
  nlohmann::json document;
  domain::to_json_without_books(document, state);
  columns.state = document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (state.books.empty()) return columns;
  if (auto cached = cache().by_books(state.books)) {
    columns.books_digest = cached->digest;
    columns.books = cached->text;
    return columns;
  }
  BookSet set;
  set.text = std::make_shared<const std::string>(to_json_text(state.books));
  set.digest = util::sha256_hex(*set.text);
  set.fingerprint = fingerprint(state.books);
  set.books = std::make_shared<const Books>(state.books);
  columns.books_digest = set.digest;
  columns.books = set.text;
  cache().put(std::move(set));
  return columns;
}

std::optional<StateColumns> state_columns(const std::optional<domain::RunState>& state) {
  if (!state) return std::nullopt;
  return state_to_columns(*state);
}

std::optional<std::string> state_text(const std::optional<StateColumns>& columns) {
  if (!columns) return std::nullopt;
  return columns->state;
}

bool books_cached(const std::string& digest) { return cache().by_digest(digest).has_value(); }

void forget_cached_books() { cache().clear(); }

domain::RunState state_from_columns(const std::string& state_text, const std::string& books_digest,
                                    const std::function<std::optional<std::string>()>& load_books,
                                    std::string_view context) {
  domain::RunState state = from_json_text<domain::RunState>(state_text, context);
  if (books_digest.empty()) return state;  // no books, or a state written with its books inside
  if (auto cached = cache().by_digest(books_digest)) {
    state.books = *cached->books;
    return state;
  }
  auto text = load_books();
  if (!text) throw std::runtime_error(std::string(context) + ": its books (" + books_digest + ") are missing");
  BookSet set;
  set.books = std::make_shared<const Books>(from_json_text<Books>(*text, context));
  set.text = std::make_shared<const std::string>(std::move(*text));
  set.digest = books_digest;
  set.fingerprint = fingerprint(*set.books);
  state.books = *set.books;
  cache().put(std::move(set));
  return state;
}

}  // namespace docprof::ports::stored
