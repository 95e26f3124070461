#include "adapters/postgres/pg_codec.h"

#include <charconv>
#include <chrono>

namespace docprof::adapters::postgres {
namespace {

[[noreturn]] void unknown_name(std::string_view what, std::string_view name, std::string_view context) {
  throw std::runtime_error(std::string(context) + ": unknown " + std::string(what) + " '" +
                           std::string(name) + "'");
}

template <class T>
T checked(const domain::Result<T>& result, std::string_view context) {
  if (!result) throw std::runtime_error(std::string(context) + ": " + result.error().message);
  return *result;
}

}  // namespace

std::string envelope_to_text(const domain::Envelope& event) { return to_json_text(event); }

domain::Envelope envelope_from_text(const std::string& text, std::string_view context) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(std::string(context) + ": unreadable event JSON: " + error.what());
  }
  return checked(domain::envelope_from_json(document), context);
}

ports::RunStatus parse_run_status(std::string_view name, std::string_view context) {
  for (auto status : {ports::RunStatus::processing, ports::RunStatus::complete, ports::RunStatus::error}) {
    if (ports::to_string(status) == name) return status;
  }
  unknown_name("run status", name, context);
}

ports::HistoryKind parse_history_kind(std::string_view name, std::string_view context) {
  for (auto kind : {ports::HistoryKind::step, ports::HistoryKind::note, ports::HistoryKind::complete,
                    ports::HistoryKind::error}) {
    if (ports::to_string(kind) == name) return kind;
  }
  unknown_name("history kind", name, context);
}

domain::Phase phase_from_name(std::string_view name, std::string_view context) {
  return checked(domain::parse_phase(name), context);
}

domain::SectionStatus section_status_from_name(std::string_view name, std::string_view context) {
  return checked(domain::parse_section_status(name), context);
}

domain::CourseStatus course_status_from_name(std::string_view name, std::string_view context) {
  return checked(domain::parse_course_status(name), context);
}

std::string_view to_string(ports::VectorKind kind) {
  switch (kind) {
    case ports::VectorKind::book:
      return "book";
    case ports::VectorKind::chapter:
      return "chapter";
    case ports::VectorKind::section:
      return "section";
  }
  return "book";
}

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

std::optional<std::int64_t> parse_row_id(std::string_view text) {
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return id;
}

}  // namespace docprof::adapters::postgres
