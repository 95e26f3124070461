// The EventQueue contract's backends (tests/contract/event_queue_contract_test.cpp): a name, what
// the backend can do, and a factory of fresh fixtures (a fresh queue on a fresh database or broker
// stream per test). A new backend adds one factory to event_queue_backends() in
// event_queue_backends.cpp.
//
// Time belongs to the fixture: the embedded queue takes every instant from its caller, so its
// fixture keeps a fake clock and advance() moves it; a broker keeps its own time, so its fixture
// reads the wall clock and advance() sleeps (its lease is short: a second). The contract only
// looks at instants well inside or well past a lease, never at its edge.
// Worker ids in the contract are plain names ("worker-a"): a backend must not take such a worker
// for dead before its lease ends.
// Thread safety: a fixture belongs to one test; its queue is as thread-safe as the backend's.
#pragma once

#include <cstdint>
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
  virtual std::int64_t now() = 0;              // the instant to pass as now_ms
  virtual void advance(std::int64_t ms) = 0;   // lets `ms` pass
  virtual std::int64_t lease_ms() const = 0;   // how long a lease lasts
};

// What the port lets a backend leave out (ports/event_queue.h; adapters/nats/nats_event_queue.h).
struct EventQueueAbilities {
  bool delays_publish = true;   // publish honours available_at_ms
  bool leases_one_run = true;   // lease_run picks one run's events out
};

struct EventQueueBackend {
  std::string name;  // a test-name suffix: letters, digits and '_' only
  EventQueueAbilities abilities = {};
  std::function<std::unique_ptr<EventQueueFixture>()> make = {};
};

std::vector<EventQueueBackend> event_queue_backends();

// How GoogleTest names the parameter (in ctest's test names too): the backend's name.
inline void PrintTo(const EventQueueBackend& backend, std::ostream* out) { *out << backend.name; }

}  // namespace docprof::contract
