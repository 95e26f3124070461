// The two optional line kinds of model answers that carry references and notes (docs/formats.md):
//   "Read: <book_id> ch <n>[ § <section title>]"   under a section: what to read for it
//   "Note[ (<kind>[: <topic>])]: <message>"         in a parts answer: a note on the whole outline
// Parsing works on a line's text after its list marker and emphasis are removed (the "plain" text
// of line_grammar.h); rendering writes the canonical form, which parses back to the same value.
// Thread safety: stateless.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/models.h"

namespace docprof::domain {

// True when the text is a "Read:" line ("read", optional blanks, ':'), valid or not.
bool is_read_line(std::string_view plain);
// The reference of a "Read:" line: the book id before "ch"/"ch."/"chapter" (any case), the chapter
// number after it, and the text after '§' as the section title. nullopt when the text is not a
// Read line or names no book or no chapter number.
std::optional<ReadingRef> parse_read_line(std::string_view plain);
// "Read: <book_id> ch <n>", plus " § <section title>" when the reference names a section.
std::string render_read_line(const ReadingRef& ref);

// A note line: "Note: <message>" (kind "note"), "Note (<kind>): <message>", "Note (<kind>:
// <topic>): <message>". The kind is lower-cased, blanks and hyphens become '_', and it must then be
// a lower_snake word ([a-z0-9_]+). nullopt when the text is no note line or its message is empty.
std::optional<CourseNote> parse_note_line(std::string_view plain);
// The canonical note line; an empty kind is written as "note".
std::string render_note_line(const CourseNote& note);

}  // namespace docprof::domain
