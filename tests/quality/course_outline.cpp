#include "quality/course_outline.h"

#include <stdexcept>

namespace docprof::quality {

namespace {

using nlohmann::json;

const json& required(const json& object, const char* key, const std::string& where) {
  if (!object.is_object() || !object.contains(key))
    throw std::invalid_argument(where + ": no \"" + key + "\"");
  return object.at(key);
}

std::string required_string(const json& object, const char* key, const std::string& where) {
  const json& value = required(object, key, where);
  if (!value.is_string())
    throw std::invalid_argument(where + ": \"" + key + "\" is not a string");
  return value.get<std::string>();
}

std::string optional_string(const json& object, const char* key) {
  if (!object.contains(key) || !object.at(key).is_string()) return "";
  return object.at(key).get<std::string>();
}

int optional_int(const json& object, const char* key) {
  if (!object.contains(key) || !object.at(key).is_number()) return 0;
  return object.at(key).get<int>();
}

// A field the current binary may not print yet: missing or null reads as an empty array.
const json& optional_array(const json& object, const char* key, const std::string& where) {
  static const json empty = json::array();
  if (!object.contains(key) || object.at(key).is_null()) return empty;
  if (!object.at(key).is_array())
    throw std::invalid_argument(where + ": \"" + key + "\" is not an array");
  return object.at(key);
}

OutlineSource source_from_json(const json& s, const std::string& where) {
  OutlineSource source;
  source.book_id = required_string(s, "book_id", where);
  source.book_title = optional_string(s, "book_title");
  source.chapter_number = optional_int(s, "chapter_number");
  source.chapter_title = optional_string(s, "chapter_title");
  if (s.contains("section_title") && s.at("section_title").is_string())
    source.section_title = s.at("section_title").get<std::string>();
  return source;
}

OutlineSection section_from_json(const json& s, const std::string& where) {
  OutlineSection section;
  section.title = required_string(s, "title", where);
  section.minutes = optional_int(s, "estimated_minutes");
  for (const json& o : optional_array(s, "learning_objectives", where)) {
    if (o.is_string()) section.objectives.push_back(o.get<std::string>());
  }
  for (const json& source : optional_array(s, "sources", where + " sources"))
    section.sources.push_back(source_from_json(source, where + " source"));
  return section;
}

}  // namespace

int CourseOutline::total_minutes() const {
  int total = 0;
  for (const auto& part : parts) {
    for (const auto& section : part.sections) total += section.minutes;
  }
  return total;
}

CourseOutline outline_from_json(const json& outline) {
  CourseOutline course;
  course.course_id = optional_string(outline, "course_id");
  course.title = required_string(outline, "title", "outline");
  course.query = required_string(outline, "original_query", "outline");
  const json& parts = required(outline, "parts", "outline");
  if (!parts.is_array()) throw std::invalid_argument("outline: \"parts\" is not an array");
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const std::string where = "part " + std::to_string(p + 1);
    OutlinePart part;
    part.title = required_string(parts[p], "title", where);
    part.minutes = optional_int(parts[p], "estimated_minutes");
    const json& sections = required(parts[p], "sections", where);
    if (!sections.is_array()) throw std::invalid_argument(where + ": \"sections\" is not an array");
    for (std::size_t s = 0; s < sections.size(); ++s)
      part.sections.push_back(
          section_from_json(sections[s], where + " section " + std::to_string(s + 1)));
    course.parts.push_back(std::move(part));
  }
  for (const json& n : optional_array(outline, "notes", "outline")) {
    course.notes.push_back(
        {optional_string(n, "kind"), optional_string(n, "topic"), optional_string(n, "message")});
  }
  return course;
}

}  // namespace docprof::quality
