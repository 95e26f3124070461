// The EventQueue contract's backends (tests/contract/event_queue_contract_test.cpp): a name and a
// factory of fresh fixtures (a fresh queue on a fresh database or broker stream per test). A new
// backend (NATS JetStream, …) adds one factory to event_queue_backends() in event_queue_backends.cpp.
// Worker ids in the contract are plain names ("worker-a"): a backend must not take such a worker
// for dead before its lease ends.
// Thread safety: a fixture belongs to one test; its queue is as thread-safe as the backend's.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "ports/event_queue.h"

namespace docprof::contract {

class EventQueueFixture {
 public:
  virtual ~EventQueueFixture() = default;
  virtual ports::EventQueue& queue() = 0;
};

struct EventQueueBackend {
  std::string name;  // a test-name suffix: letters, digits and '_' only
  std::function<std::unique_ptr<EventQueueFixture>()> make = {};
};

std::vector<EventQueueBackend> event_queue_backends();

// How GoogleTest names the parameter (in ctest's test names too): the backend's name.
inline void PrintTo(const EventQueueBackend& backend, std::ostream* out) { *out << backend.name; }

}  // namespace docprof::contract
