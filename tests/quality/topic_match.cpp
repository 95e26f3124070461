#include "quality/topic_match.h"

#include "quality/words.h"

namespace docprof::quality {

std::set<std::string> claimed_stems(const OutlineSection& section) {
  std::set<std::string> stems = content_stems(section.title);
  for (const auto& objective : section.objectives) stems.merge(content_stems(objective));
  return stems;
}

std::set<std::string> section_stems(const OutlineSection& section) {
  std::set<std::string> stems = claimed_stems(section);
  for (const auto& source : section.sources) {
    stems.merge(content_stems(source.chapter_title));
    if (source.section_title) stems.merge(content_stems(*source.section_title));
  }
  return stems;
}

bool section_covers(const OutlineSection& section, const std::string& topic) {
  return contains_all(section_stems(section), content_stems(topic));
}

bool covers_in_part(const OutlinePart& part, const OutlineSection& section, const std::string& topic) {
  return section_covers(section, topic) || contains_all(content_stems(part.title), content_stems(topic));
}

bool note_reports(const CourseOutline& outline, const std::string& kind, const std::string& topic) {
  const std::set<std::string> wanted = content_stems(topic);
  for (const auto& note : outline.notes) {
    if (note.kind != kind) continue;
    const std::set<std::string> named = content_stems(note.topic.empty() ? note.message : note.topic);
    if (contains_all(named, wanted)) return true;
    if (!note.topic.empty() && contains_all(wanted, named)) return true;
  }
  return false;
}

}  // namespace docprof::quality
