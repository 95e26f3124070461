// Building blocks shared by the workflow's step functions (workflow.cpp, workflow_outcomes.cpp).
// Internal to src/domain: not part of the core's public face. Thread safety: stateless.
#pragma once

#include <string>
#include <vector>

#include "domain/workflow.h"

namespace docprof::domain::workflow_internal {

// A decision that applies `event` to `state`: seq consumed, phase advanced, times and expiry updated.
Decision applied(const RunState& state, const Envelope& event, const StepContext& context);

// A decision that fails the run without consuming the event's seq (so a replay applies it again).
Decision failed(const RunState& state, const Envelope& event, const std::string& code, const std::string& message,
                const StepContext& context);

// The reviewed outline made ready to store: untitled parts take the planned titles by position,
// empty parts are dropped, sections are normalised (warnings appended to notes).
Outline adopt_reviewed_outline(Outline reviewed, const std::vector<PartPlan>& plans, std::vector<std::string>& notes);

// Rescales section minutes so the outline totals `target` exactly (domain.md §5); when there are
// more sections than minutes, the last sections are dropped first. Appends a note.
void rescale_outline(Outline& outline, int target, std::vector<std::string>& notes);

}  // namespace docprof::domain::workflow_internal
