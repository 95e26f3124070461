// How the run stores keep a run's state: the found books (RunState::books — whole book summaries,
// most of the document, set once per run by the search step) apart from the rest, which every step
// rewrites. The rest is `course_runs.state`; the books are one row of `run_books` (course_id,
// digest, books), written only when they change. Both backends use this codec, so a step reads and
// writes a small document, and books are parsed and serialised once per process and per run rather
// than at every step: a process-wide cache maps a digest to its books and their JSON text (bounded:
// the most recent kCachedBookSets sets).
//
// An ingestion run (issue 14) keeps its document apart the same way: the outline and offline summary
// its parse step read (megabytes for a big book) are its run_books row (a JSON object where a
// course's books are an array), written once and cached like books, so a chapter's step rewrites
// only the small rest.
//
// A state written before the books were kept apart (its "books" inside the document, no run_books
// row) is read as it is.
//
// For the adapters only (it brings nlohmann/json through stored_codec.h).
// Thread safety: the functions may be called from any thread (the cache is locked).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "domain/models.h"

namespace docprof::ports::stored {

inline constexpr std::size_t kCachedBookSets = 32;

// A state split for its columns.
struct StateColumns {
  std::string state;  // JSON of the RunState with "books": []
  // SHA-256 (hex) of `books`; empty when the run has found no books (then no run_books row).
  std::string books_digest;
  // JSON array of the books; null when there are none. Shared with the cache: not copied per step.
  std::shared_ptr<const std::string> books;
};

StateColumns state_to_columns(const domain::RunState& state);
// The same for a record's optional state (nullopt: the state column is NULL, no run_books row).
std::optional<StateColumns> state_columns(const std::optional<domain::RunState>& state);

// The state column of `columns` (nullopt: NULL).
std::optional<std::string> state_text(const std::optional<StateColumns>& columns);

// Whether this process holds the books of `digest` (a store can then leave run_books unread).
bool books_cached(const std::string& digest);
// Empties the cache, as a fresh process has it (tests of the stores' cold reads).
void forget_cached_books();

// The state from its columns. `load_books` is called only when the cache does not hold the books
// of `books_digest`; it returns run_books.books for that digest (nullopt: the row is missing or has
// another digest, which is a corrupt store: std::runtime_error naming `context`).
domain::RunState state_from_columns(const std::string& state_text, const std::string& books_digest,
                                    const std::function<std::optional<std::string>()>& load_books,
                                    std::string_view context);

}  // namespace docprof::ports::stored
