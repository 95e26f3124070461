#include "util/decimal_text.h"

#include <cstdlib>
#include <string>

namespace docprof::util {

std::optional<double> parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > 32) return std::nullopt;
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i > start;
  };
  if (!digits()) return std::nullopt;
  if (i < text.size()) {
    if (text[i] != '.') return std::nullopt;
    ++i;
    if (!digits() || i != text.size()) return std::nullopt;
  }
  // strtod reads exactly what was checked above: plain decimal digits and one point.
  const std::string copy(text);
  return std::strtod(copy.c_str(), nullptr);
}

std::optional<double> parse_signed_decimal(std::string_view text) {
  if (!text.empty() && text.front() == '-') {
    const auto magnitude = parse_decimal(text.substr(1));
    if (!magnitude) return std::nullopt;
    return -*magnitude;
  }
  return parse_decimal(text);
}

}  // namespace docprof::util
