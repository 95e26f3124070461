// The DeadLetters contract (ports/dead_letters.h), run against every backend of
// dead_letters_backends(): a run's failing commit writes its letter, a replay's commit consumes it,
// bury() stores one outside a commit and replaces a letter of the same event, ids are the store's,
// and removing a run removes its letters — a run of either kind.
#include <gtest/gtest.h>

#include "contract/contract_samples.h"
#include "contract/dead_letters_contract.h"

namespace docprof::contract {
namespace {

class DeadLettersContract : public ::testing::TestWithParam<DeadLettersBackend> {
 protected:
  void SetUp() override { fixture_ = GetParam().make(); }
  ports::DeadLetters& letters() { return fixture_->dead_letters(); }
  ports::RunStore& runs() { return fixture_->runs(); }

  static ports::DeadLetter letter(const domain::Envelope& event, const std::string& code, std::int64_t at) {
    ports::DeadLetter l;
    l.course_id = event.course_id;
    l.event = event;
    l.attempts = 6;
    l.error_code = code;
    l.error = "the provider kept failing: \"503\"";
    l.at_ms = at;
    return l;
  }

  // Fails run `course_id` with a commit that dead-letters its awaited event.
  void fail_run(const std::string& course_id) {
    ASSERT_TRUE(runs().create(sample_record(course_id), requested(course_id), requested_entry()));
    auto commit = commit_on(*runs().load(course_id));
    commit.record.status = ports::RunStatus::error;
    commit.record.error = domain::Error{"retries_exhausted", "gave up"};
    commit.dead_letter = letter(requested(course_id), "retries_exhausted", kT0 + 1);
    ASSERT_EQ(runs().commit(commit), ports::CommitResult::committed);
  }

  std::unique_ptr<DeadLettersFixture> fixture_;
};

TEST_P(DeadLettersContract, AFailingCommitWritesTheLetterWithEverythingItSays) {
  EXPECT_EQ(letters().count(), 0);
  fail_run("c1");
  const auto listed = letters().list();
  ASSERT_EQ(listed.size(), 1u);
  const auto& l = listed[0];
  EXPECT_FALSE(l.id.empty());
  EXPECT_EQ(l.course_id, "c1");
  EXPECT_EQ(l.event, requested("c1"));
  EXPECT_EQ(l.attempts, 6);
  EXPECT_EQ(l.error_code, "retries_exhausted");
  EXPECT_EQ(l.error, "the provider kept failing: \"503\"");
  EXPECT_EQ(l.at_ms, kT0 + 1);
  EXPECT_EQ(letters().count(), 1);
  const auto got = letters().get(l.id);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->event, l.event);
}

TEST_P(DeadLettersContract, ALostCommitWritesNoLetter) {
  ASSERT_TRUE(runs().create(sample_record("c1"), requested("c1"), requested_entry()));
  auto stale = commit_on(*runs().load("c1"));
  stale.expected_version += 1;
  stale.dead_letter = letter(requested("c1"), "provider_error", kT0);
  EXPECT_EQ(runs().commit(stale), ports::CommitResult::lost_race);
  EXPECT_EQ(letters().count(), 0);
}

TEST_P(DeadLettersContract, AReplaysCommitConsumesTheLetter) {
  fail_run("c1");
  fail_run("c2");
  const std::string id = letters().list()[0].id;
  auto replay = commit_on(*runs().load("c1"));
  replay.record.status = ports::RunStatus::processing;
  replay.record.error.reset();
  replay.next_event = requested("c1");
  replay.consumed_dead_letter_id = id;
  ASSERT_EQ(runs().commit(replay), ports::CommitResult::committed);
  EXPECT_FALSE(letters().get(id).has_value());
  ASSERT_EQ(letters().count(), 1);
  EXPECT_EQ(letters().list()[0].course_id, "c2");
}

TEST_P(DeadLettersContract, BuryingTheSameEventAgainReplacesItsLetter) {
  letters().bury(letter(parts_generated("c9", 1), "invalid_event", kT0));
  letters().bury(letter(requested("c8"), "invalid_event", kT0 + 1));
  letters().bury(letter(parts_generated("c9", 1), "run_unreadable", kT0 + 2));
  const auto listed = letters().list();  // oldest first
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].course_id, "c8");
  EXPECT_EQ(listed[1].event.event_id, parts_generated("c9", 1).event_id);
  EXPECT_EQ(listed[1].error_code, "run_unreadable");
  EXPECT_NE(listed[0].id, listed[1].id);
}

TEST_P(DeadLettersContract, AnUnknownOrMalformedIdFindsNothing) {
  fail_run("c1");
  for (const char* id : {"", "999999", "not-an-id", "1; DROP TABLE dead_letters"}) {
    EXPECT_FALSE(letters().get(id).has_value()) << id;
  }
  EXPECT_EQ(letters().count(), 1);
}

TEST_P(DeadLettersContract, RemovingARunRemovesItsLetters) {
  fail_run("c1");
  fail_run("c2");
  ASSERT_TRUE(runs().remove("c1"));
  const auto listed = letters().list();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].course_id, "c2");
}

// An ingestion run's letter (issue 14) is kept under the run's id, with its event of kind ingest,
// beside a course run's, and goes with its run.
TEST_P(DeadLettersContract, AnIngestionRunsFailingCommitWritesItsLetterUnderTheRunsId) {
  fail_run("c1");
  ASSERT_TRUE(runs().create(sample_ingest_record("i1"), ingest_requested("i1"), requested_entry()));
  auto commit = commit_on(*runs().load("i1"));
  commit.record.status = ports::RunStatus::error;
  commit.record.error = domain::Error{"unreadable_document", "not a PDF"};
  commit.dead_letter = letter(ingest_requested("i1"), "unreadable_document", kT0 + 2);
  ASSERT_EQ(runs().commit(commit), ports::CommitResult::committed);

  const auto listed = letters().list();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[1].course_id, "i1");
  EXPECT_EQ(listed[1].event, ingest_requested("i1"));
  EXPECT_EQ(domain::run_kind_of(listed[1].event.type()), domain::RunKind::ingest);
  EXPECT_EQ(letters().get(listed[1].id)->course_id, "i1");
  ASSERT_TRUE(runs().remove("i1"));
  ASSERT_EQ(letters().count(), 1);
  EXPECT_EQ(letters().list()[0].course_id, "c1");
}

INSTANTIATE_TEST_SUITE_P(Backends, DeadLettersContract, ::testing::ValuesIn(dead_letters_backends()),
                         [](const ::testing::TestParamInfo<DeadLettersBackend>& p) { return p.param.name; });

}  // namespace
}  // namespace docprof::contract
