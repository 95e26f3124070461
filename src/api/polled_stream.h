// What the API's Server-Sent Event streams share (internal to src/api): a course's
// (GET /courses/{id}/events, sse_stream.cpp) and an ingestion run's (GET /books/ingest/{id}/events,
// ingest_events.cpp) — each a cursor over its run's history that its connection asks for more every
// ApiOptions::sse_poll_ms. PolledStream says `retry:` first, a `: keep-alive` comment after
// sse_heartbeat_ms of silence, ends when the server stops, and holds its user's stream slot while
// open; a stream says what is new in pump().
//
// Thread safety: each open stream is used by one io thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "api/route_context.h"

namespace docprof::api {

class PolledStream : public EventSource {
 public:
  PolledStream(State& state, std::unique_ptr<StreamSlots::Slot> slot) : state_(&state), slot_(std::move(slot)) {}

  std::chrono::milliseconds interval() const final;
  bool next(std::string& out, bool stopping) final;

 protected:
  // Appends what is new since the last call; false: the stream is over once that is sent.
  virtual bool pump(std::string& out) = 0;
  State& state() const { return *state_; }

 private:
  State* state_;
  std::unique_ptr<StreamSlots::Slot> slot_;
  std::chrono::steady_clock::time_point last_write_ = std::chrono::steady_clock::now();
  bool first_ = true;
};

// The user's slot for one more stream; nullptr with the 429 written when they hold too many.
std::unique_ptr<StreamSlots::Slot> acquire_stream_slot(State& state, const Principal& user, Response& res);
// The history id a stream resumes after: Last-Event-ID, else ?lastEventId=; nullopt when neither.
std::optional<std::int64_t> resume_after(const Request& req);
// Answers with the stream: 200, text/event-stream, neither cached nor buffered by a proxy.
void start_event_stream(Response& res, std::shared_ptr<EventSource> stream);

}  // namespace docprof::api
