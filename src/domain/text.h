// Small text utilities for the core: trimming, counting code points and safe prefixes of UTF-8
// (invalid UTF-8 is never split further; counting treats each invalid byte as one code point), and
// the text of a double for messages and prompts.
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

// Two ways to write a double, as the two uses differ:
// The shortest text that reads back as the same double ("2", "0.1", "1e+09", "-0", "nan", "inf"),
// for messages that must show exactly the value received.
std::string format_double_exact(double value);
// At most max_decimals decimals (rounded), without trailing zeros and without a sign on zero, as a
// person writes hours: "6", "2.5", "0.25", "0.3333" (max_decimals 4), "1000000000", "nan", "inf".
// Meant for moderate magnitudes: the integer part and the decimals must fit 64 characters (as for
// all hours a request accepts).
std::string format_double_trimmed(double value, int max_decimals);

}  // namespace docprof::domain
