// CourseOutline: the course the quality checker judges, read from the JSON that
// `docprof course show --json` (and `course create --json`) prints: title, request, parts with
// their sections (minutes, learning objectives, sources to read) and the outline's notes.
// Fields an older binary does not print yet (`sources`, `notes`) read as empty.
//
// Thread safety: plain values.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace docprof::quality {

// One reading of a section: a chapter (or one section of it) of a library book.
struct OutlineSource {
  std::string book_id;
  std::string book_title;
  int chapter_number = 0;
  std::string chapter_title;
  std::optional<std::string> section_title;  // nullopt = the whole chapter
};

struct OutlineSection {
  std::string title;
  int minutes = 0;
  std::vector<std::string> objectives;
  std::vector<OutlineSource> sources;
};

struct OutlinePart {
  std::string title;
  int minutes = 0;
  std::vector<OutlineSection> sections;
};

// A note on the whole outline: kind "uncovered_topic", "prior_knowledge" or "note".
struct OutlineNote {
  std::string kind;
  std::string topic;
  std::string message;
};

struct CourseOutline {
  std::string course_id;
  std::string title;
  std::string query;
  std::vector<OutlinePart> parts;
  std::vector<OutlineNote> notes;

  int total_minutes() const;  // the sum of the sections' minutes
};

// Reads the outline JSON; throws std::invalid_argument naming the field when a required one
// (title, original_query, parts with title and sections) is missing or has the wrong type.
CourseOutline outline_from_json(const nlohmann::json& outline);

}  // namespace docprof::quality
