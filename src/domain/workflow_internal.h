// Building blocks shared by the workflow's step functions (workflow.cpp, workflow_outcomes.cpp,
// workflow_revision.cpp).
// Internal to src/domain: not part of the core's public face. Thread safety: stateless.
#pragma once

#include <string>
#include <string_view>
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

// Puts a model request into the decision (follow-up `follow_up`), or fails the run when the prompt
// cannot be rendered (a missing variable is a bug, but it must end the run visibly).
Decision with_model_call(Decision decision, const Result<LlmRequest>& request, EventType follow_up, int part_index,
                         const RunState& before, const Envelope& event, const StepContext& context);

// A step's input could not be parsed: ask the model to repair it (a step of its own), or fail the
// run once max_repairs repairs have been spent on this step.
Decision repair_or_fail(const RunState& before, const Envelope& event, const StepContext& context,
                        const Result<LlmRequest>& original, const Error& parse_error, std::string_view answer,
                        EventType follow_up, int part_index, std::string_view what);

// The steps of a revision (issue 17, workflow_revision.cpp).
Decision on_revision_requested(const RunState& state, const Envelope& event, const RevisionRequested& payload,
                               const StepContext& context);
Decision on_outline_revised(const RunState& state, const Envelope& event, const OutlineRevised& payload,
                            const StepContext& context);
Decision on_revision_stored(const RunState& state, const Envelope& event, const RevisionStored& payload,
                            const StepContext& context);

// The steps of an ingestion run (issue 14, workflow_ingest.cpp).
Decision on_ingest_requested(const RunState& state, const Envelope& event, const IngestRequested& payload,
                             const StepContext& context);
Decision on_document_parsed(const RunState& state, const Envelope& event, const DocumentParsed& payload,
                            const StepContext& context);
Decision on_chapter_summarized(const RunState& state, const Envelope& event, const ChapterSummarized& payload,
                               const StepContext& context);
Decision on_book_summarized(const RunState& state, const Envelope& event, const BookSummarized& payload,
                            const StepContext& context);
Decision on_book_stored(const RunState& state, const Envelope& event, const BookStored& payload,
                        const StepContext& context);
Decision on_ingest_failed(const RunState& state, const Envelope& event, const IngestFailed& payload,
                          const StepContext& context);

// The payload of an ingestion step's follow-up event built from its command's outcome
// (DocumentParsed, ChapterSummarized, BookSummarized, BookStored); nullopt for another type.
std::optional<Result<EventPayload>> ingest_follow_up_payload(const Decision& decision,
                                                             const std::optional<CommandOutcome>& outcome,
                                                             const StepContext& context);

}  // namespace docprof::domain::workflow_internal
