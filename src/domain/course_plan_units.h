// The units of material the offline planner (course_plan.h) builds courses from: one per chapter
// section of the found books (or per chapter, for a chapter without sections), scored, selected
// for the time available, split by topics when material is thin, and put in course order.
//
// Internal to the planner. Thread safety: stateless pure functions over plain values.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <string>
#include <tuple>
#include <vector>

#include "domain/course_plan.h"
#include "domain/term_analyzer.h"

namespace docprof::domain::planning {

struct Unit {
  std::size_t book_rank = 0;    // position of the book in the material (most relevant first)
  std::size_t chapter_pos = 0;  // position of the chapter in its book
  int piece = 0;                // 0, or the index of a piece of a unit split by topics
  bool review = false;          // a repeat of earlier material (only when parts outnumber units)
  SourceRef source;
  std::string base_title;  // the section's (or chapter's) own title
  std::string chapter_title;
  std::vector<std::string> topics;
  std::vector<std::string> key_concepts;
  std::vector<std::string> subsections = {};  // titles of the section's subsections, in order
  double score = 0.0;  // relevance of the unit itself to the request (its section, chapter, book)
  double chapter_relevance = 0.0;  // relevance of its chapter as a whole
  double chapter_score = 0.0;      // the same with earlier (foundational) chapters favoured
  int words = 0;                   // words of its text (the summary's count); 0 = unknown
  double book_relevance = 0.0;     // the book's search score
  std::vector<std::string> book_topics = {};  // the request's topics its book is the best source for
  std::string book_title;
  bool forced = false;             // material for a topic the request names: always chosen
  int topic_rank = -1;             // index of the request's topic it serves (ordered requests)
  bool project = false;            // a project or capstone the request asks for: comes last
  std::vector<std::string> request_topics;  // the request's own words for what it serves, if any
  bool names_topics = true;  // its section and part say which topics it serves (not the subject's)
  std::vector<std::string> terms;  // analysed terms of its title, chapter title and topics, if known

  // How much there is to learn: the words of its text when the summary counts them (a long
  // section takes longer), else its topics and concepts.
  double weight() const {
    if (words > 0) return 2.0 + std::min(static_cast<double>(words) / 250.0, 24.0);
    return 4.0 + static_cast<double>(topics.size() + key_concepts.size());
  }
  std::size_t phrases() const { return topics.size() + key_concepts.size(); }
  // Course order: a requested project last; the request's topic order when it states one; then
  // book by relevance and the book's own order.
  auto order_key() const {
    return std::make_tuple(project, topic_rank < 0 ? 1000 : topic_rank, book_rank, chapter_pos,
                           source.section_index, piece, review);
  }
};

// Reads the request into the candidates: units matching its named topics are forced in (each
// topic's best unit, with the topic's own words), topics without material become notes, units
// introducing what the learner already knows are dropped (with a note), a requested project is
// marked to come last, and books that serve the request only weakly keep only forced units.
// `ordered` topics give their order to the units serving them.
void apply_request(std::vector<Unit>& units, std::string_view query, const TermAnalyzer& analyzer,
                   std::vector<CourseNote>& notes);

// Every chapter section of every book (a chapter without sections as one unit), scored.
std::vector<Unit> candidate_units(const std::vector<PlanBook>& books);

// About `wanted` units, chosen by whole chapters — the most relevant chapters first, each with its
// sections (the most relevant of them when only some still fit) — so that parts can follow
// chapters; weakly relevant chapters only to reach `needed`; no two units with the same title.
// Then split by topics until there are `needed` (as far as the material allows), in course order.
std::vector<Unit> select_units(std::vector<Unit> candidates, std::size_t wanted,
                               std::size_t needed);

// Units repeated as review material, in order, until there are `count` of them (count ≥ size).
std::vector<Unit> pad_with_reviews(std::vector<Unit> units, std::size_t count);

}  // namespace docprof::domain::planning
