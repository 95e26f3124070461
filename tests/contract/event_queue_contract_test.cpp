// The EventQueue contract (ports/event_queue.h), run against every backend of
// event_queue_backends(): delivery of the whole envelope, availability times, lease limits,
// idempotent publication, exclusive and fenced leases, redelivery of expired leases, retries
// (every delivery counts), leasing one run's events, and counts. Every instant is an explicit now_ms.
// (The dead letters are a port of their own, ports/dead_letters.h, with a contract of their own.)
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "contract/contract_samples.h"
#include "contract/event_queue_contract.h"

namespace docprof::contract {
namespace {

class EventQueueContract : public ::testing::TestWithParam<EventQueueBackend> {
 protected:
  void SetUp() override { fixture_ = GetParam().make(); }

  ports::EventQueue& queue() { return fixture_->queue(); }
  std::int64_t now() { return fixture_->now(); }
  std::int64_t lease() const { return fixture_->lease_ms(); }
  void advance(std::int64_t ms) { fixture_->advance(ms); }
  const EventQueueAbilities& abilities() const { return GetParam().abilities; }

  // Leases exactly one event (the test fails otherwise). A broker's answer may come after one
  // fetch's short expiry on a loaded machine: an empty lease is asked again for up to 2 s.
  ports::Delivery lease_one(const std::string& worker) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    auto leased = queue().lease(1, worker, now(), lease());
    while (leased.empty() && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      leased = queue().lease(1, worker, now(), lease());
    }
    if (leased.size() != 1u) throw std::runtime_error("expected one delivery, got " + std::to_string(leased.size()));
    return leased.front();
  }

  std::unique_ptr<EventQueueFixture> fixture_;
};

TEST_P(EventQueueContract, APublishedEventIsLeasedWholeAsAttemptOne) {
  const auto sent = parts_generated("c1", 3);
  queue().publish(sent, now());
  const std::int64_t at = now();
  const auto leased = queue().lease(10, "worker-a", at, lease());
  ASSERT_EQ(leased.size(), 1u);
  EXPECT_EQ(leased[0].event, sent);  // every field, payload included; attempt 1
  EXPECT_EQ(leased[0].event.attempt, 1);
  EXPECT_EQ(leased[0].worker_id, "worker-a");
  EXPECT_EQ(leased[0].leased_until_ms, at + lease());
  EXPECT_FALSE(leased[0].delivery_id.empty());
  EXPECT_TRUE(leased[0].previous_error.empty()) << "a first delivery has no previous error";
}

// publish_then: the event is delivered as publish()'s is, and `stored` runs once the queue holds it
// (a broker's acknowledgement may come after the call returns; a second copy is still dropped).
TEST_P(EventQueueContract, PublishThenRunsItsCallbackOnceTheQueueHoldsTheEvent) {
  const auto sent = parts_generated("c1", 3);
  std::mutex mu;
  std::condition_variable told;
  int stored = 0;
  const auto note = [&] {
    std::lock_guard lock(mu);
    ++stored;
    told.notify_all();
  };
  queue().publish_then(sent, now(), note);
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(told.wait_for(lock, std::chrono::seconds(10), [&] { return stored == 1; }));
  }
  queue().publish_then(sent, now(), note);  // again, by event id: still one event to deliver
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(told.wait_for(lock, std::chrono::seconds(10), [&] { return stored == 2; }))
        << "a copy the queue dropped is held too";
  }
  EXPECT_EQ(lease_one("worker-a").event, sent);
  EXPECT_TRUE(queue().lease(10, "worker-b", now(), lease()).empty()) << "one event, not two";
}

// An ingestion run's events (issue 14) travel like a course's (on NATS: under <prefix>.ingest.…,
// which the stream's <prefix>.> covers).
TEST_P(EventQueueContract, AnIngestionRunsEventsAreDeliveredBesideACourses) {
  const auto ingest = ingest_requested("i1");
  const auto parsed = document_parsed("i1", 1);
  queue().publish(ingest, now());
  queue().publish(parts_generated("c1", 3), now());
  queue().publish(parsed, now());
  std::set<std::string> delivered;
  for (const auto& delivery : queue().lease(10, "worker-a", now(), lease())) {
    if (delivery.event.event_id == ingest.event_id) {
      EXPECT_EQ(delivery.event, ingest);
    } else if (delivery.event.event_id == parsed.event_id) {
      EXPECT_EQ(delivery.event, parsed);
    }
    delivered.insert(delivery.event.event_id);
    queue().ack(delivery);
  }
  EXPECT_EQ(delivered, (std::set<std::string>{ingest.event_id, parsed.event_id, parts_generated("c1", 3).event_id}));
}

TEST_P(EventQueueContract, AnEventIsNotDeliveredBeforeItsAvailableTime) {
  queue().publish(event("c1", 0), now() + 5000);
  if (!abilities().delays_publish) {
    EXPECT_EQ(queue().lease(10, "worker-a", now(), lease()).size(), 1u) << "a backend without delays publishes at once";
    return;
  }
  advance(4999);
  EXPECT_TRUE(queue().lease(10, "worker-a", now(), lease()).empty());
  advance(1);
  EXPECT_EQ(queue().lease(10, "worker-a", now(), lease()).size(), 1u);
}

TEST_P(EventQueueContract, ALeaseTakesAtMostMax) {
  for (int seq = 0; seq < 5; ++seq) queue().publish(event("c1", seq), now());
  EXPECT_TRUE(queue().lease(0, "worker-a", now(), lease()).empty());
  EXPECT_EQ(queue().lease(2, "worker-a", now(), lease()).size(), 2u);
  EXPECT_EQ(queue().lease(10, "worker-b", now(), lease()).size(), 3u);
  EXPECT_TRUE(queue().lease(10, "worker-c", now(), lease()).empty());
}

TEST_P(EventQueueContract, PublishingTheSameEventIdAgainWhileItIsQueuedQueuesItOnce) {
  const auto sent = event("c1", 0);
  queue().publish(sent, now());
  queue().publish(sent, now());
  auto copy = sent;
  copy.payload = domain::AllPartsComplete{};  // same event id: still the same event
  queue().publish(copy, now());
  EXPECT_EQ(queue().counts(now()).ready, 1);
  EXPECT_EQ(queue().lease(10, "worker-a", now(), lease()).size(), 1u);
}

TEST_P(EventQueueContract, AHeldLeaseIsNotHandedToAnotherWorker) {
  queue().publish(event("c1", 0), now());
  ASSERT_EQ(queue().lease(1, "worker-a", now(), lease()).size(), 1u);
  advance(lease() / 2);
  EXPECT_TRUE(queue().lease(1, "worker-b", now(), lease()).empty());
  EXPECT_TRUE(queue().lease(1, "worker-a", now(), lease()).empty()) << "nor to its own worker twice";
}

TEST_P(EventQueueContract, ConcurrentLeasesNeverHandOutAnEventTwice) {
  constexpr int kEvents = 40;
  for (int seq = 0; seq < kEvents; ++seq) queue().publish(event("c" + std::to_string(seq % 4), seq), now());
  const std::int64_t at = now();
  std::mutex mu;
  std::multiset<std::string> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (;;) {
        const auto leased = queue().lease(3, "worker-" + std::to_string(t), at, lease());
        if (leased.empty()) return;
        std::lock_guard lock(mu);
        for (const auto& d : leased) seen.insert(d.event.event_id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kEvents));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), static_cast<std::size_t>(kEvents));
}

TEST_P(EventQueueContract, AnExpiredLeaseIsRedeliveredAsTheNextAttemptNamingHowTheLastEnded) {
  queue().publish(event("c1", 0), now());
  const auto first = lease_one("worker-a");
  advance(lease() * 3 / 2);
  const auto second = lease_one("worker-b");
  EXPECT_EQ(second.event.event_id, first.event.event_id);
  EXPECT_EQ(second.event.attempt, 2);
  EXPECT_EQ(second.worker_id, "worker-b");
  EXPECT_FALSE(second.previous_error.empty()) << "the abandoned delivery is described";
  advance(lease() * 3 / 2);
  const auto third = lease_one("worker-c");
  EXPECT_EQ(third.event.attempt, 3);
}

TEST_P(EventQueueContract, ExtendKeepsTheLeasePastItsFirstEnd) {
  queue().publish(event("c1", 0), now());
  const auto leased = lease_one("worker-a");
  advance(lease() / 2);
  EXPECT_TRUE(queue().extend(leased, now() + lease()));
  advance(lease() * 3 / 4);  // past the first end, well before the new one
  EXPECT_TRUE(queue().lease(1, "worker-b", now(), lease()).empty());
  EXPECT_EQ(queue().counts(now()).leased, 1);
  advance(lease() * 3 / 2);
  EXPECT_EQ(queue().lease(1, "worker-b", now(), lease()).size(), 1u);
}

TEST_P(EventQueueContract, AckRemovesTheEventForGood) {
  queue().publish(event("c1", 0), now());
  queue().ack(lease_one("worker-a"));
  EXPECT_TRUE(queue().counts(now()).idle());
  advance(lease() * 3 / 2);
  EXPECT_TRUE(queue().lease(1, "worker-a", now(), lease()).empty());
}

// The lease is fenced to the delivery holding it: a worker whose lease was taken over can no longer
// extend, acknowledge or retry the event.
TEST_P(EventQueueContract, AStaleDeliveryCanNeitherExtendAckNorRetry) {
  queue().publish(event("c1", 0), now());
  const auto stale = lease_one("worker-a");
  advance(lease() * 3 / 2);
  const auto holder = lease_one("worker-b");
  EXPECT_FALSE(queue().extend(stale, now() + 10 * lease()));
  queue().ack(stale);
  queue().retry_later(stale, now(), "stale worker");
  const auto counts = queue().counts(now());
  EXPECT_EQ(counts.leased, 1);  // still worker-b's
  EXPECT_EQ(counts.ready, 0);
  EXPECT_TRUE(queue().extend(holder, now() + lease()));
  queue().ack(holder);
  EXPECT_TRUE(queue().counts(now()).idle());
}

TEST_P(EventQueueContract, TheSameWorkerLeasingAnEventAgainFencesItsOldDelivery) {
  queue().publish(event("c1", 0), now());
  const auto old_delivery = lease_one("worker-a");
  advance(lease() * 3 / 2);
  const auto new_delivery = lease_one("worker-a");
  EXPECT_FALSE(queue().extend(old_delivery, now() + 5 * lease()));
  queue().ack(old_delivery);
  EXPECT_EQ(queue().counts(now()).leased, 1);
  queue().ack(new_delivery);
  EXPECT_TRUE(queue().counts(now()).idle());
}

TEST_P(EventQueueContract, RetryLaterDelaysTheEventAndCountsTheNextAttempt) {
  queue().publish(event("c1", 0), now());
  const auto leased = lease_one("worker-a");
  queue().retry_later(leased, now() + lease(), "rate limited");
  const auto counts = queue().counts(now());
  EXPECT_EQ(counts.delayed, 1);
  EXPECT_EQ(counts.leased, 0);
  advance(lease() / 2);
  EXPECT_TRUE(queue().lease(1, "worker-a", now(), lease()).empty());
  advance(lease());
  const auto again = lease_one("worker-b");
  EXPECT_EQ(again.event.attempt, 2);
  EXPECT_EQ(again.previous_error, "rate limited");
}

// Events stay small enough for any broker's message (domain::kMaxEventBytes): a bigger one is refused.
TEST_P(EventQueueContract, AnEventLargerThanAnEventMayHoldIsRefusedAtPublish) {
  auto big = event("c1", 0);
  big.payload = domain::PartsGenerated{std::string(domain::kMaxEventBytes, 'x'), {}};
  EXPECT_THROW(queue().publish(big, now()), std::length_error);
  EXPECT_TRUE(queue().counts(now()).idle()) << "nothing was published";
  auto fits = event("c1", 0);
  fits.payload = domain::PartsGenerated{std::string(domain::kMaxEventBytes - 1024, 'x'), {}};
  queue().publish(fits, now());
  EXPECT_EQ(lease_one("worker-a").event.payload, fits.payload);
}

// Every delivery counts, given back or not (a broker cannot take one back either): the engine keeps
// its own count of deliveries it gave back unspent.
TEST_P(EventQueueContract, EveryDeliveryCountsAsAnAttempt) {
  queue().publish(event("c1", 0), now());
  queue().retry_later(lease_one("worker-a"), now(), "circuit_open: provider failing");
  queue().retry_later(lease_one("worker-b"), now(), "the worker stopped before running the step");
  EXPECT_EQ(lease_one("worker-c").event.attempt, 3);
}

TEST_P(EventQueueContract, LeaseRunLeasesOnlyThatRunsEvents) {
  queue().publish(event("mine", 0), now());
  queue().publish(event("other", 0), now());
  queue().publish(event("mine", 1), now());
  queue().publish(event("other", 1), now());
  if (!abilities().leases_one_run) {
    EXPECT_EQ(queue().lease_run("mine", 10, "follower", now(), lease()).size(), 4u)
        << "a backend that cannot pick one run's events leases any run's";
    return;
  }
  const auto mine = queue().lease_run("mine", 10, "follower", now(), lease());
  ASSERT_EQ(mine.size(), 2u);
  for (const auto& d : mine) EXPECT_EQ(d.event.course_id, "mine");
  EXPECT_TRUE(queue().lease_run("mine", 10, "follower", now(), lease()).empty());
  EXPECT_TRUE(queue().lease_run("nobody", 10, "follower", now(), lease()).empty());
  const auto rest = queue().lease(10, "worker-a", now(), lease());
  ASSERT_EQ(rest.size(), 2u);
  for (const auto& d : rest) EXPECT_EQ(d.event.course_id, "other");
}

TEST_P(EventQueueContract, CountsTellReadyDelayedAndLeasedEvents) {
  EXPECT_TRUE(queue().counts(now()).idle());
  queue().publish(event("delayed", 0), now());
  queue().retry_later(lease_one("worker-a"), now() + 2 * lease(), "later");
  queue().publish(event("leased", 0), now());
  EXPECT_EQ(lease_one("worker-a").event.course_id, "leased");
  queue().publish(event("ready", 0), now());
  queue().publish(event("ready", 1), now());
  auto counts = queue().counts(now());
  EXPECT_EQ(counts.ready, 2);
  EXPECT_EQ(counts.delayed, 1);
  EXPECT_EQ(counts.leased, 1);
  EXPECT_FALSE(counts.idle());
  advance(lease() * 5 / 2);  // the delayed one is due; the lease has run out
  counts = queue().counts(now());
  EXPECT_EQ(counts.ready + counts.leased, 4);
  EXPECT_EQ(counts.delayed, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, EventQueueContract, ::testing::ValuesIn(event_queue_backends()),
                         [](const ::testing::TestParamInfo<EventQueueBackend>& p) { return p.param.name; });

}  // namespace
}  // namespace docprof::contract
