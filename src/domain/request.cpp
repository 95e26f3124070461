#include "domain/request.h"

#include <cmath>

#include "domain/text.h"

namespace docprof::domain {
namespace {

constexpr std::size_t kMaxStyleCodePoints = 200;
constexpr std::size_t kMaxNotesCodePoints = 2000;
constexpr std::string_view kDefaultStyle = "conversational";

Error invalid(std::string message) {
  return Error{"invalid_request", std::move(message)};
}

// A free-text field: valid UTF-8, trimmed, at most max_code_points.
Result<std::string> text_field(std::string_view name, std::string_view raw,
                               std::size_t max_code_points) {
  if (!is_valid_utf8(raw)) return invalid(std::string(name) + " is not valid UTF-8");
  std::string value = trim(raw);
  const std::size_t length = utf8_length(value);
  if (length > max_code_points) {
    return invalid(std::string(name) + " is too long: " + std::to_string(length) +
                   " characters (at most " + std::to_string(max_code_points) + ")");
  }
  return value;
}

// An enum field: absent or blank takes the default; otherwise trimmed and lower-cased, so
// "Technical" from a form is accepted, while an unknown name is an error listing the accepted ones.
template <class Enum, class Parse>
Result<Enum> enum_field(const std::optional<std::string>& raw, Enum fallback, Parse parse) {
  if (!raw) return fallback;
  const std::string name = ascii_lower(trim(*raw));
  if (name.empty()) return fallback;
  return parse(name);
}

}  // namespace

Result<CourseRequest> validate_course_request(const RawCourseRequest& raw) {
  CourseRequest request;

  auto query = text_field("query", raw.query, kMaxQueryCodePoints);
  if (!query) return query.error();
  if (query->empty()) return invalid("query is empty");
  request.query = std::move(query).value();

  request.hours = raw.hours.value_or(kDefaultHours);
  if (!std::isfinite(request.hours) || request.hours < kMinHours || request.hours > kMaxHours) {
    // The received value exactly as it is ("1e+09", "nan", "inf").
    return invalid("hours must be between " + format_double_exact(kMinHours) + " and " +
                   format_double_exact(kMaxHours) + " (got " + format_double_exact(request.hours) +
                   ")");
  }

  auto depth = enum_field(raw.depth, Depth::balanced, parse_depth);
  if (!depth) return depth.error();
  request.preferences.depth = *depth;

  auto pace = enum_field(raw.pace, Pace::moderate, parse_pace);
  if (!pace) return pace.error();
  request.preferences.pace = *pace;

  auto style =
      text_field("presentation_style", raw.presentation_style.value_or(""), kMaxStyleCodePoints);
  if (!style) return style.error();
  request.preferences.presentation_style =
      style->empty() ? std::string(kDefaultStyle) : std::move(style).value();

  auto notes =
      text_field("additional_notes", raw.additional_notes.value_or(""), kMaxNotesCodePoints);
  if (!notes) return notes.error();
  request.preferences.additional_notes = std::move(notes).value();

  return request;
}

}  // namespace docprof::domain
