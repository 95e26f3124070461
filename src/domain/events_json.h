// JSON form of events: the envelope {event_id, course_id, seq, type, occurred_at, attempt, payload}
// with the payload's fields as domain.md §2 names them.
//
// envelope_from_json validates untrusted input (a queue row, a NATS message) and returns an error
// (code "invalid_event") naming the bad field instead of throwing. Thread safety: stateless.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "domain/events.h"

namespace docprof::domain {

void to_json(nlohmann::json&, const Envelope&);
nlohmann::json payload_to_json(const EventPayload&);
Result<EventPayload> payload_from_json(EventType, const nlohmann::json&);
Result<Envelope> envelope_from_json(const nlohmann::json&);

}  // namespace docprof::domain
