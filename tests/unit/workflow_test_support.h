// Test support for the workflow suites: a small library, a request, well-formed model answers.
#pragma once

#include <string>
#include <vector>

#include "domain/outline_text.h"
#include "domain/workflow.h"

namespace docprof::testing {

using namespace docprof::domain;

inline BookMatch valuation_book() {
  BookMatch book;
  book.book_id = "book-valuation";
  book.title = "Valuation: Measuring and Managing the Value of Companies";
  book.author = "McKinsey & Company";
  book.similarity = 0.62;
  book.summary.source_title = book.title;
  book.summary.author = book.author;
  book.summary.total_chapters = 2;
  book.summary.source_summary = "How to value companies with discounted cash flow.";
  book.summary.chapters = {
      {1, "Why Value Value?", "Value creation and its drivers.",
       {{"Return on capital", {"ROIC", "growth"}, {"value driver formula"}, "3-20"}}},
      {2, "Frameworks for Valuation", "Enterprise DCF, economic profit, APV.",
       {{"Enterprise DCF", {"free cash flow", "WACC"}, {"continuing value"}, "21-50"}}}};
  book.chapter_scores = {{2, 0.7, {}}, {1, 0.5, {}}};
  return book;
}

inline CourseRequested valuation_request(double hours = 2.0) {
  CourseRequested r;
  r.query = "I want to learn corporate valuation";
  r.hours = hours;
  r.user_id = "user-1";
  return r;
}

inline SectionDraft section(const std::string& title, int minutes, int objectives = 3) {
  SectionDraft s{title, minutes, {}, {}};
  for (int i = 1; i <= objectives; ++i) s.objectives.push_back("Explain " + title + " point " + std::to_string(i));
  return s;
}

inline StepContext context_at(std::int64_t now_ms, std::string event_id = "evt-next") {
  StepContext c;
  c.now_ms = now_ms;
  c.next_event_id = std::move(event_id);
  return c;
}

inline Envelope envelope(std::int64_t seq, EventPayload payload, std::string course_id = "course-1") {
  return Envelope{"evt-" + std::to_string(seq), std::move(course_id), seq, "2026-11-28T10:00:00.000Z", 1,
                  std::move(payload)};
}

// A run state as it is after the parts step planned `parts` (and nothing expanded yet).
inline RunState planned_state(const std::vector<PartPlan>& parts, double hours = 2.0) {
  RunState s = initial_state("course-1");
  s.user_id = "user-1";
  s.query = "I want to learn corporate valuation";
  s.hours = hours;
  s.books = {valuation_book()};
  s.parts = parts;
  s.phase = Phase::generating_sections;
  s.last_seq = 3;
  return s;
}

// The same state after every part was expanded into `outline`.
inline RunState expanded_state(const Outline& outline, double hours = 2.0) {
  std::vector<PartPlan> plans;
  for (const auto& p : outline.parts) plans.push_back({p.title, p.section_minutes()});
  RunState s = planned_state(plans, hours);
  s.outline = outline;
  s.next_part_index = static_cast<int>(outline.parts.size());
  s.last_seq = 3 + static_cast<std::int64_t>(outline.parts.size());
  return s;
}

}  // namespace docprof::testing
