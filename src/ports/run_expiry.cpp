#include "ports/run_expiry.h"

namespace docprof::ports::stored {

std::string expired_message(domain::RunKind kind, std::string_view reason, bool resumable) {
  const bool course = kind == domain::RunKind::course;
  if (resumable) {
    return std::string(reason) + (course ? "; `docprof course retry` resumes it" : "; `docprof dlq replay` resumes it");
  }
  return std::string(reason) + "; no pending event was kept: " +
         (course ? "request the course again" : "ingest the document again");
}

HistoryEntry expired_entry(domain::RunKind kind, std::string_view code, const std::string& message, std::int64_t seq,
                           std::int64_t at_ms) {
  HistoryEntry entry;
  entry.seq = seq;
  entry.type = std::string(domain::to_string(kind == domain::RunKind::course ? domain::EventType::CourseFailed
                                                                             : domain::EventType::IngestFailed));
  entry.kind = HistoryKind::error;
  entry.message = std::string(code) + ": " + message;
  entry.at_ms = at_ms;
  return entry;
}

DeadLetter expired_letter(const std::string& run_id, const domain::Envelope& pending, std::string_view code,
                          const std::string& message, std::int64_t at_ms) {
  DeadLetter dead;
  dead.course_id = run_id;
  dead.event = pending;
  dead.attempts = 0;
  dead.error_code = std::string(code);
  dead.error = message;
  dead.at_ms = at_ms;
  return dead;
}

}  // namespace docprof::ports::stored
