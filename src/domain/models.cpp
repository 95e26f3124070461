#include "domain/models.h"

#include <array>
#include <string>

namespace docprof::domain {
namespace {

template <class Enum, std::size_t N>
Result<Enum> parse_enum(std::string_view what, std::string_view name,
                        const std::array<std::pair<std::string_view, Enum>, N>& names) {
  std::string accepted;
  for (const auto& [text, value] : names) {
    if (text == name) return value;
    if (!accepted.empty()) accepted += ", ";
    accepted += text;
  }
  return Error{"invalid_request", "unknown " + std::string(what) + " '" + std::string(name) +
                                      "' (expected one of: " + accepted + ")"};
}

constexpr std::array<std::pair<std::string_view, Depth>, 4> kDepths{{{"overview", Depth::overview},
                                                                    {"balanced", Depth::balanced},
                                                                    {"technical", Depth::technical},
                                                                    {"expert", Depth::expert}}};
constexpr std::array<std::pair<std::string_view, Pace>, 3> kPaces{
    {{"quick", Pace::quick}, {"moderate", Pace::moderate}, {"thorough", Pace::thorough}}};
constexpr std::array<std::pair<std::string_view, CourseStatus>, 3> kCourseStatuses{
    {{"active", CourseStatus::active}, {"completed", CourseStatus::completed}, {"archived", CourseStatus::archived}}};
constexpr std::array<std::pair<std::string_view, SectionStatus>, 3> kSectionStatuses{
    {{"not_started", SectionStatus::not_started},
     {"in_progress", SectionStatus::in_progress},
     {"completed", SectionStatus::completed}}};
constexpr std::array<std::pair<std::string_view, Phase>, 11> kPhases{{{"initializing", Phase::initializing},
                                                                    {"searching_books", Phase::searching_books},
                                                                    {"generating_parts", Phase::generating_parts},
                                                                    {"generating_sections", Phase::generating_sections},
                                                                    {"reviewing_outline", Phase::reviewing_outline},
                                                                    {"storing", Phase::storing},
                                                                    {"complete", Phase::complete},
                                                                    {"error", Phase::error},
                                                                    {"revising", Phase::revising},
                                                                    {"parsing", Phase::parsing},
                                                                    {"summarizing", Phase::summarizing}}};

template <class Enum, std::size_t N>
std::string_view name_of(Enum value, const std::array<std::pair<std::string_view, Enum>, N>& names) {
  for (const auto& [text, v] : names) {
    if (v == value) return text;
  }
  return "unknown";
}

}  // namespace

std::string_view to_string(Depth v) { return name_of(v, kDepths); }
std::string_view to_string(Pace v) { return name_of(v, kPaces); }
std::string_view to_string(CourseStatus v) { return name_of(v, kCourseStatuses); }
std::string_view to_string(SectionStatus v) { return name_of(v, kSectionStatuses); }
std::string_view to_string(Phase v) { return name_of(v, kPhases); }

Result<Depth> parse_depth(std::string_view s) { return parse_enum("depth", s, kDepths); }
Result<Pace> parse_pace(std::string_view s) { return parse_enum("pace", s, kPaces); }
Result<CourseStatus> parse_course_status(std::string_view s) { return parse_enum("course status", s, kCourseStatuses); }
Result<SectionStatus> parse_section_status(std::string_view s) {
  return parse_enum("section status", s, kSectionStatuses);
}
Result<Phase> parse_phase(std::string_view s) { return parse_enum("phase", s, kPhases); }

int PartDraft::section_minutes() const {
  int sum = 0;
  for (const auto& s : sections) sum += s.minutes;
  return sum;
}

int Outline::total_minutes() const {
  int sum = 0;
  for (const auto& p : parts) sum += p.section_minutes();
  return sum;
}

int Outline::section_count() const {
  int n = 0;
  for (const auto& p : parts) n += static_cast<int>(p.sections.size());
  return n;
}

TokenUsage& TokenUsage::operator+=(const TokenUsage& other) {
  input_tokens += other.input_tokens;
  output_tokens += other.output_tokens;
  calls += other.calls;
  return *this;
}

}  // namespace docprof::domain
