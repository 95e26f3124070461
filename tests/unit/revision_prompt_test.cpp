// The courses.revise_outline prompt (domain/prompts.h) and the tolerant reading of its answers
// (domain/revision_outline.h): every variable, the marker of completed sections, repairs, and a
// "Course length:" line among a model's decoration.
#include <gtest/gtest.h>

#include "domain/prompt_templates.h"
#include "domain/prompts.h"
#include "domain/revision_outline.h"
#include "revision_test_support.h"

namespace {

using namespace docprof::domain;
using namespace revision_test;

RevisionPromptInput input() {
  const RevisionOutline outline = revision_outline(stored_rows());
  RevisionPromptInput in;
  in.query = "I want to learn corporate valuation";
  in.hours = 2.0;
  in.revision_request = "add a section on tax implications";
  in.outline_text = render_revision_outline(outline);
  in.completed_minutes = outline.completed_minutes();
  in.books = tax_books();
  return in;
}

TEST(RevisionPrompt, FillsEveryVariable) {
  auto request = revise_outline_request(input(), PromptSettings{});
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request->prompt_id, "courses.revise_outline");
  EXPECT_EQ(request->task, "revise_outline");
  std::vector<std::string> names;
  for (const auto& [name, value] : request->variables) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"book_summaries_context", "completed_minutes", "hours",
                                             "max_acceptable", "min_acceptable", "outline_text",
                                             "preferences", "query", "revision_request", "target_total"}));
  std::vector<std::string> spec;
  for (const auto name : prompt_spec(kReviseOutlinePrompt).variables) spec.emplace_back(name);
  EXPECT_EQ(names, spec);
  EXPECT_EQ(placeholders_of(find_prompt_template(kReviseOutlinePrompt)->text), spec);
  EXPECT_EQ(request->variables.at("target_total"), "120");
  EXPECT_EQ(request->variables.at("min_acceptable"), "114");
  EXPECT_EQ(request->variables.at("max_acceptable"), "126");
  EXPECT_EQ(request->variables.at("completed_minutes"), "30");
  EXPECT_NE(request->rendered.find("The learner asks: add a section on tax implications"), std::string::npos);
  EXPECT_NE(request->rendered.find("[completed] Time Value of Money - 30 minutes"), std::string::npos);
  EXPECT_NE(request->rendered.find("taxbook"), std::string::npos);
  EXPECT_GE(request->max_tokens, 4000);
}

TEST(RevisionPrompt, AnUnreadableAnswerIsRepairedWithTheOutlineGrammar) {
  auto request = revise_outline_request(input(), PromptSettings{});
  ASSERT_TRUE(request.ok());
  auto repair = repair_request(request.value(), "no section with minutes", "I would rather not.");
  ASSERT_TRUE(repair.ok()) << repair.error().message;
  EXPECT_EQ(repair->task, "revise_outline");
  EXPECT_EQ(repair->variables.at("original_prompt_id"), "courses.revise_outline");
  EXPECT_NE(repair->variables.at("format_spec").find("## Part 1:"), std::string::npos);
}

TEST(RevisedAnswer, ReadsTheLengthLineAndTheOutlineAmongDecoration) {
  const std::string answer =
      "Sure! Here is the revised course.\r\n\r\n**Course length: 3 hours**\r\n\r\n"
      "## Part 1: Foundations of Valuation\r\n\r\n"
      "### Section 1: [completed] Time Value of Money - 30 minutes\r\n"
      "Learning objectives:\r\n- Explain it\r\n- Apply it\r\n\r\n"
      "### **Section 2: Tax Implications – 150 min**\r\n"
      "1. Explain dividend taxes\r\n2. Compare payout policies\r\n\r\n"
      "Total: 180 minutes\r\n\r\nChanges made: added taxes.";
  auto parsed = parse_revised_answer(answer);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->course_minutes, 180);
  ASSERT_EQ(parsed->outline.parts.size(), 1u);
  ASSERT_EQ(parsed->outline.parts[0].sections.size(), 2u);
  EXPECT_EQ(strip_completed_marker(parsed->outline.parts[0].sections[0].title), "Time Value of Money");
  EXPECT_EQ(parsed->outline.parts[0].sections[1].minutes, 150);
  EXPECT_EQ(parsed->outline.parts[0].sections[1].objectives.size(), 2u);

  auto without = parse_revised_answer("## Part 1: X\n\n### Section 1: Y - 20 minutes\n- a\n- b\n");
  ASSERT_TRUE(without.ok());
  EXPECT_FALSE(without->course_minutes.has_value());
  auto nothing = parse_revised_answer("Course length: 2 hours\nI cannot do that.");
  ASSERT_FALSE(nothing.ok());
  EXPECT_EQ(nothing.error().code, "unparseable_output");
}

}  // namespace
