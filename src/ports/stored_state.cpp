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

// An ingestion run's document as it was read: its outline and offline summary (megabytes for a
// big book), set once by the parse step and read by every later step.
struct Document {
  domain::DocumentOutline outline;
  domain::BookSummary offline;
  bool operator==(const Document&) const = default;
};

// The document's JSON text: an object, where a course run's books are an array.
std::string document_text(const Document& document) {
  nlohmann::json j{{"outline", document.outline}, {"offline", document.offline}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Document document_from_text(const std::string& text, std::string_view context) {
  try {
    const auto j = nlohmann::json::parse(text);
    return Document{j.at("outline").get<domain::DocumentOutline>(), j.at("offline").get<domain::BookSummary>()};
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string(context) + ": its document is not readable: " + e.what());
  }
}

// The part of a run's state kept apart: an ingestion run's document when it has one, else its books.
bool has_document(const domain::RunState& state) {
  return state.ingest && state.ingest->parsed && !state.ingest->outline.chapters.empty();
}

std::size_t fingerprint(const domain::DocumentOutline& outline) {
  std::size_t seed = std::hash<std::string>{}(outline.title);
  const auto mix = [&seed](std::size_t value) { seed ^= value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2); };
  mix(outline.chapters.size());
  for (const auto& chapter : outline.chapters) {
    mix(std::hash<std::string>{}(chapter.title));
    mix(chapter.sections.size());
  }
  return seed;
}

// A cheap key to find cached books equal to a state's without comparing them all: the books' ids,
// scores and chapter counts.
std::size_t fingerprint(const domain::BookList& books) {
  std::size_t seed = books.size();
  const auto mix = [&seed](std::size_t value) { seed ^= value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2); };
  for (const auto& book : books) {
    mix(std::hash<std::string>{}(book.book_id));
    mix(std::hash<double>{}(book.similarity));
    mix(book.summary.chapters.size());
  }
  return seed;
}

// One cached set: books, or (an ingestion run's) a document.
struct BookSet {
  std::string digest;
  std::size_t fingerprint = 0;
  std::shared_ptr<const std::string> text;
  domain::BookList books;                    // empty for a document
  bool has_books() const { return !books.empty(); }
  std::shared_ptr<const Document> document;  // null for books
};

// The most recently used book sets, first.
class BookSetCache {
 public:
  // The set sharing the books (a state's books as a load restored them: no comparing), or else
  // holding equal ones.
  std::optional<BookSet> by_books(const domain::BookList& books) {
    std::lock_guard lock(mu_);
    for (auto it = sets_.begin(); it != sets_.end(); ++it) {
      if (it->has_books() && it->books.shared() == books.shared()) return touch(it);
    }
    const std::size_t key = fingerprint(books);
    for (auto it = sets_.begin(); it != sets_.end(); ++it) {
      if (it->has_books() && it->fingerprint == key && it->books == books) return touch(it);
    }
    return std::nullopt;
  }

  std::optional<BookSet> by_document(const domain::DocumentOutline& outline, const domain::BookSummary& offline) {
    const std::size_t key = fingerprint(outline);
    std::lock_guard lock(mu_);
    for (auto it = sets_.begin(); it != sets_.end(); ++it) {
      if (it->document && it->fingerprint == key && it->document->outline == outline &&
          it->document->offline == offline) {
        return touch(it);
      }
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

namespace {

// An ingestion run's columns: the state without its document, and the document apart.
StateColumns document_columns(const domain::RunState& state) {
  StateColumns columns;
  {
    domain::RunState light = state;
    light.ingest->outline = {};
    light.ingest->offline = {};
    nlohmann::json json;
    domain::to_json_without_books(json, light);
    columns.state = json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  const domain::IngestState& ingest = *state.ingest;
  if (auto cached = cache().by_document(ingest.outline, ingest.offline)) {
    columns.books_digest = cached->digest;
    columns.books = cached->text;
    return columns;
  }
  BookSet set;
  set.document = std::make_shared<const Document>(Document{ingest.outline, ingest.offline});
  set.text = std::make_shared<const std::string>(document_text(*set.document));
  set.digest = util::sha256_hex(*set.text);
  set.fingerprint = fingerprint(ingest.outline);
  columns.books_digest = set.digest;
  columns.books = set.text;
  cache().put(std::move(set));
  return columns;
}

}  // namespace

StateColumns state_to_columns(const domain::RunState& state) {
  if (has_document(state)) return document_columns(state);
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
  set.books = state.books;  // shared, not copied
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
  // The set kept apart goes back where it came from: an ingestion run's document, or the books.
  const auto restore = [&state](const BookSet& set) {
    if (set.document && state.ingest) {
      state.ingest->outline = set.document->outline;
      state.ingest->offline = set.document->offline;
    } else if (set.has_books()) {
      state.books = set.books;  // shared, not copied
    }
  };
  if (auto cached = cache().by_digest(books_digest)) {
    restore(*cached);
    return state;
  }
  auto text = load_books();
  if (!text) throw std::runtime_error(std::string(context) + ": its books (" + books_digest + ") are missing");
  BookSet set;
  if (!text->empty() && text->front() == '{') {
    set.document = std::make_shared<const Document>(document_from_text(*text, context));
    set.fingerprint = fingerprint(set.document->outline);
  } else {
    set.books = from_json_text<Books>(*text, context);
    set.fingerprint = fingerprint(set.books);
  }
  set.text = std::make_shared<const std::string>(std::move(*text));
  set.digest = books_digest;
  restore(set);
  cache().put(std::move(set));
  return state;
}

}  // namespace docprof::ports::stored
