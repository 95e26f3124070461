#include "api/polled_stream.h"

#include <algorithm>

#include "api/json_errors.h"
#include "api/sse_stream.h"

namespace docprof::api {

std::chrono::milliseconds PolledStream::interval() const {
  return std::chrono::milliseconds(std::max<std::int64_t>(1, state_->options.sse_poll_ms));
}

bool PolledStream::next(std::string& out, bool stopping) {
  if (stopping || state_->stopping->load()) return false;
  const auto before = out.size();
  if (first_) {
    first_ = false;
    out += "retry: 2000\n\n";
  }
  const bool more = pump(out);
  const auto now = std::chrono::steady_clock::now();
  if (out.size() != before) {
    last_write_ = now;
  } else if (more && now - last_write_ >= std::chrono::milliseconds(state_->options.sse_heartbeat_ms)) {
    out += sse_comment("keep-alive");
    last_write_ = now;
  }
  return more;
}

std::unique_ptr<StreamSlots::Slot> acquire_stream_slot(State& state, const Principal& user, Response& res) {
  auto slot = StreamSlots::acquire(state.streams, user.user_id);
  if (!slot) {
    res.set_header("Retry-After", "10");
    send_error(res, 429, "too_many_streams",
               "you already have " + std::to_string(state.streams->per_user()) +
                   " event stream(s) open; close one first");
  }
  return slot;
}

std::optional<std::int64_t> resume_after(const Request& req) {
  std::string resume = req.get_header_value("Last-Event-ID");
  if (resume.empty()) resume = req.get_param_value("lastEventId");
  if (resume.empty()) return std::nullopt;
  return parse_last_event_id(resume);
}

void start_event_stream(Response& res, std::shared_ptr<EventSource> stream) {
  res.status = 200;
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.set_stream(std::move(stream), "text/event-stream");
}

}  // namespace docprof::api
