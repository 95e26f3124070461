#include "ports/run_store.h"

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

StepCommit consuming(StepCommit commit, const Delivery& delivery) {
  commit.consumed_event_id = delivery.event.event_id;
  return commit;
}

}  // namespace docprof::ports
