// The outline a revision starts from (issue 17): the stored course's parts and sections as drafts,
// each section marked completed or not, and its text for the courses.revise_outline prompt. A
// completed section's title is written with the prefix "[completed] ", which tells a model (and the
// offline planner, which sees only the prompt's variables) to keep it; the revised rows never rely
// on that marker, though: completed sections are re-inserted from storage (revised_rows.h).
//
// Thread safety: stateless pure functions over plain values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/models.h"
#include "domain/result.h"

namespace docprof::domain {

inline constexpr std::string_view kCompletedMarker = "[completed] ";

struct RevisionSection {
  SectionDraft draft;
  bool completed = false;

  bool operator==(const RevisionSection&) const = default;
};

struct RevisionPart {
  std::string title;
  std::vector<RevisionSection> sections;

  int section_minutes() const;
  bool operator==(const RevisionPart&) const = default;
};

struct RevisionOutline {
  std::vector<RevisionPart> parts;

  int total_minutes() const;
  int completed_minutes() const;
  Outline outline() const;  // the drafts, completed or not, in order
  bool operator==(const RevisionOutline&) const = default;
};

// The stored rows (any order) as an outline: part rows in order_index order, each with its leaf
// rows in order_index order; a leaf row whose parent is missing forms an untitled part of its own.
// Each section's reads are its stored sources (so the text names what the course already reads).
RevisionOutline revision_outline(const std::vector<CourseSection>& rows);

// The outline in the prompts' grammar (outline_text.h), completed titles prefixed with the marker.
std::string render_revision_outline(const RevisionOutline& outline);

// A section title without the completed marker (and whether it had one).
std::string strip_completed_marker(std::string_view title, bool* had_marker = nullptr);

// Reads a revised outline back, marker and all: parse_outline (outline_parser.h), then each
// section whose title carries the marker is marked completed (and the marker removed).
Result<RevisionOutline> parse_revision_outline(std::string_view text);

// A model's answer to courses.revise_outline: the revised outline (parse_outline; titles may still
// carry the marker, which revised_rows.h ignores) and the new length when the answer states one
// on a "Course length: <duration>" line (any duration parse_duration_minutes reads).
struct RevisedAnswer {
  Outline outline;
  std::optional<int> course_minutes = {};
};
Result<RevisedAnswer> parse_revised_answer(std::string_view text);

}  // namespace docprof::domain
