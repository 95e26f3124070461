// Parsers for model answers (domain.md §4): the parts list, one part's sections, a whole outline,
// and durations. Tolerant of the decoration models add, loud when nothing usable is found.
//
// A failure is an Error with code "unparseable_output" and a message fit for a repair prompt
// (what was expected, what was found). Thread safety: stateless.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/models.h"
#include "domain/result.h"

namespace docprof::domain {

// "45 minutes", "45 min", "45 mins", "45m", "(45 mins)", "1 hour 15 minutes", "1.5 hours",
// "1h 30m", "2 hours" -> minutes (rounded to the nearest minute). nullopt when no duration is found.
std::optional<int> parse_duration_minutes(std::string_view text);

struct PartsParse {
  std::optional<std::string> course_title;  // from an optional "Course title: …" line
  std::vector<PartPlan> parts;              // at least one
  std::optional<int> stated_total;          // the "Total: N minutes" line, if any
  std::vector<CourseNote> notes;            // "Note: …" lines, in answer order
};
// "Part N: <title> - <minutes> minutes" lines. A "Total: …" line is never a part, nor is a
// "Note[ (<kind>[: <topic>])]: <message>" line (reference_lines.h), which becomes a CourseNote.
Result<PartsParse> parse_parts(std::string_view text);

struct SectionsParse {
  std::optional<std::string> part_title;  // from a "## Part n: <title>" header, if any
  std::vector<SectionDraft> sections;     // at least one, and at least one with minutes > 0
  std::optional<int> stated_total;        // "Total for this part: N minutes", if any
};
// One part's sections ("### Section k: <title> - <minutes> minutes" + objectives, and optional
// "Read: <book_id> ch <n>[ § <section>]" lines, which fill SectionDraft::reads).
Result<SectionsParse> parse_sections(std::string_view text);

// A whole outline (the review's answer): "## Part n: <title>" headers, each followed by its sections.
// Sections before any part header belong to an untitled first part. At least one section with
// minutes > 0 in total. PartDraft::minutes is the sum of the part's sections.
Result<Outline> parse_outline(std::string_view text);

// Deterministic fixes after parsing (domain.md §4), each returned as a warning for the history:
// a section with 0 minutes gets 15; a section with fewer than 2 objectives is noted.
std::vector<std::string> normalize_sections(std::vector<SectionDraft>& sections);
// Parts over 120 minutes are allowed but noted.
std::vector<std::string> check_parts(const std::vector<PartPlan>& parts);

}  // namespace docprof::domain
