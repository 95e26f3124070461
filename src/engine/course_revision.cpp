// CourseService::request_revision (issue 17, docs/revisions.md): the request-time checks of a
// revision and the one commit that starts its run on the course's record.
#include <algorithm>
#include <set>

#include "domain/revision_outline.h"
#include "domain/revision_plan.h"
#include "domain/revision_request.h"
#include "domain/saturating.h"
#include "domain/text.h"
#include "domain/time_format.h"
#include "domain/time_rule.h"
#include "engine/course_service.h"
#include "engine/outbox_relay.h"
#include "engine/library_service.h"

namespace docprof::engine {

using domain::Error;
using domain::Result;

namespace {

constexpr std::size_t kMaxRevisionRequestBytes = 2000;
constexpr int kMaxCasAttempts = 16;

Error unsupported(const std::string& message) { return Error{std::string(domain::kUnsupportedRevision), message}; }

void add_book(std::vector<domain::BookMatch>& books, domain::BookMatch book) {
  const bool known = std::any_of(books.begin(), books.end(),
                                 [&](const domain::BookMatch& b) { return b.book_id == book.book_id; });
  if (!known) books.push_back(std::move(book));
}

}  // namespace

Result<int> CourseService::request_revision(const std::string& user_id, const std::string& course_id,
                                            const std::string& revision_request, const RevisionChecks& checks) {
  const std::string request = domain::trim(revision_request);
  if (request.empty()) return Error{"invalid_request", "revision_request is empty: say what to change"};
  if (request.size() > kMaxRevisionRequestBytes) {
    return Error{"invalid_request", "revision_request is longer than " + std::to_string(kMaxRevisionRequestBytes) +
                                        " bytes"};
  }
  auto stored = courses_.get(course_id);
  if (!stored || stored->course.user_id != user_id) {
    return Error{"not_found", "no course with id '" + course_id + "'"};
  }
  if (auto record = runs_.load(course_id); record && record->status == ports::RunStatus::processing) {
    return Error{"conflict", "a run of course " + course_id + " is in progress; wait for it to finish"};
  }
  const domain::RevisionOutline base = domain::revision_outline(stored->sections);
  bool open_section = false;
  for (const auto& part : base.parts) {
    for (const auto& section : part.sections) open_section = open_section || !section.completed;
  }
  if (!open_section) return unsupported("nothing left to revise: every section of the course is completed");

  // The material of the revision's prompt: for the offline planner, the library's material for each
  // topic it adds (judged first: a refused request searches no further); what the library holds
  // for the request's words; the books the course's sections read.
  std::vector<domain::BookMatch> books;
  if (checks.offline_planner) {
    auto reading = domain::read_revision_request(request);
    if (!reading) return reading.error();
    const domain::RevisionPlanRequest plan{domain::target_minutes(stored->course.estimated_hours),
                                           stored->course.preferences.depth, nullptr};
    if (auto checked = domain::check_revision(base, reading.value(), plan); !checked) return checked.error();
    for (const auto& action : reading->actions) {
      if (action.kind != domain::RevisionActionKind::add) continue;
      if (library_ == nullptr) return unsupported("no library to find material on \"" + action.topic + "\" in");
      auto found = library_->search(action.topic, settings_.top_k, settings_.min_similarity);
      if (!found) return found.error();
      if (found->empty()) {
        return unsupported("the library has no material on \"" + action.topic + "\" (" + action.clause +
                           "); import a book on it first");
      }
      for (auto& book : found.value()) add_book(books, std::move(book));
    }
  }
  if (library_ != nullptr) {
    if (auto found = library_->search(request, settings_.top_k, settings_.min_similarity)) {
      for (auto& book : found.value()) add_book(books, std::move(book));
    }
  }
  // Books the sections read that no search found still resolve their sources.
  std::set<std::string> named;
  for (const auto& row : stored->sections) {
    for (const auto& source : row.sources) named.insert(source.book_id);
  }
  if (library_ != nullptr) {
    for (const auto& book_id : named) {
      if (auto book = library_->book(book_id)) add_book(books, std::move(*book));
    }
  }

  for (int attempt = 0; attempt < kMaxCasAttempts; ++attempt) {
    auto record = runs_.load(course_id);
    if (record && record->status == ports::RunStatus::processing) {
      return Error{"conflict", "a run of course " + course_id + " is in progress; wait for it to finish"};
    }
    const std::int64_t now = clock_.now_ms();
    const int revision = (record ? record->revision : 0) + 1;
    const std::int64_t seq = record ? record->next_seq : 0;

    domain::RunState state = domain::initial_state(course_id);
    state.user_id = user_id;
    state.query = stored->course.original_query;
    state.hours = stored->course.estimated_hours;
    state.preferences = stored->course.preferences;
    state.phase = domain::Phase::revising;
    state.last_seq = seq - 1;
    state.books = books;
    state.revision = revision;
    state.revision_request = request;
    state.usage = record ? record->usage : domain::TokenUsage{};  // the course's usage goes on adding up
    state.base_course = stored->course;
    state.base_sections = stored->sections;
    state.created_at_ms = now;
    state.updated_at_ms = now;
    state.expires_at_ms = domain::saturating_add(now, settings_.state_ttl_ms);

    domain::Envelope first;
    first.event_id = ids_.new_id();
    first.course_id = course_id;
    first.seq = seq;
    first.occurred_at = domain::format_iso8601(now);
    first.attempt = 1;
    first.payload = domain::RevisionRequested{revision, request, user_id};

    ports::HistoryEntry entry;
    entry.course_id = course_id;
    entry.seq = seq;
    entry.type = std::string(domain::to_string(domain::EventType::RevisionRequested));
    entry.kind = ports::HistoryKind::note;
    entry.message = "Revision " + std::to_string(revision) + " queued: \"" + domain::utf8_prefix(request, 120) + "\"";
    entry.at_ms = now;
    entry.revision = revision;

    ports::RunRecord next = record ? *record : ports::RunRecord{};
    if (!record) {
      next.course_id = course_id;
      next.user_id = user_id;
      next.title = stored->course.title;
      next.created_at_ms = now;
    }
    next.query = state.query;
    next.hours = state.hours;
    next.preferences = state.preferences;
    next.status = ports::RunStatus::processing;
    next.phase = domain::Phase::revising;
    next.next_seq = seq;
    next.postponed = 0;
    next.error.reset();
    next.usage = state.usage;
    next.state = state;
    next.updated_at_ms = now;
    next.expires_at_ms = state.expires_at_ms;
    next.revision = revision;
    next.outbox = runs_.hands_off_events() ? std::nullopt : std::optional<domain::Envelope>(first);

    bool committed = false;
    if (!record) {
      committed = runs_.create(next, first, entry);
    } else {
      ports::StepCommit commit;
      commit.expected_version = record->version;
      commit.record = next;
      commit.history.push_back(entry);
      commit.next_event = first;
      // A failed revision is superseded: its dead letter goes, so that no replay of it can reopen
      // this run with an event the new revision has left behind.
      if (record->status == ports::RunStatus::error) {
        if (auto letter = latest_dead_letter(course_id)) commit.consumed_dead_letter_id = letter->id;
      }
      committed = runs_.commit(commit) == ports::CommitResult::committed;
    }
    if (committed) {
      if (!runs_.hands_off_events()) publish_outbox(runs_, queue_, first, now);
      return revision;
    }
  }
  return Error{"conflict", "the course's run kept changing; try again"};
}

}  // namespace docprof::engine
