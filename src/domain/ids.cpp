#include "domain/ids.h"

#include <array>
#include <cstdint>

namespace docprof::domain {
namespace {

// FNV-1a, 64-bit, over the bytes of several fields separated by a 0 byte (so ("ab","c") != ("a","bc")).
std::uint64_t fnv1a(std::uint64_t seed, std::string_view a, std::string_view b) {
  constexpr std::uint64_t kPrime = 0x100000001b3ULL;
  std::uint64_t h = seed;
  for (unsigned char c : a) h = (h ^ c) * kPrime;
  h = (h ^ 0U) * kPrime;
  for (unsigned char c : b) h = (h ^ c) * kPrime;
  // A final avalanche (splitmix64) so nearby names differ in every hex digit.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

}  // namespace

std::string derived_uuid(std::string_view namespace_id, std::string_view name) {
  const std::uint64_t hi = fnv1a(0xcbf29ce484222325ULL, namespace_id, name);
  const std::uint64_t lo = fnv1a(0x84222325cbf29ce4ULL, name, namespace_id);
  std::array<unsigned char, 16> bytes{};
  for (int i = 0; i < 8; ++i) {
    bytes[static_cast<std::size_t>(i)] = static_cast<unsigned char>(hi >> (56 - 8 * i));
    bytes[static_cast<std::size_t>(8 + i)] = static_cast<unsigned char>(lo >> (56 - 8 * i));
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x80);  // version 8
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 9562 variant

  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0x0F];
  }
  return out;
}

}  // namespace docprof::domain
