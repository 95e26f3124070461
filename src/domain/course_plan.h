// CoursePlan: the offline planner behind the `extractive` language model (DESIGN.md §5). Given a
// request (its words, its target minutes, the depth) and the candidate material — the chapters and
// chapter sections of the books a library search found, each scored for relevance — it plans a
// whole course the way domain.md §3 asks a model to:
//
//  * selection: the most relevant sections, enough for the time (about one per 20–30 minutes by
//    depth), never two with the same title; when material is thin, rich sections are split by
//    their topics so that no section must exceed 90 minutes;
//  * order: most relevant book first, and within a book the book's own order (foundations first);
//  * parts: 1 under 2 h, 2–3 under 4 h, 3–5 from 4 h, ceil(target/120)..+2 beyond 10 h (no part
//    over 120 minutes), cut preferably between chapters and books, named after their material;
//  * minutes: sum exactly to the target; parts 30–120, sections 10–90 (tiny targets: what fits),
//    in 5-minute steps where the numbers allow, by the amount of material;
//  * objectives: 2–6 per section, from its topics and key concepts, verbs fitting the depth;
//  * titles: a course title from the request; no two sections alike.
//
// Deterministic: the same request and material always give the same plan, so each step of a run
// (possibly in another process) can recompute it. Thread safety: stateless pure functions.
#pragma once

#include <string>
#include <vector>

#include "domain/models.h"
#include "domain/term_analyzer.h"

namespace docprof::domain {

// --- the material ------------------------------------------------------------------------------

struct PlanSection {
  std::string title;
  std::vector<std::string> topics;        // short noun phrases
  std::vector<std::string> key_concepts;  // one-line statements
  double relevance = 0.0;                 // similarity with the request (higher is better)
  int words = 0;                          // words of its text; 0 = unknown
  // The analysed terms of its title and topics (analyse_plan_books); empty: analysed when needed.
  std::vector<std::string> terms = {};
  std::vector<std::string> subsections = {};  // titles of its subsections (SectionSummary)
};

struct PlanChapter {
  int chapter_number = 0;
  std::string title;
  double relevance = 0.0;
  std::vector<PlanSection> sections;  // in book order; a chapter without any is used whole
  std::string kind = "chapter";  // chapter | front_matter | appendix | index | back_matter
  int words = 0;                 // words of its text; 0 = unknown
  std::vector<std::string> title_terms = {};  // the analysed terms of its title (analyse_plan_books)
};

struct PlanBook {
  std::string book_id;
  std::string title;
  double relevance = 0.0;
  std::vector<PlanChapter> chapters;  // in book order
  // The request's topics the search found this book the best source for (library_ranking.h): it
  // serves them like a main book, whatever its relevance to the whole request.
  std::vector<std::string> topics = {};
};

struct PlanRequest {
  std::string query;
  int target_minutes = 0;
  Depth depth = Depth::balanced;
  // Matches the request's named topics with the material; without one the plan follows relevance
  // alone (no topic notes).
  const TermAnalyzer* analyzer = nullptr;
};

// --- the plan ----------------------------------------------------------------------------------

// Where a planned section's words come from.
struct SourceRef {
  std::string book_id;
  int chapter_number = 0;
  int section_index = 0;  // 1-based index into the chapter's sections; 0 = the whole chapter

  bool operator==(const SourceRef&) const = default;
};

struct PlannedSection {
  SectionDraft section;
  SourceRef source;

  bool operator==(const PlannedSection&) const = default;
};

struct PlannedPart {
  std::string title;
  int minutes = 0;  // the sum of its sections' minutes
  std::vector<PlannedSection> sections;

  bool operator==(const PlannedPart&) const = default;
};

struct CoursePlan {
  std::string title;  // from the request; "" only when both request and material are empty
  std::vector<PlannedPart> parts;  // empty when there is no material or no time
  std::vector<CourseNote> notes;   // requested topics without material, prior knowledge honoured

  std::vector<PartPlan> part_plans() const;
  PartDraft part_draft(std::size_t index) const;  // title, minutes and sections of one part
  Outline outline() const;
  int total_minutes() const;
  bool operator==(const CoursePlan&) const = default;
};

struct PartCountRange {
  int min = 1;
  int max = 1;
};
// domain.md §3: 1 part under 120 minutes, 2–3 under 240, 3–5 up to 600, then n..n+2 with
// n = ceil(target / 120) — and never fewer than n, so that no part exceeds 120 minutes (8 hours
// take 4–5 parts, not 3).
PartCountRange part_count_range(int target_minutes);

// Plans a course for the request from the material (books most relevant first).
CoursePlan plan_course(const PlanRequest& request, const std::vector<PlanBook>& books);

// Fills the terms of every chapter title and section (title and topics) once, for material that
// is planned from many times (each step of a course): planning then matches the request's topics
// without analysing the same words again.
void analyse_plan_books(std::vector<PlanBook>& books, const TermAnalyzer& analyzer);

// Plans the course into given parts (titles and minutes, e.g. from another model's parts answer,
// or parts a review changed): the same selection, grouped into these parts by their minutes.
// request.target_minutes is ignored: the target is the parts' sum.
CoursePlan plan_course_for_parts(const PlanRequest& request, const std::vector<PlanBook>& books,
                                 const std::vector<PartPlan>& parts);

// Sections made to sum to exactly `minutes` (> 0): proportional rescaling (time_rule.h) after
// dropping trailing sections that could not keep 5 minutes each. Unchanged when already exact.
std::vector<SectionDraft> fit_sections(std::vector<SectionDraft> sections, int minutes);

}  // namespace docprof::domain
