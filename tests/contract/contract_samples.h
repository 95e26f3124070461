// Sample values for the port contracts (tests/contract): events, run records, history entries,
// courses and sections, at fixed instants, so that no contract depends on the wall clock.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/events.h"
#include "domain/models.h"
#include "domain/time_format.h"
#include "ports/run_store.h"

namespace docprof::contract {

inline constexpr std::int64_t kT0 = 1'800'000'000'000;  // some fixed instant, in ms
inline constexpr std::int64_t kLease = 30'000;
inline constexpr std::int64_t kDay = 86'400'000;

inline domain::Envelope event(const std::string& course_id, std::int64_t seq,
                              domain::EventPayload payload = domain::AllPartsComplete{}) {
  domain::Envelope e;
  e.event_id = course_id + "/event/" + std::to_string(seq);
  e.course_id = course_id;
  e.seq = seq;
  e.occurred_at = "2027-01-15T08:00:00.000Z";
  e.attempt = 1;
  e.payload = std::move(payload);
  return e;
}

inline domain::Envelope requested(const std::string& course_id) {
  return event(course_id, 0, domain::CourseRequested{"learn valuation", 2.5, {}, "user-1"});
}

inline domain::Envelope parts_generated(const std::string& course_id, std::int64_t seq) {
  return event(course_id, seq,
               domain::PartsGenerated{"Part 1: Basics - 60 minutes\nTotal: 60 minutes", {5, 6, 1}});
}

inline domain::RunState sample_state(const std::string& course_id) {
  domain::RunState state;
  state.course_id = course_id;
  state.user_id = "user-1";
  state.query = "learn valuation";
  state.hours = 2.5;
  state.preferences.depth = domain::Depth::technical;
  state.phase = domain::Phase::generating_sections;
  state.last_seq = 3;
  state.course_title = "Valuation";
  state.parts = {{"Foundations", 60}, {"Models", 90}};
  state.next_part_index = 1;
  state.outline.parts = {{"Foundations", 60, {{"Time value", 30, {"discount", "compound"}, {}}}}};
  state.usage = {120, 340, 2};
  state.created_at_ms = kT0;
  state.updated_at_ms = kT0 + 5;
  state.expires_at_ms = kT0 + 7 * kDay;
  return state;
}

// A processing run created at `created` whose state expires 7 days later.
inline ports::RunRecord sample_record(const std::string& course_id, const std::string& user = "user-1",
                                      std::int64_t created = kT0) {
  ports::RunRecord r;
  r.course_id = course_id;
  r.user_id = user;
  r.query = "learn valuation";
  r.hours = 2.5;
  r.preferences.pace = domain::Pace::thorough;
  r.preferences.additional_notes = "with \"quotes\" and ünïcode";
  r.next_seq = 1;
  r.title = "learn valuation";
  r.state = sample_state(course_id);
  r.created_at_ms = created;
  r.updated_at_ms = created;
  r.expires_at_ms = created + 7 * kDay;
  return r;
}

// An ingestion run's first event (issue 14): the run's id travels in Envelope::course_id.
inline domain::Envelope ingest_requested(const std::string& ingest_id, const std::string& user = "user-1") {
  return event(ingest_id, 0, domain::IngestRequested{"/tmp/x.md", "x.md", "", "", "", "extractive", false, user});
}

inline domain::Envelope document_parsed(const std::string& ingest_id, std::int64_t seq) {
  return event(ingest_id, seq, domain::DocumentParsed{"book-x", "X", "markdown", std::string(64, 'a'), 3, 900, 0, false});
}

// A processing ingestion run of x.md created at `created`, its document not yet read.
inline ports::RunRecord sample_ingest_record(const std::string& ingest_id, const std::string& user = "user-1",
                                             std::int64_t created = kT0) {
  ports::RunRecord r;
  r.kind = domain::RunKind::ingest;
  r.course_id = ingest_id;
  r.user_id = user;
  r.query = "x.md";
  r.title = "x.md";
  r.phase = domain::Phase::parsing;
  r.next_seq = 1;
  domain::RunState state;
  state.course_id = ingest_id;
  state.user_id = user;
  state.phase = domain::Phase::parsing;
  state.ingest = domain::IngestState{};
  state.ingest->path = "/tmp/x.md";
  state.ingest->file_name = "x.md";
  state.ingest->summarizer = "extractive";
  state.created_at_ms = created;
  state.updated_at_ms = created;
  state.expires_at_ms = created + 7 * kDay;
  r.state = state;
  r.created_at_ms = created;
  r.updated_at_ms = created;
  r.expires_at_ms = created + 7 * kDay;
  return r;
}

inline ports::HistoryEntry history_entry(std::int64_t seq, const std::string& type, std::string message,
                                         ports::HistoryKind kind = ports::HistoryKind::step) {
  ports::HistoryEntry h;
  h.seq = seq;
  h.type = type;
  h.kind = kind;
  h.message = std::move(message);
  h.usage = {10, 20, 1};
  h.at_ms = kT0 + seq;
  return h;
}

inline ports::HistoryEntry requested_entry(const std::string& message = "requested") {
  return history_entry(0, "CourseRequested", message, ports::HistoryKind::note);
}

// The dead letter of `event` after six deliveries, at kT0.
inline ports::DeadLetter sample_dead_letter(const domain::Envelope& event) {
  ports::DeadLetter letter;
  letter.course_id = event.course_id;
  letter.event = event;
  letter.attempts = 6;
  letter.error_code = "retries_exhausted";
  letter.error = "gave up";
  letter.at_ms = kT0;
  return letter;
}

// A commit of the run as it is now (record and expected version from `current`).
inline ports::StepCommit commit_on(const ports::RunRecord& current) {
  ports::StepCommit commit;
  commit.record = current;
  commit.expected_version = current.version;
  return commit;
}

inline domain::Course sample_course(const std::string& id, const std::string& user = "user-1",
                                    std::int64_t created = kT0) {
  domain::Course c;
  c.course_id = id;
  c.user_id = user;
  c.title = "Corporate Valuation";
  c.original_query = "learn corporate valuation in 6 hours";
  c.estimated_hours = 6.0;
  c.created_at = domain::format_iso8601(created);
  c.last_modified = domain::format_iso8601(created);
  c.preferences.depth = domain::Depth::expert;
  c.status = domain::CourseStatus::active;
  return c;
}

inline domain::CourseSection sample_section(const std::string& course_id, const std::string& id, int order,
                                            std::optional<std::string> parent = std::nullopt) {
  domain::CourseSection s;
  s.section_id = id;
  s.course_id = course_id;
  s.parent_section_id = std::move(parent);
  s.order_index = order;
  s.title = "Section " + id;
  if (s.parent_section_id) s.learning_objectives = {"explain " + id, "apply " + id};
  s.estimated_minutes = 15 * order;
  s.created_at = domain::format_iso8601(kT0);
  return s;
}

// Part <c>-p1 with sections <c>-s1, <c>-s2; part <c>-p2 with <c>-s3 (by order_index).
inline std::vector<domain::CourseSection> sample_outline(const std::string& course_id) {
  const auto id = [&](const char* name) { return course_id + "-" + name; };
  return {sample_section(course_id, id("p1"), 1), sample_section(course_id, id("s1"), 2, id("p1")),
          sample_section(course_id, id("s2"), 3, id("p1")), sample_section(course_id, id("p2"), 4),
          sample_section(course_id, id("s3"), 5, id("p2"))};
}

}  // namespace docprof::contract
