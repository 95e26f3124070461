// Embedder compatibility: vectors made by one embedding model are not comparable with a query
// embedded by another, so a search over a library (partly) embedded with another model would
// silently miss books. This check turns that into a clear refusal that says how to fix it.
//
// Thread safety: pure function.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace docprof::engine {

// The refusal message when any book's vectors were made with a model other than `model`
// (books_per_model: embedding model -> number of books); nullopt when the library is empty or
// every book matches.
std::optional<std::string> embedder_mismatch(const std::map<std::string, int>& books_per_model,
                                             const std::string& model);

inline constexpr const char* kEmbedderMismatch = "embedder_mismatch";

}  // namespace docprof::engine
