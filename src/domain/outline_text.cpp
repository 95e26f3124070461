#include "domain/outline_text.h"

#include <string>

#include "domain/reference_lines.h"

namespace docprof::domain {

std::string render_parts_list(const std::vector<PartPlan>& parts) {
  std::string out;
  int total = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    out += "Part " + std::to_string(i + 1) + ": " + parts[i].title + " - " + std::to_string(parts[i].minutes) +
           " minutes\n";
    total += parts[i].minutes;
  }
  out += "Total: " + std::to_string(total) + " minutes";
  return out;
}

std::string render_part(int part_number, const PartDraft& part) {
  std::string out = "## Part " + std::to_string(part_number) + ": " + part.title + "\n";
  int index = 1;
  for (const auto& section : part.sections) {
    out += "\n### Section " + std::to_string(index++) + ": " + section.title + " - " +
           std::to_string(section.minutes) + " minutes\n";
    out += "Learning objectives:\n";
    for (const auto& objective : section.objectives) out += "- " + objective + "\n";
    for (const auto& ref : section.reads) out += render_read_line(ref) + "\n";
  }
  out += "\nTotal for this part: " + std::to_string(part.section_minutes()) + " minutes";
  return out;
}

std::string render_outline(const Outline& outline) {
  std::string out;
  for (std::size_t i = 0; i < outline.parts.size(); ++i) {
    out += render_part(static_cast<int>(i) + 1, outline.parts[i]);
    out += "\n\n";
  }
  out += "Total: " + std::to_string(outline.total_minutes()) + " minutes";
  return out;
}

std::string render_note(const CourseNote& note) {
  return render_note_line(note);
}

}  // namespace docprof::domain
