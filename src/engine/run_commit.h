// Builds the StepCommit for a decided step: the run record updated from the decision, the history
// entries it adds, the next event and, for a failed run, the dead letter.
// Thread safety: stateless.
#pragma once

#include <optional>
#include <string>

#include "domain/workflow.h"
#include "ports/run_store.h"

namespace docprof::engine {

ports::StepCommit build_step_commit(const ports::RunRecord& record, const domain::RunState& before,
                                    const domain::Decision& decision, const domain::Envelope& event,
                                    const std::optional<domain::Envelope>& next_event, bool keep_outbox,
                                    std::int64_t now_ms, const std::string& dead_letter_id);

// The dead letter of `event`, failed with `code` and `message` after event.attempt deliveries.
ports::DeadLetter make_dead_letter(const domain::Envelope& event, const std::string& code, const std::string& message,
                                   std::int64_t now_ms, const std::string& id = {});

// A history note on its own (e.g. a retry being scheduled), leaving the run as it is.
ports::StepCommit build_note_commit(const ports::RunRecord& record, const domain::Envelope& event,
                                    const std::string& message, std::int64_t now_ms);

// The event's delivery is given back without spending an attempt (record.postponed + 1), with an
// optional history note.
ports::StepCommit build_postpone_commit(const ports::RunRecord& record, const domain::Envelope& event,
                                        const std::string& message, std::int64_t now_ms);

}  // namespace docprof::engine
