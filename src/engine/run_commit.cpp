#include "engine/run_commit.h"

#include <algorithm>

namespace docprof::engine {

using ports::HistoryEntry;
using ports::HistoryKind;

namespace {

domain::TokenUsage usage_delta(const domain::TokenUsage& after, const domain::TokenUsage& before) {
  return domain::TokenUsage{after.input_tokens - before.input_tokens, after.output_tokens - before.output_tokens,
                            after.calls - before.calls};
}

// The 0-based part the next step expands: part 0 after the plan, part k + 1 after part k's sections.
int work_part_index(const domain::RunState& state, const std::optional<domain::Envelope>& next_event) {
  const int last = std::max(0, static_cast<int>(state.parts.size()) - 1);
  if (next_event) {
    if (next_event->type() == domain::EventType::PartsGenerated) return 0;
    if (const auto* sections = std::get_if<domain::PartSectionsGenerated>(&next_event->payload)) {
      return std::min(sections->part_index + 1, last);
    }
  }
  return std::min(state.next_part_index, last);
}

HistoryEntry entry(const domain::Envelope& event, HistoryKind kind, std::string message, std::int64_t now_ms) {
  HistoryEntry e;
  e.course_id = event.course_id;
  e.seq = event.seq;
  e.type = std::string(domain::to_string(event.type()));
  e.kind = kind;
  e.message = std::move(message);
  e.at_ms = now_ms;
  return e;
}

}  // namespace

ports::StepCommit build_step_commit(const ports::RunRecord& record, const domain::RunState& before,
                                    const domain::Decision& decision, const domain::Envelope& event,
                                    const std::optional<domain::Envelope>& next_event, bool keep_outbox,
                                    std::int64_t now_ms, const std::string& dead_letter_id) {
  const domain::RunState& state = decision.state;
  ports::StepCommit commit;
  commit.expected_version = record.version;
  ports::RunRecord& r = commit.record;
  r = record;
  r.next_seq = state.last_seq + 1;
  r.postponed = 0;  // the run moves on (or ends): the next event's deliveries count afresh
  r.parts_count = static_cast<int>(state.parts.size());
  // A step's model call runs before its commit, so the record describes the work that comes next:
  // the phase of the step the next event triggers, and the part that step expands.
  r.phase = next_event ? domain::phase_after(next_event->type()) : state.phase;
  r.current_part_index = work_part_index(state, next_event);
  r.usage = state.usage;
  if (state.ingest) {
    // An ingestion run's record: its book, its chapters and the chapter being summarized.
    const domain::IngestState& ingest = *state.ingest;
    r.kind = domain::RunKind::ingest;
    r.book_id = ingest.book_id;
    if (ingest.parsed && !ingest.offline.source_title.empty()) r.title = ingest.offline.source_title;
    r.parts_count = ingest.unchanged ? ingest.offline.total_chapters : static_cast<int>(ingest.outline.chapters.size());
    r.current_part_index = std::min(static_cast<int>(ingest.chapters.size()), std::max(0, r.parts_count - 1));
  }
  if (state.revision > 0) r.hours = state.hours;  // a revision may change the course's length
  r.updated_at_ms = now_ms;
  r.expires_at_ms = state.expires_at_ms;
  r.outbox = keep_outbox ? next_event : std::nullopt;
  r.error.reset();
  r.state = state;

  if (event.attempt > 1) {
    commit.history.push_back(
        entry(event, HistoryKind::note, "Delivered again (attempt " + std::to_string(event.attempt) + ")", now_ms));
  }
  HistoryEntry step = entry(event, HistoryKind::step, decision.message, now_ms);
  step.usage = usage_delta(state.usage, before.usage);
  commit.history.push_back(std::move(step));
  for (const auto& note : decision.notes) commit.history.push_back(entry(event, HistoryKind::note, note, now_ms));

  switch (decision.outcome) {
    case domain::RunOutcome::running:
      r.status = ports::RunStatus::processing;
      commit.next_event = next_event;
      break;
    case domain::RunOutcome::complete: {
      r.status = ports::RunStatus::complete;
      r.state.reset();  // the bulky state goes; the record stays to answer status and drop duplicates
      if (const auto* stored = std::get_if<domain::CourseStored>(&event.payload)) r.title = stored->title;
      if (const auto* book = std::get_if<domain::BookStored>(&event.payload)) {
        r.title = book->title;
        r.current_part_index = book->chapters;  // every chapter done
      }
      commit.history.push_back(entry(event, HistoryKind::complete, decision.message, now_ms));
      break;
    }
    case domain::RunOutcome::failed: {
      r.status = ports::RunStatus::error;
      r.phase = domain::Phase::error;
      const domain::CourseFailed failure =
          decision.failure.value_or(domain::CourseFailed{"internal_error", decision.message, ""});
      r.error = domain::Error{failure.code, failure.message};
      commit.history.push_back(entry(event, HistoryKind::error, failure.code + ": " + failure.message, now_ms));
      commit.dead_letter = make_dead_letter(event, failure.code, failure.message, now_ms, dead_letter_id);
      break;
    }
  }
  return commit;
}

ports::DeadLetter make_dead_letter(const domain::Envelope& event, const std::string& code, const std::string& message,
                                   std::int64_t now_ms, const std::string& id) {
  ports::DeadLetter dead;
  dead.id = id;
  dead.course_id = event.course_id;
  dead.event = event;
  dead.attempts = event.attempt;
  dead.error_code = code;
  dead.error = message;
  dead.at_ms = now_ms;
  return dead;
}

ports::StepCommit build_note_commit(const ports::RunRecord& record, const domain::Envelope& event,
                                    const std::string& message, std::int64_t now_ms) {
  ports::StepCommit commit;
  commit.expected_version = record.version;
  commit.record = record;
  commit.record.updated_at_ms = now_ms;
  if (!message.empty()) commit.history.push_back(entry(event, HistoryKind::note, message, now_ms));
  return commit;
}

ports::StepCommit build_postpone_commit(const ports::RunRecord& record, const domain::Envelope& event,
                                        const std::string& message, std::int64_t now_ms) {
  ports::StepCommit commit = build_note_commit(record, event, message, now_ms);
  commit.record.postponed = record.postponed + 1;
  return commit;
}

}  // namespace docprof::engine
