// IngestRunService: what the faces (CLI, HTTP API) do to ingestion runs (issue 14,
// docs/ingestion-runs.md) — start one for a document, read its status and history. The steps
// themselves (parse, summarize each chapter, summarize the book, embed and store) are run by the
// workers like a course's, through the same StepRunner; failed ones are dead letters that
// `dlq replay` (CourseService::replay) reopens like a course's.
//
// A document to ingest must stay readable by the workers until its run ends: a path the user gave
// (the CLI, or a JSON `{"path"}` under server.ingest_paths), or an upload the server saved under
// upload_dir() (`owned`: the run removes it when it ends, complete or failed for good).
//
// Thread safety: safe for concurrent use when the ports are.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/models.h"
#include "domain/result.h"
#include "ports/clock.h"
#include "ports/event_queue.h"
#include "ports/run_store.h"

namespace docprof::engine {

struct IngestRunRequest {
  std::string path;          // the document: an absolute path the workers can read
  std::string file_name;     // shown in listings; "" = the path's last part
  bool owned = false;        // an upload the run removes when it ends
  std::string book_id;       // "" = derived from the source path
  std::string title;         // "" = the document's own
  std::string author;
  std::string user_id;
};

// Where an ingestion run is: {queued | processing | complete | error} with its chapter progress.
struct IngestRunView {
  std::string ingest_id;
  std::string status;   // queued (no step has run yet) | processing | complete | error
  std::string phase;    // initializing | parsing | summarizing | storing | complete | error
  std::string file_name;
  std::string title;
  std::optional<std::string> book_id;
  int chapter = 0;      // chapters summarized so far
  int chapters = 0;     // 0 until the document is read
  std::optional<std::string> error_code;
  std::optional<std::string> error;
  std::string outcome;  // once complete: ingested | replaced | unchanged
  domain::TokenUsage usage;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

class IngestRunService {
 public:
  // `summarizer` is who writes the summaries: "extractive" (offline, no model call) or the
  // configured model's name (LanguageModel::name()); the workers' model must be that one.
  IngestRunService(ports::RunStore& runs, ports::EventQueue& queue, ports::Clock& clock, ports::IdSource& ids,
                   std::string summarizer, std::int64_t state_ttl_ms);

  // Creates the run and enqueues its IngestRequested. Errors: invalid_request (an empty path, a
  // bad book id). The document itself is read by the run's first step (an unreadable one fails
  // the run with invalid_document).
  domain::Result<std::string> submit(const IngestRunRequest& request);

  std::optional<IngestRunView> status(const std::string& ingest_id);
  std::vector<ports::HistoryEntry> history(const std::string& ingest_id, std::int64_t after_id = 0);
  // A user's ingestion runs (everyone's for an empty user_id), newest first.
  std::vector<IngestRunView> list(const std::string& user_id);

  const std::string& summarizer() const { return summarizer_; }

  // The view of a run record of kind ingest.
  static IngestRunView view_of(const ports::RunRecord& record);

 private:
  ports::RunStore& runs_;
  ports::EventQueue& queue_;
  ports::Clock& clock_;
  ports::IdSource& ids_;
  std::string summarizer_;
  std::int64_t state_ttl_ms_;
};

}  // namespace docprof::engine
