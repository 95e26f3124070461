#include "views/ingest_views.h"

#include <nlohmann/json.hpp>

#include "domain/models_json.h"
#include "domain/time_format.h"

namespace docprof::views {

std::string ingest_status_message(const engine::IngestRunView& view) {
  if (view.status == "error") return "Failed (" + view.error_code.value_or("error") + "): " + view.error.value_or("");
  if (view.status == "complete") return "Book ready: " + view.title;
  if (view.status == "queued") return "Waiting for a worker";
  if (view.phase == "summarizing") {
    return "Summarizing chapter " + std::to_string(view.chapter) + " of " + std::to_string(view.chapters);
  }
  if (view.phase == "storing") return "Embedding and storing the book";
  return "Reading the document";
}

nlohmann::json ingest_status_json(const engine::IngestRunView& view) {
  nlohmann::json j{{"ingest_id", view.ingest_id},
                   {"status", view.status},
                   {"phase", view.phase},
                   {"file", view.file_name},
                   {"title", view.title},
                   {"message", ingest_status_message(view)},
                   {"progress", {{"chapter", view.chapter}, {"chapters", view.chapters}}},
                   {"usage", view.usage},
                   {"created_at", domain::format_iso8601(view.created_at_ms)},
                   {"updated_at", domain::format_iso8601(view.updated_at_ms)}};
  if (view.book_id) j["book_id"] = *view.book_id;
  if (!view.outcome.empty()) j["outcome"] = view.outcome;
  if (view.error_code) j["error_code"] = *view.error_code;
  if (view.error) j["error"] = *view.error;
  return j;
}

}  // namespace docprof::views
