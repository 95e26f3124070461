// EventQueue: durable delivery of workflow events to workers (DESIGN.md §3).
//
// At-least-once: a leased event that is neither acknowledged, released nor dead-lettered before its
// lease ends is delivered again. Leases are extended while a step runs. Attempts count deliveries
// (1 for the first), finished or not: a delivery whose worker died mid-step counts too, so the
// engine can stop an event that crashes every worker (a poison event). Nothing gives a delivery
// back uncounted (a broker cannot): the engine keeps its own count of deliveries given back unspent
// (RunRecord::postponed). Events that are not to be
// delivered again go to the dead letters (ports/dead_letters.h), not through the queue.
//
// Thread safety: implementations must allow concurrent calls from many threads and processes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/events.h"

namespace docprof::ports {

// One leased event. delivery_id identifies the lease (a queue row, a JetStream message).
struct Delivery {
  std::string delivery_id;
  domain::Envelope event;  // event.attempt is this delivery's attempt number
  std::string worker_id;
  std::int64_t leased_until_ms = 0;
  // How the previous delivery of this event ended, when it did not succeed: the error it was given
  // back with, or how it was abandoned ("worker … died during the step", "the lease of … ran out").
  // Empty for a first delivery.
  std::string previous_error;
};

struct QueueCounts {
  std::int64_t ready = 0;    // deliverable now
  std::int64_t delayed = 0;  // waiting for a retry time
  std::int64_t leased = 0;   // being worked on
  bool idle() const { return ready == 0 && delayed == 0 && leased == 0; }
};


class EventQueue {
 public:
  virtual ~EventQueue() = default;
  // Enqueues an event, deliverable from available_at_ms on. Throws std::length_error, publishing
  // nothing, for an event whose JSON text is longer than domain::kMaxEventBytes (what a broker
  // message holds).
  virtual void publish(const domain::Envelope& event, std::int64_t available_at_ms) = 0;
  // Publishes as publish() does, without waiting for the queue to confirm that it stored the event:
  // `stored` runs once it has (on a thread of the queue's), and not at all when storing failed (the
  // caller keeps the event, e.g. in its run's outbox, and publishes it again later). `stored` may
  // run until the queue is destroyed, which waits a few seconds at most for outstanding ones:
  // what it refers to must outlive the queue. A queue that stores events as it publishes them
  // publishes, then runs `stored`, before returning (this default).
  virtual void publish_then(const domain::Envelope& event, std::int64_t available_at_ms,
                            std::function<void()> stored) {
    publish(event, available_at_ms);
    stored();
  }
  // Leases up to `max` deliverable events to `worker_id` until now + lease_ms. Expired leases and
  // leases of workers known to be dead are reclaimed first.
  virtual std::vector<Delivery> lease(int max, const std::string& worker_id, std::int64_t now_ms,
                                      std::int64_t lease_ms) = 0;
  // Like lease(), but only events of the run `course_id`: a process that follows one run (`course
  // create`, `course retry`) works on it alone, and other runs stay queued for the workers.
  virtual std::vector<Delivery> lease_run(const std::string& course_id, int max, const std::string& worker_id,
                                          std::int64_t now_ms, std::int64_t lease_ms) = 0;
  // Keeps a running step's lease; false when the lease was lost (reclaimed by another worker).
  virtual bool extend(const Delivery& delivery, std::int64_t until_ms) = 0;
  virtual void ack(const Delivery& delivery) = 0;
  // Gives the event back for another attempt at available_at_ms (attempt + 1), noting the error.
  virtual void retry_later(const Delivery& delivery, std::int64_t available_at_ms, const std::string& error) = 0;
  virtual QueueCounts counts(std::int64_t now_ms) = 0;
};

}  // namespace docprof::ports
