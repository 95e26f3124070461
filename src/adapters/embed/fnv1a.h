// fnv1a64: the 64-bit FNV-1a hash, fixed forever for the hashing embedder (changing it changes
// every stored vector, so it would need a new model name).
//
// Thread safety: pure function.
#pragma once

#include <cstdint>
#include <string_view>

namespace docprof::adapters::embed {

inline constexpr std::uint64_t kFnvOffsetBasis = 14695981039346656037ULL;
inline constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

constexpr std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t hash = kFnvOffsetBasis;
  for (const char c : bytes) {
    hash ^= static_cast<std::uint8_t>(c);
    hash *= kFnvPrime;
  }
  return hash;
}

}  // namespace docprof::adapters::embed
