#include "ports/run_store.h"

#include <stdexcept>

#include "domain/revised_rows.h"

namespace docprof::ports {

std::string_view to_string(RunStatus status) {
  switch (status) {
    case RunStatus::processing:
      return "processing";
    case RunStatus::complete:
      return "complete";
    case RunStatus::error:
      return "error";
  }
  return "error";
}

std::string_view to_string(HistoryKind kind) {
  switch (kind) {
    case HistoryKind::step:
      return "step";
    case HistoryKind::note:
      return "note";
    case HistoryKind::complete:
      return "complete";
    case HistoryKind::error:
      return "error";
  }
  return "note";
}

StoredCourse revised_course(const RevisionCommit& revision, const StoredCourse& stored) {
  const domain::StoreRevision& store = revision.store;
  auto built = domain::build_revised_rows(stored.course, stored.sections, store.outline, store.books, store.rows);
  if (!built) throw std::runtime_error(built.error().code + ": " + built.error().message);
  StoredCourse course{std::move(built->rows.course), std::move(built->rows.sections)};
  for (auto& section : course.sections) {
    if (!section.chunk_ids.empty()) continue;
    if (auto found = revision.chunk_ids.find(section.section_id); found != revision.chunk_ids.end()) {
      section.chunk_ids = found->second;
    }
  }
  return course;
}

StepCommit consuming(StepCommit commit, const Delivery& delivery) {
  commit.consumed_event_id = delivery.event.event_id;
  return commit;
}

}  // namespace docprof::ports
