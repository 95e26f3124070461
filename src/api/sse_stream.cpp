#include "api/sse_stream.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "api/json_errors.h"
#include "api/route_context.h"
#include "domain/events.h"
#include "domain/models_json.h"
#include "domain/workflow.h"
#include "views/course_views.h"

namespace docprof::api {

using nlohmann::json;

std::string sse_event(std::optional<std::int64_t> id, const std::string& event, const json& data) {
  std::string out;
  if (id) out += "id: " + std::to_string(*id) + "\n";
  out += "event: " + event + "\n";
  out += "data: " + data.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
  return out;
}

std::string sse_comment(const std::string& text) {
  return ": " + text + "\n\n";
}

std::int64_t parse_last_event_id(const std::string& header) {
  if (header.empty() || header.size() > 18) return 0;
  std::int64_t value = 0;
  for (char c : header) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + (c - '0');
  }
  return value;
}

namespace {

int total_minutes(const ports::StoredCourse& course) {
  int minutes = 0;
  for (const auto& s : course.sections)
    if (s.parent_section_id) minutes += s.estimated_minutes;
  return minutes;
}

json step_data(const ports::HistoryEntry& e, const ports::RunRecord& run) {
  json phase = run.phase;
  if (auto type = domain::parse_event_type(e.type)) phase = domain::phase_after(type.value());
  const json status = views::status_json(run);
  const json entry = views::history_entry_json(e);
  return json{{"seq", e.seq},         {"type", e.type},
              {"phase", phase},       {"progress", status["progress"]},
              {"message", e.message}, {"usage", entry["usage"]},
              {"at", entry["at"]}};
}

// One open stream: a cursor over the run's history, asked for more every sse_poll_ms by its
// connection (api::EventSource). Holds its user's stream slot while open.
class Stream final : public EventSource {
 public:
  Stream(State& state, std::string course_id, std::int64_t last_id, std::unique_ptr<StreamSlots::Slot> slot)
      : state_(&state), course_id_(std::move(course_id)), last_id_(last_id), slot_(std::move(slot)) {}

  std::chrono::milliseconds interval() const override {
    return std::chrono::milliseconds(std::max<std::int64_t>(1, state_->options.sse_poll_ms));
  }

  // Appends what is new; false ends the stream (finished, deleted, server stopping).
  bool next(std::string& out, bool stopping) override {
    if (stopping || state_->stopping->load()) return false;
    const auto before = out.size();
    const bool more = pump(out);
    if (out.size() != before) {
      last_write_ = std::chrono::steady_clock::now();
    } else if (more && std::chrono::steady_clock::now() - last_write_ >=
                           std::chrono::milliseconds(state_->options.sse_heartbeat_ms)) {
      out += sse_comment("keep-alive");
      last_write_ = std::chrono::steady_clock::now();
    }
    return more;
  }

  const std::string& course_id() const { return course_id_; }

 private:
  bool pump(std::string& out) {
    if (first_) {
      first_ = false;
      out += "retry: 2000\n\n";
    }
    auto& runs = state_->services.runs;
    // The run before its history: a run read as finished has its terminal entry in the history
    // read after it. (The other order loses the final event of a run finishing between the reads.)
    const auto run = runs.load(course_id_);
    const auto entries = runs.history(course_id_, last_id_);
    if (!run) {
      out += sse_event(std::nullopt, "error", {{"error_code", "not_found"}, {"error", "the course was deleted"}});
      return false;
    }
    for (const auto& e : entries) {
      last_id_ = e.history_id;
      switch (e.kind) {
        case ports::HistoryKind::step:
        case ports::HistoryKind::note:
          out += sse_event(e.history_id, ports::to_string(e.kind).data(), step_data(e, *run));
          break;
        case ports::HistoryKind::complete: {
          const auto stored = state_->services.courses.get(course_id_);
          const json data = {{"course_id", course_id_},
                             {"title", stored ? stored->course.title : run->title},
                             {"total_minutes", stored ? total_minutes(*stored) : 0}};
          out += sse_event(e.history_id, "complete", data);
          return false;
        }
        case ports::HistoryKind::error: {
          // The run read above may predate its failure: read it again for the error.
          const auto failed = runs.load(course_id_);
          const auto& error = failed ? failed->error : run->error;
          const json data = {{"error_code", error ? error->code : "error"},
                             {"error", error ? error->message : e.message}};
          out += sse_event(e.history_id, "error", data);
          return false;
        }
      }
    }
    // Resumed after the terminal event: nothing more to say.
    return !(entries.empty() && run->status != ports::RunStatus::processing);
  }

  State* state_;
  std::string course_id_;
  std::int64_t last_id_;
  std::unique_ptr<StreamSlots::Slot> slot_;
  std::chrono::steady_clock::time_point last_write_ = std::chrono::steady_clock::now();
  bool first_ = true;
};

// A stream opened without Last-Event-ID starts at the latest revision of the course (issue 17): the
// history id just before that revision's first entry (0 for the original generation).
std::int64_t latest_revision_start(State& state, const std::string& course_id) {
  const auto run = state.services.runs.load(course_id);
  if (!run || run->revision == 0) return 0;
  for (const auto& entry : state.services.runs.history(course_id, 0)) {
    if (entry.revision == run->revision) return entry.history_id - 1;
  }
  return 0;
}

void stream_events(State& state, const Request& req, Response& res) {
  auto user = require_user(state, req, res);
  if (!user) return;
  const std::string course_id = req.matches[1];
  if (!require_owned(state, *user, course_id, res)) return;
  auto slot = StreamSlots::acquire(state.streams, user->user_id);
  if (!slot) {
    res.set_header("Retry-After", "10");
    return send_error(res, 429, "too_many_streams",
                      "you already have " + std::to_string(state.streams->per_user()) +
                          " event stream(s) open; close one first");
  }
  std::string resume = req.get_header_value("Last-Event-ID");
  if (resume.empty()) resume = req.get_param_value("lastEventId");
  std::int64_t after = parse_last_event_id(resume);
  if (resume.empty()) after = latest_revision_start(state, course_id);
  res.status = 200;
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.set_stream(std::make_shared<Stream>(state, course_id, after, std::move(slot)),
                 "text/event-stream");
}

}  // namespace

void register_event_routes(Router& svr, State& state) {
  State* s = &state;
  svr.Get(R"(/courses/([^/]+)/events)",
          [s](const auto& req, auto& res) { stream_events(*s, req, res); });
}

}  // namespace docprof::api
