// The course workflow as a pure reducer (DESIGN.md §2–§3, domain.md §2):
//
//   decide(state, event, context)            -> Decision{state', commands, follow-up, message, notes}
//   follow_up_event(decision, outcome, ctx)  -> the next event, built from the commands' outcome
//   decide_failure(state, event, failure, …) -> Decision for a step that failed for good
//
// A step = one delivered event: the engine calls decide, runs the decision's commands (at most one
// model/embedding/search call, or the CreateCourse + CreateSections pair in one transaction, or a
// revision's StoreRevision), builds the next event with follow_up_event, and saves state' together
// with that event. The core never reads a clock or makes ids: both come in through StepContext.
// A revision of a stored course (issue 17) is a run of the same reducer: RevisionRequested →
// OutlineRevised → RevisionStored (workflow_revision.cpp), phase revising.
// An ingestion run (issue 14, docs/ingestion-runs.md) is a run of it too (workflow_ingest.cpp):
// IngestRequested → DocumentParsed → ChapterSummarized (per chapter, per part of a long one) →
// BookSummarized → BookStored, phases parsing, summarizing, storing.
//
// Thread safety: stateless functions over values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/commands.h"
#include "domain/events.h"
#include "domain/models.h"
#include "domain/prompts.h"
#include "domain/result.h"

namespace docprof::domain {

struct WorkflowSettings {
  int max_repairs = 2;                                       // repair requests per step
  std::int64_t state_ttl_ms = 7LL * 24 * 60 * 60 * 1000;     // expires_at = updated_at + ttl
  int context_budget_tokens = 6000;                          // source digest in prompts
  int top_k = 10;                                            // books searched
  double min_similarity = 0.2;                               // the embedder's calibrated default
  int summary_part_tokens = 6000;  // an ingestion run's chapter text per summary request (issue 14)
};

struct StepContext {
  std::int64_t now_ms = 0;     // the engine's clock, passed in
  std::string next_event_id;   // id for the event this step emits
  WorkflowSettings settings;
  // What is worked out from the run's books alone, as the engine keeps it (book_views.h); null:
  // worked out in the step.
  const BookViews* book_views = nullptr;
};

enum class DecisionKind {
  apply,         // a new event: save state', run commands, emit the follow-up
  duplicate,     // already applied (seq below the next expected, or the run is finished): acknowledge only
  out_of_order,  // seq above the next expected: the state is behind (not yet visible); deliver again later
};

enum class RunOutcome { running, complete, failed };

// How the step's next event is made: either fully known now (`ready`), or built from the outcome
// of the decision's effectful command (`type` says which event, with part_index where it applies).
struct FollowUp {
  std::optional<EventPayload> ready;
  std::optional<EventType> type;
  int part_index = 0;
  bool operator==(const FollowUp&) const = default;
};

struct Decision {
  DecisionKind kind = DecisionKind::apply;
  RunState state;                  // to save (for a duplicate: the state as loaded)
  std::vector<Command> commands;   // in order; empty when nothing is to be done
  FollowUp follow_up;              // none (both empty) when the run ends with this step
  std::string message;             // one line for the run history
  std::vector<std::string> notes;  // warnings, repairs, rescales: history notes
  RunOutcome outcome = RunOutcome::running;
  std::optional<CourseFailed> failure;  // set when outcome == failed: what the run record shows

  bool emits() const { return follow_up.ready.has_value() || follow_up.type.has_value(); }
};

// The state of a run before its first event (a CourseRequested starts from this).
RunState initial_state(const std::string& course_id);

// The phase a run is in once an event of this type has been applied (domain.md §8).
Phase phase_after(EventType type);

// Applies one delivered event. `state` is the stored run state (initial_state for a new run).
// A decision that fails the run (no books, output unparseable after repairs, an invalid request)
// does not consume the event's seq: replaying the event after reopen() applies it normally.
Decision decide(const RunState& state, const Envelope& event, const StepContext& context);

// Builds the event that follows a step: seq = event.seq + 1, attempt 1, the context's id and time.
// For a decision with `ready`, outcome is ignored (pass nullopt). Errors are permanent failures of
// the step, for decide_failure: "no_relevant_books" (a search that found nothing — checked here,
// on the search step, so that replaying it after importing books searches again),
// "truncated_output" (a model answer with finish_reason "length"), "provider_error" (an empty
// embedding), "invalid_outcome" (an outcome of the wrong kind: a programmer error).
//
// Events stay small (kMaxEventBytes): the request's embedding and the books found travel by
// reference — keep_outcome puts them in the state the step saves. A next event that would still be
// larger fails the step: "provider_error" for a model's answer that long, else "invalid_outcome".
Result<Envelope> follow_up_event(const Decision& decision, const Envelope& event,
                                 const std::optional<CommandOutcome>& outcome, const StepContext& context);

// Keeps with the run what a step's outcome passes on by reference (domain.md §2: big payloads are
// stored with the run): the request's embedding (for the search step) and the books found, whole
// (for planning and reading lists). The engine applies it to decision.state before saving it with
// the event follow_up_event built from the same outcome.
void keep_outcome(RunState& state, const CommandOutcome& outcome);

// A step whose command failed for good (a permanent provider error, a truncated answer, transient
// errors that outlasted the attempts). Usually emits CourseFailed{code, message, phase}; a failed
// or truncated review instead keeps the pre-review outline (OutlineReviewed{reviewed: false}).
struct StepFailure {
  std::string code;  // provider_error | truncated_output | retries_exhausted | invalid_request | cancelled | …
  std::string message;
};
Decision decide_failure(const RunState& state, const Envelope& event, const StepFailure& failure,
                        const StepContext& context);

// Reopens a failed run so that its failed event (of type `pending`) can be replayed: the phase goes
// back to what it was before that event, the error and the step's repair count are cleared.
RunState reopen(const RunState& failed, EventType pending, std::int64_t now_ms, const WorkflowSettings& settings);

}  // namespace docprof::domain
