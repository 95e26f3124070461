// An EventQueue opened on first use: the composition root's queue for commands that may never
// touch the bus. On the distributed deployment `course show`, `course list` or `books list` only
// read PostgreSQL, and must work while the NATS servers are down; the connection is made (and its
// failure reported) by the first call that needs it.
//
// Thread safety: as the queue it opens; opening happens once, under a mutex.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ports/event_queue.h"

namespace docprof::cli {

class LazyEventQueue final : public ports::EventQueue {
 public:
  // `open` makes the queue (it may throw; the next call tries again).
  explicit LazyEventQueue(std::function<std::unique_ptr<ports::EventQueue>()> open) : open_(std::move(open)) {}

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

  // Opens the queue now, if not yet open (throws what `open` throws).
  void open() { queue(); }

 private:
  ports::EventQueue& queue();

  std::function<std::unique_ptr<ports::EventQueue>()> open_;
  std::mutex mu_;
  std::unique_ptr<ports::EventQueue> queue_;
};

}  // namespace docprof::cli
