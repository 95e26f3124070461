// Validation of a learner's course request, shared by the CLI and the HTTP API (domain.md §8):
// query 1–4000 code points after trimming, hours in [0.25, 100] and finite, known enum values.
// Thread safety: stateless.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/models.h"
#include "domain/result.h"

namespace docprof::domain {

inline constexpr std::size_t kMaxQueryCodePoints = 4000;
inline constexpr double kMinHours = 0.25;
inline constexpr double kMaxHours = 100.0;
inline constexpr double kDefaultHours = 2.0;

struct CourseRequest {
  std::string query;  // trimmed
  double hours = kDefaultHours;
  Preferences preferences;
  bool operator==(const CourseRequest&) const = default;
};

// Raw inputs as a face received them; absent fields take their defaults.
struct RawCourseRequest {
  std::string query;
  std::optional<double> hours;
  std::optional<std::string> depth;
  std::optional<std::string> pace;
  std::optional<std::string> presentation_style;
  std::optional<std::string> additional_notes;
};

// Errors have code "invalid_request" and a specific message ("query is empty",
// "hours must be between 0.25 and 100 (got 0)", "unknown depth 'deep' (expected one of: …)").
Result<CourseRequest> validate_course_request(const RawCourseRequest& raw);

}  // namespace docprof::domain
