#include "cli/lazy_event_queue.h"

namespace docprof::cli {

ports::EventQueue& LazyEventQueue::queue() {
  std::lock_guard lock(mu_);
  if (!queue_) queue_ = open_();
  return *queue_;
}

void LazyEventQueue::publish(const domain::Envelope& event, std::int64_t available_at_ms) {
  queue().publish(event, available_at_ms);
}

void LazyEventQueue::publish_then(const domain::Envelope& event, std::int64_t available_at_ms,
                                  std::function<void()> stored) {
  queue().publish_then(event, available_at_ms, std::move(stored));
}

std::vector<ports::Delivery> LazyEventQueue::lease(int max, const std::string& worker_id, std::int64_t now_ms,
                                                   std::int64_t lease_ms) {
  return queue().lease(max, worker_id, now_ms, lease_ms);
}

std::vector<ports::Delivery> LazyEventQueue::lease_run(const std::string& course_id, int max,
                                                       const std::string& worker_id, std::int64_t now_ms,
                                                       std::int64_t lease_ms) {
  return queue().lease_run(course_id, max, worker_id, now_ms, lease_ms);
}

bool LazyEventQueue::extend(const ports::Delivery& delivery, std::int64_t until_ms) {
  return queue().extend(delivery, until_ms);
}

void LazyEventQueue::ack(const ports::Delivery& delivery) { queue().ack(delivery); }

void LazyEventQueue::retry_later(const ports::Delivery& delivery, std::int64_t available_at_ms,
                                 const std::string& error) {
  queue().retry_later(delivery, available_at_ms, error);
}

ports::QueueCounts LazyEventQueue::counts(std::int64_t now_ms) { return queue().counts(now_ms); }

}  // namespace docprof::cli
