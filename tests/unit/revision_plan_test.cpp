// The offline planner's revisions (domain/revision_plan.h) and the outline they start from
// (domain/revision_outline.h): drop, add from the library, resize — completed sections untouched,
// the time rule exact — and the refusals of what cannot be done.
#include "domain/revision_plan.h"

#include <set>

#include <gtest/gtest.h>

#include "domain/outline_parser.h"
#include "domain/time_rule.h"
#include "revision_test_support.h"

namespace {

using namespace docprof::domain;
using namespace revision_test;

RevisionPlanRequest two_hours() { return RevisionPlanRequest{120, Depth::balanced, nullptr}; }

Result<RevisionPlan> revise(std::string_view request, const RevisionMaterial& material = {}) {
  auto reading = read_revision_request(request);
  if (!reading) return reading.error();
  return plan_revision(revision_outline(stored_rows()), reading.value(), material, two_hours());
}

const RevisionSection* find_section(const RevisionOutline& outline, std::string_view title) {
  for (const auto& part : outline.parts) {
    for (const auto& section : part.sections) {
      if (section.draft.title == title) return &section;
    }
  }
  return nullptr;
}

// The completed section as it was stored, wherever it is now.
void expect_completed_untouched(const RevisionOutline& outline) {
  const auto* done = find_section(outline, "Time Value of Money");
  ASSERT_NE(done, nullptr);
  EXPECT_TRUE(done->completed);
  EXPECT_EQ(done->draft.minutes, 30);
  EXPECT_EQ(done->draft.objectives, stored_rows()[1].learning_objectives);
  EXPECT_EQ(outline.parts.front().sections.front().draft.title, "Time Value of Money");
}

TEST(RevisionOutline, ReadsTheStoredRowsInOrder) {
  auto rows = stored_rows();
  std::swap(rows[0], rows[5]);  // storage order does not matter, order_index does
  const RevisionOutline outline = revision_outline(rows);
  ASSERT_EQ(outline.parts.size(), 2u);
  EXPECT_EQ(outline.parts[0].title, "Foundations of Valuation");
  ASSERT_EQ(outline.parts[0].sections.size(), 2u);
  EXPECT_TRUE(outline.parts[0].sections[0].completed);
  EXPECT_FALSE(outline.parts[0].sections[1].completed);
  EXPECT_EQ(outline.parts[1].sections[1].draft.title, "Cost of Capital");
  EXPECT_EQ(outline.total_minutes(), 120);
  EXPECT_EQ(outline.completed_minutes(), 30);
}

TEST(RevisionOutline, MarksCompletedSectionsInTheTextAndReadsThemBack) {
  const RevisionOutline outline = revision_outline(stored_rows());
  const std::string text = render_revision_outline(outline);
  EXPECT_NE(text.find("### Section 1: [completed] Time Value of Money - 30 minutes"), std::string::npos) << text;
  EXPECT_EQ(text.find("[completed] A Brief History"), std::string::npos);
  auto parsed = parse_revision_outline(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed.value(), outline);
}

TEST(RevisionPlan, DropsThePartOrTopicNamedAndGivesItsTimeToTheOthers) {
  auto plan = revise("Drop the history part");  // no part is named so: the section is
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(find_section(plan->outline, "A Brief History of Valuation"), nullptr);
  expect_completed_untouched(plan->outline);
  EXPECT_EQ(plan->outline.total_minutes(), 120);
  EXPECT_EQ(find_section(plan->outline, "Free Cash Flow")->draft.minutes, 45);
  EXPECT_EQ(find_section(plan->outline, "Cost of Capital")->draft.minutes, 45);
  EXPECT_EQ(plan->target_minutes, 120);

  auto part = revise("drop the discounted cash flow part");
  ASSERT_TRUE(part.ok()) << part.error().message;
  ASSERT_EQ(part->outline.parts.size(), 1u);
  expect_completed_untouched(part->outline);
  EXPECT_EQ(find_section(part->outline, "A Brief History of Valuation")->draft.minutes, 90);
}

TEST(RevisionPlan, RefusesDropsOfCompletedOrUnknownTopics) {
  auto completed = revise("remove the section on time value");
  ASSERT_FALSE(completed.ok());
  EXPECT_EQ(completed.error().code, "unsupported_revision");
  EXPECT_NE(completed.error().message.find("completed"), std::string::npos);
  auto unknown = revise("drop the part on astrology");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "unsupported_revision");
  EXPECT_NE(unknown.error().message.find("astrology"), std::string::npos);
  // Dropping everything not yet taken leaves nothing to fill two hours...
  auto everything = revise("drop the history part and drop the discounted cash flow part");
  ASSERT_FALSE(everything.ok());
  EXPECT_EQ(everything.error().code, "unsupported_revision");
  // ...unless the course is made as short as what was taken.
  auto shorter = revise("drop the history part, drop the discounted cash flow part and make it 30 minutes");
  ASSERT_TRUE(shorter.ok()) << shorter.error().message;
  EXPECT_EQ(shorter->target_minutes, 30);
  EXPECT_EQ(shorter->outline.total_minutes(), 30);
}

TEST(RevisionPlan, ChangesTheLengthOfTheSectionsNotYetTaken) {
  auto longer = revise("make it 3 hours");
  ASSERT_TRUE(longer.ok()) << longer.error().message;
  EXPECT_EQ(longer->target_minutes, 180);
  EXPECT_EQ(longer->outline.total_minutes(), 180);
  expect_completed_untouched(longer->outline);
  EXPECT_EQ(find_section(longer->outline, "Free Cash Flow")->draft.minutes, 50);

  auto relative = revise("make it 30 minutes shorter");
  ASSERT_TRUE(relative.ok()) << relative.error().message;
  EXPECT_EQ(relative->target_minutes, 90);
  EXPECT_EQ(relative->outline.total_minutes(), 90);
  expect_completed_untouched(relative->outline);

  auto too_short = revise("make it 20 minutes");
  ASSERT_FALSE(too_short.ok());
  EXPECT_EQ(too_short.error().code, "unsupported_revision");
  EXPECT_NE(too_short.error().message.find("30 minutes"), std::string::npos) << too_short.error().message;
  auto absurd = revise("make it 200 hours");
  ASSERT_FALSE(absurd.ok());
  EXPECT_EQ(absurd.error().code, "unsupported_revision");
}

TEST(RevisionPlan, AddsASectionFromTheLibraryWithWhatToRead) {
  const RevisionMaterial material{{"tax implications", tax_material()}};
  auto plan = revise("Add a section on tax implications", material);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  expect_completed_untouched(plan->outline);
  EXPECT_EQ(plan->outline.total_minutes(), 120);
  const RevisionSection* added = nullptr;
  for (const auto& part : plan->outline.parts) {
    for (const auto& section : part.sections) {
      if (!section.draft.reads.empty() && section.draft.reads.front().book_id == "taxbook") added = &section;
    }
  }
  ASSERT_NE(added, nullptr) << "no section reads the tax book";
  EXPECT_NE(added->draft.title.find("Tax"), std::string::npos) << added->draft.title;
  EXPECT_GE(added->draft.objectives.size(), 2u);
  EXPECT_FALSE(added->completed);
  EXPECT_EQ(plan->outline.parts.size(), 2u);
  int sections = 0;
  for (const auto& part : plan->outline.parts) sections += static_cast<int>(part.sections.size());
  EXPECT_EQ(sections, 5);
  EXPECT_TRUE(within_tolerance(plan->outline.total_minutes(), plan->target_minutes));

  // Asked again, the planner adds other material, not the same section twice.
  auto again = plan_revision(plan->outline, read_revision_request("add a section on tax implications").value(),
                             material, two_hours());
  ASSERT_TRUE(again.ok()) << again.error().message;
  std::set<std::string> titles;
  for (const auto& part : again->outline.parts) {
    for (const auto& section : part.sections) EXPECT_TRUE(titles.insert(section.draft.title).second);
  }
  EXPECT_EQ(titles.size(), 6u);
}

TEST(RevisionPlan, AddsAPartAtTheEnd) {
  const RevisionMaterial material{{"tax implications", tax_material()}};
  auto plan = revise("add a part on tax implications and make it 3 hours", material);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_EQ(plan->outline.parts.size(), 3u);
  EXPECT_GE(plan->outline.parts.back().sections.size(), 2u);
  for (const auto& section : plan->outline.parts.back().sections) {
    ASSERT_FALSE(section.draft.reads.empty()) << section.draft.title;
    EXPECT_EQ(section.draft.reads.front().book_id, "taxbook");
  }
  EXPECT_EQ(plan->target_minutes, 180);
  EXPECT_EQ(plan->outline.total_minutes(), 180);
  expect_completed_untouched(plan->outline);
}

TEST(RevisionPlan, RefusesATopicTheLibraryHasNothingOn) {
  auto plan = revise("add a section on astrology", RevisionMaterial{});
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().code, "unsupported_revision");
  EXPECT_NE(plan.error().message.find("astrology"), std::string::npos);
}

TEST(RevisionPlan, ChecksWhatItCanBeforeSearchingTheLibrary) {
  const auto outline = revision_outline(stored_rows());
  auto check = [&](std::string_view request) {
    return check_revision(outline, read_revision_request(request).value(), two_hours());
  };
  EXPECT_TRUE(check("add a section on tax implications").ok());
  EXPECT_TRUE(check("drop the history part and make it 3 hours").ok());
  EXPECT_FALSE(check("make it 20 minutes").ok());
  EXPECT_FALSE(check("drop the part on astrology").ok());
  // Everything not yet taken dropped, but something added: the add decides.
  EXPECT_TRUE(check("drop the history part, drop the discounted cash flow part and add a part on taxes").ok());
}

TEST(RevisionPlan, MatchesTopicsByContentWords) {
  EXPECT_TRUE(title_matches_topic("A Brief History of Valuation", "history"));
  EXPECT_TRUE(title_matches_topic("Free Cash Flows", "free cash flow"));
  EXPECT_FALSE(title_matches_topic("Cost of Capital", "cash flow"));
  EXPECT_FALSE(title_matches_topic("Anything", "the"));
}

}  // namespace
