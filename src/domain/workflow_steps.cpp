#include <string>

#include "domain/outline_parser.h"
#include "domain/saturating.h"
#include "domain/time_rule.h"
#include "domain/workflow_internal.h"

namespace docprof::domain::workflow_internal {

Decision applied(const RunState& state, const Envelope& event, const StepContext& context) {
  Decision d;
  d.kind = DecisionKind::apply;
  d.state = state;
  d.state.last_seq = event.seq;
  d.state.phase = phase_after(event.type());
  d.state.updated_at_ms = context.now_ms;
  d.state.expires_at_ms = saturating_add(context.now_ms, context.settings.state_ttl_ms);
  return d;
}

Decision failed(const RunState& state, const Envelope& event, const std::string& code, const std::string& message,
                const StepContext& context) {
  Decision d;
  d.kind = DecisionKind::apply;
  d.state = state;
  d.state.phase = Phase::error;
  d.state.last_error = Error{code, message};
  d.state.updated_at_ms = context.now_ms;
  d.state.expires_at_ms = saturating_add(context.now_ms, context.settings.state_ttl_ms);
  d.outcome = RunOutcome::failed;
  d.failure = CourseFailed{code, message, std::string(to_string(phase_after(event.type())))};
  d.message = "Failed while " + std::string(to_string(phase_after(event.type()))) + " (" + code + "): " + message;
  return d;
}

Outline adopt_reviewed_outline(Outline reviewed, const std::vector<PartPlan>& plans, std::vector<std::string>& notes) {
  Outline ready;
  for (std::size_t i = 0; i < reviewed.parts.size(); ++i) {
    PartDraft& part = reviewed.parts[i];
    if (part.sections.empty()) {
      notes.push_back("The reviewed outline's part \"" + part.title + "\" has no sections; dropped");
      continue;
    }
    if (part.title.empty()) {
      const std::size_t position = ready.parts.size();
      part.title = position < plans.size() ? plans[position].title : "Part " + std::to_string(position + 1);
    }
    auto warnings = normalize_sections(part.sections);
    notes.insert(notes.end(), warnings.begin(), warnings.end());
    part.minutes = part.section_minutes();
    ready.parts.push_back(std::move(part));
  }
  return ready;
}

void rescale_outline(Outline& outline, int target, std::vector<std::string>& notes) {
  const int before = outline.total_minutes();
  int dropped = 0;
  // A course of `target` minutes holds at most `target` sections of at least one minute each.
  while (outline.section_count() > target && !outline.parts.empty()) {
    auto& last = outline.parts.back();
    last.sections.pop_back();
    ++dropped;
    if (last.sections.empty()) outline.parts.pop_back();
  }
  std::vector<int> minutes;
  for (const auto& part : outline.parts) {
    for (const auto& section : part.sections) minutes.push_back(section.minutes);
  }
  auto scaled = rescale_minutes(minutes, target);
  if (!scaled) return;  // unreachable: count ≤ target and target ≥ 1 after the loop above
  std::size_t k = 0;
  for (auto& part : outline.parts) {
    for (auto& section : part.sections) section.minutes = scaled.value()[k++];
    part.minutes = part.section_minutes();
  }
  std::string note = "Section minutes rescaled proportionally from " + std::to_string(before) + " to " +
                     std::to_string(target) + " minutes (" + variance_percent(before, target) + " % off target)";
  if (dropped > 0) note += "; " + std::to_string(dropped) + " trailing section(s) dropped to fit";
  notes.push_back(std::move(note));
}

}  // namespace docprof::domain::workflow_internal
