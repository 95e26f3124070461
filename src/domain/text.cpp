#include "domain/text.h"

#include <charconv>
#include <cstdint>

namespace docprof::domain {
namespace {

// One step of a strict UTF-8 decoder. An ill-formed sequence (overlong form, surrogate, beyond
// U+10FFFF, truncated) consumes exactly one byte so that callers never split it further and every
// invalid byte counts as one code point.
struct Decoded {
  char32_t code_point;
  std::size_t size;
  bool valid;
};

bool in_range(unsigned char byte, unsigned char low, unsigned char high) {
  return byte >= low && byte <= high;
}

Decoded decode(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t offset) -> unsigned char {
    return static_cast<unsigned char>(text[pos + offset]);
  };
  const Decoded invalid{U'\uFFFD', 1, false};
  const unsigned char lead = byte(0);
  if (lead < 0x80) return {lead, 1, true};

  std::size_t size = 0;
  unsigned char second_low = 0x80;
  unsigned char second_high = 0xBF;
  if (in_range(lead, 0xC2, 0xDF)) {
    size = 2;
  } else if (in_range(lead, 0xE0, 0xEF)) {
    size = 3;
    if (lead == 0xE0) second_low = 0xA0;   // overlong
    if (lead == 0xED) second_high = 0x9F;  // surrogates
  } else if (in_range(lead, 0xF0, 0xF4)) {
    size = 4;
    if (lead == 0xF0) second_low = 0x90;   // overlong
    if (lead == 0xF4) second_high = 0x8F;  // beyond U+10FFFF
  } else {
    return invalid;
  }
  if (pos + size > text.size()) return invalid;
  if (!in_range(byte(1), second_low, second_high)) return invalid;
  for (std::size_t i = 2; i < size; ++i) {
    if (!in_range(byte(i), 0x80, 0xBF)) return invalid;
  }

  char32_t cp = lead & (size == 2 ? 0x1Fu : size == 3 ? 0x0Fu : 0x07u);
  for (std::size_t i = 1; i < size; ++i) cp = (cp << 6) | (byte(i) & 0x3Fu);
  return {cp, size, true};
}

bool is_space(char32_t cp) {
  switch (cp) {
    case U'\t':
    case U'\n':
    case U'\v':
    case U'\f':
    case U'\r':
    case U' ':
    case U'\u0085':
    case U'\u00A0':
    case U'\u1680':
    case U'\u2028':
    case U'\u2029':
    case U'\u202F':
    case U'\u205F':
    case U'\u3000':
    case U'\uFEFF':  // a byte-order mark pasted into a form is invisible, so it counts as space
      return true;
    default:
      // U+2000–U+200A are the typographic spaces; U+200B (zero width space) is invisible too.
      return cp >= U'\u2000' && cp <= U'\u200B';
  }
}

}  // namespace

std::string trim(std::string_view text) {
  std::size_t begin = text.size();
  std::size_t end = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const Decoded d = decode(text, pos);
    if (!(d.valid && is_space(d.code_point))) {
      if (begin == text.size()) begin = pos;
      end = pos + d.size;
    }
    pos += d.size;
  }
  if (begin >= end) return {};
  return std::string(text.substr(begin, end - begin));
}

std::size_t utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < text.size(); pos += decode(text, pos).size) ++count;
  return count;
}

std::string utf8_prefix(std::string_view text, std::size_t max_code_points) {
  std::size_t pos = 0;
  for (std::size_t n = 0; n < max_code_points && pos < text.size(); ++n)
    pos += decode(text, pos).size;
  return std::string(text.substr(0, pos));
}

bool is_valid_utf8(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const Decoded d = decode(text, pos);
    if (!d.valid) return false;
    pos += d.size;
  }
  return true;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string format_double_exact(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string format_double_trimmed(double value, int max_decimals) {
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, max_decimals);
  std::string text(buffer, result.ptr);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  return text;
}

}  // namespace docprof::domain
