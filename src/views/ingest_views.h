// The JSON shapes of ingestion runs (issue 14) shared by the CLI (`books ingest-status --json`,
// `books ingest --no-wait`) and the HTTP API (GET /books/ingest/{id}, POST /books/ingest).
//
// Thread safety: stateless.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "engine/ingest_runs.h"

namespace docprof::views {

// {"ingest_id", "status", "phase", "file", "title", "book_id"?, "progress": {"chapter", "chapters"},
//  "outcome"?, "error_code"?, "error"?, "usage", "created_at", "updated_at"}
nlohmann::json ingest_status_json(const engine::IngestRunView& view);

}  // namespace docprof::views
