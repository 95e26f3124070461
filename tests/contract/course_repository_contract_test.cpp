// The CourseRepository contract (ports/course_repository.h), run against every backend of
// course_repository_backends(): round trips, storing as an upsert that never doubles rows, listing
// newest first, removal, and learners' section status.
#include <gtest/gtest.h>

#include "contract/contract_samples.h"
#include "contract/course_repository_contract.h"

namespace docprof::contract {
namespace {

class CourseRepositoryContract : public ::testing::TestWithParam<CourseRepositoryBackend> {
 protected:
  void SetUp() override { fixture_ = GetParam().make(); }
  ports::CourseRepository& courses() { return fixture_->courses(); }

  std::unique_ptr<CourseRepositoryFixture> fixture_;
};

TEST_P(CourseRepositoryContract, StoreThenGetRoundTripsTheCourseAndItsSectionsByOrderIndex) {
  auto sections = sample_outline("c1");
  sections[1].content_summary = "what DCF is";
  sections[1].chunk_ids = {"chunk-1", "chunk-2"};
  sections[1].prerequisites = {"s0"};
  sections[1].can_standalone = true;
  sections[2].title = "Cost-Benefit \"Analysis\" — ünïcode";
  const auto course = sample_course("c1");
  // Stored out of order: read back by order_index.
  courses().store(course, {sections[3], sections[0], sections[4], sections[2], sections[1]});
  const auto stored = courses().get("c1");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->course, course);
  EXPECT_EQ(stored->sections, sections);
}

TEST_P(CourseRepositoryContract, GetOfAnUnknownCourseIsEmpty) {
  EXPECT_FALSE(courses().get("nope").has_value());
}

TEST_P(CourseRepositoryContract, StoringIsAnUpsertThatNeverDoublesRows) {
  const auto sections = sample_outline("c1");
  courses().store(sample_course("c1"), sections);
  auto changed_course = sample_course("c1");
  changed_course.title = "Corporate Valuation, revised";
  auto changed_sections = sections;
  changed_sections[1].title = "Free cash flow";
  courses().store(changed_course, changed_sections);  // a replayed store step
  courses().store(changed_course, changed_sections);

  const auto stored = courses().get("c1");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->course.title, "Corporate Valuation, revised");
  ASSERT_EQ(stored->sections.size(), sections.size());
  EXPECT_EQ(stored->sections[1].title, "Free cash flow");
  EXPECT_EQ(courses().list_for_user("user-1").size(), 1u);
}

TEST_P(CourseRepositoryContract, ListForUserIsNewestFirstAndOnlyTheirs) {
  courses().store(sample_course("old", "user-1", kT0), sample_outline("old"));
  courses().store(sample_course("theirs", "user-2", kT0 + 5000), sample_outline("theirs"));
  courses().store(sample_course("new", "user-1", kT0 + 10'000), sample_outline("new"));
  const auto listed = courses().list_for_user("user-1");
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].course_id, "new");
  EXPECT_EQ(listed[1].course_id, "old");
  EXPECT_TRUE(courses().list_for_user("user-3").empty());
}

TEST_P(CourseRepositoryContract, RemoveDeletesTheCourseAndItsSectionsOnly) {
  courses().store(sample_course("c1"), sample_outline("c1"));
  courses().store(sample_course("c2"), sample_outline("c2"));
  EXPECT_TRUE(courses().remove("c1"));
  EXPECT_FALSE(courses().get("c1").has_value());
  EXPECT_FALSE(courses().set_section_status("c1", "c1-s1", domain::SectionStatus::completed, kT0));
  EXPECT_FALSE(courses().remove("c1"));
  ASSERT_TRUE(courses().get("c2").has_value());
  EXPECT_EQ(courses().get("c2")->sections.size(), 5u);
}

TEST_P(CourseRepositoryContract, RemoveAlsoRemovesTheCoursesRun) {
  ports::RunStore* runs = fixture_->runs();
  if (runs == nullptr) GTEST_SKIP() << "the backend keeps runs apart from courses";
  ASSERT_TRUE(runs->create(sample_record("c1"), requested("c1"), requested_entry()));
  courses().store(sample_course("c1"), sample_outline("c1"));
  EXPECT_TRUE(courses().remove("c1"));
  EXPECT_FALSE(courses().get("c1").has_value());
  EXPECT_FALSE(runs->load("c1").has_value());
  EXPECT_TRUE(runs->history("c1", 0).empty());
}

TEST_P(CourseRepositoryContract, SetSectionStatusChangesAKnownSectionAndIsFalseForAnyOther) {
  courses().store(sample_course("c1"), sample_outline("c1"));
  courses().store(sample_course("c2"), sample_outline("c2"));
  EXPECT_TRUE(courses().set_section_status("c1", "c1-s1", domain::SectionStatus::in_progress, kT0 + 1000));
  EXPECT_FALSE(courses().set_section_status("c1", "no-such-section", domain::SectionStatus::completed, kT0));
  EXPECT_FALSE(courses().set_section_status("c1", "c2-s1", domain::SectionStatus::completed, kT0))
      << "a section of another course";
  EXPECT_FALSE(courses().set_section_status("nope", "c1-s1", domain::SectionStatus::completed, kT0));
  const auto stored = courses().get("c1");
  ASSERT_TRUE(stored.has_value());
  for (const auto& section : stored->sections) {
    EXPECT_EQ(section.status, section.section_id == "c1-s1" ? domain::SectionStatus::in_progress
                                                            : domain::SectionStatus::not_started)
        << section.section_id;
  }
  EXPECT_EQ(courses().get("c2")->sections[1].status, domain::SectionStatus::not_started);
}

TEST_P(CourseRepositoryContract, CompleteSectionMarksTheOwnersSectionOnceAndNothingElse) {
  courses().store(sample_course("c1", "user-1"), sample_outline("c1"));
  courses().store(sample_course("c2", "user-2"), sample_outline("c2"));
  EXPECT_EQ(courses().complete_section("user-1", "c1-s2", kT0 + 1000), std::optional<std::string>("c1"));
  EXPECT_EQ(courses().complete_section("user-1", "c1-s2", kT0 + 5000), std::optional<std::string>("c1"))
      << "idempotent";
  EXPECT_FALSE(courses().complete_section("user-1", "c2-s1", kT0)) << "another user's section";
  EXPECT_FALSE(courses().complete_section("user-2", "c1-s1", kT0)) << "another user's section";
  EXPECT_FALSE(courses().complete_section("user-1", "no-such-section", kT0));
  const auto stored = courses().get("c1");
  ASSERT_TRUE(stored.has_value());
  for (const auto& section : stored->sections) {
    if (section.section_id == "c1-s2") {
      EXPECT_EQ(section.status, domain::SectionStatus::completed);
      EXPECT_EQ(section.completed_at, domain::format_iso8601(kT0 + 1000)) << "the first time is kept";
    } else {
      EXPECT_EQ(section.status, domain::SectionStatus::not_started) << section.section_id;
      EXPECT_FALSE(section.completed_at.has_value()) << section.section_id;
    }
  }
  EXPECT_EQ(stored->course.status, domain::CourseStatus::active) << "two sections are left";
  EXPECT_EQ(courses().get("c2")->sections[1].status, domain::SectionStatus::not_started);
}

TEST_P(CourseRepositoryContract, CompletingTheLastLeafSectionCompletesTheCourse) {
  courses().store(sample_course("c1"), sample_outline("c1"));
  ASSERT_TRUE(courses().complete_section("user-1", "c1-s1", kT0 + 1));
  ASSERT_TRUE(courses().complete_section("user-1", "c1-s3", kT0 + 2));
  EXPECT_EQ(courses().get("c1")->course.status, domain::CourseStatus::active);
  ASSERT_TRUE(courses().complete_section("user-1", "c1-s2", kT0 + 3));
  const auto stored = courses().get("c1");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->course.status, domain::CourseStatus::completed)
      << "every leaf section is done (the part rows never count)";
  EXPECT_EQ(stored->course.last_modified, domain::format_iso8601(kT0 + 3));
}

TEST_P(CourseRepositoryContract, SectionStatusChangesKeepTheCourseStatusInStep) {
  courses().store(sample_course("c1"), sample_outline("c1"));
  for (const char* id : {"c1-s1", "c1-s2", "c1-s3"}) {
    ASSERT_TRUE(courses().set_section_status("c1", id, domain::SectionStatus::completed, kT0 + 1));
  }
  EXPECT_EQ(courses().get("c1")->course.status, domain::CourseStatus::completed);
  ASSERT_TRUE(courses().set_section_status("c1", "c1-s2", domain::SectionStatus::in_progress, kT0 + 2));
  EXPECT_EQ(courses().get("c1")->course.status, domain::CourseStatus::active) << "a section reopened";
  ASSERT_TRUE(courses().complete_section("user-1", "c1-s2", kT0 + 3));
  EXPECT_EQ(courses().get("c1")->course.status, domain::CourseStatus::completed);
}

INSTANTIATE_TEST_SUITE_P(Backends, CourseRepositoryContract, ::testing::ValuesIn(course_repository_backends()),
                         [](const ::testing::TestParamInfo<CourseRepositoryBackend>& p) {
                           return p.param.name;
                         });

}  // namespace
}  // namespace docprof::contract
