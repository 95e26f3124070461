// The revision steps of the workflow (issue 17): RevisionRequested → courses.revise_outline call;
// OutlineRevised → repair of an unparseable answer, StoreRevision for a parseable one (completed
// sections ignored in the answer), revision_impossible when the time cannot be fitted;
// RevisionStored → the run completes. Events and the store command round-trip through JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "domain/commands_json.h"
#include "domain/events_json.h"
#include "domain/models_json.h"
#include "domain/revision_outline.h"
#include "domain/workflow.h"
#include "revision_test_support.h"

namespace {

using namespace docprof::domain;
using revision_test::stored_course;
using revision_test::stored_rows;
using revision_test::tax_books;

constexpr std::int64_t kNow = 1'800'000'000'000;

RunState revision_state() {
  RunState state = initial_state("course-1");
  state.user_id = "user-1";
  state.query = "I want to learn corporate valuation";
  state.hours = 2.0;
  state.phase = Phase::revising;
  state.last_seq = 9;
  state.books = tax_books();
  state.revision = 1;
  state.revision_request = "add a section on tax implications";
  state.base_course = stored_course();
  state.base_sections = stored_rows();
  return state;
}

Envelope envelope(std::int64_t seq, EventPayload payload) {
  Envelope e;
  e.event_id = "event-" + std::to_string(seq);
  e.course_id = "course-1";
  e.seq = seq;
  e.occurred_at = "2027-01-15T08:00:00.000Z";
  e.payload = std::move(payload);
  return e;
}

StepContext context() { return StepContext{kNow, "next-event", WorkflowSettings{}}; }

// The stored outline with the completed section rewritten and a tax section added.
std::string answer_changing_the_completed_section() {
  return "## Part 1: Foundations of Valuation\n\n"
         "### Section 1: [completed] Time Value of Money - 5 minutes\nLearning objectives:\n- Something else\n\n"
         "### Section 2: Tax Implications of Dividends - 30 minutes\nLearning objectives:\n- Tax dividends\n"
         "- Compare payout policies\n\n"
         "## Part 2: Discounted Cash Flow\n\n"
         "### Section 1: Free Cash Flow - 30 minutes\nLearning objectives:\n- Compute FCF\n- Forecast FCF\n\n"
         "### Section 2: Cost of Capital - 30 minutes\nLearning objectives:\n- Estimate WACC\n- Apply CAPM\n";
}

TEST(WorkflowRevision, RequestedAsksForTheRevisedOutlineWithCompletedSectionsMarked) {
  const RunState state = revision_state();
  const Decision d = decide(state, envelope(10, RevisionRequested{1, "add a section on tax implications", "user-1"}),
                            context());
  ASSERT_EQ(d.kind, DecisionKind::apply);
  ASSERT_EQ(d.commands.size(), 1u);
  const auto* call = std::get_if<CallModel>(&d.commands.front());
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->request.prompt_id, kReviseOutlinePrompt);
  EXPECT_EQ(call->request.task, kReviseOutlineTask);
  EXPECT_EQ(call->request.variables.at("revision_request"), "add a section on tax implications");
  EXPECT_NE(call->request.variables.at("outline_text").find("[completed] Time Value of Money"), std::string::npos);
  EXPECT_EQ(call->request.variables.at("completed_minutes"), "30");
  EXPECT_EQ(d.follow_up.type, EventType::OutlineRevised);
  EXPECT_EQ(d.state.phase, Phase::revising);
  EXPECT_EQ(d.state.last_seq, 10);
  EXPECT_EQ(phase_after(EventType::RevisionRequested), Phase::revising);
}

TEST(WorkflowRevision, ARequestWithoutItsBaseFailsTheRun) {
  RunState state = revision_state();
  state.base_course.reset();
  const Decision d = decide(state, envelope(10, RevisionRequested{1, "make it 3 hours", "user-1"}), context());
  EXPECT_EQ(d.outcome, RunOutcome::failed);
  ASSERT_TRUE(d.failure.has_value());
  EXPECT_EQ(d.failure->phase, "revising");
}

TEST(WorkflowRevision, AnUnparseableAnswerIsRepairedThenFailsAfterMaxRepairs) {
  RunState state = revision_state();
  state.last_seq = 10;
  Decision d = decide(state, envelope(11, OutlineRevised{"sorry, I cannot", {}}), context());
  ASSERT_EQ(d.outcome, RunOutcome::running);
  ASSERT_EQ(d.commands.size(), 1u);
  const auto& repair = std::get<CallModel>(d.commands.front()).request;
  EXPECT_EQ(repair.prompt_id, "courses.repair");
  EXPECT_EQ(repair.task, kReviseOutlineTask);
  EXPECT_EQ(d.follow_up.type, EventType::OutlineRevised);
  EXPECT_EQ(d.state.repairs, 1);

  state.repairs = WorkflowSettings{}.max_repairs;
  d = decide(state, envelope(11, OutlineRevised{"still not an outline", {}}), context());
  EXPECT_EQ(d.outcome, RunOutcome::failed);
  EXPECT_EQ(d.failure->code, "unparseable_output");
}

TEST(WorkflowRevision, AParsedAnswerBecomesAStoreRevisionThatIgnoresChangesToCompletedSections) {
  RunState state = revision_state();
  state.last_seq = 10;
  const Decision d = decide(state, envelope(11, OutlineRevised{answer_changing_the_completed_section(), {}}),
                            context());
  ASSERT_EQ(d.outcome, RunOutcome::running) << d.message;
  ASSERT_EQ(d.commands.size(), 1u);
  const auto* store = std::get_if<StoreRevision>(&d.commands.front());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->course_id, "course-1");
  EXPECT_EQ(store->rows.revision, 1);
  EXPECT_DOUBLE_EQ(store->rows.hours, 2.0);
  EXPECT_EQ(store->rows.now_ms, kNow);
  EXPECT_GE(store->total_minutes, 114);
  EXPECT_LE(store->total_minutes, 126);
  EXPECT_TRUE(d.state.course_stored);
  EXPECT_EQ(d.follow_up.type, EventType::RevisionStored);
  bool noted = false;
  for (const auto& note : d.notes) noted = noted || note.find("Time Value of Money") != std::string::npos;
  EXPECT_TRUE(noted) << "no note on the ignored change";

  // The store step's event, from its outcome.
  const auto next = follow_up_event(d, envelope(11, OutlineRevised{}), CommandOutcome{StoreOutcome{}}, context());
  ASSERT_TRUE(next.ok()) << next.error().message;
  const auto* stored = std::get_if<RevisionStored>(&next->payload);
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(stored->revision, 1);
  EXPECT_EQ(stored->total_minutes, store->total_minutes);
  EXPECT_EQ(next->seq, 12);
}

TEST(WorkflowRevision, ALengthTheCompletedSectionsAlreadyExceedIsImpossible) {
  RunState state = revision_state();
  state.last_seq = 10;
  const std::string answer = "Course length: 20 minutes\n\n" + answer_changing_the_completed_section();
  const Decision d = decide(state, envelope(11, OutlineRevised{answer, {}}), context());
  EXPECT_EQ(d.outcome, RunOutcome::failed);
  EXPECT_EQ(d.failure->code, "revision_impossible");
}

TEST(WorkflowRevision, RevisionStoredCompletesTheRun) {
  RunState state = revision_state();
  state.last_seq = 11;
  const Decision d = decide(state, envelope(12, RevisionStored{"course-1", 1, 120}), context());
  EXPECT_EQ(d.outcome, RunOutcome::complete);
  EXPECT_EQ(d.state.phase, Phase::complete);
  EXPECT_FALSE(d.emits());
}

TEST(WorkflowRevision, ReopenPutsAFailedRevisionBackToRevising) {
  RunState state = revision_state();
  state.phase = Phase::error;
  const RunState reopened = reopen(state, EventType::OutlineRevised, kNow, WorkflowSettings{});
  EXPECT_EQ(reopened.phase, Phase::revising);
}

TEST(WorkflowRevision, EventsStateAndCommandRoundTripThroughJson) {
  for (const EventPayload& payload : {EventPayload{RevisionRequested{2, "drop the history part", "user-1"}},
                                      EventPayload{OutlineRevised{"## Part 1: A", TokenUsage{10, 20, 1}}},
                                      EventPayload{RevisionStored{"course-1", 2, 180}}}) {
    const Envelope e = envelope(3, payload);
    const auto back = envelope_from_json(nlohmann::json(e));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back.value(), e);
  }
  EXPECT_EQ(parse_event_type("RevisionStored").value(), EventType::RevisionStored);
  EXPECT_EQ(static_cast<int>(EventType::CourseFailed), 8);  // older indices are kept
  EXPECT_EQ(parse_phase("revising").value(), Phase::revising);

  const RunState state = revision_state();
  EXPECT_EQ(nlohmann::json(state).get<RunState>(), state);

  StoreRevision store;
  store.course_id = "course-1";
  store.revision_request = "make it 3 hours";
  store.books = tax_books();
  store.rows = RevisionRowsRequest{2, 3.0, kNow};
  store.total_minutes = 180;
  store.outline = parse_revised_answer(answer_changing_the_completed_section()).value().outline;
  const auto command = command_from_json(command_to_json(Command{store}));
  ASSERT_TRUE(command.ok()) << command.error().message;
  EXPECT_EQ(std::get<StoreRevision>(command.value()), store);
}

}  // namespace
