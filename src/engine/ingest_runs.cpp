#include "engine/ingest_runs.h"

#include <algorithm>
#include <filesystem>

#include "domain/saturating.h"
#include "domain/time_format.h"
#include "domain/workflow.h"
#include "engine/ingest_service.h"
#include "engine/outbox_relay.h"

namespace docprof::engine {

using domain::Error;
using domain::Result;

IngestRunService::IngestRunService(ports::RunStore& runs, ports::EventQueue& queue, ports::Clock& clock,
                                   ports::IdSource& ids, std::string summarizer, std::int64_t state_ttl_ms)
    : runs_(runs),
      queue_(queue),
      clock_(clock),
      ids_(ids),
      summarizer_(std::move(summarizer)),
      state_ttl_ms_(state_ttl_ms) {}

Result<std::string> IngestRunService::submit(const IngestRunRequest& request) {
  if (request.path.empty()) return Error{"invalid_request", "no document to ingest: give a file"};
  if (!request.book_id.empty()) {
    if (auto problem = IngestService::check_book_id(request.book_id)) return Error{"invalid_request", *problem};
  }
  const std::string file_name =
      request.file_name.empty() ? std::filesystem::path(request.path).filename().string() : request.file_name;
  const std::int64_t now = clock_.now_ms();
  const std::string ingest_id = ids_.new_id();

  ports::RunRecord record;
  record.course_id = ingest_id;
  record.kind = domain::RunKind::ingest;
  record.user_id = request.user_id;
  record.query = file_name;
  record.title = file_name;
  record.state = domain::initial_state(ingest_id);
  record.created_at_ms = now;
  record.updated_at_ms = now;
  record.expires_at_ms = domain::saturating_add(now, state_ttl_ms_);

  domain::Envelope first;
  first.event_id = ids_.new_id();
  first.course_id = ingest_id;
  first.seq = 0;
  first.occurred_at = domain::format_iso8601(now);
  first.attempt = 1;
  first.payload = domain::IngestRequested{request.path,   file_name,   request.book_id, request.title,
                                          request.author, summarizer_, request.owned,   request.user_id};

  ports::HistoryEntry entry;
  entry.course_id = ingest_id;
  entry.seq = 0;
  entry.type = std::string(domain::to_string(domain::EventType::IngestRequested));
  entry.kind = ports::HistoryKind::note;
  entry.message = "Queued: " + file_name + " (summaries by " + summarizer_ + ")";
  entry.at_ms = now;
  // As for a course: a store that does not hand off events keeps the first one in the outbox,
  // published here and by any worker's relay pass should this process die first.
  if (!runs_.hands_off_events()) record.outbox = first;
  if (!runs_.create(record, first, entry)) return Error{"conflict", "ingest id collision; try again"};
  if (!runs_.hands_off_events()) publish_outbox(runs_, queue_, first, now);
  return ingest_id;
}

IngestRunView IngestRunService::view_of(const ports::RunRecord& record) {
  IngestRunView view;
  view.ingest_id = record.course_id;
  view.phase = std::string(domain::to_string(record.phase));
  switch (record.status) {
    case ports::RunStatus::processing:
      // No step has run yet: the document waits for a worker.
      view.status = record.next_seq == 0 ? "queued" : "processing";
      break;
    case ports::RunStatus::complete:
      view.status = "complete";
      break;
    case ports::RunStatus::error:
      view.status = "error";
      break;
  }
  view.file_name = record.query;
  view.title = record.title;
  if (!record.book_id.empty()) view.book_id = record.book_id;
  view.chapters = record.parts_count;
  if (record.status == ports::RunStatus::complete) {
    view.chapter = record.parts_count;
  } else if (record.phase == domain::Phase::summarizing) {
    view.chapter = std::min(record.current_part_index + 1, record.parts_count);  // the one being summarized
  }
  if (record.error) {
    view.error_code = record.error->code;
    view.error = record.error->message;
  }
  view.usage = record.usage;
  view.created_at_ms = record.created_at_ms;
  view.updated_at_ms = record.updated_at_ms;
  return view;
}

std::optional<IngestRunView> IngestRunService::status(const std::string& ingest_id) {
  auto record = runs_.load(ingest_id);
  if (!record || record->kind != domain::RunKind::ingest) return std::nullopt;
  IngestRunView view = view_of(*record);
  if (record->status == ports::RunStatus::complete) {
    // How it ended is the last step's message ("Book ingested: …"); the history has it.
    for (const auto& entry : runs_.history(ingest_id, 0)) {
      if (entry.type != domain::to_string(domain::EventType::BookStored)) continue;
      for (const char* outcome : {"ingested", "replaced", "unchanged"}) {
        if (entry.message.rfind(std::string("Book ") + outcome + ":", 0) == 0) view.outcome = outcome;
      }
    }
  }
  return view;
}

std::vector<ports::HistoryEntry> IngestRunService::history(const std::string& ingest_id, std::int64_t after_id) {
  return runs_.history(ingest_id, after_id);
}

std::vector<IngestRunView> IngestRunService::list(const std::string& user_id) {
  std::vector<IngestRunView> views;
  for (const auto& record : runs_.list_ingest_runs(user_id)) views.push_back(view_of(record));
  return views;
}

}  // namespace docprof::engine
