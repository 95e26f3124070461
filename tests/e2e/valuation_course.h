// The 6-hour corporate-valuation course of the fixture corpus: a plan of four parts
// (60 + 120 + 90 + 90 = 360 minutes, no review needed) and one answer per part. The crash and lease
// tests make one of its part expansions slow.
#pragma once

#include <string>
#include <vector>

#include "e2e_support.h"

namespace docprof::e2e {

inline constexpr const char* kValuationQuery = "I want to learn corporate valuation";
inline constexpr const char* kValuationHours = "6";
inline constexpr const char* kValuationTitle = "Foundations of Corporate Valuation Course";

// `slow_task` (e.g. "generate_part_sections_0") answers after `delay_ms`.
inline Cassette valuation_cassette(const std::string& slow_task = "", std::int64_t delay_ms = 0) {
  const std::vector<std::pair<std::string, std::string>> answers = {
      {"generate_course_parts", "parts_clean_valuation"},
      {"generate_part_sections_0", "sections_gpt_style_fields"},
      {"generate_part_sections_1", "sections_clean"},
      {"generate_part_sections_2", "sections_bold_part_header"},
      {"generate_part_sections_3", "sections_total_glued"},
  };
  Cassette c;
  for (const auto& [task, fixture] : answers)
    c.answer(task, fixture, task == slow_task ? delay_ms : 0);
  return c;
}

inline std::vector<ExpectedPart> valuation_parts() {
  const json plan = fixture_expected("parts_clean_valuation").at("parts");
  return {part_from_sections(plan[0].at("title"), "sections_gpt_style_fields"),
          part_from_sections(plan[1].at("title"), "sections_clean"),
          part_from_sections(plan[2].at("title"), "sections_bold_part_header"),
          part_from_sections(plan[3].at("title"), "sections_total_glued")};
}

}  // namespace docprof::e2e
