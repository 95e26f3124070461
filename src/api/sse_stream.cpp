#include "api/sse_stream.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <thread>

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

// One open stream: a cursor over the run's history.
struct Stream {
  State* state;
  std::string course_id;
  std::int64_t last_id;
  std::chrono::steady_clock::time_point last_write = std::chrono::steady_clock::now();
  bool first = true;

  // Writes what is new; false ends the stream (finished, deleted, client gone, server stopping).
  bool pump(httplib::DataSink& sink) {
    if (state->stopping->load()) return false;
    auto write = [&](const std::string& text) {
      last_write = std::chrono::steady_clock::now();
      return sink.write(text.data(), text.size());
    };
    if (first) {
      first = false;
      if (!write("retry: 2000\n\n")) return false;
    }
    auto& runs = state->services.runs;
    // The run before its history: a run read as finished has its terminal entry in the history
    // read after it. (The other order loses the final event of a run finishing between the reads.)
    const auto run = runs.load(course_id);
    const auto entries = runs.history(course_id, last_id);
    if (!run) {
      write(sse_event(std::nullopt, "error",
                      {{"error_code", "not_found"}, {"error", "the course was deleted"}}));
      sink.done();
      return true;
    }
    for (const auto& e : entries) {
      last_id = e.history_id;
      switch (e.kind) {
        case ports::HistoryKind::step:
        case ports::HistoryKind::note:
          if (!write(sse_event(e.history_id, ports::to_string(e.kind).data(), step_data(e, *run))))
            return false;
          break;
        case ports::HistoryKind::complete: {
          const auto stored = state->services.courses.get(course_id);
          const json data = {{"course_id", course_id},
                             {"title", stored ? stored->course.title : run->title},
                             {"total_minutes", stored ? total_minutes(*stored) : 0}};
          write(sse_event(e.history_id, "complete", data));
          sink.done();
          return true;
        }
        case ports::HistoryKind::error: {
          // The run read above may predate its failure: read it again for the error.
          const auto failed = runs.load(course_id);
          const auto& error = failed ? failed->error : run->error;
          const json data = {{"error_code", error ? error->code : "error"},
                             {"error", error ? error->message : e.message}};
          write(sse_event(e.history_id, "error", data));
          sink.done();
          return true;
        }
      }
    }
    if (entries.empty() && run->status != ports::RunStatus::processing) {
      sink.done();  // resumed after the terminal event: nothing more to say
      return true;
    }
    const auto idle = std::chrono::steady_clock::now() - last_write;
    if (idle >= std::chrono::milliseconds(state->options.sse_heartbeat_ms)) {
      if (!write(sse_comment("keep-alive"))) return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(state->options.sse_poll_ms));
    return true;
  }
};

void stream_events(State& state, const httplib::Request& req, httplib::Response& res) {
  auto user = require_user(state, req, res);
  if (!user) return;
  const std::string course_id = req.matches[1];
  if (!require_owned(state, *user, course_id, res)) return;
  std::string resume = req.get_header_value("Last-Event-ID");
  if (resume.empty()) resume = req.get_param_value("lastEventId");
  auto stream = std::make_shared<Stream>(Stream{&state, course_id, parse_last_event_id(resume)});
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream", [stream](std::size_t, httplib::DataSink& sink) {
        try {
          return stream->pump(sink);
        } catch (const std::exception& e) {
          spdlog::error("api: event stream of {} failed: {}", stream->course_id, e.what());
          return false;
        }
      });
}

}  // namespace

void register_event_routes(httplib::Server& svr, State& state) {
  State* s = &state;
  svr.Get(R"(/courses/([^/]+)/events)",
          [s](const auto& req, auto& res) { stream_events(*s, req, res); });
}

}  // namespace docprof::api
