// Titles in the offline planner's courses (course_plan.h): the course title derived from the
// learner's request, and headings cleaned from the library's chapter and section titles so that
// they read well and survive the outline grammar.
//
// Deterministic text processing of ASCII-cased English; other scripts pass through unchanged.
// Thread safety: stateless pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace docprof::domain {

// A natural course title from a request, without the filler around the subject:
// "Learn how to value a company" -> "Valuing a Company";
// "I want to learn Python for data analysis in 6 hours" -> "Python for Data Analysis".
// "I have one hour. I know some C. Show me pointers and structures" -> "Pointers and Structures
// in C": sentences about the learner (time, what they know) are skipped, first-person words,
// purpose clauses ("so I can …") and time phrases dropped.
// Returns "" when nothing but filler is left ("teach me something").
std::string course_title_from_request(std::string_view query);

// The course's title: the request's subject (course_title_from_request) followed, after a colon,
// by up to three short part or topic titles that add information ("Valuing a Company: Cash Flows,
// Risk and Multiples"); parts first, then topics, then items the request listed after a colon.
// When the request names no subject, the first usable title is the subject. At most 80
// characters; no first-person words, quotes or parentheses; never mostly a run of the request's
// own words. "" when there is nothing to name.
std::string course_title(std::string_view query, const std::vector<std::string>& topic_titles,
                         const std::vector<std::string>& part_titles);

// "value" -> "valuing", "run" -> "running", "see" -> "seeing" (lower-case English verbs).
std::string gerund(std::string_view verb);

// "Title Case" for English headings: small words (a, of, for, …) stay lower case except first and
// last; words that already carry a capital letter (DCF, Python, iPhone) are kept as written.
std::string title_case(std::string_view text);

// A title from the library made fit for a header line: the book's numbering ("36.", "36.9.",
// "Chapter 3:", "Part II:", "IV."), backticks, quotation marks and (…)/[…] asides removed, a
// " — subtitle" dropped when the heading is long, white space collapsed, trailing punctuation and
// dashes dropped, the first letter capitalised, and " - " (which the outline grammar reads as a
// time separator) written as " – ".
std::string clean_heading(std::string_view text);

// True for section titles that say nothing on their own ("Introduction", "Summary", …).
bool is_generic_heading(std::string_view title);

}  // namespace docprof::domain
