// The course quality checker: judges one generated outline against the reviewer's label for its
// request and lists every defect found — the defects real courses have shown: off-topic material,
// keyword-stub objectives ("Apply teh in a worked example"), titles that are request fragments or
// raw chapter headings, a broken learning order, named topics neither covered nor reported.
//
// Rules (each finding carries one rule id and a message naming the offending text):
//   objective.*  2–6 objectives per section, each one finished sentence (no sentence pasted in:
//                "… that Therefore, …") starting with a measurable verb; an object of >= 2 words
//                or one technical term of its books; no template frames ("the idea that",
//                "Explain why <noun phrase>", "in a worked example" on a bare noun); no noise
//                words; no duplicates; verb variety; verbs fitting the depth.
//   title.*      course title: no first-person words, no request fragment, <= 80 characters; part
//                and section titles: no first-person words, no backticks, quotes, asides, chapter
//                numbers or trailing punctuation; no two sections with one title.
//   offtopic.share  >= 80 % of the minutes read from the label's books (books ∪ also_ok).
//   order.*      a book's chapters in non-decreasing order (or the label's topic order); a project
//                the request asks for is what the last part is about, and nothing earlier.
//   topic.*      every named topic covered or reported uncovered; uncoverable topics reported and
//                not papered over; prior knowledge reported.
//   label.*      the label names books the library does not have.
//
// Thread safety: pure functions over their arguments.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "quality/course_outline.h"
#include "quality/lexicon.h"
#include "quality/relevance_label.h"

namespace docprof::quality {

struct Finding {
  std::string rule;     // e.g. "objective.template"
  std::string message;  // names the offending text
};

struct CheckReport {
  std::vector<Finding> findings;
  double on_topic_share = 0;  // minutes read from the label's books / total minutes
  int objectives = 0;         // objectives in the course
};

// The minimum on-topic share of minutes.
inline constexpr double kMinOnTopicShare = 0.80;

// Checks `outline` against `label`; the lexicon knows the dictionary and the library's books (it
// resolves the label's file stems to the outline's book ids).
CheckReport check_course(const CourseOutline& outline, const RelevanceLabel& label,
                         const Lexicon& lexicon);

// "rule: message" lines, one per finding.
std::string describe(const std::vector<Finding>& findings);

}  // namespace docprof::quality
