// The JSON shapes of ingestion runs (issue 14) shared by the CLI (`books ingest-status --json`,
// `books ingest --no-wait`) and the HTTP API (GET /books/ingest/{id}, POST /books/ingest).
//
// Thread safety: stateless.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "engine/ingest_runs.h"

namespace docprof::views {

// {"ingest_id", "status", "phase", "file", "title", "message", "book_id"?, "progress": {"chapter", "chapters"},
//  "outcome"?, "error_code"?, "error"?, "usage", "created_at", "updated_at"}
nlohmann::json ingest_status_json(const engine::IngestRunView& view);

// One line for people: "Waiting for a worker", "Reading the document", "Summarizing chapter 3 of
// 12", "Embedding and storing the book", "Book ready: <title>", "Failed (<code>): <message>".
std::string ingest_status_message(const engine::IngestRunView& view);

}  // namespace docprof::views
