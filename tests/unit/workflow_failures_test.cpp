// One test per failure branch of the workflow reducer: invalid requests, no books, repairs and
// unparseable output, provider failures, truncation, duplicates and replays.
#include <gtest/gtest.h>

#include "domain/prompts.h"
#include "workflow_test_support.h"

namespace docprof::testing {
namespace {

TEST(WorkflowFailures, AnInvalidRequestFailsWithoutConsumingItsSeq) {
  auto request = valuation_request(0);
  const auto d = decide(initial_state("course-1"), envelope(0, request), context_at(10));
  EXPECT_EQ(d.outcome, RunOutcome::failed);
  EXPECT_TRUE(d.commands.empty());
  EXPECT_FALSE(d.emits());
  EXPECT_EQ(d.state.last_seq, -1);
  EXPECT_EQ(d.state.phase, Phase::error);
  ASSERT_TRUE(d.failure.has_value());
  EXPECT_EQ(d.failure->code, "invalid_request");
  EXPECT_EQ(d.failure->phase, "searching_books");
  EXPECT_NE(d.failure->message.find("hours"), std::string::npos);
}

TEST(WorkflowFailures, AnEmptyQueryIsAnInvalidRequest) {
  auto request = valuation_request();
  request.query = "   ";
  const auto d = decide(initial_state("course-1"), envelope(0, request), context_at(10));
  ASSERT_TRUE(d.failure.has_value());
  EXPECT_EQ(d.failure->code, "invalid_request");
}

TEST(WorkflowFailures, ASearchThatFindsNothingFailsTheSearchStep) {
  RunState s = initial_state("course-1");
  s.last_seq = 0;
  StepContext ctx = context_at(10);
  ctx.settings.min_similarity = 0.25;
  const Envelope event = envelope(1, EmbeddingGenerated{{1.0F}, "hashing", {}});
  const auto d = decide(s, event, ctx);
  auto next = follow_up_event(d, event, CommandOutcome{SearchOutcome{}}, ctx);
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().code, "no_relevant_books");
  EXPECT_NE(next.error().message.find("0.25"), std::string::npos);

  const auto f = decide_failure(s, event, StepFailure{next.error().code, next.error().message}, ctx);
  EXPECT_EQ(f.outcome, RunOutcome::failed);
  EXPECT_EQ(f.state.last_seq, 0);  // the search step can be replayed after importing books
  EXPECT_EQ(f.failure->code, "no_relevant_books");
}

TEST(WorkflowFailures, BookSummariesFoundWithNoBooksFails) {
  RunState s = initial_state("course-1");
  s.last_seq = 1;
  const auto d = decide(s, envelope(2, BookSummariesFound{}), context_at(10));
  EXPECT_EQ(d.outcome, RunOutcome::failed);
  EXPECT_EQ(d.failure->code, "no_relevant_books");
  EXPECT_EQ(d.state.last_seq, 1);
}

TEST(WorkflowFailures, UnparseablePartsAskForARepair) {
  RunState s = planned_state({});
  s.last_seq = 2;
  const std::string refusal = "I'm sorry, but I can't help with creating that course.";
  const auto d = decide(s, envelope(3, PartsGenerated{refusal, TokenUsage{5, 5, 1}}), context_at(10));
  ASSERT_EQ(d.kind, DecisionKind::apply);
  EXPECT_EQ(d.outcome, RunOutcome::running);
  EXPECT_EQ(d.state.repairs, 1);
  EXPECT_EQ(d.state.last_seq, 3);  // a repair is a step of its own
  EXPECT_TRUE(d.state.parts.empty());
  ASSERT_EQ(d.commands.size(), 1U);
  const auto& call = std::get<CallModel>(d.commands[0]).request;
  EXPECT_EQ(call.prompt_id, kRepairPrompt);
  EXPECT_EQ(call.task, "generate_course_parts");
  EXPECT_EQ(call.variables.at("original_prompt_id"), "courses.generate_parts");
  EXPECT_EQ(call.variables.at("previous_answer"), refusal);
  EXPECT_FALSE(call.variables.at("parse_error").empty());
  EXPECT_EQ(d.follow_up.type, EventType::PartsGenerated);
  ASSERT_EQ(d.notes.size(), 1U);
  EXPECT_NE(d.notes[0].find("repair 1 of 2"), std::string::npos);
}

TEST(WorkflowFailures, PartsStillUnparseableAfterTheRepairsFailTheRun) {
  RunState s = planned_state({});
  s.last_seq = 4;
  s.repairs = 2;
  const auto d = decide(s, envelope(5, PartsGenerated{"Total: 30 minutes", {}}), context_at(10));
  EXPECT_EQ(d.outcome, RunOutcome::failed);
  EXPECT_EQ(d.failure->code, "unparseable_output");
  EXPECT_EQ(d.state.last_seq, 4);
  ASSERT_FALSE(d.notes.empty());
  EXPECT_NE(d.notes.back().find("Total: 30 minutes"), std::string::npos);  // the offending text is kept
}

TEST(WorkflowFailures, MaxRepairsIsConfigurable) {
  RunState s = planned_state({});
  s.last_seq = 2;
  StepContext ctx = context_at(10);
  ctx.settings.max_repairs = 0;
  const auto d = decide(s, envelope(3, PartsGenerated{"", {}}), ctx);
  EXPECT_EQ(d.outcome, RunOutcome::failed);
  EXPECT_EQ(d.failure->code, "unparseable_output");
}

TEST(WorkflowFailures, UnparseableSectionsAskForARepairOfThatPart) {
  RunState s = planned_state({{"A", 60}, {"B", 60}});
  s.outline.parts.push_back(PartDraft{"A", 60, {section("S", 60)}});
  s.next_part_index = 1;
  s.last_seq = 4;
  const auto d = decide(s, envelope(5, PartSectionsGenerated{"Here are some thoughts.", 1, {}}), context_at(10));
  ASSERT_EQ(d.commands.size(), 1U);
  const auto& call = std::get<CallModel>(d.commands[0]).request;
  EXPECT_EQ(call.prompt_id, kRepairPrompt);
  EXPECT_EQ(call.task, "generate_part_sections_1");
  EXPECT_EQ(d.follow_up.type, EventType::PartSectionsGenerated);
  EXPECT_EQ(d.follow_up.part_index, 1);
  EXPECT_EQ(d.state.next_part_index, 1);
  EXPECT_EQ(d.state.outline.parts.size(), 1U);
}

TEST(WorkflowFailures, SectionsForAnotherPartThanExpectedFail) {
  RunState s = planned_state({{"A", 60}, {"B", 60}});
  const auto d = decide(s, envelope(4, PartSectionsGenerated{"### Section 1: X - 60 minutes", 1, {}}), context_at(10));
  EXPECT_EQ(d.outcome, RunOutcome::failed);
  EXPECT_NE(d.failure->message.find("part 1 was expected"), std::string::npos);
}

TEST(WorkflowFailures, AnUnparseableReviewIsRepairedThenIgnored) {
  RunState s = expanded_state(Outline{{PartDraft{"A", 150, {section("S1", 75), section("S2", 75)}}}});
  s.review_rounds = 1;
  const auto first = decide(s, envelope(s.last_seq + 1, OutlineReviewed{true, "Sure! I adjusted it.", "", {}}),
                            context_at(10));
  ASSERT_EQ(first.commands.size(), 1U);
  EXPECT_EQ(std::get<CallModel>(first.commands[0]).request.task, "review_and_adjust_outline");
  EXPECT_EQ(first.follow_up.type, EventType::OutlineReviewed);

  RunState exhausted = s;
  exhausted.repairs = 2;
  const auto last = decide(exhausted, envelope(s.last_seq + 1, OutlineReviewed{true, "garbage", "", {}}),
                           context_at(10));
  EXPECT_EQ(last.outcome, RunOutcome::running);
  ASSERT_EQ(last.commands.size(), 2U);  // stored anyway: pre-review outline, rescaled to 120
  const auto& rows = std::get<CreateSections>(last.commands[1]).sections;
  EXPECT_EQ(rows.at(0).estimated_minutes, 120);
  EXPECT_EQ(rows.at(1).estimated_minutes, 60);
  EXPECT_EQ(rows.at(1).title, "S1");
}

TEST(WorkflowFailures, AProviderErrorFailsTheRunAtThatStep) {
  RunState s = planned_state({{"A", 60}});
  const Envelope event = envelope(4, PartSectionsGenerated{"x", 0, {}});
  const auto d = decide_failure(s, event, StepFailure{"provider_error", "401 invalid api key"}, context_at(10));
  EXPECT_EQ(d.outcome, RunOutcome::failed);
  EXPECT_EQ(d.state.phase, Phase::error);
  EXPECT_EQ(d.state.last_seq, 3);
  EXPECT_EQ(d.failure->code, "provider_error");
  EXPECT_EQ(d.failure->message, "401 invalid api key");
  EXPECT_EQ(d.failure->phase, "generating_sections");
}

TEST(WorkflowFailures, RetriesExhaustedFailsTheRun) {
  RunState s = initial_state("course-1");
  s.last_seq = 0;
  const auto d = decide_failure(s, envelope(1, EmbeddingGenerated{{1.0F}, "m", {}}),
                                StepFailure{"retries_exhausted", "6 deliveries failed: HTTP 503"}, context_at(10));
  EXPECT_EQ(d.outcome, RunOutcome::failed);
  EXPECT_EQ(d.failure->code, "retries_exhausted");
}

TEST(WorkflowFailures, ATruncatedAnswerIsAFailureOfTheStep) {
  RunState s = planned_state({});
  s.last_seq = 2;
  const Envelope event = envelope(3, PartsGenerated{"Part 1: A - 60 minutes\nPart 2: B - 60 minutes", {}});
  const auto d = decide(s, event, context_at(10));
  auto next = follow_up_event(d, event, CommandOutcome{ModelOutcome{"## Part 1: A\n### Sect", {}, "length"}},
                              context_at(11));
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().code, "truncated_output");
  const auto f = decide_failure(s, event, StepFailure{"truncated_output", next.error().message}, context_at(12));
  EXPECT_EQ(f.outcome, RunOutcome::failed);
  EXPECT_EQ(f.failure->code, "truncated_output");
}

TEST(WorkflowFailures, ATruncatedReviewKeepsThePreReviewOutline) {
  RunState s = expanded_state(Outline{{PartDraft{"A", 150, {section("S1", 75), section("S2", 75)}}}});
  const Envelope event = envelope(s.last_seq + 1, AllPartsComplete{});
  const auto f = decide_failure(s, event, StepFailure{"truncated_output", "cut off"}, context_at(10));
  EXPECT_EQ(f.outcome, RunOutcome::running);
  EXPECT_EQ(f.state.review_rounds, 1);
  ASSERT_TRUE(f.follow_up.ready.has_value());
  const auto& reviewed = std::get<OutlineReviewed>(*f.follow_up.ready);
  EXPECT_FALSE(reviewed.reviewed);
  EXPECT_NE(reviewed.note.find("truncated"), std::string::npos);

  auto next = follow_up_event(f, event, std::nullopt, context_at(11));
  ASSERT_TRUE(next.ok());
  const auto store = decide(f.state, next.value(), context_at(12));
  const auto& rows = std::get<CreateSections>(store.commands.at(1)).sections;
  EXPECT_EQ(rows.at(0).estimated_minutes, 120);
  EXPECT_NE(store.notes.at(0).find("truncated"), std::string::npos);
}

TEST(WorkflowFailures, AProviderErrorDuringTheReviewFailsTheRun) {
  RunState s = expanded_state(Outline{{PartDraft{"A", 150, {section("S1", 75), section("S2", 75)}}}});
  const auto f = decide_failure(s, envelope(s.last_seq + 1, AllPartsComplete{}),
                                StepFailure{"provider_error", "403"}, context_at(10));
  EXPECT_EQ(f.outcome, RunOutcome::failed);
}

TEST(WorkflowFailures, EventsAtOrBelowTheAppliedSeqAreDuplicates) {
  RunState s = planned_state({{"A", 60}});
  const auto d = decide(s, envelope(3, PartsGenerated{"Part 1: A - 60 minutes", {}}), context_at(10));
  EXPECT_EQ(d.kind, DecisionKind::duplicate);
  EXPECT_TRUE(d.commands.empty());
  EXPECT_EQ(d.state, s);
  const auto again = decide(s, envelope(0, valuation_request()), context_at(10));
  EXPECT_EQ(again.kind, DecisionKind::duplicate);
}

TEST(WorkflowFailures, EventsOfAFinishedRunAreDuplicates) {
  RunState done = planned_state({{"A", 60}});
  done.phase = Phase::complete;
  EXPECT_EQ(decide(done, envelope(4, AllPartsComplete{}), context_at(1)).kind, DecisionKind::duplicate);
  RunState failed_run = planned_state({{"A", 60}});
  failed_run.phase = Phase::error;
  EXPECT_EQ(decide(failed_run, envelope(4, AllPartsComplete{}), context_at(1)).kind, DecisionKind::duplicate);
}

TEST(WorkflowFailures, AnEventAheadOfTheStateIsOutOfOrder) {
  RunState s = planned_state({{"A", 60}});
  const auto d = decide(s, envelope(6, AllPartsComplete{}), context_at(1));
  EXPECT_EQ(d.kind, DecisionKind::out_of_order);
  EXPECT_TRUE(d.commands.empty());
}

TEST(WorkflowFailures, ReopenLetsTheFailedEventBeAppliedAgain) {
  RunState s = planned_state({});
  s.last_seq = 4;
  s.repairs = 2;
  const Envelope event = envelope(5, PartsGenerated{"nothing useful", {}});
  const auto failed_decision = decide(s, event, context_at(10));
  ASSERT_EQ(failed_decision.outcome, RunOutcome::failed);

  const RunState reopened = reopen(failed_decision.state, EventType::PartsGenerated, 20, WorkflowSettings{});
  EXPECT_EQ(reopened.phase, Phase::generating_parts);
  EXPECT_FALSE(reopened.last_error.has_value());
  EXPECT_EQ(reopened.repairs, 0);
  EXPECT_EQ(reopened.updated_at_ms, 20);

  const auto replayed = decide(reopened, event, context_at(30));
  EXPECT_EQ(replayed.kind, DecisionKind::apply);
  EXPECT_EQ(replayed.outcome, RunOutcome::running);  // a fresh repair, not an immediate failure
  EXPECT_EQ(replayed.state.repairs, 1);
}

TEST(WorkflowFailures, FollowUpEventsCarryTheNextSeqIdAndTime) {
  RunState s = initial_state("course-1");
  s.last_seq = 0;
  const Envelope event = envelope(1, EmbeddingGenerated{{1.0F}, "m", {}});
  const auto d = decide(s, event, context_at(10));
  auto next = follow_up_event(d, event, CommandOutcome{SearchOutcome{{valuation_book()}}},
                              context_at(1'790'000'000'123, "evt-42"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->seq, 2);
  EXPECT_EQ(next->event_id, "evt-42");
  EXPECT_EQ(next->course_id, "course-1");
  EXPECT_EQ(next->attempt, 1);
  EXPECT_EQ(next->occurred_at, "2026-09-21T14:13:20.123Z");
  EXPECT_EQ(next->type(), EventType::BookSummariesFound);
}

TEST(WorkflowFailures, AnOutcomeOfTheWrongKindIsRejected) {
  RunState s = initial_state("course-1");
  s.last_seq = 0;
  const Envelope event = envelope(1, EmbeddingGenerated{{1.0F}, "m", {}});
  const auto d = decide(s, event, context_at(10));
  auto next = follow_up_event(d, event, CommandOutcome{ModelOutcome{"text", {}, "stop"}}, context_at(11));
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().code, "invalid_outcome");
  auto missing = follow_up_event(d, event, std::nullopt, context_at(11));
  EXPECT_FALSE(missing.ok());
}

TEST(WorkflowFailures, AnEmptyEmbeddingIsAProviderError) {
  auto d = decide(initial_state("course-1"), envelope(0, valuation_request()), context_at(10));
  auto next = follow_up_event(d, envelope(0, valuation_request()), CommandOutcome{EmbedOutcome{}}, context_at(11));
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().code, "provider_error");
}

}  // namespace
}  // namespace docprof::testing
