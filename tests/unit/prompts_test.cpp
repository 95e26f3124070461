#include "domain/prompts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/outline_text.h"
#include "domain/prompt_templates.h"
#include "domain/source_context.h"
#include "domain/text.h"

namespace docprof::domain {
namespace {

using Names = std::vector<std::string>;

Names keys_of(const PromptVariables& variables) {
  Names names;
  for (const auto& [name, value] : variables) names.push_back(name);
  return names;
}

Names spec_names(std::string_view prompt_id) {
  const auto& spec = prompt_spec(prompt_id);
  return Names(spec.variables.begin(), spec.variables.end());
}

PromptVariables dummy_values(std::string_view prompt_id) {
  PromptVariables values;
  for (const auto name : prompt_spec(prompt_id).variables)
    values[std::string(name)] = "<" + std::string(name) + ">";
  return values;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

std::string repeat(std::string_view unit, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += unit;
  return out;
}

BookMatch sample_book() {
  BookMatch b;
  b.book_id = "b1";
  b.title = "Valuation Handbook";
  b.author = "T. Koller";
  b.similarity = 0.8;
  b.summary.source_title = b.title;
  b.summary.source_summary = "How to value companies.";
  ChapterSummary c;
  c.chapter_number = 1;
  c.chapter_title = "Discounted Cash Flow";
  c.summary = "DCF step by step.";
  b.summary.chapters.push_back(c);
  return b;
}

PartDraft drafted_part(std::string title, std::vector<int> minutes) {
  PartDraft part;
  part.title = std::move(title);
  for (std::size_t i = 0; i < minutes.size(); ++i) {
    part.sections.push_back({"Section " + std::to_string(i + 1) + " of " + part.title,
                             minutes[i],
                             {"Explain the idea", "Apply the idea"}, {}});
    part.minutes += minutes[i];
  }
  return part;
}

RunState sample_state() {
  RunState state;
  state.course_id = "c1";
  state.query = "I want to learn corporate valuation";
  state.hours = 6.0;
  state.books = {sample_book()};
  state.parts = {
      {"Foundations", 90}, {"Cash Flow Models", 120}, {"Relative Valuation", 90}, {"Cases", 60}};
  return state;
}

// ---- Specs and templates ----

TEST(PromptSpec, VariablesAreTheTemplatesPlaceholders) {
  for (const auto id :
       {kGeneratePartsPrompt, kExpandPartPrompt, kReviewOutlinePrompt, kReviseOutlinePrompt, kRepairPrompt}) {
    const PromptTemplate* found = find_prompt_template(id);
    ASSERT_NE(found, nullptr) << id;
    const Names names = spec_names(id);
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end())) << id;
    EXPECT_EQ(names, placeholders_of(found->text)) << id;
  }
}

TEST(PromptSpec, GeneratePartsVariablesAndSettings) {
  const auto& spec = prompt_spec(kGeneratePartsPrompt);
  EXPECT_EQ(spec_names(kGeneratePartsPrompt),
            (Names{"hours", "parts_count_guidance", "parts_guidance", "preferences", "query",
                   "summaries_context", "target_minutes"}));
  EXPECT_DOUBLE_EQ(spec.temperature, 0.7);
  EXPECT_EQ(spec.max_tokens, 2000);
  EXPECT_TRUE(contains(std::string(spec.format_spec), "Part 1: <part title> - <minutes> minutes"));
  EXPECT_TRUE(contains(std::string(spec.format_spec), "Total: <minutes> minutes"));
}

TEST(PromptSpec, ExpandPartVariablesAndSettings) {
  const auto& spec = prompt_spec(kExpandPartPrompt);
  EXPECT_EQ(spec_names(kExpandPartPrompt),
            (Names{"book_summaries_context", "existing_outline", "part_index", "part_minutes",
                   "part_title", "preferences", "query", "remaining_text"}));
  EXPECT_DOUBLE_EQ(spec.temperature, 0.7);
  EXPECT_EQ(spec.max_tokens, 3000);
  EXPECT_TRUE(contains(std::string(spec.format_spec),
                       "### Section 1: <section title> - <minutes> minutes\n"
                       "Learning objectives:\n- <objective>"));
  EXPECT_TRUE(contains(std::string(spec.format_spec), "Total for this part: <minutes> minutes"));
}

TEST(PromptSpec, ExpandPartAsksForOptionalReadLines) {
  const auto& spec = prompt_spec(kExpandPartPrompt);
  EXPECT_TRUE(contains(std::string(spec.format_spec),
                       "- <objective>\nRead: <book_id> ch <chapter number> \u00A7 <section title in the book>\n"));
  const std::string text(find_prompt_template(kExpandPartPrompt)->text);
  EXPECT_TRUE(contains(text, "one optional line per reading"));
  EXPECT_TRUE(contains(text, "Cite only material listed there"));
}

TEST(PromptSpec, GeneratePartsAsksForOptionalNoteLines) {
  const auto& spec = prompt_spec(kGeneratePartsPrompt);
  EXPECT_TRUE(contains(std::string(spec.format_spec),
                       "Total: <minutes> minutes\nNote (uncovered_topic: <topic>): <one sentence>"));
  EXPECT_TRUE(contains(std::string(find_prompt_template(kGeneratePartsPrompt)->text), "Note (prior_knowledge)"));
}

TEST(PromptSpec, ReviewOutlineKeepsReadLines) {
  EXPECT_TRUE(contains(std::string(find_prompt_template(kReviewOutlinePrompt)->text),
                       "keep each section's \"Read:\" lines"));
}

TEST(PromptSpec, ReviewOutlineVariablesAndSettings) {
  const auto& spec = prompt_spec(kReviewOutlinePrompt);
  EXPECT_EQ(
      spec_names(kReviewOutlinePrompt),
      (Names{"book_summaries_context", "current_total", "hours", "max_acceptable", "min_acceptable",
             "outline_text", "preferences", "query", "target_total", "variance_percent"}));
  EXPECT_DOUBLE_EQ(spec.temperature, 0.7);
  EXPECT_EQ(spec.max_tokens, 4000);
}

TEST(PromptSpec, RepairVariablesAndSettings) {
  const auto& spec = prompt_spec(kRepairPrompt);
  EXPECT_EQ(spec_names(kRepairPrompt),
            (Names{"format_spec", "original_prompt_id", "parse_error", "previous_answer"}));
  EXPECT_LT(spec.temperature, 0.5);
}

TEST(PromptSpec, UnknownIdThrows) {
  EXPECT_THROW(prompt_spec("courses.nope"), std::invalid_argument);
}

TEST(PromptTemplates, TemplatesRequestTheDomainRules) {
  const std::string parts(find_prompt_template(kGeneratePartsPrompt)->text);
  EXPECT_TRUE(contains(parts, "120 minutes"));
  EXPECT_TRUE(contains(parts, "30 to 120"));
  EXPECT_TRUE(contains(parts, "exactly {target_minutes}"));
  const std::string expand(find_prompt_template(kExpandPartPrompt)->text);
  EXPECT_TRUE(contains(expand, "2 to 6"));
  EXPECT_TRUE(contains(expand, "10-25 minutes, 2-3 objectives"));
  EXPECT_TRUE(contains(expand, "25-45 minutes, 3-4 objectives"));
  EXPECT_TRUE(contains(expand, "45-90 minutes, 4-6 objectives"));
  EXPECT_TRUE(contains(expand, "exactly {part_minutes}"));
  const std::string review(find_prompt_template(kReviewOutlinePrompt)->text);
  EXPECT_TRUE(contains(review, "{min_acceptable} and {max_acceptable}"));
  EXPECT_TRUE(contains(review, "whole adjusted outline"));
}

TEST(Placeholders, OnlyLowerCaseIdentifiersInBraces) {
  EXPECT_EQ(placeholders_of("{a} {b_1} {a} {_x}"), (Names{"_x", "a", "b_1"}));
  EXPECT_EQ(placeholders_of("{} { a } {A} {1a} {a-b} {a"), Names{});
  EXPECT_EQ(placeholders_of("{{a}}"), Names{"a"});
}

// ---- Strict rendering ----

TEST(RenderPrompt, FillsEveryPlaceholder) {
  const auto result = render_prompt(kGeneratePartsPrompt, dummy_values(kGeneratePartsPrompt));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_TRUE(contains(*result, "<query>"));
  EXPECT_TRUE(contains(*result, "<summaries_context>"));
  EXPECT_EQ(result->find('{'), std::string::npos);
}

TEST(RenderPrompt, EveryPromptRendersWithItsSpecVariables) {
  for (const auto id :
       {kGeneratePartsPrompt, kExpandPartPrompt, kReviewOutlinePrompt, kReviseOutlinePrompt, kRepairPrompt}) {
    const auto result = render_prompt(id, dummy_values(id));
    ASSERT_TRUE(result.ok()) << id << ": " << result.error().message;
    EXPECT_EQ(result->find('{'), std::string::npos) << id;
  }
}

TEST(RenderPrompt, UnknownPromptIdIsAnError) {
  const auto result = render_prompt("courses.unknown", {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "prompt_error");
  EXPECT_TRUE(contains(result.error().message, "courses.unknown"));
}

TEST(RenderPrompt, MissingValueIsAnError) {
  auto values = dummy_values(kGeneratePartsPrompt);
  values.erase("hours");
  values.erase("query");
  const auto result = render_prompt(kGeneratePartsPrompt, values);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "prompt_error");
  EXPECT_TRUE(contains(result.error().message, "{hours}")) << result.error().message;
  EXPECT_TRUE(contains(result.error().message, "{query}")) << result.error().message;
}

TEST(RenderPrompt, ValueWithoutPlaceholderIsAnError) {
  auto values = dummy_values(kExpandPartPrompt);
  values["bogus"] = "x";
  const auto result = render_prompt(kExpandPartPrompt, values);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "prompt_error");
  EXPECT_TRUE(contains(result.error().message, "'bogus'")) << result.error().message;
}

TEST(RenderPrompt, ValuesAreNotExpandedAgain) {
  auto values = dummy_values(kRepairPrompt);
  values["previous_answer"] = "literal {parse_error} and {format_spec} and {";
  values["parse_error"] = "PARSE-ERROR";
  const auto result = render_prompt(kRepairPrompt, values);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(contains(*result, "literal {parse_error} and {format_spec} and {"));
}

TEST(RenderPrompt, KeepsUnicodeValuesIntact) {
  auto values = dummy_values(kGeneratePartsPrompt);
  values["query"] = "\u00C9valuation d\u2019entreprise \u65E5\u672C";
  const auto result = render_prompt(kGeneratePartsPrompt, values);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(contains(*result, "\u00C9valuation d\u2019entreprise \u65E5\u672C"));
  EXPECT_TRUE(is_valid_utf8(*result));
}

TEST(Substitute, ReportsMissingAndUnusedSorted) {
  const auto s = substitute("{b} {a} {c}", {{"a", "1"}, {"z", "2"}, {"y", "3"}});
  EXPECT_EQ(s.missing, (Names{"b", "c"}));
  EXPECT_EQ(s.unused, (Names{"y", "z"}));
}

TEST(Substitute, LiteralBracesStay) {
  const auto s = substitute("json {\"k\": 1} {name} {A}", {{"name", "N"}});
  EXPECT_EQ(s.text, "json {\"k\": 1} N {A}");
}

// ---- Variable computations ----

TEST(ExpandPartTask, UsesTheZeroBasedIndex) {
  EXPECT_EQ(expand_part_task(0), "generate_part_sections_0");
  EXPECT_EQ(expand_part_task(3), "generate_part_sections_3");
}

TEST(PartsCountGuidance, FollowsTheHoursThresholds) {
  EXPECT_EQ(parts_count_guidance(0.25), "1 part");
  EXPECT_EQ(parts_count_guidance(1.99), "1 part");
  EXPECT_EQ(parts_count_guidance(2.0), "2-3 parts");
  EXPECT_EQ(parts_count_guidance(3.99), "2-3 parts");
  EXPECT_EQ(parts_count_guidance(4.0), "3-5 parts");
  EXPECT_EQ(parts_count_guidance(10.0), "3-5 parts");  // 600 minutes: 5 parts of 120 still fit
}

TEST(PartsCountGuidance, LongCoursesNeedEnoughPartsOfAtMost120Minutes) {
  EXPECT_EQ(parts_count_guidance(10.01), "3-5 parts");  // floor(600.6) = 600, not above 600
  EXPECT_EQ(parts_count_guidance(10.02), "6-8 parts");  // 601 minutes -> ceil(601/120) = 6
  EXPECT_EQ(parts_count_guidance(12.0), "6-8 parts");
  EXPECT_EQ(parts_count_guidance(20.0), "10-12 parts");
  EXPECT_EQ(parts_count_guidance(100.0), "50-52 parts");
}

TEST(PartsGuidance, MatchesTheCount) {
  EXPECT_EQ(parts_guidance(1.5), "A short course should normally be a single part.");
  EXPECT_TRUE(contains(parts_guidance(2.0), "two or three parts"));
  EXPECT_TRUE(contains(parts_guidance(3.99), "two or three parts"));
  EXPECT_TRUE(contains(parts_guidance(4.0), "three to five parts"));
  EXPECT_TRUE(contains(parts_guidance(10.0), "three to five parts"));
  EXPECT_TRUE(contains(parts_guidance(12.0), "at least 6 parts"));
  EXPECT_TRUE(contains(parts_guidance(12.0), "6 to 8 parts"));
  EXPECT_TRUE(contains(parts_guidance(20.0), "at least 10 parts"));
}

TEST(PartsGuidance, VeryShortCourseIsOneShortPart) {
  const std::string text = parts_guidance(0.25);
  EXPECT_TRUE(contains(text, "single part of 15 minutes")) << text;
}

TEST(PreferencesText, DescribesEachDepth) {
  Preferences p;
  p.depth = Depth::overview;
  EXPECT_TRUE(contains(preferences_text(p), "Depth: overview"));
  EXPECT_TRUE(contains(preferences_text(p), "describe and explain"));
  p.depth = Depth::balanced;
  EXPECT_TRUE(contains(preferences_text(p), "Depth: balanced"));
  EXPECT_TRUE(contains(preferences_text(p), "explaining with applying"));
  p.depth = Depth::technical;
  EXPECT_TRUE(contains(preferences_text(p), "Depth: technical"));
  EXPECT_TRUE(contains(preferences_text(p), "apply, compute and analyze"));
  p.depth = Depth::expert;
  EXPECT_TRUE(contains(preferences_text(p), "Depth: expert"));
  EXPECT_TRUE(contains(preferences_text(p), "evaluate, critique and design"));
}

TEST(PreferencesText, DescribesPaceAndStyle) {
  Preferences p;
  p.pace = Pace::quick;
  p.presentation_style = "formal";
  EXPECT_TRUE(contains(preferences_text(p), "Pace: quick"));
  EXPECT_TRUE(contains(preferences_text(p), "Presentation style: formal"));
  p.pace = Pace::thorough;
  EXPECT_TRUE(contains(preferences_text(p), "Pace: thorough"));
  EXPECT_TRUE(contains(preferences_text(p), "practice"));
  p.pace = Pace::moderate;
  EXPECT_TRUE(contains(preferences_text(p), "Pace: moderate"));
}

TEST(PreferencesText, NotesLineOnlyWhenThereAreNotes) {
  Preferences p;
  EXPECT_FALSE(contains(preferences_text(p), "notes"));
  p.additional_notes = "   ";
  EXPECT_FALSE(contains(preferences_text(p), "notes"));
  p.additional_notes = "Focus on banks";
  EXPECT_TRUE(contains(preferences_text(p), "Additional notes: Focus on banks"));
}

TEST(RemainingPartsText, ListsLaterPartsOneBased) {
  const std::vector<PartPlan> parts{{"A", 30}, {"B", 45}, {"C", 60}};
  EXPECT_EQ(remaining_parts_text(parts, 0), "Part 2: B - 45 minutes\nPart 3: C - 60 minutes");
  EXPECT_EQ(remaining_parts_text(parts, 1), "Part 3: C - 60 minutes");
  EXPECT_EQ(remaining_parts_text(parts, -1),
            "Part 1: A - 30 minutes\nPart 2: B - 45 minutes\nPart 3: C - 60 minutes");
}

TEST(RemainingPartsText, NoneAfterTheLastPart) {
  const std::vector<PartPlan> parts{{"A", 30}, {"B", 45}};
  EXPECT_EQ(remaining_parts_text(parts, 1), "None");
  EXPECT_EQ(remaining_parts_text(parts, 7), "None");
  EXPECT_EQ(remaining_parts_text({}, -1), "None");
}

TEST(ExistingOutlineText, PlanOnlyBeforeAnyExpansion) {
  const std::vector<PartPlan> parts{{"A", 30}, {"B", 45}};
  EXPECT_EQ(existing_outline_text(parts, Outline{}), render_parts_list(parts));
}

TEST(ExistingOutlineText, AppendsExpandedPartsNumberedFromOne) {
  const std::vector<PartPlan> parts{{"A", 30}, {"B", 45}};
  Outline outline;
  outline.parts.push_back(drafted_part("A", {10, 20}));
  const std::string text = existing_outline_text(parts, outline);
  EXPECT_EQ(text, render_parts_list(parts) + "\n\n" + render_part(1, outline.parts[0]));
  EXPECT_TRUE(contains(text, "## Part 1: A"));
  EXPECT_TRUE(contains(text, "### Section 2: Section 2 of A - 20 minutes"));
}

// ---- Requests ----

TEST(GeneratePartsRequest, CarriesPromptTaskSettingsAndVariables) {
  const auto result = generate_parts_request(sample_state(), PromptSettings{});
  ASSERT_TRUE(result.ok()) << result.error().message;
  const LlmRequest& r = *result;
  EXPECT_EQ(r.prompt_id, "courses.generate_parts");
  EXPECT_EQ(r.task, "generate_course_parts");
  EXPECT_DOUBLE_EQ(r.temperature, 0.7);
  EXPECT_EQ(r.max_tokens, 2000);
  EXPECT_EQ(keys_of(r.variables), spec_names(kGeneratePartsPrompt));
  EXPECT_EQ(r.variables.at("query"), "I want to learn corporate valuation");
  EXPECT_EQ(r.variables.at("hours"), "6");
  EXPECT_EQ(r.variables.at("target_minutes"), "360");
  EXPECT_EQ(r.variables.at("parts_count_guidance"), "3-5 parts");
  EXPECT_EQ(r.variables.at("parts_guidance"), parts_guidance(6.0));
  EXPECT_EQ(r.variables.at("preferences"), preferences_text(Preferences{}));
  EXPECT_EQ(r.variables.at("summaries_context"), build_source_context(sample_state().books, 6000));
  EXPECT_EQ(r.rendered, render_prompt(kGeneratePartsPrompt, r.variables).value());
  EXPECT_TRUE(contains(r.rendered, "Valuation Handbook"));
}

TEST(GeneratePartsRequest, FormatsHoursWithoutTrailingZeros) {
  RunState state = sample_state();
  const std::vector<std::pair<double, std::string>> cases{
      {2.5, "2.5"}, {0.25, "0.25"}, {6.0, "6"}, {100.0, "100"}, {0.1 + 0.2, "0.3"}};
  for (const auto& [hours, text] : cases) {
    state.hours = hours;
    EXPECT_EQ(generate_parts_request(state, {}).value().variables.at("hours"), text) << hours;
  }
}

TEST(GeneratePartsRequest, TargetUsesTheTimeRule) {
  RunState state = sample_state();
  state.hours = 4.1;
  EXPECT_EQ(generate_parts_request(state, {}).value().variables.at("target_minutes"), "246");
  state.hours = 12.0;
  const auto r = generate_parts_request(state, {}).value();
  EXPECT_EQ(r.variables.at("target_minutes"), "720");
  EXPECT_EQ(r.variables.at("parts_count_guidance"), "6-8 parts");
}

TEST(GeneratePartsRequest, NoBooksUsesTheSentinel) {
  RunState state = sample_state();
  state.books.clear();
  EXPECT_EQ(generate_parts_request(state, {}).value().variables.at("summaries_context"),
            "No source material available");
}

TEST(GeneratePartsRequest, RespectsTheContextBudget) {
  RunState state = sample_state();
  state.books.clear();
  for (int i = 0; i < 20; ++i) {
    BookMatch b = sample_book();
    b.title = "Book " + std::to_string(i);
    b.summary.source_summary = repeat("Very long summary text. ", 50);
    state.books.push_back(b);
  }
  const auto r = generate_parts_request(state, PromptSettings{100}).value();
  EXPECT_LE(estimate_tokens(r.variables.at("summaries_context")), 100);
  EXPECT_FALSE(r.variables.at("summaries_context").empty());
}

TEST(GeneratePartsRequest, QueryWithBracesIsNotExpanded) {
  RunState state = sample_state();
  state.query = "learn {hours} of {target_minutes}";
  const auto r = generate_parts_request(state, {}).value();
  EXPECT_TRUE(contains(r.rendered, "learn {hours} of {target_minutes}"));
}

TEST(ExpandPartRequest, UsesOneBasedPartIndexAndThePartsPlan) {
  RunState state = sample_state();
  state.outline.parts.push_back(drafted_part("Foundations", {45, 45}));
  const auto result = expand_part_request(state, 1, PromptSettings{});
  ASSERT_TRUE(result.ok()) << result.error().message;
  const LlmRequest& r = *result;
  EXPECT_EQ(r.prompt_id, "courses.expand_part");
  EXPECT_EQ(r.task, "generate_part_sections_1");
  EXPECT_DOUBLE_EQ(r.temperature, 0.7);
  EXPECT_EQ(r.max_tokens, 3000);
  EXPECT_EQ(keys_of(r.variables), spec_names(kExpandPartPrompt));
  EXPECT_EQ(r.variables.at("part_index"), "2");
  EXPECT_EQ(r.variables.at("part_title"), "Cash Flow Models");
  EXPECT_EQ(r.variables.at("part_minutes"), "120");
  EXPECT_EQ(r.variables.at("remaining_text"),
            "Part 3: Relative Valuation - 90 minutes\nPart 4: Cases - 60 minutes");
  EXPECT_EQ(r.variables.at("existing_outline"), existing_outline_text(state.parts, state.outline));
  EXPECT_TRUE(contains(r.variables.at("existing_outline"),
                       "### Section 1: Section 1 of Foundations - 45 minutes"));
  EXPECT_EQ(r.variables.at("book_summaries_context"), build_source_context(state.books, 6000));
  EXPECT_EQ(r.rendered, render_prompt(kExpandPartPrompt, r.variables).value());
  EXPECT_TRUE(contains(r.rendered, "Part 2, \"Cash Flow Models\", which lasts 120 minutes"));
}

TEST(ExpandPartRequest, FirstPartSeesOnlyThePlan) {
  const auto r = expand_part_request(sample_state(), 0, {}).value();
  EXPECT_EQ(r.variables.at("part_index"), "1");
  EXPECT_EQ(r.task, "generate_part_sections_0");
  EXPECT_EQ(r.variables.at("existing_outline"), render_parts_list(sample_state().parts));
}

TEST(ExpandPartRequest, LastPartHasNoRemainingParts) {
  const auto r = expand_part_request(sample_state(), 3, {}).value();
  EXPECT_EQ(r.variables.at("part_index"), "4");
  EXPECT_EQ(r.variables.at("remaining_text"), "None");
}

TEST(ExpandPartRequest, OutOfRangeIndexIsAnError) {
  for (const int index : {-1, 4, 100}) {
    const auto result = expand_part_request(sample_state(), index, {});
    ASSERT_FALSE(result.ok()) << index;
    EXPECT_EQ(result.error().code, "prompt_error");
    EXPECT_TRUE(contains(result.error().message, std::to_string(index)));
  }
}

TEST(ExpandPartRequest, DoesNotShowThePartsOwnEarlierAttempt) {
  RunState state = sample_state();
  state.outline.parts.push_back(drafted_part("Foundations", {45, 45}));
  state.outline.parts.push_back(drafted_part("Cash Flow Models", {60, 60}));
  const auto r = expand_part_request(state, 1, {}).value();
  EXPECT_TRUE(contains(r.variables.at("existing_outline"), "## Part 1: Foundations"));
  EXPECT_FALSE(contains(r.variables.at("existing_outline"), "## Part 2: Cash Flow Models"));
}

TEST(ExpandPartRequest, NoBooksUsesTheSentinel) {
  RunState state = sample_state();
  state.books.clear();
  EXPECT_EQ(expand_part_request(state, 0, {}).value().variables.at("book_summaries_context"),
            "No source material available");
}

TEST(ReviewOutlineRequest, CarriesTheTimeFigures) {
  RunState state = sample_state();
  state.hours = 2.0;
  state.outline.parts = {drafted_part("A", {50, 40}), drafted_part("B", {60})};  // 150 of 120
  const auto result = review_outline_request(state, PromptSettings{});
  ASSERT_TRUE(result.ok()) << result.error().message;
  const LlmRequest& r = *result;
  EXPECT_EQ(r.prompt_id, "courses.review_outline");
  EXPECT_EQ(r.task, "review_and_adjust_outline");
  EXPECT_DOUBLE_EQ(r.temperature, 0.7);
  EXPECT_EQ(r.max_tokens, 4000);
  EXPECT_EQ(keys_of(r.variables), spec_names(kReviewOutlinePrompt));
  EXPECT_EQ(r.variables.at("hours"), "2");
  EXPECT_EQ(r.variables.at("target_total"), "120");
  EXPECT_EQ(r.variables.at("current_total"), "150");
  EXPECT_EQ(r.variables.at("variance_percent"), "25.0");
  EXPECT_EQ(r.variables.at("min_acceptable"), "114");
  EXPECT_EQ(r.variables.at("max_acceptable"), "126");
  EXPECT_EQ(r.variables.at("outline_text"), render_outline(state.outline));
  EXPECT_EQ(r.rendered, render_prompt(kReviewOutlinePrompt, r.variables).value());
}

TEST(ReviewOutlineRequest, AcceptableRangeRoundsInward) {
  RunState state = sample_state();
  state.hours = 130.0 / 60.0;  // target 130: 0.95 × 130 = 123.5, 1.05 × 130 = 136.5
  state.outline.parts = {drafted_part("A", {100})};
  const auto r = review_outline_request(state, {}).value();
  EXPECT_EQ(r.variables.at("target_total"), "130");
  EXPECT_EQ(r.variables.at("min_acceptable"), "124");
  EXPECT_EQ(r.variables.at("max_acceptable"), "136");
  EXPECT_EQ(r.variables.at("variance_percent"), "23.1");
}

TEST(ReviewOutlineRequest, MaxTokensGrowWithTheOutline) {
  RunState state = sample_state();
  state.hours = 100.0;
  for (int p = 0; p < 50; ++p)
    state.outline.parts.push_back(drafted_part("Part " + std::to_string(p), {30, 30, 30, 30}));
  const auto r = review_outline_request(state, {}).value();
  const int outline_tokens = estimate_tokens(r.variables.at("outline_text"));
  const int expected = (3 * outline_tokens + 1) / 2;  // ceil(1.5 × tokens)
  ASSERT_GT(expected, 4000);
  EXPECT_EQ(r.max_tokens, expected);
}

TEST(RepairRequest, KeepsTaskAndMaxTokensAndQuotesTheGrammar) {
  LlmRequest original = generate_parts_request(sample_state(), {}).value();
  original.max_tokens = 2600;
  const auto result =
      repair_request(original, "no line matched 'Part N: <title> - <minutes> minutes'", "Sure!");
  ASSERT_TRUE(result.ok()) << result.error().message;
  const LlmRequest& r = *result;
  EXPECT_EQ(r.prompt_id, "courses.repair");
  EXPECT_EQ(r.task, "generate_course_parts");
  EXPECT_EQ(r.max_tokens, 2600);
  EXPECT_LT(r.temperature, 0.7);
  EXPECT_EQ(keys_of(r.variables), spec_names(kRepairPrompt));
  EXPECT_EQ(r.variables.at("original_prompt_id"), "courses.generate_parts");
  EXPECT_EQ(r.variables.at("format_spec"),
            std::string(prompt_spec(kGeneratePartsPrompt).format_spec));
  EXPECT_EQ(r.variables.at("parse_error"), "no line matched 'Part N: <title> - <minutes> minutes'");
  EXPECT_EQ(r.variables.at("previous_answer"), "Sure!");
  EXPECT_TRUE(contains(r.rendered, "Total: <minutes> minutes"));
}

TEST(RepairRequest, PreviousAnswerIsCutAt2000CodePoints) {
  const LlmRequest original = generate_parts_request(sample_state(), {}).value();
  const auto r = repair_request(original, "bad", repeat("\u00E9", 2500)).value();
  EXPECT_EQ(utf8_length(r.variables.at("previous_answer")), 2000u);
  EXPECT_EQ(r.variables.at("previous_answer").size(), 4000u);
  const auto short_answer = repair_request(original, "bad", "abc").value();
  EXPECT_EQ(short_answer.variables.at("previous_answer"), "abc");
}

TEST(RepairRequest, ExpandPartGrammarNamesThePart) {
  const LlmRequest original = expand_part_request(sample_state(), 2, {}).value();
  const auto r = repair_request(original, "no sections", "text").value();
  EXPECT_EQ(r.task, "generate_part_sections_2");
  EXPECT_EQ(r.max_tokens, 3000);
  EXPECT_TRUE(contains(r.variables.at("format_spec"), "## Part 3: Relative Valuation\n"));
  EXPECT_TRUE(contains(r.variables.at("format_spec"),
                       "### Section 1: <section title> - <minutes> minutes"));
}

TEST(RepairRequest, RepairOfARepairKeepsTheOriginalPrompt) {
  const LlmRequest original = expand_part_request(sample_state(), 0, {}).value();
  const LlmRequest first = repair_request(original, "e1", "a1").value();
  const auto second = repair_request(first, "e2", "a2").value();
  EXPECT_EQ(second.variables.at("original_prompt_id"), "courses.expand_part");
  EXPECT_EQ(second.variables.at("format_spec"), first.variables.at("format_spec"));
  EXPECT_EQ(second.task, "generate_part_sections_0");
  EXPECT_EQ(second.variables.at("parse_error"), "e2");
}

TEST(RepairRequest, AnswerWithPlaceholdersIsQuotedVerbatim) {
  const LlmRequest original = generate_parts_request(sample_state(), {}).value();
  const auto r = repair_request(original, "bad", "Part 1: {part_title} - {minutes}").value();
  EXPECT_TRUE(contains(r.rendered, "Part 1: {part_title} - {minutes}"));
}

TEST(RepairRequest, UnknownOriginalPromptIsAnError) {
  LlmRequest original;
  original.prompt_id = "courses.mystery";
  const auto result = repair_request(original, "bad", "x");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "prompt_error");
}

}  // namespace
}  // namespace docprof::domain
