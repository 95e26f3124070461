// The line-level grammar behind the outline parsers (outline_parser.h): splitting an answer into
// lines, reading durations, and classifying one line of model output (a part header, a section
// header, an objective item, a total, commentary, ...). Hand-written scanning, no std::regex: model
// answers can be long and regex backtracking is slow and deep.
//
// Internal to the parsers; the public contract is outline_parser.h. Thread safety: stateless.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace docprof::domain::grammar {

// Lines of `text` without their terminators; "\r\n", "\n" and a lone "\r" all end a line. A leading
// UTF-8 byte-order mark is dropped.
std::vector<std::string_view> split_lines(std::string_view text);

// Trims ASCII white space and the Unicode spaces models emit (U+00A0, U+2000–U+200B, U+3000,
// U+FEFF).
std::string_view trim_space(std::string_view text);

// One duration expression found in a text: [begin, end) and its value in whole minutes.
struct Duration {
  std::size_t begin = 0;
  std::size_t end = 0;
  int minutes = 0;
  bool hyphen_joined = false;  // "90-minute": usually an adjective inside a title
};
// Every duration in `text`, left to right: "45 minutes", "45 min", "45m", "1 hour 15 minutes",
// "1.5 hours", "1h 30m", "1h30", "1½ hours", "90-minute", "30-45 minutes" (the midpoint).
std::vector<Duration> find_durations(std::string_view text);

// The text of a header after its "Part N:" / "Section N:" prefix, split into a title and a time.
struct TitledTime {
  std::string title;
  std::optional<int> minutes;
  bool separated = false;  // the time followed a separator (- – — : |) or stood in parentheses
};
TitledTime split_title_and_time(std::string_view rest);

// Removes decoration from a title: **bold**, surrounding * _ ` quotes, leading and trailing
// separators and colons.
std::string clean_title(std::string_view text);

// When the whole line only states a time ("Duration: 45 minutes", "*(30 min)*"), its minutes.
std::optional<int> duration_only(std::string_view plain);

enum class LineKind {
  blank,
  fence,             // ``` or ~~~
  course_title,      // "Course title: <title>"
  total,             // "Total: 120 minutes", "Total for this part: 90 minutes"
  part,              // "Part N: <title> [- <time>]"
  section,           // "Section N: …", or a heading / bold line with a separated time
  commentary,        // "Changes made:", "Summary:" …: the outline is over
  note,              // "Notes:", "Rationale:": a block of remarks, maybe between sections
  objectives_label,  // "Learning objectives:", "By the end of this section you will be able to:"
  other_label,       // "Key topics:", "Activities:" — a list that is not objectives
  label,             // any other "…:" line ("In this section we cover:")
  item,              // "- …", "* …", "• …", "1. …", "1) …"
  read,              // "Read: <book_id> ch <n>[ § <section>]" (reference_lines.h), valid or not
  heading,           // a markdown heading that is none of the above
  prose,
};

struct Line {
  LineKind kind = LineKind::prose;
  std::string text;            // title (part/section/course title), item or inline objective text
  std::optional<int> minutes;  // part/section/total time, when stated
  bool list_item = false;      // began with a list marker ("- ", "1. ", …)
  bool indented = false;       // began with white space
  bool bold = false;           // its text (after any list marker) began with "**"
  std::string plain;           // the line without markers and decoration, for further checks
};
Line classify_line(std::string_view raw);

}  // namespace docprof::domain::grammar
