#include "adapters/postgres/pg_codec.h"

#include <charconv>
#include <chrono>

namespace docprof::adapters::postgres {
namespace {

// Reads exactly `digits` decimal digits at `at`, advancing it.
std::optional<int> read_digits(std::string_view text, std::size_t& at, std::size_t digits) {
  if (at + digits > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const char c = text[at + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  at += digits;
  return value;
}

bool take(std::string_view text, std::size_t& at, char c) {
  if (at < text.size() && text[at] == c) {
    ++at;
    return true;
  }
  return false;
}

}  // namespace

std::string text_array(const std::vector<std::string>& values) {
  std::string out = "{";
  for (const auto& value : values) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char c : value) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::optional<std::int64_t> parse_iso8601_ms(std::string_view text) {
  using namespace std::chrono;
  std::size_t at = 0;
  const auto y = read_digits(text, at, 4);
  if (!y || !take(text, at, '-')) return std::nullopt;
  const auto mo = read_digits(text, at, 2);
  if (!mo || !take(text, at, '-')) return std::nullopt;
  const auto d = read_digits(text, at, 2);
  if (!d) return std::nullopt;
  const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  std::int64_t ms = duration_cast<milliseconds>(sys_days{date}.time_since_epoch()).count();
  if (at == text.size()) return ms;
  if (!take(text, at, 'T') && !take(text, at, ' ')) return std::nullopt;
  const auto h = read_digits(text, at, 2);
  if (!h || *h > 23 || !take(text, at, ':')) return std::nullopt;
  const auto mi = read_digits(text, at, 2);
  if (!mi || *mi > 59) return std::nullopt;
  int seconds = 0;
  int millis = 0;
  if (take(text, at, ':')) {
    const auto s = read_digits(text, at, 2);
    if (!s || *s > 59) return std::nullopt;
    seconds = *s;
    if (take(text, at, '.')) {
      int scale = 100;
      std::size_t fraction_digits = 0;
      while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
        millis += (text[at] - '0') * scale;
        scale /= 10;
        ++at;
        ++fraction_digits;
      }
      if (fraction_digits == 0) return std::nullopt;
    }
  }
  ms += ((static_cast<std::int64_t>(*h) * 60 + *mi) * 60 + seconds) * 1000 + millis;
  if (at == text.size() || take(text, at, 'Z')) return at == text.size() ? std::optional(ms) : std::nullopt;
  const bool east = text[at] == '+';
  if (!east && text[at] != '-') return std::nullopt;
  ++at;
  const auto zh = read_digits(text, at, 2);
  if (!zh || *zh > 23) return std::nullopt;
  take(text, at, ':');
  const auto zm = read_digits(text, at, 2);
  if (!zm || *zm > 59 || at != text.size()) return std::nullopt;
  const std::int64_t offset = (static_cast<std::int64_t>(*zh) * 60 + *zm) * 60'000;
  return east ? ms - offset : ms + offset;
}

}  // namespace docprof::adapters::postgres
