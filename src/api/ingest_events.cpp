// GET /books/ingest/{id}/events: an ingestion run's Server-Sent Events, framed like a course's
// (sse_stream.h): `id:` the history entry's id (Last-Event-ID resumes after it), `event: step` and
// `event: note` with {seq, type, phase, progress: {chapter, chapters}, message, usage, at}, and a
// last `event: complete` ({ingest_id, book_id, title, outcome}) or `event: error`
// ({error_code, error}). Admin tokens only, like the run's status.
#include "api/json_errors.h"
#include "api/polled_stream.h"
#include "api/sse_stream.h"
#include "domain/events.h"
#include "domain/models_json.h"
#include "domain/workflow.h"
#include "views/course_views.h"

namespace docprof::api {
namespace {

using nlohmann::json;

json progress_json(const engine::IngestRunView& view) {
  return {{"chapter", view.chapter}, {"chapters", view.chapters}};
}

class IngestStream final : public PolledStream {
 public:
  IngestStream(State& state, engine::IngestRunService& runs, std::string id, std::int64_t last_id,
               std::unique_ptr<StreamSlots::Slot> slot)
      : PolledStream(state, std::move(slot)), runs_(runs), id_(std::move(id)), last_id_(last_id) {}

 private:
  bool pump(std::string& out) override {
    // The run before its history: a run read as finished has its last entry in what follows.
    const auto view = runs_.status(id_);
    const auto entries = runs_.history(id_, last_id_);
    if (!view) {
      out += sse_event(std::nullopt, "error", {{"error_code", "not_found"}, {"error", "the ingestion run is gone"}});
      return false;
    }
    for (const auto& e : entries) {
      last_id_ = e.history_id;
      switch (e.kind) {
        case ports::HistoryKind::step:
        case ports::HistoryKind::note: {
          json phase = view->phase;
          if (auto type = domain::parse_event_type(e.type)) phase = domain::phase_after(type.value());
          const json entry = views::history_entry_json(e);
          out += sse_event(e.history_id, std::string(ports::to_string(e.kind)),
                           {{"seq", e.seq},
                            {"type", e.type},
                            {"phase", phase},
                            {"progress", progress_json(*view)},
                            {"message", e.message},
                            {"usage", entry["usage"]},
                            {"at", entry["at"]}});
          break;
        }
        case ports::HistoryKind::complete:
        case ports::HistoryKind::error: {
          // The view read above may predate the run's end: read it again for the outcome.
          const auto last = runs_.status(id_).value_or(*view);
          if (e.kind == ports::HistoryKind::complete) {
            out += sse_event(e.history_id, "complete",
                             {{"ingest_id", id_},
                              {"book_id", last.book_id ? json(*last.book_id) : json(nullptr)},
                              {"title", last.title},
                              {"outcome", last.outcome},
                              {"progress", progress_json(last)}});
          } else {
            out += sse_event(e.history_id, "error",
                             {{"error_code", last.error_code.value_or("error")}, {"error", last.error.value_or(e.message)}});
          }
          return false;
        }
      }
    }
    // Resumed after the last event of a run that ended: nothing more to say.
    return !(entries.empty() && (view->status == "complete" || view->status == "error"));
  }

  engine::IngestRunService& runs_;
  std::string id_;
  std::int64_t last_id_;
};

void stream_ingest(State& state, const Request& req, Response& res) {
  auto user = require_user(state, req, res);
  if (!user || !require_admin(*user, "ingest books", res)) return;
  auto* runs = state.services.ingest_runs;
  if (runs == nullptr) return send_error(res, 503, "unavailable", "ingestion runs are not available in this server");
  const std::string id = req.matches[1];
  if (!runs->status(id)) return send_error(res, 404, "not_found", "no ingestion run " + id);
  auto slot = acquire_stream_slot(state, *user, res);
  if (!slot) return;
  start_event_stream(res, std::make_shared<IngestStream>(state, *runs, id, resume_after(req).value_or(0), std::move(slot)));
}

}  // namespace

void register_ingest_event_routes(Router& svr, State& state) {
  State* s = &state;
  svr.Get(R"(/books/ingest/([^/]+)/events)", [s](const auto& req, auto& res) { stream_ingest(*s, req, res); });
}

}  // namespace docprof::api
