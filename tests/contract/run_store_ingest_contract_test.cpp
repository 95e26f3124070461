// The RunStore contract for ingestion runs (issue 14; ports/run_store.h), run against every backend
// of run_store_backends(): a run of kind ingest round-trips with its kind and book, commits with
// compare-and-set, keeps its own history, is listed by list_ingest_runs() and never by list_runs()
// or count_runs(), shares the id space with course runs, has its outbox published and cleared,
// is removed, and is expired by the janitor like a course's run.
#include <gtest/gtest.h>

#include "contract/contract_samples.h"
#include "contract/run_store_contract.h"
#include "ports/stored_state.h"

namespace docprof::contract {
namespace {

class RunStoreIngestContract : public ::testing::TestWithParam<RunStoreBackend> {
 protected:
  void SetUp() override { fixture_ = GetParam().make(); }

  ports::RunStore& store() { return fixture_->store(); }
  ports::EventQueue* queue() { return fixture_->shared_queue(); }

  void create_ingest(const std::string& ingest_id, const std::string& user = "user-1", std::int64_t created = kT0) {
    ASSERT_TRUE(store().create(sample_ingest_record(ingest_id, user, created), ingest_requested(ingest_id, user),
                               history_entry(0, "IngestRequested", "requested", ports::HistoryKind::note)));
  }

  ports::RunRecord current(const std::string& run_id) {
    auto record = store().load(run_id);
    if (!record) throw std::runtime_error("no run " + run_id);
    return *record;
  }

  // The parse step's commit: the document read as book-x of 3 chapters.
  ports::StepCommit parsed(const std::string& ingest_id) {
    auto commit = commit_on(current(ingest_id));
    commit.record.phase = domain::Phase::summarizing;
    commit.record.book_id = "book-x";
    commit.record.title = "X";
    commit.record.parts_count = 3;
    commit.record.current_part_index = 1;
    commit.record.next_seq = 2;
    commit.record.updated_at_ms = kT0 + 10;
    commit.record.usage = {5, 6, 1};
    commit.history = {history_entry(1, "DocumentParsed", "read 3 chapters")};
    return commit;
  }

  std::unique_ptr<RunStoreFixture> fixture_;
};

TEST_P(RunStoreIngestContract, AnIngestionRunRoundTripsWithItsKindAndLaterItsBook) {
  const auto record = sample_ingest_record("i1");
  ASSERT_TRUE(store().create(record, ingest_requested("i1"), requested_entry()));
  const auto loaded = current("i1");
  EXPECT_EQ(loaded.kind, domain::RunKind::ingest);
  EXPECT_EQ(loaded.course_id, "i1");
  EXPECT_EQ(loaded.user_id, "user-1");
  EXPECT_EQ(loaded.query, "x.md");
  EXPECT_EQ(loaded.title, "x.md");
  EXPECT_EQ(loaded.phase, domain::Phase::parsing);
  EXPECT_EQ(loaded.status, ports::RunStatus::processing);
  EXPECT_EQ(loaded.book_id, "");  // not read yet
  EXPECT_EQ(loaded.version, 0);
  EXPECT_EQ(loaded.state, record.state);
  EXPECT_EQ(loaded.created_at_ms, kT0);
  EXPECT_EQ(loaded.expires_at_ms, kT0 + 7 * kDay);

  ASSERT_EQ(store().commit(parsed("i1")), ports::CommitResult::committed);
  const auto after = current("i1");
  EXPECT_EQ(after.kind, domain::RunKind::ingest);
  EXPECT_EQ(after.book_id, "book-x");
  EXPECT_EQ(after.title, "X");
  EXPECT_EQ(after.parts_count, 3);
  EXPECT_EQ(after.current_part_index, 1);
  EXPECT_EQ(after.phase, domain::Phase::summarizing);
  EXPECT_EQ(after.usage, (domain::TokenUsage{5, 6, 1}));
  EXPECT_EQ(after.version, 1);
  EXPECT_EQ(after.updated_at_ms, kT0 + 10);
}

// The document an ingestion run read (outline and offline summary: megabytes for a big book) is
// kept apart from the state every step rewrites, and comes back whole — from this process's cache,
// and cold, as another process reads it — until the run no longer has a state.
TEST_P(RunStoreIngestContract, AnIngestionRunsDocumentComesBackWholeWarmAndCold) {
  create_ingest("i1");
  auto commit = parsed("i1");
  domain::IngestState& ingest = *commit.record.state->ingest;
  ingest.parsed = true;
  ingest.book_id = "book-x";
  ingest.outline.title = "X";
  for (int c = 1; c <= 3; ++c) {
    domain::DocumentChapter chapter{"Chapter " + std::to_string(c), "chapter", {}};
    chapter.sections.push_back(domain::DocumentSection{
        "Only", {domain::DocumentParagraph{std::string(2000, static_cast<char>('a' + c)), c, false}}, {"Sub"}});
    ingest.outline.chapters.push_back(chapter);
    ingest.offline.chapters.push_back(domain::ChapterSummary{c, chapter.title, "Summary.", {}, 2000, "chapter"});
  }
  ingest.offline.source_title = "X";
  ASSERT_EQ(store().commit(commit), ports::CommitResult::committed);
  EXPECT_EQ(current("i1").state, commit.record.state);

  auto next = commit_on(current("i1"));
  next.record.state->ingest->chapters.push_back(next.record.state->ingest->offline.chapters[0]);
  next.record.state->last_seq = 2;
  ASSERT_EQ(store().commit(next), ports::CommitResult::committed);
  ports::stored::forget_cached_books();  // as a process that has not read it yet
  EXPECT_EQ(current("i1").state, next.record.state);

  auto done = commit_on(current("i1"));
  done.record.status = ports::RunStatus::complete;
  done.record.state.reset();
  ASSERT_EQ(store().commit(done), ports::CommitResult::committed);
  EXPECT_FALSE(current("i1").state.has_value());
}

TEST_P(RunStoreIngestContract, ACourseRunStillLoadsAsACourseRun) {
  ASSERT_TRUE(store().create(sample_record("c1"), requested("c1"), requested_entry()));
  create_ingest("i1");
  const auto course = current("c1");
  EXPECT_EQ(course.kind, domain::RunKind::course);
  EXPECT_EQ(course.book_id, "");
  EXPECT_EQ(course.query, "learn valuation");
  EXPECT_EQ(current("i1").kind, domain::RunKind::ingest);
}

TEST_P(RunStoreIngestContract, AStaleCommitOfAnIngestionRunLosesTheRaceAndWritesNothing) {
  create_ingest("i1");
  const auto before = current("i1");
  ASSERT_EQ(store().commit(parsed("i1")), ports::CommitResult::committed);
  auto stale = commit_on(before);
  stale.record.title = "stale";
  stale.history = {history_entry(1, "DocumentParsed", "stale")};
  EXPECT_EQ(store().commit(stale), ports::CommitResult::lost_race);
  EXPECT_EQ(current("i1").title, "X");
  EXPECT_EQ(current("i1").version, 1);
  EXPECT_EQ(store().history("i1", 0).size(), 2u);
}

TEST_P(RunStoreIngestContract, AnIngestionRunsHistoryIsItsOwnInOrder) {
  create_ingest("i1");
  ASSERT_TRUE(store().create(sample_record("c1"), requested("c1"), requested_entry()));
  ASSERT_EQ(store().commit(parsed("i1")), ports::CommitResult::committed);
  const auto history = store().history("i1", 0);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].course_id, "i1");
  EXPECT_EQ(history[0].type, "IngestRequested");
  EXPECT_EQ(history[0].kind, ports::HistoryKind::note);
  EXPECT_EQ(history[1].type, "DocumentParsed");
  EXPECT_EQ(history[1].message, "read 3 chapters");
  EXPECT_EQ(history[1].usage, (domain::TokenUsage{10, 20, 1}));
  EXPECT_EQ(history[1].revision, 0);
  EXPECT_LT(history[0].history_id, history[1].history_id);
  const auto later = store().history("i1", history[0].history_id);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].type, "DocumentParsed");
  EXPECT_EQ(store().history("c1", 0).size(), 1u);  // the course's history holds none of it
}

TEST_P(RunStoreIngestContract, ListIngestRunsIsNewestFirstForAUserOrForEveryone) {
  create_ingest("old", "user-1", kT0);
  create_ingest("other-user", "user-2", kT0 + 5);
  create_ingest("new", "user-1", kT0 + 10);
  ASSERT_TRUE(store().create(sample_record("c1", "user-1", kT0 + 20), requested("c1"), requested_entry()));

  const auto mine = store().list_ingest_runs("user-1");
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].course_id, "new");
  EXPECT_EQ(mine[1].course_id, "old");
  for (const auto& run : mine) {
    EXPECT_EQ(run.kind, domain::RunKind::ingest) << run.course_id;
    EXPECT_FALSE(run.state.has_value()) << run.course_id;
    EXPECT_EQ(run.query, "x.md") << run.course_id;
  }
  const auto everyone = store().list_ingest_runs("");
  ASSERT_EQ(everyone.size(), 3u);
  EXPECT_EQ(everyone[0].course_id, "new");
  EXPECT_EQ(everyone[1].course_id, "other-user");
  EXPECT_EQ(everyone[2].course_id, "old");
  EXPECT_TRUE(store().list_ingest_runs("user-3").empty());
}

TEST_P(RunStoreIngestContract, ListRunsAndCountRunsSeeCourseRunsOnly) {
  create_ingest("i1", "user-1");
  create_ingest("i2", "user-1");
  ASSERT_TRUE(store().create(sample_record("c1"), requested("c1"), requested_entry()));
  const auto runs = store().list_runs("user-1");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].course_id, "c1");
  const auto counts = store().count_runs();
  EXPECT_EQ(counts.processing, 1);
  EXPECT_EQ(counts.complete, 0);
  EXPECT_EQ(counts.error, 0);
}

TEST_P(RunStoreIngestContract, ARunIdNamesOneRunOfEitherKind) {
  ASSERT_TRUE(store().create(sample_record("r1"), requested("r1"), requested_entry()));
  EXPECT_FALSE(store().create(sample_ingest_record("r1"), ingest_requested("r1"), requested_entry()));
  create_ingest("r2");
  EXPECT_FALSE(store().create(sample_record("r2"), requested("r2"), requested_entry()));
  EXPECT_EQ(current("r1").kind, domain::RunKind::course);
  EXPECT_EQ(current("r2").kind, domain::RunKind::ingest);
  EXPECT_EQ(store().history("r1", 0).size(), 1u);
  EXPECT_EQ(store().history("r2", 0).size(), 1u);
}

// The first event is never lost, whatever the run's kind (see the course contract's twin).
TEST_P(RunStoreIngestContract, CreateKeepsAnIngestionRunsFirstEventForDelivery) {
  create_ingest("i1");
  if (store().hands_off_events()) {
    const auto leased = queue()->lease(5, "worker-a", kT0, kLease);
    ASSERT_EQ(leased.size(), 1u);
    EXPECT_EQ(leased[0].event, ingest_requested("i1"));
  } else {
    EXPECT_EQ(current("i1").outbox, ingest_requested("i1"));
    const auto unpublished = store().unpublished(kT0);
    ASSERT_EQ(unpublished.size(), 1u);
    EXPECT_EQ(unpublished[0], ingest_requested("i1"));
  }
}

TEST_P(RunStoreIngestContract, AnIngestionRunsOutboxIsUnpublishedUntilItsOwnEventIdClearsIt) {
  ASSERT_TRUE(store().create(sample_record("c1"), requested("c1"), requested_entry()));
  create_ingest("i1");
  store().clear_outbox("c1", requested("c1").event_id);
  store().clear_outbox("i1", ingest_requested("i1").event_id);
  const auto next = document_parsed("i1", 1);
  auto commit = parsed("i1");
  commit.record.outbox = next;
  commit.next_event = next;
  ASSERT_EQ(store().commit(commit), ports::CommitResult::committed);

  EXPECT_EQ(current("i1").outbox, next);
  const auto unpublished = store().unpublished(kT0 + 10);
  ASSERT_EQ(unpublished.size(), 1u);
  EXPECT_EQ(unpublished[0], next);
  EXPECT_TRUE(store().unpublished(kT0 + 9).empty());  // updated after the cutoff
  store().clear_outbox("i1", ingest_requested("i1").event_id);  // an older event of the run
  EXPECT_EQ(current("i1").outbox, next);
  store().clear_outbox("i1", next.event_id);
  EXPECT_FALSE(current("i1").outbox.has_value());
  EXPECT_TRUE(store().unpublished(kT0 + 10).empty());
}

TEST_P(RunStoreIngestContract, RemoveDeletesAnIngestionRunAndItsHistoryOnly) {
  create_ingest("i1");
  create_ingest("i2");
  ASSERT_TRUE(store().create(sample_record("c1"), requested("c1"), requested_entry()));
  EXPECT_TRUE(store().remove("i1"));
  EXPECT_FALSE(store().load("i1").has_value());
  EXPECT_TRUE(store().history("i1", 0).empty());
  EXPECT_FALSE(store().remove("i1"));
  EXPECT_EQ(store().list_ingest_runs("").size(), 1u);
  EXPECT_TRUE(store().load("i2").has_value());
  EXPECT_TRUE(store().load("c1").has_value());
}

TEST_P(RunStoreIngestContract, ExpireStatesDropsTheStateOfAFinishedIngestionRunPastItsTtl) {
  create_ingest("done");
  create_ingest("recent");
  for (const auto& [id, expires] : {std::pair{"done", kT0 + kDay}, std::pair{"recent", kT0 + 3 * kDay}}) {
    auto commit = commit_on(current(id));
    commit.record.status = ports::RunStatus::complete;
    commit.record.phase = domain::Phase::complete;
    commit.record.outbox.reset();
    commit.record.expires_at_ms = expires;
    ASSERT_EQ(store().commit(commit), ports::CommitResult::committed);
  }
  EXPECT_EQ(store().expire_states(kT0 + 2 * kDay, 7 * kDay), 1);
  const auto done = current("done");  // the record stays: status keeps answering
  EXPECT_EQ(done.kind, domain::RunKind::ingest);
  EXPECT_FALSE(done.state.has_value());
  EXPECT_EQ(done.status, ports::RunStatus::complete);
  EXPECT_TRUE(current("recent").state.has_value());
  EXPECT_EQ(store().expire_states(kT0 + 2 * kDay, 7 * kDay), 0);
}

// Only a store that sees its queue can tell a stranded run (see the course contract's twin).
TEST_P(RunStoreIngestContract, ExpireStatesFailsAStrandedIngestionRunAsExpired) {
  if (queue() == nullptr) GTEST_SKIP() << "the store shares no queue: it cannot tell a stranded run";
  create_ingest("i1");
  auto leased = queue()->lease(1, "worker-a", kT0, kLease);
  ASSERT_EQ(leased.size(), 1u);
  queue()->ack(leased[0]);

  const std::int64_t now = kT0 + 8 * kDay;
  EXPECT_EQ(store().expire_states(now, kDay), 1);
  const auto record = current("i1");
  EXPECT_EQ(record.kind, domain::RunKind::ingest);
  EXPECT_EQ(record.status, ports::RunStatus::error);
  ASSERT_TRUE(record.error.has_value());
  EXPECT_EQ(record.error->code, "expired");
  EXPECT_TRUE(record.state.has_value());  // kept, so a replay resumes the run
  EXPECT_EQ(record.version, 1);
  const auto history = store().history("i1", 0);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].kind, ports::HistoryKind::error);
  EXPECT_EQ(history[1].type, "IngestFailed");
}

INSTANTIATE_TEST_SUITE_P(Backends, RunStoreIngestContract, ::testing::ValuesIn(run_store_backends()),
                         [](const ::testing::TestParamInfo<RunStoreBackend>& p) { return p.param.name; });

}  // namespace
}  // namespace docprof::contract
