// What a learner's revision request asks of the offline planner (issue 17): "add a section on tax
// implications", "drop the history part", "make it 3 hours", or several of these joined by "and",
// ";" or sentences. Each clause must be one of the three kinds the planner can do; a request with a
// clause it cannot do is refused when it is made (error code unsupported_revision) rather than
// answered with a silent no-op. A remote model gets the request's own words instead (the prompt
// courses.revise_outline): only the offline planner needs this reading.
//
// Plain text processing of English requests. Thread safety: stateless pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/result.h"

namespace docprof::domain {

inline constexpr std::string_view kUnsupportedRevision = "unsupported_revision";

enum class RevisionActionKind { add, drop, resize };
// Where an added or dropped topic lives: a whole part, one section, or whichever matches.
enum class RevisionScope { any, part, section };

struct RevisionAction {
  RevisionActionKind kind = RevisionActionKind::add;
  RevisionScope scope = RevisionScope::any;
  std::string topic = {};  // add / drop: the topic in the request's words ("tax implications")
  // resize: the new length in minutes, or with `relative` the change (+30, -60).
  int minutes = 0;
  bool relative = false;
  std::string clause = {};  // the request's words for this action, for messages

  bool operator==(const RevisionAction&) const = default;
};

struct RevisionReading {
  std::vector<RevisionAction> actions;  // at least one, in the request's order
};

// Reads the request. Errors: "invalid_request" for an empty request; kUnsupportedRevision naming
// the first clause the planner cannot do and what it can.
Result<RevisionReading> read_revision_request(std::string_view request);

}  // namespace docprof::domain
