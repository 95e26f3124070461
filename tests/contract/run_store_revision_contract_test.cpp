// The RunStore contract for a revision's store step (issue 17), on every backend (SQLite,
// PostgreSQL, the in-memory test store): StepCommit::revision rebuilds the rows from the course as
// stored at commit time — a completed section keeps its id and every column but order_index, even
// when the answer changes it — records the revision number on the record and its history, and a
// revision that cannot be built writes nothing (the old outline and the record stay).
#include <gtest/gtest.h>

#include <stdexcept>

#include "contract/contract_samples.h"
#include "contract/run_store_contract.h"
#include "domain/revision_outline.h"

namespace docprof::contract {
namespace {

class RunStoreRevisionContract : public ::testing::TestWithParam<RunStoreBackend> {
 protected:
  void SetUp() override { fixture_ = GetParam().make(); }
  ports::RunStore& store() { return fixture_->store(); }
  ports::RunRecord current(const std::string& id) { return store().load(id).value(); }

  // A stored 90-minute course whose first section is completed.
  void store_course(const std::string& id) {
    ASSERT_TRUE(store().create(sample_record(id), requested(id), requested_entry()));
    auto outline = sample_outline(id);  // s1 30 min, s2 45 min, s3 75 min
    outline[1].status = domain::SectionStatus::completed;
    outline[1].completed_at = domain::format_iso8601(kT0 + 1000);
    outline[1].sources = {domain::SectionSource{"book", "Valuation", 2, "Cash Flows", std::nullopt}};
    outline[1].chunk_ids = {"chunk-1"};
    auto commit = commit_on(current(id));
    auto course = sample_course(id);
    course.estimated_hours = 2.5;
    commit.course = ports::StoredCourse{course, outline};
    commit.record.status = ports::RunStatus::complete;
    commit.record.outbox.reset();
    ASSERT_EQ(store().commit(commit), ports::CommitResult::committed);
    completed_ = outline[1];
  }

  // The revision commit of revision 1, with `answer` (the outline grammar) and `hours` after it.
  ports::StepCommit revision_commit(const std::string& id, const std::string& answer, double hours) {
    auto commit = commit_on(current(id));
    commit.record.status = ports::RunStatus::processing;
    commit.record.revision = 1;
    commit.history.push_back(history_entry(1, "OutlineRevised", "Storing revision 1"));
    domain::StoreRevision store;
    store.course_id = id;
    store.revision_request = "make it 3 hours";
    store.outline = domain::parse_revised_answer(answer).value().outline;
    store.rows = domain::RevisionRowsRequest{1, hours, kT0 + 5000};
    commit.revision = ports::RevisionCommit{store, {}};
    return commit;
  }

  std::unique_ptr<RunStoreFixture> fixture_;
  domain::CourseSection completed_;
};

constexpr const char* kAnswer =
    "## Part 1: Section c-p1\n\n"
    "### Section 1: [completed] Section c-s1 - 5 minutes\nLearning objectives:\n- changed\n- changed too\n\n"
    "### Section 2: Something New - 60 minutes\nLearning objectives:\n- learn it\n- apply it\n\n"
    "## Part 2: Another Part\n\n"
    "### Section 1: More Things - 90 minutes\nLearning objectives:\n- more\n- things\n";

TEST_P(RunStoreRevisionContract, TheRevisionReplacesTheOutlineAroundCompletedSectionsAsStored) {
  store_course("c");
  ASSERT_EQ(store().commit(revision_commit("c", kAnswer, 3.0)), ports::CommitResult::committed);
  const auto stored = fixture_->stored_course("c").value();
  EXPECT_DOUBLE_EQ(stored.course.estimated_hours, 3.0);
  int found = 0;
  int minutes = 0;
  bool added = false;
  for (const auto& row : stored.sections) {
    if (row.parent_section_id) minutes += row.estimated_minutes;
    added = added || row.title == "Something New";
    if (row.section_id != completed_.section_id) continue;
    ++found;
    domain::CourseSection same = row;
    same.order_index = completed_.order_index;
    EXPECT_EQ(same, completed_);
  }
  EXPECT_EQ(found, 1);
  EXPECT_TRUE(added);
  EXPECT_GE(minutes, 171);
  EXPECT_LE(minutes, 189);
  // The record and the history entries written with it carry the revision.
  EXPECT_EQ(current("c").revision, 1);
  const auto history = store().history("c", 0);
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.front().revision, 0);
  EXPECT_EQ(history.back().revision, 1);
}

TEST_P(RunStoreRevisionContract, ARevisionThatCannotBeBuiltWritesNothing) {
  store_course("c");
  const auto before = fixture_->stored_course("c").value();
  const auto record = current("c");
  // 10 minutes for the course: less than its completed section already takes.
  EXPECT_THROW(store().commit(revision_commit("c", kAnswer, 10.0 / 60.0)), std::exception);
  const auto after = fixture_->stored_course("c").value();
  EXPECT_EQ(after.sections, before.sections);
  EXPECT_EQ(after.course, before.course);
  EXPECT_EQ(current("c").version, record.version);
  EXPECT_EQ(current("c").revision, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, RunStoreRevisionContract, ::testing::ValuesIn(run_store_backends()),
                         [](const ::testing::TestParamInfo<RunStoreBackend>& p) { return p.param.name; });

}  // namespace
}  // namespace docprof::contract
