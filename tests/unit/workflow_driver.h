// Test support: drives the pure workflow reducer through a whole run the way the engine will —
// decide, run the commands against scripted providers, build the follow-up event, repeat — and
// records every decision, event and store command. Not a mock of any server: there is none here.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "domain/commands.h"
#include "domain/events.h"
#include "domain/workflow.h"

namespace docprof::testing {

using namespace docprof::domain;

// What a scripted model returns for a request: an answer, or a failure of the step.
struct ScriptedAnswer {
  std::optional<ModelOutcome> outcome;
  std::optional<StepFailure> failure;
};
using ModelScript = std::function<ScriptedAnswer(const LlmRequest&)>;

inline ScriptedAnswer answer(std::string text, std::string finish_reason = "stop") {
  return ScriptedAnswer{ModelOutcome{std::move(text), TokenUsage{100, 50, 1}, std::move(finish_reason)}, {}};
}
inline ScriptedAnswer failure(std::string code, std::string message) {
  return ScriptedAnswer{{}, StepFailure{std::move(code), std::move(message)}};
}

struct RunRecord {
  RunState state;
  std::vector<Envelope> events;        // every event delivered, in order
  std::vector<Decision> decisions;     // one per delivered event
  std::vector<LlmRequest> requests;    // every model request made
  std::vector<CreateCourse> courses;   // store commands seen
  std::vector<CreateSections> section_sets;
  std::optional<CourseFailed> failure;
  bool complete = false;
  int duplicates_seen = 0;
};

struct DriverOptions {
  std::vector<BookMatch> books;
  WorkflowSettings settings;
  bool deliver_twice = false;  // deliver every event a second time (at-least-once delivery)
  int max_steps = 200;
};

inline RunRecord drive(const std::string& course_id, const CourseRequested& request, const ModelScript& model,
                       const DriverOptions& options) {
  RunRecord record;
  record.state = initial_state(course_id);
  std::int64_t clock = 1'790'000'000'000;
  int ids = 0;
  auto context = [&]() {
    StepContext c;
    c.now_ms = (clock += 1000);
    c.next_event_id = course_id + "-event-" + std::to_string(++ids);
    c.settings = options.settings;
    return c;
  };

  Envelope event{course_id + "-event-0", course_id, 0, "2026-11-28T00:00:00.000Z", 1, request};
  for (int step = 0; step < options.max_steps; ++step) {
    record.events.push_back(event);
    const StepContext ctx = context();
    Decision d = decide(record.state, event, ctx);
    record.decisions.push_back(d);
    if (d.kind != DecisionKind::apply) {
      ++record.duplicates_seen;
      return record;  // unexpected in a straight run: the caller's assertions will show it
    }

    std::optional<CommandOutcome> outcome;
    std::optional<StepFailure> step_failure;
    for (const Command& command : d.commands) {
      if (const auto* embed = std::get_if<Embed>(&command)) {
        outcome = EmbedOutcome{std::vector<float>{0.6F, 0.8F}, "test-embedder", TokenUsage{}};
        (void)embed;
      } else if (std::get_if<SearchBookSummaries>(&command) != nullptr) {
        outcome = SearchOutcome{options.books};
      } else if (const auto* call = std::get_if<CallModel>(&command)) {
        record.requests.push_back(call->request);
        ScriptedAnswer a = model(call->request);
        if (a.failure) step_failure = a.failure;
        else outcome = *a.outcome;
      } else if (const auto* course = std::get_if<CreateCourse>(&command)) {
        record.courses.push_back(*course);
        outcome = StoreOutcome{};
      } else if (const auto* sections = std::get_if<CreateSections>(&command)) {
        record.section_sets.push_back(*sections);
        outcome = StoreOutcome{};
      }
    }

    if (!step_failure && d.outcome == RunOutcome::running && d.emits()) {
      auto next = follow_up_event(d, event, d.follow_up.ready ? std::nullopt : outcome, context());
      if (!next) step_failure = StepFailure{next.error().code, next.error().message};
      else {
        if (outcome && !d.follow_up.ready) keep_outcome(d.state, *outcome);  // as the engine does
        record.state = d.state;
        if (options.deliver_twice) {
          Decision again = decide(record.state, event, context());
          if (again.kind == DecisionKind::duplicate) ++record.duplicates_seen;
        }
        event = next.value();
        continue;
      }
    }
    if (step_failure) {
      Decision f = decide_failure(record.state, event, *step_failure, context());
      record.decisions.push_back(f);
      if (f.outcome == RunOutcome::failed) {
        record.state = f.state;
        record.failure = f.failure;
        return record;
      }
      auto next = follow_up_event(f, event, std::nullopt, context());
      record.state = f.state;
      event = next.value();
      continue;
    }
    record.state = d.state;
    if (d.outcome == RunOutcome::failed) {
      record.failure = d.failure;
      return record;
    }
    if (d.outcome == RunOutcome::complete) {
      record.complete = true;
      return record;
    }
    return record;  // a running decision that emits nothing: a stall, which tests must catch
  }
  return record;
}

}  // namespace docprof::testing
