// NatsEventQueue: the event queue of the distributed deployment, on NATS JetStream (cnats from
// Debian's libnats-dev; see ../shared/dependencies.md for the checked facts it relies on).
//
// One WorkQueue stream (`DOCPROF`, subjects `docprof.>`) holds the events; a course run's event goes
// to `docprof.course.<EventType>`, an ingestion run's to `docprof.ingest.<EventType>`
// (domain::run_kind_of). Each event type has one durable pull consumer (`course-<EventType>`,
// `ingest-<EventType>`): consumers' filters on a WorkQueue stream must not
// overlap, so any number of workers share one consumer per type, and a worker restricted to some
// types (`worker --events`) binds only their consumers. Consumers ack explicitly; AckWait is the
// lease (`queue.lease_seconds`), kept alive with InProgress while a step runs (extend); MaxDeliver
// is unlimited: docprof counts attempts itself (the delivery count of the message's metadata) and
// dead-letters in its own store before acknowledging. retry_later is NakWithDelay; publish sets
// `Nats-Msg-Id` to the event id, so the stream's duplicate window drops a second copy.
// A lease asks the consumers with pull requests of its own (pull_fetcher.h), those it asks in one
// round trip: the ones the work subscription (on_work) or this process's own publishes announced
// events for, as many as announced;
// every course consumer at least every 25 ms and an ingestion one every 250 ms (redeliveries and
// retries are announced by nothing), and every consumer at every lease without a work subscription.
// publish_then publishes asynchronously: the stream's acknowledgement, matched by that id, runs
// the callback on the connection's thread (a step does not wait a round trip for it); an error or
// no acknowledgement within 5 s drops the callback. The destructor waits up to 5 s for those
// outstanding.
//
// Differences from the embedded queue, which the port allows and docs/deploy.md states:
// * publish is immediate (`available_at_ms` is not honoured: JetStream 2.9 has no scheduled
//   messages; docprof publishes every event for now and delays only retries).
// * lease_run cannot pick one run's events out of a shared consumer: it leases any run's events
//   (a following process helps with every run while it waits for its own).
// * Leases are fenced within this process only (an older delivery of a message this process
//   leased again can no longer ack, extend or retry it); across processes the run store's
//   compare-and-set makes a stale delivery's work a duplicate.
// * counts(): ready from the consumers' pending messages; delayed are the retries this process
//   scheduled that are not yet due; leased the rest of the unacknowledged ones.
// * previous_error is the error this process gave the delivery back with, or a description of an
//   abandoned delivery.
//
// The connection reconnects by itself after a broker restart (calls made meanwhile fail with an
// exception: the engine retries them as it does any failed step).
//
// Thread safety: every member function may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "domain/events.h"
#include "ports/event_queue.h"

namespace docprof::adapters::nats {

struct NatsBusOptions {
  std::string url = "nats://127.0.0.1:4222";  // one URL or a comma-separated list (a cluster)
  std::string credentials_file;               // a NATS .creds file; empty: none
  std::int64_t ack_wait_ms = 300'000;         // the lease: queue.lease_seconds
  // The event types whose consumers this process fetches from; empty: every type.
  std::vector<domain::EventType> event_types = {};
  int replicas = 1;                           // of the stream (3 on a NATS cluster)
  std::string stream = "DOCPROF";
  std::string subject_prefix = "docprof";
};

class NatsEventQueue final : public ports::EventQueue {
 public:
  // Connects, and creates (or updates to these options) the stream and the consumers. Throws
  // std::runtime_error naming the URL when the broker cannot be reached or refuses.
  explicit NatsEventQueue(NatsBusOptions options);
  ~NatsEventQueue() override;
  NatsEventQueue(const NatsEventQueue&) = delete;
  NatsEventQueue& operator=(const NatsEventQueue&) = delete;

  void publish(const domain::Envelope& event, std::int64_t available_at_ms) override;
  void publish_then(const domain::Envelope& event, std::int64_t available_at_ms,
                    std::function<void()> stored) override;
  std::vector<ports::Delivery> lease(int max, const std::string& worker_id, std::int64_t now_ms,
                                     std::int64_t lease_ms) override;
  std::vector<ports::Delivery> lease_run(const std::string& course_id, int max, const std::string& worker_id,
                                         std::int64_t now_ms, std::int64_t lease_ms) override;
  bool extend(const ports::Delivery& delivery, std::int64_t until_ms) override;
  void ack(const ports::Delivery& delivery) override;
  void retry_later(const ports::Delivery& delivery, std::int64_t available_at_ms, const std::string& error) override;
  ports::QueueCounts counts(std::int64_t now_ms) override;

  // Calls `listener` (on a cnats thread; it must be quick) whenever an event this process may
  // lease is published by anyone, so an idle worker leases it at once instead of at its next poll.
  // on_work(nullptr) detaches it, waiting for a call in progress to return.
  void on_work(std::function<void()> listener);

  // The subject of an event type, by its run's kind: "docprof.course.PartsGenerated",
  // "docprof.ingest.DocumentParsed".
  static std::string subject_of(const NatsBusOptions& options, domain::EventType type);

 private:
  void note_published(domain::EventType type);  // for leases that wait for an event on its way
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace docprof::adapters::nats
