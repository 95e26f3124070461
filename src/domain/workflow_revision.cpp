// The steps of a course revision (issue 17, docs/revisions.md): RevisionRequested asks the model
// for the revised outline, OutlineRevised reads it (repairing an unparseable answer) and hands the
// store step a StoreRevision, RevisionStored ends the run. The run's state holds the base: the
// stored course and rows when the revision was requested.
#include <string>

#include "domain/prompts.h"
#include "domain/revised_rows.h"
#include "domain/revision_outline.h"
#include "domain/text.h"
#include "domain/time_rule.h"
#include "domain/workflow_internal.h"

namespace docprof::domain::workflow_internal {
namespace {

std::string minutes_text(int minutes) { return std::to_string(minutes) + " minutes"; }

// The courses.revise_outline request for the state's base and request.
Result<LlmRequest> revision_prompt(const RunState& state, const StepContext& context) {
  const RevisionOutline base = revision_outline(state.base_sections);
  RevisionPromptInput input;
  input.query = state.query;
  input.hours = state.hours;
  input.preferences = state.preferences;
  input.revision_request = state.revision_request;
  input.outline_text = render_revision_outline(base);
  input.completed_minutes = base.completed_minutes();
  input.books = state.books;
  return revise_outline_request(input, PromptSettings{context.settings.context_budget_tokens});
}

int leaf_minutes(const std::vector<CourseSection>& rows) {
  int total = 0;
  for (const auto& row : rows) {
    if (row.parent_section_id) total += row.estimated_minutes;
  }
  return total;
}

}  // namespace

Decision on_revision_requested(const RunState& state, const Envelope& event, const RevisionRequested& payload,
                               const StepContext& context) {
  RunState started = state;
  started.revision = payload.revision;
  started.revision_request = payload.revision_request;
  if (!started.base_course || started.base_sections.empty()) {
    return failed(started, event, "invalid_request", "the course to revise was not kept with the run", context);
  }
  Decision d = applied(started, event, context);
  d.state.repairs = 0;
  d.message = "Revision " + std::to_string(payload.revision) + " requested: \"" +
              utf8_prefix(payload.revision_request, 120) + "\"; asking for the revised outline";
  return with_model_call(std::move(d), revision_prompt(started, context), EventType::OutlineRevised, 0, started,
                         event, context);
}

Decision on_outline_revised(const RunState& state, const Envelope& event, const OutlineRevised& payload,
                            const StepContext& context) {
  RunState before = state;
  before.usage += payload.usage;
  if (!before.base_course) {
    return failed(before, event, "invalid_request", "the course to revise was not kept with the run", context);
  }
  auto parsed = parse_revised_answer(payload.revised_outline_text);
  if (!parsed) {
    return repair_or_fail(before, event, context, revision_prompt(before, context), parsed.error(),
                          payload.revised_outline_text, EventType::OutlineRevised, 0, "the revised outline");
  }
  const double hours = parsed->course_minutes ? *parsed->course_minutes / 60.0 : before.hours;
  const RevisionRowsRequest rows_request{before.revision, hours, context.now_ms};
  // Built here from the base to judge the answer (and report it); the store step's commit builds
  // them again from the rows stored at that moment.
  auto rows = build_revised_rows(*before.base_course, before.base_sections, parsed->outline, before.books,
                                 rows_request);
  if (!rows) return failed(before, event, rows.error().code, rows.error().message, context);

  Decision d = applied(before, event, context);
  d.state.repairs = 0;
  d.state.hours = hours;
  d.state.course_stored = true;  // the commit of this step writes the revised outline
  d.notes = rows->notes;
  const int total = leaf_minutes(rows->rows.sections);
  const int target = target_minutes(before.hours);
  if (target_minutes(hours) != target) {
    d.notes.push_back("Course length: " + minutes_text(target) + " -> " + minutes_text(target_minutes(hours)));
  }
  int parts = 0;
  for (const auto& row : rows->rows.sections) parts += row.parent_section_id ? 0 : 1;
  d.message = "Storing revision " + std::to_string(before.revision) + ": " + std::to_string(parts) + " part(s), " +
              std::to_string(static_cast<int>(rows->rows.sections.size()) - parts) + " section(s), " +
              minutes_text(total);
  StoreRevision store;
  store.course_id = before.course_id;
  store.revision_request = before.revision_request;
  store.outline = parsed->outline;
  store.books = before.books;
  store.rows = rows_request;
  store.total_minutes = total;
  d.commands.emplace_back(std::move(store));
  d.follow_up.type = EventType::RevisionStored;
  return d;
}

Decision on_revision_stored(const RunState& state, const Envelope& event, const RevisionStored& payload,
                            const StepContext& context) {
  Decision d = applied(state, event, context);
  d.outcome = RunOutcome::complete;
  d.message = "Revision " + std::to_string(payload.revision) + " stored: " + minutes_text(payload.total_minutes);
  return d;
}

}  // namespace docprof::domain::workflow_internal
