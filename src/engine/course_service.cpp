#include "engine/course_service.h"

#include "domain/course_builder.h"
#include "domain/saturating.h"
#include "domain/time_format.h"
#include "domain/time_rule.h"
#include "engine/outbox_relay.h"

namespace docprof::engine {

using domain::Error;
using domain::Result;

namespace {

constexpr int kMaxCasAttempts = 16;

ports::HistoryEntry note(const std::string& course_id, std::int64_t seq, const std::string& type,
                         ports::HistoryKind kind, std::string message, std::int64_t now_ms) {
  ports::HistoryEntry e;
  e.course_id = course_id;
  e.seq = seq;
  e.type = type;
  e.kind = kind;
  e.message = std::move(message);
  e.at_ms = now_ms;
  return e;
}

Error not_found(const std::string& id) { return Error{"not_found", "no course or run with id '" + id + "'"}; }

}  // namespace

CourseService::CourseService(ports::RunStore& runs, ports::EventQueue& queue, ports::DeadLetters& dead_letters,
                             ports::CourseRepository& courses,
                             ports::Clock& clock, ports::IdSource& ids, domain::WorkflowSettings settings)
    : runs_(runs), queue_(queue), dead_letters_(dead_letters), courses_(courses), clock_(clock), ids_(ids), settings_(settings) {}

Result<std::string> CourseService::request_course(const std::string& user_id,
                                                  const domain::RawCourseRequest& raw) {
  auto valid = domain::validate_course_request(raw);
  if (!valid) return valid.error();
  const std::int64_t now = clock_.now_ms();
  const std::string course_id = ids_.new_id();

  ports::RunRecord record;
  record.course_id = course_id;
  record.user_id = user_id;
  record.query = valid->query;
  record.hours = valid->hours;
  record.preferences = valid->preferences;
  record.title = domain::provisional_title(valid->query);
  record.state = domain::initial_state(course_id);
  record.created_at_ms = now;
  record.updated_at_ms = now;
  record.expires_at_ms = domain::saturating_add(now, settings_.state_ttl_ms);

  domain::Envelope first;
  first.event_id = ids_.new_id();
  first.course_id = course_id;
  first.seq = 0;
  first.occurred_at = domain::format_iso8601(now);
  first.attempt = 1;
  first.payload = domain::CourseRequested{valid->query, valid->hours, valid->preferences, user_id};

  const auto entry = note(course_id, 0, "CourseRequested", ports::HistoryKind::note,
                          "Queued: " + std::to_string(domain::target_minutes(valid->hours)) + " minutes on \"" +
                              domain::provisional_title(valid->query) + "\"",
                          now);
  // A store that does not hand off events keeps the first one in the record's outbox: published
  // here, and by a worker's relay pass should this process die before it does.
  if (!runs_.hands_off_events()) record.outbox = first;
  if (!runs_.create(record, first, entry)) return Error{"conflict", "course id collision; try again"};
  if (!runs_.hands_off_events()) publish_outbox(runs_, queue_, first, now);
  return course_id;
}

std::optional<ports::RunRecord> CourseService::run(const std::string& course_id) { return runs_.load(course_id); }

std::vector<ports::HistoryEntry> CourseService::history(const std::string& course_id, std::int64_t after_id) {
  return runs_.history(course_id, after_id);
}

Result<ports::RunRecord> CourseService::cancel(const std::string& course_id, const std::string& reason) {
  for (int attempt = 0; attempt < kMaxCasAttempts; ++attempt) {
    auto record = runs_.load(course_id);
    if (!record) return not_found(course_id);
    if (record->status != ports::RunStatus::processing) {
      return Error{"not_running", "the run is already " + std::string(ports::to_string(record->status))};
    }
    if (record->state && record->state->course_stored) {
      // The store step won the compare-and-set: its commit wrote the course, and only CourseStored
      // remains. Cancelling now would leave a failed run beside a stored, active course.
      return Error{"already_complete", "the course is already complete (stored); nothing to cancel"};
    }
    const std::int64_t now = clock_.now_ms();
    ports::StepCommit commit;
    commit.expected_version = record->version;
    commit.record = *record;
    commit.record.status = ports::RunStatus::error;
    commit.record.phase = domain::Phase::error;
    commit.record.error = Error{"cancelled", reason};
    commit.record.updated_at_ms = now;
    if (commit.record.state) {
      commit.record.state->phase = domain::Phase::error;
      commit.record.state->last_error = commit.record.error;
    }
    commit.history.push_back(note(course_id, record->next_seq, "CourseFailed", ports::HistoryKind::error,
                                  "cancelled: " + reason, now));
    if (runs_.commit(commit) == ports::CommitResult::committed) return commit.record;
  }
  return Error{"conflict", "the run kept changing; try again"};
}

Result<std::string> CourseService::replay(const std::string& id) {
  std::optional<ports::DeadLetter> dead = dead_letters_.get(id);
  if (!dead) dead = latest_dead_letter(id);
  if (!dead) return Error{"not_found", "no dead letter with id '" + id + "', nor one of a course with that id"};

  for (int attempt = 0; attempt < kMaxCasAttempts; ++attempt) {
    auto record = runs_.load(dead->course_id);
    if (!record) return not_found(dead->course_id);
    if (record->status != ports::RunStatus::error) {
      return Error{"not_failed", "the run is " + std::string(ports::to_string(record->status)) +
                                     ", not failed: nothing to replay"};
    }
    if (!record->state) return Error{"expired", "the run's state expired; request the course again"};
    const std::int64_t now = clock_.now_ms();
    domain::RunState reopened = domain::reopen(*record->state, dead->event.type(), now, settings_);

    ports::StepCommit commit;
    commit.expected_version = record->version;
    commit.record = *record;
    commit.record.status = ports::RunStatus::processing;
    commit.record.phase = reopened.phase;
    commit.record.error.reset();
    commit.record.postponed = 0;  // the replayed event is a new message: its deliveries count afresh
    commit.record.state = reopened;
    commit.record.updated_at_ms = now;
    commit.record.expires_at_ms = reopened.expires_at_ms;
    commit.history.push_back(note(dead->course_id, dead->event.seq, std::string(domain::to_string(dead->event.type())),
                                  ports::HistoryKind::note,
                                  "Replayed from the dead letters (was " + dead->error_code + ": " + dead->error + ")",
                                  now));
    // A new event id: a broker that drops duplicates by id (JetStream's Msg-Id window) would drop
    // the replay of an event it delivered before; the run itself deduplicates by seq.
    domain::Envelope again = dead->event;
    again.event_id = ids_.new_id();
    again.attempt = 1;
    commit.next_event = again;
    commit.consumed_dead_letter_id = dead->id;
    if (!runs_.hands_off_events()) commit.record.outbox = again;
    if (runs_.commit(commit) == ports::CommitResult::committed) {
      if (!runs_.hands_off_events()) publish_outbox(runs_, queue_, again, now);
      return dead->course_id;
    }
  }
  return Error{"conflict", "the run kept changing; try again"};
}

std::optional<ports::DeadLetter> CourseService::latest_dead_letter(const std::string& course_id) {
  std::optional<ports::DeadLetter> latest;
  for (auto& letter : dead_letters_.list()) {
    if (letter.course_id == course_id && (!latest || letter.at_ms >= latest->at_ms)) latest = std::move(letter);
  }
  return latest;
}

Result<std::string> CourseService::remove(const std::string& course_id) {
  auto record = runs_.load(course_id);
  const bool has_course = courses_.get(course_id).has_value();
  if (!record && !has_course) return not_found(course_id);
  if (record && record->status == ports::RunStatus::processing) {
    auto cancelled = cancel(course_id, "deleted by its owner");
    const bool finished = !cancelled && (cancelled.error().code == "not_running" ||
                                         cancelled.error().code == "already_complete");
    if (!cancelled && !finished) return cancelled.error();
  }
  courses_.remove(course_id);
  runs_.remove(course_id);
  return course_id;
}

}  // namespace docprof::engine
