// next_section and all_sections_completed: parts never count, order is by order_index.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/learner_progress.h"

namespace docprof::domain {
namespace {

CourseSection row(const std::string& id, int order, std::optional<std::string> parent,
                  SectionStatus status = SectionStatus::not_started) {
  CourseSection s;
  s.section_id = id;
  s.order_index = order;
  s.parent_section_id = std::move(parent);
  s.status = status;
  return s;
}

TEST(LearnerProgress, NextIsTheFirstLeafNotCompletedByOrderIndex) {
  const std::vector<CourseSection> sections = {
      row("p1", 1, std::nullopt), row("s1", 2, "p1", SectionStatus::completed),
      row("s2", 3, "p1", SectionStatus::in_progress), row("p2", 4, std::nullopt), row("s3", 5, "p2")};
  const CourseSection* next = next_section(sections);
  ASSERT_NE(next, nullptr);
  EXPECT_EQ(next->section_id, "s2");
  EXPECT_FALSE(all_sections_completed(sections));
}

TEST(LearnerProgress, PartsAreNeverNextAndOrderIndexWinsOverStorageOrder) {
  const std::vector<CourseSection> sections = {row("s3", 5, "p2"), row("p1", 1, std::nullopt),
                                               row("s2", 3, "p1")};
  ASSERT_NE(next_section(sections), nullptr);
  EXPECT_EQ(next_section(sections)->section_id, "s2");
}

TEST(LearnerProgress, AllDoneHasNoNextAndCountsOnlyLeaves) {
  const std::vector<CourseSection> sections = {row("p1", 1, std::nullopt),
                                               row("s1", 2, "p1", SectionStatus::completed)};
  EXPECT_EQ(next_section(sections), nullptr);
  EXPECT_TRUE(all_sections_completed(sections)) << "the part row's own status does not count";
  EXPECT_FALSE(all_sections_completed({row("p1", 1, std::nullopt)})) << "no leaves: not done";
  EXPECT_EQ(next_section({}), nullptr);
}

}  // namespace
}  // namespace docprof::domain
