#include "api/sse_stream.h"

#include <memory>

#include "api/polled_stream.h"
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

// One open stream of a course: a cursor over its run's history (polled_stream.h).
class Stream final : public PolledStream {
 public:
  Stream(State& state, std::string course_id, std::int64_t last_id, std::unique_ptr<StreamSlots::Slot> slot)
      : PolledStream(state, std::move(slot)), course_id_(std::move(course_id)), last_id_(last_id) {}

 private:
  // Appends what is new; false ends the stream (finished, deleted).
  bool pump(std::string& out) override {
    auto& runs = state().services.runs;
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
          const auto stored = state().services.courses.get(course_id_);
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

  std::string course_id_;
  std::int64_t last_id_;
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
  auto slot = acquire_stream_slot(state, *user, res);
  if (!slot) return;
  const auto resume = resume_after(req);
  const std::int64_t after = resume ? *resume : latest_revision_start(state, course_id);
  start_event_stream(res, std::make_shared<Stream>(state, course_id, after, std::move(slot)));
}

}  // namespace

void register_event_routes(Router& svr, State& state) {
  State* s = &state;
  svr.Get(R"(/courses/([^/]+)/events)",
          [s](const auto& req, auto& res) { stream_events(*s, req, res); });
}

}  // namespace docprof::api
