// Server-Sent Events framing for the course event stream (GET /courses/{id}/events):
//   id: <history_id>\nevent: step|note|complete|error\ndata: <one-line JSON>\n\n
// and `: keep-alive` comments while idle. The route itself lives in sse_stream.cpp
// (register_event_routes): its EventSource reads the run store's history every
// ApiOptions::sse_poll_ms (on a timer of the connection, never a thread of its own) and resumes
// after the Last-Event-ID header (or ?lastEventId=). A user may hold ApiOptions::max_streams_per_user
// streams at once (429 too_many_streams beyond).
// A step/note event's `phase` is the phase after its event type; its `progress` is the run's
// progress when the event is sent (the store keeps no per-entry progress). A stream resumed after
// the terminal event, or of a finished run with nothing new, ends at once.
//
// Thread safety: stateless functions; each open stream owns its own cursor, used by one io thread
// at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace docprof::api {

std::string sse_event(std::optional<std::int64_t> id, const std::string& event,
                      const nlohmann::json& data);
std::string sse_comment(const std::string& text);
// The id a client resumes after: a non-negative integer, else 0 (from the start).
std::int64_t parse_last_event_id(const std::string& header);

}  // namespace docprof::api
