// One test per transition of the workflow reducer (domain.md §2), in the order a run takes them.
#include <gtest/gtest.h>

#include "domain/prompts.h"
#include "domain/time_rule.h"
#include "workflow_test_support.h"

namespace docprof::testing {
namespace {

template <class T>
const T& only_command(const Decision& d) {
  EXPECT_EQ(d.commands.size(), 1U);
  const T* c = std::get_if<T>(&d.commands.at(0));
  if (c == nullptr) throw std::runtime_error("unexpected command kind");
  return *c;
}

TEST(WorkflowSteps, CourseRequestedStartsTheRunAndEmbedsTheQuery) {
  const auto d = decide(initial_state("course-1"), envelope(0, valuation_request(6)), context_at(5000));
  ASSERT_EQ(d.kind, DecisionKind::apply);
  EXPECT_EQ(d.outcome, RunOutcome::running);
  EXPECT_EQ(d.state.query, "I want to learn corporate valuation");
  EXPECT_EQ(d.state.hours, 6.0);
  EXPECT_EQ(d.state.user_id, "user-1");
  EXPECT_EQ(d.state.phase, Phase::searching_books);
  EXPECT_EQ(d.state.last_seq, 0);
  EXPECT_EQ(d.state.created_at_ms, 5000);
  EXPECT_EQ(d.state.updated_at_ms, 5000);
  EXPECT_EQ(d.state.expires_at_ms, 5000 + WorkflowSettings{}.state_ttl_ms);
  EXPECT_EQ(only_command<Embed>(d).texts, std::vector<std::string>{"I want to learn corporate valuation"});
  EXPECT_EQ(d.follow_up.type, EventType::EmbeddingGenerated);
  EXPECT_NE(d.message.find("360 minutes"), std::string::npos);
}

TEST(WorkflowSteps, CourseRequestedTrimsTheQuery) {
  auto request = valuation_request();
  request.query = "  \n Learn SQL joins \t";
  const auto d = decide(initial_state("course-1"), envelope(0, request), context_at(1));
  EXPECT_EQ(d.state.query, "Learn SQL joins");
  EXPECT_EQ(only_command<Embed>(d).texts.at(0), "Learn SQL joins");
}

TEST(WorkflowSteps, EmbeddingGeneratedSearchesWithTheConfiguredLimits) {
  RunState s = initial_state("course-1");
  s.last_seq = 0;
  s.phase = Phase::searching_books;
  StepContext ctx = context_at(10);
  ctx.settings.top_k = 7;
  ctx.settings.min_similarity = 0.31;
  const auto d = decide(s, envelope(1, EmbeddingGenerated{{0.6F, 0.8F}, "hashing-v1", TokenUsage{3, 0, 1}}), ctx);
  const auto& search = only_command<SearchBookSummaries>(d);
  EXPECT_EQ(search.embedding, (std::vector<float>{0.6F, 0.8F}));
  EXPECT_EQ(search.embedding_model, "hashing-v1");
  EXPECT_EQ(search.top_k, 7);
  EXPECT_DOUBLE_EQ(search.min_similarity, 0.31);
  EXPECT_EQ(d.follow_up.type, EventType::BookSummariesFound);
  EXPECT_EQ(d.state.usage.input_tokens, 3);
  EXPECT_EQ(d.state.last_seq, 1);
}

TEST(WorkflowSteps, BookSummariesFoundStoresBooksAndAsksForParts) {
  RunState s = initial_state("course-1");
  s.query = "I want to learn corporate valuation";
  s.hours = 6;
  s.last_seq = 1;
  const auto d = decide(s, envelope(2, BookSummariesFound{{valuation_book()}}), context_at(10));
  ASSERT_EQ(d.state.books.size(), 1U);
  EXPECT_EQ(d.state.phase, Phase::generating_parts);
  const auto& call = only_command<CallModel>(d);
  EXPECT_EQ(call.request.prompt_id, kGeneratePartsPrompt);
  EXPECT_EQ(call.request.task, "generate_course_parts");
  EXPECT_DOUBLE_EQ(call.request.temperature, 0.7);
  EXPECT_EQ(call.request.max_tokens, 2000);
  EXPECT_EQ(call.request.variables.at("target_minutes"), "360");
  EXPECT_EQ(call.request.variables.at("parts_count_guidance"), "3-5 parts");
  EXPECT_NE(call.request.rendered.find("Frameworks for Valuation"), std::string::npos);
  EXPECT_EQ(d.follow_up.type, EventType::PartsGenerated);
  EXPECT_NE(d.message.find("Found 1 relevant book(s): Valuation (62%)"), std::string::npos) << d.message;
}

TEST(WorkflowSteps, PartsGeneratedPlansPartsAndExpandsTheFirst) {
  RunState s = planned_state({});
  s.last_seq = 2;
  s.phase = Phase::generating_parts;
  const std::string text =
      "Course title: Valuing a Company\nPart 1: Foundations - 45 minutes\nPart 2: DCF in Practice - 75 minutes\n"
      "Total: 120 minutes";
  const auto d = decide(s, envelope(3, PartsGenerated{text, TokenUsage{10, 20, 1}}), context_at(10));
  ASSERT_EQ(d.state.parts.size(), 2U);
  EXPECT_EQ(d.state.parts[0], (PartPlan{"Foundations", 45}));
  EXPECT_EQ(d.state.parts[1], (PartPlan{"DCF in Practice", 75}));
  EXPECT_EQ(d.state.course_title, "Valuing a Company");
  EXPECT_EQ(d.state.next_part_index, 0);
  EXPECT_EQ(d.state.usage.output_tokens, 20);
  const auto& call = only_command<CallModel>(d);
  EXPECT_EQ(call.request.prompt_id, kExpandPartPrompt);
  EXPECT_EQ(call.request.task, "generate_part_sections_0");
  EXPECT_EQ(call.request.variables.at("part_index"), "1");
  EXPECT_EQ(call.request.variables.at("part_title"), "Foundations");
  EXPECT_EQ(call.request.variables.at("part_minutes"), "45");
  EXPECT_NE(call.request.variables.at("remaining_text").find("Part 2: DCF in Practice - 75 minutes"),
            std::string::npos);
  EXPECT_EQ(d.follow_up.type, EventType::PartSectionsGenerated);
  EXPECT_EQ(d.follow_up.part_index, 0);
  EXPECT_TRUE(d.notes.empty());
}

TEST(WorkflowSteps, PartsGeneratedKeepsTheAnswersNotesInTheState) {
  RunState s = planned_state({});
  s.last_seq = 2;
  const std::string text =
      "Note (prior_knowledge): Accounting basics are skipped\nPart 1: Foundations - 45 minutes\n"
      "Part 2: DCF - 75 minutes\nTotal: 120 minutes\nNote (uncovered_topic: real options): No book covers them\n";
  const auto d = decide(s, envelope(3, PartsGenerated{text, {}}), context_at(10));
  ASSERT_EQ(d.state.parts.size(), 2U);
  EXPECT_EQ(d.state.notes, (std::vector<CourseNote>{{"prior_knowledge", "", "Accounting basics are skipped"},
                                                    {"uncovered_topic", "real options", "No book covers them"}}));
  ASSERT_EQ(d.notes.size(), 2U);  // each is shown in the run's history
  EXPECT_EQ(d.notes[1], "Outline note: Note (uncovered_topic: real options): No book covers them");
}

TEST(WorkflowSteps, TheStoredCourseCarriesNotesAndSectionSources) {
  Outline outline{{PartDraft{"Foundations", 60, {section("Value", 30), section("Enterprise DCF", 30)}}}};
  outline.parts[0].sections[0].reads = {{"book-valuation", 1, "return on CAPITAL"}};
  RunState s = expanded_state(outline, 1.0);
  s.notes = {{"uncovered_topic", "real options", "No book covers them"}};
  // A review that keeps the Read lines of the outline it was shown (render_outline writes them).
  Outline reviewed = outline;
  reviewed.parts[0].sections[1].minutes = 25;
  const auto d = decide(s, envelope(s.last_seq + 1, OutlineReviewed{true, render_outline(reviewed), "", {}}),
                        context_at(10));
  ASSERT_EQ(d.commands.size(), 2U);
  EXPECT_EQ(std::get<CreateCourse>(d.commands[0]).course.notes, s.notes);
  const auto& rows = std::get<CreateSections>(d.commands[1]).sections;
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_TRUE(rows[0].sources.empty());
  EXPECT_EQ(rows[1].sources, (std::vector<SectionSource>{{"book-valuation", valuation_book().title, 1,
                                                          "Why Value Value?", std::string("Return on capital")}}));
  ASSERT_EQ(rows[2].sources.size(), 1U);  // no Read line: matched by its words
  EXPECT_EQ(rows[2].sources[0].chapter_title, "Frameworks for Valuation");
}

TEST(WorkflowSteps, PartsThatMissTheTargetAreKeptAndNoted) {
  RunState s = planned_state({});
  s.last_seq = 2;
  const auto d = decide(s, envelope(3, PartsGenerated{"Part 1: A - 30 minutes\nPart 2: B - 60 minutes", {}}),
                        context_at(10));
  ASSERT_EQ(d.state.parts.size(), 2U);
  EXPECT_EQ(d.state.parts[0].minutes + d.state.parts[1].minutes, 90);
  ASSERT_EQ(d.notes.size(), 1U);
  EXPECT_NE(d.notes[0].find("90 minutes"), std::string::npos);
}

TEST(WorkflowSteps, PartSectionsGeneratedAppendsThePartAndExpandsTheNext) {
  RunState s = planned_state({{"Foundations", 45}, {"DCF in Practice", 75}});
  const std::string text = render_part(1, PartDraft{"Foundations", 45, {section("Value", 20), section("ROIC", 25)}});
  const auto d = decide(s, envelope(4, PartSectionsGenerated{text, 0, {}}), context_at(10));
  ASSERT_EQ(d.kind, DecisionKind::apply);
  ASSERT_EQ(d.state.outline.parts.size(), 1U);
  EXPECT_EQ(d.state.outline.parts[0].title, "Foundations");
  EXPECT_EQ(d.state.outline.parts[0].sections.size(), 2U);
  EXPECT_EQ(d.state.next_part_index, 1);
  const auto& call = only_command<CallModel>(d);
  EXPECT_EQ(call.request.task, "generate_part_sections_1");
  EXPECT_EQ(call.request.variables.at("part_index"), "2");
  EXPECT_EQ(call.request.variables.at("remaining_text"), "None");
  EXPECT_NE(call.request.variables.at("existing_outline").find("Section 2: ROIC - 25 minutes"), std::string::npos);
  EXPECT_EQ(d.follow_up.type, EventType::PartSectionsGenerated);
  EXPECT_EQ(d.follow_up.part_index, 1);
}

TEST(WorkflowSteps, TheLastPartCompletesTheOutline) {
  RunState s = planned_state({{"Foundations", 45}, {"DCF in Practice", 75}});
  s.outline.parts.push_back(PartDraft{"Foundations", 45, {section("Value", 20), section("ROIC", 25)}});
  s.next_part_index = 1;
  s.last_seq = 4;
  const std::string text = render_part(2, PartDraft{"DCF", 75, {section("FCF", 40), section("WACC", 35)}});
  const auto d = decide(s, envelope(5, PartSectionsGenerated{text, 1, {}}), context_at(10));
  EXPECT_TRUE(d.commands.empty());
  ASSERT_TRUE(d.follow_up.ready.has_value());
  EXPECT_TRUE(std::holds_alternative<AllPartsComplete>(*d.follow_up.ready));
  EXPECT_EQ(d.state.outline.total_minutes(), 120);
  EXPECT_EQ(d.state.outline.parts[1].title, "DCF in Practice");  // the plan's title, not the header's
}

TEST(WorkflowSteps, SectionsWithoutMinutesGetFifteenAndANote) {
  RunState s = planned_state({{"Foundations", 45}});
  const std::string text =
      "### Section 1: Value\nLearning objectives:\n- Explain value\n- Define value\n\n"
      "### Section 2: ROIC - 30 minutes\nLearning objectives:\n- Compute ROIC\n- Compare ROIC\n";
  const auto d = decide(s, envelope(4, PartSectionsGenerated{text, 0, {}}), context_at(10));
  ASSERT_EQ(d.state.outline.parts.at(0).sections.size(), 2U);
  EXPECT_EQ(d.state.outline.parts[0].sections[0].minutes, 15);
  EXPECT_FALSE(d.notes.empty());
}

TEST(WorkflowSteps, AnOutlineWithinFivePercentNeedsNoReview) {
  // Target 120: 126 is exactly 5 % off and needs no review.
  const RunState s = expanded_state(Outline{{PartDraft{"A", 126, {section("S1", 60), section("S2", 66)}}}});
  const auto d = decide(s, envelope(s.last_seq + 1, AllPartsComplete{}), context_at(10));
  EXPECT_TRUE(d.commands.empty());
  ASSERT_TRUE(d.follow_up.ready.has_value());
  const auto* reviewed = std::get_if<OutlineReviewed>(&*d.follow_up.ready);
  ASSERT_NE(reviewed, nullptr);
  EXPECT_FALSE(reviewed->reviewed);
  EXPECT_EQ(d.state.review_rounds, 0);
  EXPECT_EQ(d.state.phase, Phase::reviewing_outline);
}

TEST(WorkflowSteps, AnOutlineOffByMoreThanFivePercentIsReviewedOnce) {
  // Target 120: 127 is more than 5 % off.
  const RunState s = expanded_state(Outline{{PartDraft{"A", 127, {section("S1", 60), section("S2", 67)}}}});
  const auto d = decide(s, envelope(s.last_seq + 1, AllPartsComplete{}), context_at(10));
  const auto& call = only_command<CallModel>(d);
  EXPECT_EQ(call.request.prompt_id, kReviewOutlinePrompt);
  EXPECT_EQ(call.request.task, "review_and_adjust_outline");
  EXPECT_EQ(call.request.variables.at("current_total"), "127");
  EXPECT_EQ(call.request.variables.at("target_total"), "120");
  EXPECT_EQ(call.request.variables.at("variance_percent"), "5.8");
  EXPECT_EQ(call.request.variables.at("min_acceptable"), "114");
  EXPECT_EQ(call.request.variables.at("max_acceptable"), "126");
  EXPECT_EQ(d.state.review_rounds, 1);
  EXPECT_EQ(d.follow_up.type, EventType::OutlineReviewed);
}

TEST(WorkflowSteps, NoReviewStoresTheStructuredOutline) {
  const Outline outline{{PartDraft{"Foundations", 60, {section("Value", 30), section("ROIC", 30)}},
                         PartDraft{"DCF", 60, {section("FCF", 60, 5)}}}};
  RunState s = expanded_state(outline);
  s.last_seq = 6;
  const auto d = decide(s, envelope(7, OutlineReviewed{}), context_at(1'790'000'000'000));
  ASSERT_EQ(d.commands.size(), 2U);
  EXPECT_FALSE(s.course_stored);
  EXPECT_TRUE(d.state.course_stored) << "a cancel must know the course is written (issue 11, defect 3)";
  const auto& course = std::get<CreateCourse>(d.commands[0]).course;
  const auto& rows = std::get<CreateSections>(d.commands[1]).sections;
  EXPECT_EQ(course.course_id, "course-1");
  EXPECT_EQ(course.user_id, "user-1");
  EXPECT_EQ(course.title, "Foundations Course");
  EXPECT_EQ(course.estimated_hours, 2.0);
  EXPECT_EQ(course.created_at, "2026-09-21T14:13:20.000Z");
  ASSERT_EQ(rows.size(), 5U);
  EXPECT_EQ(rows[0].title, "Foundations");
  EXPECT_FALSE(rows[0].parent_section_id.has_value());
  EXPECT_EQ(rows[0].estimated_minutes, 60);
  EXPECT_TRUE(rows[0].learning_objectives.empty());
  EXPECT_EQ(rows[1].parent_section_id, rows[0].section_id);
  EXPECT_EQ(rows[3].title, "DCF");
  EXPECT_EQ(rows[4].parent_section_id, rows[3].section_id);
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i].order_index, static_cast<int>(i) + 1);
  EXPECT_EQ(d.follow_up.type, EventType::CourseStored);
  EXPECT_EQ(d.state.phase, Phase::storing);
  EXPECT_TRUE(d.notes.empty());
}

TEST(WorkflowSteps, AReviewWithinToleranceReplacesTheOutline) {
  RunState s = expanded_state(Outline{{PartDraft{"Foundations", 150, {section("Value", 75), section("ROIC", 75)}}}});
  s.review_rounds = 1;
  const std::string reviewed =
      render_outline(Outline{{PartDraft{"Foundations", 120, {section("Value", 60), section("ROIC", 50),
                                                             section("Cost of Capital", 12)}}}}) +
      "\n\nChanges made:\n- Shortened both sections\n- Added Cost of Capital";
  const auto d = decide(s, envelope(s.last_seq + 1, OutlineReviewed{true, reviewed, "", {}}), context_at(10));
  ASSERT_EQ(d.commands.size(), 2U);
  const auto& rows = std::get<CreateSections>(d.commands[1]).sections;
  ASSERT_EQ(rows.size(), 4U);
  EXPECT_EQ(rows[0].estimated_minutes, 122);  // within 5 % of 120: kept as reviewed
  EXPECT_EQ(rows[3].title, "Cost of Capital");
  EXPECT_EQ(rows[3].learning_objectives.size(), 3U);  // "Changes made" is not an objective
  EXPECT_EQ(d.state.outline.total_minutes(), 122);
}

TEST(WorkflowSteps, AReviewThatMissesIsRescaledToTheTargetExactly) {
  RunState s = expanded_state(Outline{{PartDraft{"Foundations", 150, {section("Value", 75), section("ROIC", 75)}}}});
  const std::string reviewed =
      render_outline(Outline{{PartDraft{"Foundations", 140, {section("Value", 70), section("ROIC", 70)}}}});
  const auto d = decide(s, envelope(s.last_seq + 1, OutlineReviewed{true, reviewed, "", {}}), context_at(10));
  const auto& rows = std::get<CreateSections>(d.commands.at(1)).sections;
  EXPECT_EQ(rows.at(1).estimated_minutes, 60);
  EXPECT_EQ(rows.at(2).estimated_minutes, 60);
  EXPECT_EQ(rows.at(0).estimated_minutes, 120);
  bool noted = false;
  for (const auto& n : d.notes) noted = noted || n.find("rescaled") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(WorkflowSteps, CourseStoredCompletesTheRun) {
  RunState s = expanded_state(Outline{{PartDraft{"A", 120, {section("S", 120)}}}});
  s.last_seq = 8;
  s.phase = Phase::storing;
  const auto d = decide(s, envelope(9, CourseStored{"course-1", "A Course", 120}), context_at(10));
  EXPECT_EQ(d.outcome, RunOutcome::complete);
  EXPECT_EQ(d.state.phase, Phase::complete);
  EXPECT_TRUE(d.commands.empty());
  EXPECT_FALSE(d.emits());
  EXPECT_NE(d.message.find("A Course"), std::string::npos);
}

TEST(WorkflowSteps, ACourseFailedEventFailsTheRun) {
  RunState s = planned_state({{"A", 60}});
  const auto d = decide(s, envelope(4, CourseFailed{"cancelled", "deleted by its owner", "generating_sections"}),
                        context_at(10));
  EXPECT_EQ(d.outcome, RunOutcome::failed);
  EXPECT_EQ(d.state.phase, Phase::error);
  ASSERT_TRUE(d.state.last_error.has_value());
  EXPECT_EQ(d.state.last_error->code, "cancelled");
  ASSERT_TRUE(d.failure.has_value());
  EXPECT_EQ(d.failure->code, "cancelled");
}

TEST(WorkflowSteps, PhaseAfterFollowsTheStatusContract) {
  EXPECT_EQ(phase_after(EventType::CourseRequested), Phase::searching_books);
  EXPECT_EQ(phase_after(EventType::EmbeddingGenerated), Phase::searching_books);
  EXPECT_EQ(phase_after(EventType::BookSummariesFound), Phase::generating_parts);
  EXPECT_EQ(phase_after(EventType::PartsGenerated), Phase::generating_sections);
  EXPECT_EQ(phase_after(EventType::PartSectionsGenerated), Phase::generating_sections);
  EXPECT_EQ(phase_after(EventType::AllPartsComplete), Phase::reviewing_outline);
  EXPECT_EQ(phase_after(EventType::OutlineReviewed), Phase::storing);
  EXPECT_EQ(phase_after(EventType::CourseStored), Phase::complete);
  EXPECT_EQ(phase_after(EventType::CourseFailed), Phase::error);
}

}  // namespace
}  // namespace docprof::testing
