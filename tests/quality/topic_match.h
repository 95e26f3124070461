// Matching a named topic ("cost of capital", "branching") against a course: by the Snowball stems
// of its content words, all of which must appear in one section (its title, objectives and the
// titles of the chapters it reads) or in the topic of one outline note.
//
// Thread safety: pure functions.
#pragma once

#include <set>
#include <string>

#include "quality/course_outline.h"

namespace docprof::quality {

// The stems of a section's title and objectives (what it claims to teach).
std::set<std::string> claimed_stems(const OutlineSection& section);
// claimed_stems plus the stems of the chapter and section titles it reads.
std::set<std::string> section_stems(const OutlineSection& section);

// True when every content word of `topic` is in the section (section_stems).
bool section_covers(const OutlineSection& section, const std::string& topic);

// True when the section covers the topic, or its part is named after it (a part titled "The
// Basics" or "Germs and Guns" teaches them in its sections).
bool covers_in_part(const OutlinePart& part, const OutlineSection& section, const std::string& topic);

// True when a note of this kind names the topic (its topic, or when it names none, its message,
// holds every content word of `topic`; or the note's topic words are all in `topic`).
bool note_reports(const CourseOutline& outline, const std::string& kind, const std::string& topic);

}  // namespace docprof::quality
