// Renders plans and outlines back into the grammar the prompts request (domain.md §3), so that
// what we show a model (existing_outline, outline_text) is exactly what our parsers read.
// Thread safety: stateless.
#pragma once

#include <string>
#include <vector>

#include "domain/models.h"

namespace docprof::domain {

// "Part 1: <title> - <m> minutes" per line, then "Total: <sum> minutes".
std::string render_parts_list(const std::vector<PartPlan>& parts);
// "## Part <n>: <title>\n\n### Section 1: <title> - <m> minutes\nLearning objectives:\n- …\n\n…
// Total for this part: <sum> minutes" (n is 1-based). A section's reads follow its objectives as
// "Read: <book_id> ch <n>[ § <section title>]" lines.
std::string render_part(int part_number, const PartDraft& part);
// All parts rendered with render_part, separated by blank lines, then "Total: <sum> minutes".
std::string render_outline(const Outline& outline);
// The canonical "Note[ (<kind>[: <topic>])]: <message>" line of a note; parse_parts reads it back
// as the same note (for trimmed, single-line fields and a lower_snake kind).
std::string render_note(const CourseNote& note);

}  // namespace docprof::domain
