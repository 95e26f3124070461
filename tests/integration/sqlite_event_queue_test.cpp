// SqliteEventQueue against a real database file: leasing order and limits, exclusive leases under
// concurrency, expiry and redelivery, extension, dead-worker reclaim (a real exited process),
// retries, counts, dead letters and replay.
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "adapters/sqlite/process_liveness.h"
#include "adapters/sqlite/sqlite_dead_letters.h"
#include "adapters/sqlite/sqlite_event_queue.h"
#include "adapters/sqlite/sqlite_run_store.h"
#include "integration/temp_dir.h"

namespace {

using namespace docprof;
using adapters::sqlite::format_worker_id;
using adapters::sqlite::make_worker_id;
using adapters::sqlite::parse_worker_id;
using adapters::sqlite::process_start_ticks;
using adapters::sqlite::Session;
using adapters::sqlite::SqliteDatabase;
using adapters::sqlite::SqliteDeadLetters;
using adapters::sqlite::SqliteEventQueue;
using adapters::sqlite::this_host_name;
using adapters::sqlite::this_process_identity;
using adapters::sqlite::WorkerIdentity;
using adapters::sqlite::worker_known_dead;
using test_support::TempDir;

constexpr std::int64_t kT0 = 1'800'000'000'000;
constexpr std::int64_t kLease = 30'000;

domain::Envelope event(const std::string& course_id, std::int64_t seq) {
  domain::Envelope e;
  e.event_id = course_id + "/" + std::to_string(seq);
  e.course_id = course_id;
  e.seq = seq;
  e.occurred_at = "2027-01-15T08:00:00.000Z";
  e.payload = domain::PartsGenerated{"Part 1: Basics - 60 minutes\nTotal: 60 minutes", {5, 6, 1}};
  return e;
}

// A pid that certainly names no process: a child that has exited and been reaped.
int reaped_child_pid() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  return static_cast<int>(child);
}

// The worker id of a process `pid` started at `start_ticks` in this PID namespace of this boot.
std::string worker_of_this_namespace(int pid, std::uint64_t start_ticks, const std::string& suffix) {
  WorkerIdentity identity = this_process_identity();
  identity.pid = pid;
  identity.start_ticks = start_ticks;
  identity.suffix = suffix;
  return format_worker_id(identity);
}

// The first line of a small file.
std::string read_text_line(const char* path) {
  std::ifstream file(path);
  std::string line;
  std::getline(file, line);
  return line;
}

class SqliteEventQueueTest : public ::testing::Test {
 protected:
  SqliteEventQueueTest()
      : db_(SqliteDatabase::open_and_migrate(dir_.file("docprof.db"))), queue_(db_), dead_letters_(db_) {}

  std::string last_error_of(const std::string& delivery_id) {
    return db_->read([&](Session& s) {
      auto row =
          s.query("SELECT last_error FROM event_queue WHERE id = ?", std::stoll(delivery_id));
      return row.step() ? row.text(0) : std::string("<no row>");
    });
  }

  TempDir dir_;
  std::shared_ptr<SqliteDatabase> db_;
  SqliteEventQueue queue_;
  SqliteDeadLetters dead_letters_;
};

TEST_F(SqliteEventQueueTest, PublishedEventComesBackWholeAsAttemptOne) {
  const auto sent = event("c1", 3);
  queue_.publish(sent, kT0);
  const auto leased = queue_.lease(10, "w1", kT0, kLease);
  ASSERT_EQ(leased.size(), 1u);
  auto expected = sent;
  expected.attempt = 1;
  EXPECT_EQ(leased[0].event, expected);
  EXPECT_EQ(leased[0].worker_id, "w1");
  EXPECT_EQ(leased[0].leased_until_ms, kT0 + kLease);
  EXPECT_FALSE(leased[0].delivery_id.empty());
}

TEST_F(SqliteEventQueueTest, AnEventIsNotDeliveredBeforeItsTime) {
  queue_.publish(event("c1", 0), kT0 + 5000);
  EXPECT_TRUE(queue_.lease(10, "w1", kT0 + 4999, kLease).empty());
  EXPECT_EQ(queue_.lease(10, "w1", kT0 + 5000, kLease).size(), 1u);
}

TEST_F(SqliteEventQueueTest, LeasesInOrderOfAvailabilityThenPublication) {
  queue_.publish(event("late", 0), kT0 + 20);
  queue_.publish(event("first", 0), kT0);
  queue_.publish(event("second", 0), kT0);
  queue_.publish(event("middle", 0), kT0 + 10);
  const auto leased = queue_.lease(10, "w1", kT0 + 100, kLease);
  ASSERT_EQ(leased.size(), 4u);
  EXPECT_EQ(leased[0].event.course_id, "first");
  EXPECT_EQ(leased[1].event.course_id, "second");
  EXPECT_EQ(leased[2].event.course_id, "middle");
  EXPECT_EQ(leased[3].event.course_id, "late");
}

TEST_F(SqliteEventQueueTest, LeaseRunLeasesOnlyThatRunsEventsAndLeavesTheRest) {
  // Issue 11, defect 7: `course create` follows one run; others stay queued for the workers.
  queue_.publish(event("other", 0), kT0);
  queue_.publish(event("mine", 0), kT0 + 10);
  queue_.publish(event("mine", 1), kT0 + 20);
  queue_.publish(event("other", 1), kT0 + 30);
  const auto mine = queue_.lease_run("mine", 10, "w1", kT0 + 100, kLease);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].event.event_id, "mine/0");
  EXPECT_EQ(mine[1].event.event_id, "mine/1");
  EXPECT_TRUE(queue_.lease_run("mine", 10, "w1", kT0 + 100, kLease).empty());
  EXPECT_TRUE(queue_.lease_run("", 10, "w1", kT0 + 100, kLease).empty()) << "no run named: nothing";
  EXPECT_EQ(queue_.counts(kT0 + 100).ready, 2) << "the other run's events are untouched";
  const auto rest = queue_.lease(10, "w2", kT0 + 100, kLease);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].event.course_id, "other");
  EXPECT_EQ(rest[1].event.course_id, "other");
  EXPECT_EQ(rest[0].event.attempt, 1);
}

TEST_F(SqliteEventQueueTest, LeaseTakesAtMostMax) {
  for (int i = 0; i < 5; ++i) queue_.publish(event("c", i), kT0);
  EXPECT_EQ(queue_.lease(2, "w1", kT0, kLease).size(), 2u);
  EXPECT_EQ(queue_.lease(2, "w2", kT0, kLease).size(), 2u);
  EXPECT_EQ(queue_.lease(2, "w3", kT0, kLease).size(), 1u);
  EXPECT_TRUE(queue_.lease(0, "w4", kT0, kLease).empty());
}

TEST_F(SqliteEventQueueTest, PublishingTheSameEventTwiceQueuesItOnce) {
  queue_.publish(event("c1", 0), kT0);
  queue_.publish(event("c1", 0), kT0);
  EXPECT_EQ(queue_.counts(kT0).ready, 1);
}

TEST_F(SqliteEventQueueTest, ALeasedEventIsNotHandedToAnotherWorkerWhileTheLeaseHolds) {
  queue_.publish(event("c1", 0), kT0);
  ASSERT_EQ(queue_.lease(1, "w1", kT0, kLease).size(), 1u);
  EXPECT_TRUE(queue_.lease(1, "w2", kT0 + kLease - 1, kLease).empty());
}

TEST_F(SqliteEventQueueTest, ConcurrentLeasingFromEightThreadsNeverDuplicates) {
  constexpr int kEvents = 400;
  for (int i = 0; i < kEvents; ++i) queue_.publish(event("c" + std::to_string(i % 7), i), kT0);
  std::mutex mutex;
  std::vector<std::string> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      // Half the threads share the fixture's connection, half have their own (as processes do).
      std::shared_ptr<SqliteDatabase> db = t % 2 == 0 ? db_ : SqliteDatabase::open(db_->path());
      SqliteEventQueue queue(db);
      const std::string worker = "w" + std::to_string(t);
      for (;;) {
        const auto leased = queue.lease(1 + t % 3, worker, kT0, kLease);
        if (leased.empty()) break;
        std::lock_guard lock(mutex);
        for (const auto& d : leased) seen.push_back(d.event.event_id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kEvents));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(),
            static_cast<std::size_t>(kEvents));
  EXPECT_EQ(queue_.counts(kT0).leased, kEvents);
}

TEST_F(SqliteEventQueueTest, AnExpiredLeaseIsRedeliveredAsTheNextAttempt) {
  queue_.publish(event("c1", 0), kT0);
  const auto first = queue_.lease(1, "w1", kT0, kLease);
  ASSERT_EQ(first.size(), 1u);
  const auto second = queue_.lease(1, "w2", kT0 + kLease, kLease);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].delivery_id, first[0].delivery_id);
  EXPECT_EQ(second[0].event.attempt, 2);
  EXPECT_EQ(second[0].worker_id, "w2");
  EXPECT_TRUE(first[0].previous_error.empty()) << "a first delivery has no history";
  EXPECT_EQ(second[0].previous_error, "the lease of w1 ran out before the step finished")
      << "the abandoned delivery is named (issue 11, defect 1)";
}

TEST_F(SqliteEventQueueTest, ExtendKeepsTheLease) {
  queue_.publish(event("c1", 0), kT0);
  const auto leased = queue_.lease(1, "w1", kT0, kLease);
  ASSERT_EQ(leased.size(), 1u);
  EXPECT_TRUE(queue_.extend(leased[0], kT0 + 3 * kLease));
  EXPECT_TRUE(queue_.lease(1, "w2", kT0 + 2 * kLease, kLease).empty());
  EXPECT_EQ(queue_.lease(1, "w2", kT0 + 3 * kLease, kLease).size(), 1u);
}

TEST_F(SqliteEventQueueTest, ALostLeaseCannotBeExtendedAckedOrRetried) {
  queue_.publish(event("c1", 0), kT0);
  const auto stale = queue_.lease(1, "w1", kT0, kLease).at(0);
  const auto current = queue_.lease(1, "w2", kT0 + kLease, kLease).at(0);
  EXPECT_FALSE(queue_.extend(stale, kT0 + 10 * kLease));
  queue_.ack(stale);
  queue_.retry_later(stale, kT0, "stale worker");
  const auto counts = queue_.counts(kT0 + kLease);
  EXPECT_EQ(counts.leased, 1);  // still w2's
  EXPECT_TRUE(queue_.extend(current, kT0 + 2 * kLease));
}

TEST_F(SqliteEventQueueTest, TheSameWorkerGettingARowAgainFencesItsOldDelivery) {
  queue_.publish(event("c1", 0), kT0);
  const auto old_delivery = queue_.lease(1, "w1", kT0, kLease).at(0);
  const auto new_delivery = queue_.lease(1, "w1", kT0 + kLease, kLease).at(0);
  EXPECT_FALSE(queue_.extend(old_delivery, kT0 + 5 * kLease));
  queue_.ack(old_delivery);
  EXPECT_EQ(queue_.counts(kT0 + kLease).leased, 1);
  queue_.ack(new_delivery);
  EXPECT_TRUE(queue_.counts(kT0 + kLease).idle());
}

TEST_F(SqliteEventQueueTest, AckDeletesTheEvent) {
  queue_.publish(event("c1", 0), kT0);
  const auto leased = queue_.lease(1, "w1", kT0, kLease).at(0);
  queue_.ack(leased);
  EXPECT_TRUE(queue_.counts(kT0 + 10 * kLease).idle());
  EXPECT_TRUE(queue_.lease(1, "w1", kT0 + 10 * kLease, kLease).empty());
}

TEST_F(SqliteEventQueueTest, RetryLaterDelaysTheEventAndCountsTheNextAttempt) {
  queue_.publish(event("c1", 0), kT0);
  const auto leased = queue_.lease(1, "w1", kT0, kLease).at(0);
  queue_.retry_later(leased, kT0 + 2000, "rate limited");
  EXPECT_EQ(last_error_of(leased.delivery_id), "rate limited");
  const auto counts = queue_.counts(kT0 + 1);
  EXPECT_EQ(counts.delayed, 1);
  EXPECT_EQ(counts.leased, 0);
  EXPECT_TRUE(queue_.lease(1, "w1", kT0 + 1999, kLease).empty());
  const auto again = queue_.lease(1, "w1", kT0 + 2000, kLease);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].event.attempt, 2);
}

TEST_F(SqliteEventQueueTest, AStaleRetryLeavesTheNewHoldersLeaseAndNote) {
  queue_.publish(event("c1", 0), kT0);
  const auto first = queue_.lease(1, "w1", kT0, kLease).at(0);
  queue_.retry_later(first, kT0, "circuit_open: provider failing");
  EXPECT_EQ(last_error_of(first.delivery_id), "circuit_open: provider failing");
  const auto second = queue_.lease(1, "w2", kT0, kLease);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].event.attempt, 2);
  // The old delivery is fenced: it cannot give back the event another worker now holds.
  queue_.retry_later(first, kT0 + 9000, "stale");
  EXPECT_EQ(queue_.counts(kT0 + 1).leased, 1);
  EXPECT_EQ(last_error_of(first.delivery_id), "circuit_open: provider failing");
}

TEST_F(SqliteEventQueueTest, CountsReadyDelayedAndLeased) {
  queue_.publish(event("ready", 0), kT0);
  queue_.publish(event("ready", 1), kT0);
  queue_.publish(event("delayed", 0), kT0 + 60'000);
  queue_.publish(event("leased", 0), kT0 - 10);
  ASSERT_EQ(queue_.lease(1, "w1", kT0 - 10, kLease).size(), 1u);
  db_->write([](Session& s) {
    adapters::sqlite::insert_dead_letter(
        s, ports::DeadLetter{"", "dead", event("dead", 0), 6, "retries_exhausted", "boom", kT0});
  });
  auto counts = queue_.counts(kT0);
  EXPECT_EQ(counts.ready, 2);
  EXPECT_EQ(counts.delayed, 1);
  EXPECT_EQ(counts.leased, 1);
  EXPECT_EQ(dead_letters_.count(), 1);
  EXPECT_FALSE(counts.idle());
  // Once the lease has run out it counts as ready again.
  counts = queue_.counts(kT0 - 10 + kLease);
  EXPECT_EQ(counts.ready, 3);
  EXPECT_EQ(counts.leased, 0);
}

TEST_F(SqliteEventQueueTest, EmptyQueueIsIdle) {
  const auto counts = queue_.counts(kT0);
  EXPECT_TRUE(counts.idle());
  EXPECT_EQ(dead_letters_.count(), 0);
}

TEST_F(SqliteEventQueueTest, ALeaseOfAWorkerWhoseProcessIsGoneIsReclaimedAtOnce) {
  const int pid = reaped_child_pid();
  const std::string dead_worker = worker_of_this_namespace(pid, 12345, "pool-0");
  ASSERT_TRUE(worker_known_dead(dead_worker));
  queue_.publish(event("c1", 0), kT0);
  ASSERT_EQ(queue_.lease(1, dead_worker, kT0, kLease).size(), 1u);
  const auto reclaimed = queue_.lease(1, make_worker_id("pool-1"), kT0 + 1, kLease);
  ASSERT_EQ(reclaimed.size(), 1u);
  EXPECT_EQ(reclaimed[0].event.attempt, 2);
  EXPECT_EQ(reclaimed[0].previous_error,
            "worker " + dead_worker + " died during the step (its process is gone)");
}

TEST_F(SqliteEventQueueTest, AZombieWorkerCountsAsDead) {
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) _exit(0);
  // Wait until the child has exited (it stays a zombie: not reaped yet).
  for (int i = 0; i < 500; ++i) {
    std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    if (text.find(") Z") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const auto start = process_start_ticks(static_cast<int>(child));
  ASSERT_TRUE(start.has_value());
  const std::string zombie = worker_of_this_namespace(static_cast<int>(child), *start, "w");
  queue_.publish(event("c1", 0), kT0);
  ASSERT_EQ(queue_.lease(1, zombie, kT0, kLease).size(), 1u);
  EXPECT_EQ(queue_.lease(1, "w2", kT0 + 1, kLease).size(), 1u);
  int status = 0;
  waitpid(child, &status, 0);
}

TEST_F(SqliteEventQueueTest, APidReusedByANewerProcessIsReclaimedAtOnce) {
  // Our own pid with another start time: the worker that held it was an earlier process.
  const auto own = *parse_worker_id(make_worker_id("x"));
  const std::string earlier = worker_of_this_namespace(own.pid, own.start_ticks - 1, "x");
  queue_.publish(event("c1", 0), kT0);
  ASSERT_EQ(queue_.lease(1, earlier, kT0, kLease).size(), 1u);
  EXPECT_EQ(queue_.lease(1, "w2", kT0 + 1, kLease).size(), 1u);
}

TEST_F(SqliteEventQueueTest, ALiveWorkersLeaseIsKeptUntilItExpires) {
  const std::string live = make_worker_id("other-thread");
  queue_.publish(event("c1", 0), kT0);
  ASSERT_EQ(queue_.lease(1, live, kT0, kLease).size(), 1u);
  EXPECT_TRUE(queue_.lease(1, "w2", kT0 + 1, kLease).empty());
}

TEST_F(SqliteEventQueueTest, LeasesOfOtherHostsOnlyExpire) {
  const int pid = reaped_child_pid();  // gone here, but it names a process on another machine
  WorkerIdentity other = this_process_identity();
  other.host = "some-other-host.example";
  other.pid = pid;
  other.start_ticks = 1;
  other.suffix = "w";
  const std::string remote = format_worker_id(other);
  EXPECT_FALSE(worker_known_dead(remote));
  queue_.publish(event("c1", 0), kT0);
  ASSERT_EQ(queue_.lease(1, remote, kT0, kLease).size(), 1u);
  EXPECT_TRUE(queue_.lease(1, "w2", kT0 + 1, kLease).empty());
  EXPECT_EQ(queue_.lease(1, "w2", kT0 + kLease, kLease).size(), 1u);
}

TEST_F(SqliteEventQueueTest, DeadLettersAreListedAndReadById) {
  db_->write([](Session& s) {
    adapters::sqlite::insert_dead_letter(
        s, {"", "c1", event("c1", 4), 6, "retries_exhausted", "timeout", kT0});
    adapters::sqlite::insert_dead_letter(
        s, {"", "c2", event("c2", 2), 1, "provider_error", "bad key", kT0 + 1});
  });
  const auto letters = dead_letters_.list();
  ASSERT_EQ(letters.size(), 2u);
  EXPECT_EQ(letters[0].course_id, "c1");
  EXPECT_EQ(letters[1].error_code, "provider_error");
  const auto one = dead_letters_.get(letters[1].id);
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->event, event("c2", 2));
  EXPECT_EQ(one->attempts, 1);
  EXPECT_EQ(one->error, "bad key");
  EXPECT_EQ(one->at_ms, kT0 + 1);
  EXPECT_FALSE(dead_letters_.get("999999").has_value());
  EXPECT_FALSE(dead_letters_.get("not-an-id").has_value());
}

TEST_F(SqliteEventQueueTest, BuryingAnEventTwiceKeepsOneDeadLetter) {
  // A worker that buries an event and dies before acknowledging it buries it again on the next
  // delivery: one dead letter, the later one.
  ports::DeadLetter letter{"", "c1", event("c1", 4), 6, "retries_exhausted", "timeout", kT0};
  dead_letters_.bury(letter);
  letter.attempts = 7;
  letter.at_ms = kT0 + 1;
  dead_letters_.bury(letter);
  const auto letters = dead_letters_.list();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].attempts, 7);
  EXPECT_EQ(letters[0].event, event("c1", 4));
  EXPECT_EQ(dead_letters_.get(letters[0].id)->at_ms, kT0 + 1);
}

TEST_F(SqliteEventQueueTest, AnUnreadableQueuedEventMovesToTheDeadLettersInsteadOfBlockingLeases) {
  queue_.publish(event("good", 0), kT0 + 1);
  db_->write([](Session& s) {
    s.query(
         "INSERT INTO event_queue (course_id, seq, event_id, type, available_at, created_at, "
         "envelope) VALUES ('bad', 7, 'bad/7', 'FutureEvent', ?, ?, '{\"type\": \"FutureEvent\"}')",
         kT0, kT0)
        .run();
  });
  const auto leased = queue_.lease(10, "w1", kT0 + 1, kLease);
  ASSERT_EQ(leased.size(), 1u);
  EXPECT_EQ(leased[0].event.course_id, "good");
  const auto letters = dead_letters_.list();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].error_code, "invalid_event");
  EXPECT_EQ(letters[0].event.event_id, "bad/7");
  EXPECT_EQ(letters[0].event.seq, 7);
  EXPECT_EQ(letters[0].attempts, 1);
  EXPECT_EQ(queue_.counts(kT0 + 2).ready, 0);
}

TEST_F(SqliteEventQueueTest, LeasesOfWorkersInAnotherPidNamespaceOrBootOnlyExpire) {
  // Issue 11, defect 2: containers sharing a host name. A worker in another PID namespace (or
  // another boot of the machine) is never judged by its pid here: not by a pid that is gone here,
  // nor by a pid that is alive here with another start time (each container's worker is pid 1).
  const int gone = reaped_child_pid();
  const WorkerIdentity self = this_process_identity();
  std::vector<std::string> strangers;
  for (int pid : {gone, self.pid, 1}) {
    WorkerIdentity in_a_container = self;
    in_a_container.pid_namespace = "4026599999";
    in_a_container.pid = pid;
    in_a_container.start_ticks = self.start_ticks + 7;
    in_a_container.suffix = "w";
    strangers.push_back(format_worker_id(in_a_container));
    WorkerIdentity before_a_reboot = in_a_container;
    before_a_reboot.pid_namespace = self.pid_namespace;
    before_a_reboot.boot_id = "00000000-0000-4000-8000-000000000000";
    strangers.push_back(format_worker_id(before_a_reboot));
  }
  for (std::size_t i = 0; i < strangers.size(); ++i) {
    SCOPED_TRACE(strangers[i]);
    EXPECT_FALSE(worker_known_dead(strangers[i]));
    queue_.publish(event("c" + std::to_string(i), 0), kT0);
    ASSERT_EQ(queue_.lease(1, strangers[i], kT0, kLease).size(), 1u);
    EXPECT_TRUE(queue_.lease(1, "w2", kT0 + 1, kLease).empty()) << "the lease was taken";
  }
  EXPECT_EQ(queue_.lease(10, "w2", kT0 + kLease, kLease).size(), strangers.size()) << "they expire";
  // The same pid gone in this namespace of this boot: reclaimed at once.
  EXPECT_TRUE(worker_known_dead(worker_of_this_namespace(gone, self.start_ticks + 7, "w")));
}

TEST(WorkerIds, MakeWorkerIdNamesThisHostProcessAndStartTime) {
  const auto id = make_worker_id("pool-3");
  const auto parsed = parse_worker_id(id);
  ASSERT_TRUE(parsed.has_value()) << id;
  EXPECT_EQ(parsed->host, this_host_name());
  EXPECT_EQ(parsed->boot_id, read_text_line("/proc/sys/kernel/random/boot_id"));
  EXPECT_FALSE(parsed->pid_namespace.empty());
  EXPECT_NE(parsed->pid_namespace.find_first_of("0123456789"), std::string::npos);
  EXPECT_EQ(parsed->pid, static_cast<int>(getpid()));
  EXPECT_EQ(parsed->start_ticks, process_start_ticks(static_cast<int>(getpid())).value());
  EXPECT_GT(parsed->start_ticks, 0u);
  EXPECT_EQ(parsed->suffix, "pool-3");
  EXPECT_FALSE(worker_known_dead(id));
}

TEST(WorkerIds, IdsWithoutTheSixPartFormAreNeverKnownDead) {
  EXPECT_FALSE(parse_worker_id("worker-a").has_value());
  EXPECT_FALSE(parse_worker_id("host:boot:4026531836:notapid:1:x").has_value());
  EXPECT_FALSE(worker_known_dead("worker-a"));
  // The four-part ids of earlier releases (host:pid:start:suffix) say nothing of the namespace.
  EXPECT_FALSE(parse_worker_id(this_host_name() + ":12:34:pool-0").has_value());
  EXPECT_FALSE(worker_known_dead(this_host_name() + ":12:34:pool-0"));
  const auto parsed = parse_worker_id("host:boot:4026531836:12:34:with:colons");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->suffix, "with:colons");
  EXPECT_EQ(parsed->pid_namespace, "4026531836");
  EXPECT_EQ(format_worker_id(*parsed), "host:boot:4026531836:12:34:with:colons");
}

}  // namespace
