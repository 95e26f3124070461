// The relay pass of a store that does not hand off events (DESIGN.md §3, distributed mode): a step's
// commit keeps its next event in the run's outbox, and the worker publishes it and clears the outbox
// afterwards. A worker that dies between the two leaves the run waiting for an event nobody sends;
// the relay pass publishes every outbox event older than `min_age_ms` (younger ones are probably
// being published right now) and clears it. Publishing twice is harmless: queues drop a second
// copy by event id, and a run ignores a seq it has applied.
//
// Thread safety: stateless; safe wherever the ports are.
#pragma once

#include <cstdint>

#include "ports/event_queue.h"
#include "ports/run_store.h"

namespace docprof::engine {

// Publishes an event a commit just kept in its run's outbox, and clears the outbox: what every
// service that starts or reopens a run does after its commit (for a store that does not hand off
// events). Best effort: the commit is made, so a failure is logged and left to the relay pass.
void publish_outbox(ports::RunStore& runs, ports::EventQueue& queue, const domain::Envelope& event,
                    std::int64_t now_ms);

// Returns how many events it published.
int relay_outbox(ports::RunStore& runs, ports::EventQueue& queue, std::int64_t now_ms, std::int64_t min_age_ms);

}  // namespace docprof::engine
