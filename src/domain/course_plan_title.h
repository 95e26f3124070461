// Titles in the offline planner's courses (course_plan.h): the course title derived from the
// learner's request, and headings cleaned from the library's chapter and section titles so that
// they read well and survive the outline grammar.
//
// Deterministic text processing of ASCII-cased English; other scripts pass through unchanged.
// Thread safety: stateless pure functions.
#pragma once

#include <string>
#include <string_view>

namespace docprof::domain {

// A natural course title from a request, without the filler around the subject:
// "Learn how to value a company" -> "Valuing a Company";
// "I want to learn Python for data analysis in 6 hours" -> "Python for Data Analysis".
// Returns "" when nothing but filler is left ("teach me something").
std::string course_title_from_request(std::string_view query);

// "value" -> "valuing", "run" -> "running", "see" -> "seeing" (lower-case English verbs).
std::string gerund(std::string_view verb);

// "Title Case" for English headings: small words (a, of, for, …) stay lower case except first and
// last; words that already carry a capital letter (DCF, Python, iPhone) are kept as written.
std::string title_case(std::string_view text);

// A title from the library made fit for a header line: white space collapsed, trailing
// punctuation dropped, the first letter capitalised, and " - " (which the outline grammar reads
// as a time separator) written as " – ".
std::string clean_heading(std::string_view text);

// True for section titles that say nothing on their own ("Introduction", "Summary", …).
bool is_generic_heading(std::string_view title);

}  // namespace docprof::domain
