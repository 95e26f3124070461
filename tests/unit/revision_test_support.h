// A stored course for the revision tests: two parts, four sections, 120 minutes, the first
// section completed; and library material on a topic it lacks (tax implications).
#pragma once

#include <string>
#include <vector>

#include "domain/book_summary.h"
#include "domain/course_plan.h"
#include "domain/models.h"

namespace revision_test {

using namespace docprof::domain;

inline CourseSection row(const std::string& id, std::optional<std::string> parent, int order,
                         const std::string& title, int minutes, SectionStatus status = SectionStatus::not_started) {
  CourseSection section;
  section.section_id = id;
  section.course_id = "course-1";
  section.parent_section_id = std::move(parent);
  section.order_index = order;
  section.title = title;
  section.estimated_minutes = minutes;
  section.status = status;
  section.created_at = "2026-11-28T10:00:00.000Z";
  if (section.parent_section_id) {
    section.learning_objectives = {"Explain " + title, "Apply " + title + " to a company"};
    section.sources = {SectionSource{"valbook", "Valuation", 1, "Basics", title}};
    section.chunk_ids = {id + "-chunk"};
    section.content_summary = "About " + title;
  }
  if (status == SectionStatus::completed) section.completed_at = "2026-11-29T09:00:00.000Z";
  return section;
}

inline Course stored_course() {
  Course course;
  course.course_id = "course-1";
  course.user_id = "user-1";
  course.title = "Corporate Valuation";
  course.original_query = "I want to learn corporate valuation";
  course.estimated_hours = 2.0;
  course.created_at = "2026-11-28T10:00:00.000Z";
  course.last_modified = "2026-11-29T09:00:00.000Z";
  return course;
}

// Part 1 "Foundations of Valuation": Time Value of Money (30, completed), A Brief History of
// Valuation (30); part 2 "Discounted Cash Flow": Free Cash Flow (30), Cost of Capital (30).
inline std::vector<CourseSection> stored_rows() {
  return {
      row("p1", std::nullopt, 1, "Foundations of Valuation", 60),
      row("s1", "p1", 2, "Time Value of Money", 30, SectionStatus::completed),
      row("s2", "p1", 3, "A Brief History of Valuation", 30),
      row("p2", std::nullopt, 4, "Discounted Cash Flow", 60),
      row("s3", "p2", 5, "Free Cash Flow", 30, SectionStatus::in_progress),
      row("s4", "p2", 6, "Cost of Capital", 30),
  };
}

// A book on taxes: three chapters of two sections each.
inline std::vector<PlanBook> tax_material() {
  PlanBook book{"taxbook", "Taxes and Business Strategy", 0.8, {}};
  const std::vector<std::vector<std::string>> titles = {
      {"Tax Implications of Dividends", "Tax Implications of Capital Gains"},
      {"Corporate Tax Shields", "Interest Deductibility"},
      {"International Tax Planning", "Transfer Pricing"}};
  for (int c = 0; c < 3; ++c) {
    PlanChapter chapter{c + 1, "Tax chapter " + std::to_string(c + 1), 0.8 - 0.1 * c, {}};
    for (const auto& title : titles[static_cast<std::size_t>(c)]) {
      chapter.sections.push_back(PlanSection{title,
                                             {title + " basics", "tax rates", "tax implications"},
                                             {title + " changes the value of a firm"},
                                             0.7 - 0.1 * c});
    }
    book.chapters.push_back(chapter);
  }
  return {book};
}

// The same book as a search match, for resolving the new sections' reading references.
inline std::vector<BookMatch> tax_books() {
  BookMatch match;
  match.book_id = "taxbook";
  match.title = "Taxes and Business Strategy";
  match.similarity = 0.8;
  const std::vector<PlanBook> material = tax_material();
  for (const auto& chapter : material.front().chapters) {
    ChapterSummary summary{chapter.chapter_number, chapter.title, "", {}, 0, "chapter"};
    for (const auto& section : chapter.sections) {
      summary.sections.push_back(SectionSummary{section.title, section.topics, section.key_concepts, "", 0});
    }
    match.summary.chapters.push_back(summary);
  }
  match.summary.source_title = match.title;
  return {match};
}

}  // namespace revision_test
