// The one rule for numbers given as text, by API clients ("hours": "2.5") and on the command line
// (--hours 2.5): digits, optionally a point and more digits — ^[0-9]+(\.[0-9]+)?$ — read as a
// decimal. No sign, exponent, hex ("0x10"), octal reading of leading zeros, spaces, "inf" or "nan".
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string_view>

namespace docprof::util {

// The value of `text` when it matches ^[0-9]+(\.[0-9]+)?$ (at most 32 characters), else nullopt.
std::optional<double> parse_decimal(std::string_view text);

// parse_decimal, also accepting one leading '-' (for options whose range includes negatives).
std::optional<double> parse_signed_decimal(std::string_view text);

}  // namespace docprof::util
