// The units of material the offline planner (course_plan.h) builds courses from: one per chapter
// section of the found books (or per chapter, for a chapter without sections), scored, selected
// for the time available, split by topics when material is thin, and put in course order.
//
// Internal to the planner. Thread safety: stateless pure functions over plain values.
#pragma once

#include <cstddef>
#include <string>
#include <tuple>
#include <vector>

#include "domain/course_plan.h"

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
  double score = 0.0;  // relevance of the unit itself to the request (its section, chapter, book)
  double chapter_relevance = 0.0;  // relevance of its chapter as a whole
  double chapter_score = 0.0;      // the same with earlier (foundational) chapters favoured

  // How much there is to learn: the more topics and concepts, the more minutes.
  double weight() const { return 4.0 + static_cast<double>(topics.size() + key_concepts.size()); }
  std::size_t phrases() const { return topics.size() + key_concepts.size(); }
  // Course order: book by relevance, then the book's own order.
  auto order_key() const {
    return std::make_tuple(book_rank, chapter_pos, source.section_index, piece, review);
  }
};

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
