// The stored rows of a revised course (domain/revised_rows.h): completed sections byte-identical
// but for order_index whatever the answer does to them, new ids from (course, revision, position),
// sources kept or found, and the time rule after revisions that add, drop and resize.
#include "domain/revised_rows.h"

#include <map>
#include <set>

#include <gtest/gtest.h>

#include "domain/ids.h"
#include "domain/outline_parser.h"
#include "domain/revision_plan.h"
#include "domain/time_rule.h"
#include "revision_test_support.h"

namespace {

using namespace docprof::domain;
using namespace revision_test;

constexpr std::int64_t kNow = 1'764'000'000'000;

RevisionRowsRequest first_revision(double hours = 2.0) { return RevisionRowsRequest{1, hours, kNow}; }

const CourseSection* by_title(const std::vector<CourseSection>& rows, std::string_view title) {
  for (const auto& row : rows) {
    if (row.title == title) return &row;
  }
  return nullptr;
}

// Every completed stored row is in `rows`, equal to the stored one once order_index is ignored.
void expect_completed_identical(const std::vector<CourseSection>& rows) {
  for (const auto& stored : stored_rows()) {
    if (stored.status != SectionStatus::completed) continue;
    const CourseSection* now = nullptr;
    for (const auto& row : rows) {
      if (row.section_id == stored.section_id) now = &row;
    }
    ASSERT_NE(now, nullptr) << stored.title << " is gone";
    CourseSection same_order = *now;
    same_order.order_index = stored.order_index;
    EXPECT_EQ(same_order, stored) << stored.title;
  }
}

// Rows are numbered 1..n, parts have no parent and the sum of their children's minutes, and the
// leaves sum to within 5 % of the target.
void expect_well_formed(const std::vector<CourseSection>& rows, int target) {
  std::map<std::string, int> children_minutes;
  int leaves = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].order_index, static_cast<int>(i) + 1);
    if (rows[i].parent_section_id) {
      children_minutes[*rows[i].parent_section_id] += rows[i].estimated_minutes;
      leaves += rows[i].estimated_minutes;
    }
  }
  for (const auto& row : rows) {
    if (!row.parent_section_id) {
      EXPECT_EQ(row.estimated_minutes, children_minutes[row.section_id]) << row.title;
    }
  }
  EXPECT_TRUE(within_tolerance(leaves, target)) << leaves << " vs " << target;
  std::set<std::string> ids;
  for (const auto& row : rows) EXPECT_TRUE(ids.insert(row.section_id).second) << row.section_id;
}

RevisedRows offline_revision(std::string_view request, const RevisionMaterial& material, int revision = 1) {
  auto plan = plan_revision(revision_outline(stored_rows()), read_revision_request(request).value(), material,
                            RevisionPlanRequest{120, Depth::balanced, nullptr});
  EXPECT_TRUE(plan.ok()) << (plan.ok() ? "" : plan.error().message);
  auto rows = build_revised_rows(stored_course(), stored_rows(), plan->outline.outline(), tax_books(),
                                 RevisionRowsRequest{revision, plan->target_minutes / 60.0, kNow});
  EXPECT_TRUE(rows.ok()) << (rows.ok() ? "" : rows.error().message);
  return std::move(rows).value();
}

TEST(RevisedRows, AddKeepsCompletedSectionsAndNamesNewSources) {
  const RevisedRows revised =
      offline_revision("add a section on tax implications", {{"tax implications", tax_material()}});
  const auto& rows = revised.rows.sections;
  expect_completed_identical(rows);
  expect_well_formed(rows, 120);
  EXPECT_EQ(rows.size(), 7u);
  // The part holding the completed section keeps its row; the other part and every section not
  // completed get ids of this revision.
  EXPECT_EQ(rows[0].section_id, "p1");
  EXPECT_EQ(rows[0].title, "Foundations of Valuation");
  EXPECT_EQ(rows[3].section_id, derived_uuid("course-1", "revision:1/part:2"));
  EXPECT_EQ(rows[2].section_id, derived_uuid("course-1", "revision:1/part:1/section:2"));
  EXPECT_EQ(rows[2].parent_section_id, "p1");
  const CourseSection* added = nullptr;
  for (const auto& row : rows) {
    if (!row.sources.empty() && row.sources.front().book_id == "taxbook") added = &row;
  }
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(added->status, SectionStatus::not_started);
  EXPECT_EQ(added->created_at, "2025-11-24T16:00:00.000Z");
  // A section kept under its stored title keeps its sources, passages and progress.
  const CourseSection* kept = by_title(rows, "Free Cash Flow");
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->sources, stored_rows()[4].sources);
  EXPECT_EQ(kept->chunk_ids, stored_rows()[4].chunk_ids);
  EXPECT_EQ(kept->status, SectionStatus::in_progress);
  EXPECT_NE(kept->section_id, "s3");
  EXPECT_EQ(revised.rows.course.estimated_hours, 2.0);
  EXPECT_EQ(revised.rows.course.title, "Corporate Valuation");
  EXPECT_EQ(revised.rows.course.created_at, stored_course().created_at);
  EXPECT_NE(revised.rows.course.last_modified, stored_course().last_modified);
}

TEST(RevisedRows, DropAndResizeKeepTheTimeRule) {
  const RevisedRows dropped = offline_revision("drop the history part", {});
  expect_completed_identical(dropped.rows.sections);
  expect_well_formed(dropped.rows.sections, 120);
  EXPECT_EQ(by_title(dropped.rows.sections, "A Brief History of Valuation"), nullptr);

  const RevisedRows longer = offline_revision("make it 3 hours", {}, 2);
  expect_completed_identical(longer.rows.sections);
  expect_well_formed(longer.rows.sections, 180);
  EXPECT_EQ(longer.rows.course.estimated_hours, 3.0);
  EXPECT_EQ(longer.rows.sections[2].section_id, derived_uuid("course-1", "revision:2/part:1/section:2"));

  const RevisedRows shorter = offline_revision("drop cost of capital and make it 90 minutes", {});
  expect_completed_identical(shorter.rows.sections);
  expect_well_formed(shorter.rows.sections, 90);
  EXPECT_EQ(shorter.rows.course.estimated_hours, 1.5);
}

// A model's answer (as replayed from a cassette) that rewrites the completed section — other
// minutes, other objectives, moved to another part — changes nothing of it.
TEST(RevisedRows, ModelAnswerCannotChangeACompletedSection) {
  const std::string answer = R"(Here is the revised outline:

## Part 1: Valuation Basics

### Section 1: A Brief History of Valuation - 20 minutes
Learning objectives:
- Trace valuation's history
- Name its schools

## Part 2: Cash Flows and Taxes

### Section 1: [completed] Time Value of Money - 45 minutes
Learning objectives:
- Something else entirely
- And another

### Section 2: Free Cash Flow - 30 minutes
Learning objectives:
- Compute free cash flow
- Forecast it

### Section 3: Tax Implications of Dividends - 25 minutes
Learning objectives:
- Explain dividend taxes
- Compare payout policies
Read: taxbook ch 1 § Tax Implications of Dividends

Total: 120 minutes
)";
  auto outline = parse_outline(answer);
  ASSERT_TRUE(outline.ok()) << outline.error().message;
  auto revised = build_revised_rows(stored_course(), stored_rows(), outline.value(), tax_books(), first_revision());
  ASSERT_TRUE(revised.ok()) << revised.error().message;
  const auto& rows = revised->rows.sections;
  expect_completed_identical(rows);
  expect_well_formed(rows, 120);
  bool noted = false;
  for (const auto& note : revised->notes) noted = noted || note.find("Time Value of Money") != std::string::npos;
  EXPECT_TRUE(noted);
  // It stays in its stored part, which keeps its row and title: the answer's part that listed it
  // (the answer may move a part, not a completed section out of its part), first, and only once.
  EXPECT_EQ(rows[0].title, "Valuation Basics");
  std::size_t part = 0;
  while (part < rows.size() && rows[part].section_id != "p1") ++part;
  ASSERT_LT(part + 1, rows.size());
  EXPECT_EQ(rows[part].title, "Foundations of Valuation");
  EXPECT_EQ(rows[part + 1].section_id, "s1");
  EXPECT_EQ(rows[part + 2].title, "Free Cash Flow");
  int copies = 0;
  for (const auto& row : rows) copies += row.title == "Time Value of Money" ? 1 : 0;
  EXPECT_EQ(copies, 1);
  const CourseSection* tax = by_title(rows, "Tax Implications of Dividends");
  ASSERT_NE(tax, nullptr);
  ASSERT_EQ(tax->sources.size(), 1u);
  EXPECT_EQ(tax->sources.front().book_title, "Taxes and Business Strategy");
}

TEST(RevisedRows, CompletedSectionsLeftOutOfAnAnswerComeBackWhereTheyWere) {
  const std::string answer = R"(## Part 1: Cash Flows

### Section 1: Free Cash Flow - 50 minutes
Learning objectives:
- Compute free cash flow
- Forecast it

### Section 2: Cost of Capital - 40 minutes
Learning objectives:
- Estimate the cost of equity
- Weigh debt and equity
)";
  auto revised = build_revised_rows(stored_course(), stored_rows(), parse_outline(answer).value(), {}, first_revision());
  ASSERT_TRUE(revised.ok()) << revised.error().message;
  const auto& rows = revised->rows.sections;
  expect_completed_identical(rows);
  expect_well_formed(rows, 120);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].section_id, "p1");  // re-inserted at its stored position, first
  EXPECT_EQ(rows[0].estimated_minutes, 30);
  EXPECT_EQ(rows[2].title, "Cash Flows");
}

// A learner who skipped ahead: completed sections in both parts, the later one after a section
// not yet taken. Both parts keep their rows; each completed section stays in its own part.
TEST(RevisedRows, CompletedSectionsInSeveralPartsStayInTheirParts) {
  auto stored = stored_rows();
  stored[5].status = SectionStatus::completed;  // Cost of Capital, after Free Cash Flow
  stored[5].completed_at = "2026-11-30T09:00:00.000Z";
  auto reading = read_revision_request("add a section on tax implications and make it 150 minutes");
  ASSERT_TRUE(reading.ok());
  auto plan = plan_revision(revision_outline(stored), reading.value(), {{"tax implications", tax_material()}},
                            RevisionPlanRequest{120, Depth::balanced, nullptr});
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  auto revised = build_revised_rows(stored_course(), stored, plan->outline.outline(), tax_books(),
                                    RevisionRowsRequest{1, 2.5, kNow});
  ASSERT_TRUE(revised.ok()) << revised.error().message;
  const auto& rows = revised->rows.sections;
  expect_well_formed(rows, 150);
  for (const auto& original : stored) {
    if (original.status != SectionStatus::completed) continue;
    const CourseSection* now = by_title(rows, original.title);
    ASSERT_NE(now, nullptr) << original.title;
    CourseSection same = *now;
    same.order_index = original.order_index;
    EXPECT_EQ(same, original);
  }
  EXPECT_EQ(rows[0].section_id, "p1");
  const CourseSection* second_part = nullptr;
  for (const auto& row : rows) {
    if (row.section_id == "p2") second_part = &row;
  }
  ASSERT_NE(second_part, nullptr);
  EXPECT_EQ(rows[static_cast<std::size_t>(second_part->order_index)].section_id, "s4");
}

TEST(RevisedRows, AnAnswerOffTheTargetIsRescaledAroundTheCompletedSections) {
  const std::string answer = R"(## Part 1: Foundations of Valuation

### Section 1: Time Value of Money - 30 minutes
Learning objectives:
- Explain Time Value of Money
- Apply Time Value of Money to a company

### Section 2: Multiples - 100 minutes
Learning objectives:
- Value with multiples
- Pick comparables

### Section 3: Real Options - 100 minutes
Learning objectives:
- Value flexibility
- Use a binomial tree
)";
  auto revised = build_revised_rows(stored_course(), stored_rows(), parse_outline(answer).value(), {},
                                    first_revision(1.5));
  ASSERT_TRUE(revised.ok()) << revised.error().message;
  expect_completed_identical(revised->rows.sections);
  expect_well_formed(revised->rows.sections, 90);
  EXPECT_EQ(by_title(revised->rows.sections, "Multiples")->estimated_minutes, 30);
  EXPECT_FALSE(revised->notes.empty());
  // Not even the completed sections fit: the revision fails and nothing is built.
  auto impossible = build_revised_rows(stored_course(), stored_rows(), parse_outline(answer).value(), {},
                                       first_revision(0.25));
  ASSERT_FALSE(impossible.ok());
  EXPECT_EQ(impossible.error().code, "revision_impossible");
}

}  // namespace
