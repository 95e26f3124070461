// UNIQUE(course_id, order_index) on course_sections, on every CourseRepository backend (issue 12:
// SQLite migration 11, PostgreSQL migration 2): a course never has two sections at one position, a
// store that would make two is refused whole, and a changed outline replaces the old one, whichever
// sections held its positions before.
#include <algorithm>

#include <gtest/gtest.h>

#include "contract/contract_samples.h"
#include "contract/course_repository_contract.h"

namespace docprof::contract {
namespace {

class CourseSectionsOrderContract : public ::testing::TestWithParam<CourseRepositoryBackend> {
 protected:
  void SetUp() override { fixture_ = GetParam().make(); }
  ports::CourseRepository& courses() { return fixture_->courses(); }
  std::unique_ptr<CourseRepositoryFixture> fixture_;
};

TEST_P(CourseSectionsOrderContract, TwoSectionsAtOnePositionAreRefusedAndNothingIsWritten) {
  courses().store(sample_course("c1"), sample_outline("c1"));
  auto clashing = sample_outline("c1");
  clashing.push_back(clashing.back());
  clashing.back().section_id = "c1-s4";  // a new section at the last one's position
  EXPECT_ANY_THROW(courses().store(sample_course("c1"), clashing));
  const auto stored = courses().get("c1");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->sections, sample_outline("c1"));
}

TEST_P(CourseSectionsOrderContract, OtherCoursesMayUseTheSamePositions) {
  courses().store(sample_course("c1"), sample_outline("c1"));
  courses().store(sample_course("c2"), sample_outline("c2"));
  EXPECT_EQ(courses().get("c2")->sections.size(), sample_outline("c2").size());
}

// Section ids derive from the course and the position (domain), so a changed outline keeps the ids
// of the positions it keeps: the rows are updated in place, and trailing positions it drops go.
TEST_P(CourseSectionsOrderContract, AChangedOutlineUpdatesItsPositionsInPlaceAndDropsTheRest) {
  courses().store(sample_course("c1"), sample_outline("c1"));
  auto changed = sample_outline("c1");
  changed.pop_back();
  changed[1].title = "A new title at position 2";
  changed[1].estimated_minutes += 5;
  courses().store(sample_course("c1"), changed);
  EXPECT_EQ(courses().get("c1")->sections, changed);
}

TEST_P(CourseSectionsOrderContract, AChangedOutlineMayGiveAPositionToAnotherSection) {
  courses().store(sample_course("c1"), sample_outline("c1"));
  auto changed = sample_outline("c1");
  changed.erase(changed.begin() + 1);  // s1 (position 2) goes
  changed[0].order_index = 2;          // p1 takes s1's position
  changed[1].order_index = 1;          // s2 takes p1's
  changed[2].order_index = 3;          // p2 and s3 move up one each
  changed[3].order_index = 4;
  courses().store(sample_course("c1"), changed);
  std::sort(changed.begin(), changed.end(), [](const auto& a, const auto& b) { return a.order_index < b.order_index; });
  EXPECT_EQ(courses().get("c1")->sections, changed);
}

INSTANTIATE_TEST_SUITE_P(Backends, CourseSectionsOrderContract, ::testing::ValuesIn(course_repository_backends()),
                         [](const ::testing::TestParamInfo<CourseRepositoryBackend>& p) { return p.param.name; });

}  // namespace
}  // namespace docprof::contract
