// Small UTF-8 text utilities for the core: trimming, counting code points, safe prefixes.
// Invalid UTF-8 is never split further; counting treats each invalid byte as one code point.
// Thread safety: stateless.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace docprof::domain {

// Trims ASCII and Unicode white space (incl. U+00A0, U+2000–U+200B, U+3000) from both ends.
std::string trim(std::string_view text);
// Number of Unicode code points.
std::size_t utf8_length(std::string_view text);
// The first max_code_points code points, never cutting a multi-byte sequence.
std::string utf8_prefix(std::string_view text, std::size_t max_code_points);
// True when the text is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);
// Lower-cases ASCII letters only.
std::string ascii_lower(std::string_view text);

}  // namespace docprof::domain
