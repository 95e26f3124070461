// RecentRuns: a runner's records of the runs it committed, for their next steps — handed out once,
// only for the event the commit emitted, and bounded.
#include <gtest/gtest.h>

#include "engine/recent_runs.h"

namespace docprof::engine {
namespace {

ports::RunRecord run(const std::string& id, std::int64_t version) {
  ports::RunRecord record;
  record.course_id = id;
  record.version = version;
  record.state = domain::RunState{};
  return record;
}

TEST(RecentRuns, ARecordServesTheEventItsCommitEmittedOnce) {
  RecentRuns recent(8);
  recent.put(run("r1", 3), "event-4");
  const auto taken = recent.take("r1", "event-4");
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->version, 3);
  EXPECT_FALSE(recent.take("r1", "event-4")) << "taken out: one step of a run at a time";
}

TEST(RecentRuns, AnotherEventOfTheRunDropsTheRecordUnused) {
  RecentRuns recent(8);
  recent.put(run("r1", 3), "event-4");
  EXPECT_FALSE(recent.take("r1", "replayed-event")) << "the run changed elsewhere";
  EXPECT_FALSE(recent.take("r1", "event-4")) << "dropped, not kept for later";
  EXPECT_FALSE(recent.take("r2", "event-1"));
}

TEST(RecentRuns, ANewerRecordReplacesTheOlder) {
  RecentRuns recent(8);
  recent.put(run("r1", 3), "event-4");
  recent.put(run("r1", 4), "event-5");
  EXPECT_FALSE(recent.take("r1", "event-4"));
  recent.put(run("r1", 4), "event-5");
  const auto taken = recent.take("r1", "event-5");
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->version, 4);
}

TEST(RecentRuns, TheOldestGoFirstPastTheCapacity) {
  RecentRuns recent(3);
  for (int i = 0; i < 5; ++i) recent.put(run("r" + std::to_string(i), i), "e" + std::to_string(i));
  EXPECT_FALSE(recent.take("r0", "e0"));
  EXPECT_FALSE(recent.take("r1", "e1"));
  for (int i = 2; i < 5; ++i) EXPECT_TRUE(recent.take("r" + std::to_string(i), "e" + std::to_string(i))) << i;
  // A run put again keeps its place from its latest put.
  recent.put(run("a", 1), "x");
  recent.put(run("b", 1), "x");
  recent.put(run("a", 2), "y");
  recent.put(run("c", 1), "x");
  recent.put(run("d", 1), "x");  // over capacity: b is the oldest now
  EXPECT_FALSE(recent.take("b", "x"));
  EXPECT_TRUE(recent.take("a", "y"));
  RecentRuns none(0);
  none.put(run("r", 1), "e");
  EXPECT_FALSE(none.take("r", "e"));
}

}  // namespace
}  // namespace docprof::engine
