// The offline planner's revisions (issue 17): applies a read revision request (revision_request.h)
// to a stored course's outline (revision_outline.h) — drop a part or topic, add a section or part
// on a topic from the library's material (planned as course_plan.h plans a course, so the new
// sections name what to read), change the length — and then fits the time: the sections not yet
// completed share what the completed ones leave of the target, exactly.
//
// Completed sections are never changed, moved between parts or dropped. A request the planner
// cannot do is an Error with code unsupported_revision saying why: a drop that matches nothing or
// only completed sections, a topic the library has no (further) material on, a length the
// completed sections already exceed, a drop that leaves nothing to fill the course's time.
//
// Deterministic. Thread safety: stateless pure functions over plain values.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "domain/course_plan.h"
#include "domain/revision_outline.h"
#include "domain/revision_request.h"
#include "domain/result.h"
#include "domain/term_analyzer.h"

namespace docprof::domain {

// Per topic of an add action (RevisionAction::topic, as read), the library's material for it:
// the books a search for the topic found, most relevant first.
using RevisionMaterial = std::map<std::string, std::vector<PlanBook>>;

struct RevisionPlanRequest {
  int target_minutes = 0;  // the course's target before the revision: floor(hours × 60)
  Depth depth = Depth::balanced;
  const TermAnalyzer* analyzer = nullptr;  // as PlanRequest::analyzer
};

struct RevisionPlan {
  RevisionOutline outline;
  int target_minutes = 0;             // after the revision (changed by a resize)
  std::vector<std::string> changes;   // one line per action and for the time fit: history notes
};

// Actions apply in the request's order, then the time is fitted once.
Result<RevisionPlan> plan_revision(const RevisionOutline& current, const RevisionReading& reading,
                                   const RevisionMaterial& material, const RevisionPlanRequest& request);

// Only what can be judged without the library (at request time, before any search): the resizes
// and drops of `reading` against `current`. Adds pass (their material is judged by plan_revision).
Result<RevisionPlan> check_revision(const RevisionOutline& current, const RevisionReading& reading,
                                    const RevisionPlanRequest& request);

// True when every content word of `topic` (section_sources.h: lower-case, plurals folded, stop
// words left out) is among those of `title`; a topic without content words matches nothing.
bool title_matches_topic(std::string_view title, std::string_view topic);

}  // namespace docprof::domain
