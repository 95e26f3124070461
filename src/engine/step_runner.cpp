#include "engine/step_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "domain/revised_rows.h"
#include "domain/saturating.h"
#include "engine/run_commit.h"

namespace docprof::engine {

using domain::Decision;
using domain::DecisionKind;

// Runs whose records a runner keeps for their next steps: more than a process has steps in flight
// (a record is the state without its books, which are shared: a few KB to tens of KB).
constexpr std::size_t kRecentRuns = 1024;

StepRunner::StepRunner(StepPorts ports, EngineSettings settings)
    : ports_(ports),
      settings_(settings),
      executor_(ports.model, ports.embedder, ports.library, ports.ingest),
      own_random_(ports.random == nullptr ? std::make_unique<SeededRandom>() : nullptr),
      retry_(settings.backoff_base_ms, settings.backoff_cap_ms,
             ports.random != nullptr ? *ports.random : *own_random_),
      recent_(kRecentRuns) {}

StepReport StepRunner::run(const ports::Delivery& delivery) {
  for (int race = 0; race <= settings_.max_lost_races; ++race) {
    bool lost_race = false;
    StepReport report = run_once(delivery, lost_race, /*fresh=*/race > 0);
    if (!lost_race) return report;
    spdlog::debug("step {} seq {} of {}: lost a compare-and-set, re-deciding", domain::to_string(delivery.event.type()),
                  delivery.event.seq, delivery.event.course_id);
  }
  // Another writer keeps winning: give the event back rather than spin.
  ports_.queue.retry_later(delivery, domain::saturating_add(ports_.clock.now_ms(), settings_.backoff_base_ms),
                           "repeated lost races");
  return StepReport{StepResult::retry_scheduled, "repeated lost races on the run record"};
}

namespace {

// The course a store step writes, from its CreateCourse + CreateSections commands.
std::optional<ports::StoredCourse> course_to_store(const Decision& decision) {
  std::optional<ports::StoredCourse> stored;
  for (const auto& command : decision.commands) {
    if (const auto* course = std::get_if<domain::CreateCourse>(&command)) {
      if (!stored) stored.emplace();
      stored->course = course->course;
    } else if (const auto* sections = std::get_if<domain::CreateSections>(&command)) {
      if (!stored) stored.emplace();
      stored->sections = sections->sections;
    }
  }
  return stored;
}

// At most this many chunk ids per source of a section (a whole chapter can be long).
constexpr int kChunksPerSource = 12;

// Grounds each stored section in the passages it is read from: the chunks of its sources' chapter
// sections, in reading order, without repeats (every section's sources asked for at once).
// Sections of books that were not ingested get none.
void attach_chunk_ids(const std::vector<domain::CourseSection*>& sections, ports::Corpus& corpus) {
  std::vector<ports::PassageSource> sources;
  for (const auto* section : sections) {
    for (const auto& source : section->sources) {
      sources.push_back(ports::PassageSource{source.book_id, source.chapter_number, source.section_title});
    }
  }
  if (sources.empty()) return;
  auto found = corpus.chunk_ids_of_each(sources, kChunksPerSource);
  std::size_t next = 0;
  for (auto* section : sections) {
    for (std::size_t i = 0; i < section->sources.size() && next < found.size(); ++i, ++next) {
      for (auto& id : found[next]) {
        if (std::find(section->chunk_ids.begin(), section->chunk_ids.end(), id) == section->chunk_ids.end()) {
          section->chunk_ids.push_back(std::move(id));
        }
      }
    }
  }
}

void attach_chunk_ids(ports::StoredCourse& course, ports::Corpus& corpus) {
  std::vector<domain::CourseSection*> sections;
  for (auto& section : course.sections) {
    if (section.chunk_ids.empty()) sections.push_back(&section);
  }
  attach_chunk_ids(sections, corpus);
}

// A revision's store step (issue 17): the rows are built by the store's commit from the rows stored
// then; the passages of the new sections are found here, for the rows built from the base.
std::optional<ports::RevisionCommit> revision_to_store(const Decision& decision, ports::Corpus* corpus) {
  for (const auto& command : decision.commands) {
    const auto* store = std::get_if<domain::StoreRevision>(&command);
    if (store == nullptr) continue;
    ports::RevisionCommit revision{*store, {}};
    const domain::RunState& state = decision.state;
    if (corpus != nullptr && state.base_course) {
      auto rows = domain::build_revised_rows(*state.base_course, state.base_sections, store->outline, store->books,
                                             store->rows);
      if (rows) {
        std::vector<domain::CourseSection> without;  // the rows with sources and no passages yet
        for (const auto& section : rows->rows.sections) {
          if (section.chunk_ids.empty() && !section.sources.empty()) without.push_back(section);
        }
        std::vector<domain::CourseSection*> sections;
        for (auto& section : without) sections.push_back(&section);
        attach_chunk_ids(sections, *corpus);
        for (auto& section : without) {
          if (!section.chunk_ids.empty()) revision.chunk_ids.emplace(section.section_id, std::move(section.chunk_ids));
        }
      }
    }
    return revision;
  }
  return std::nullopt;
}

// A wait for people: "300 s" for whole seconds, else "1500 ms".
std::string describe_wait(std::int64_t ms) {
  if (ms >= 1000 && ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

std::string describe(const ports::ProviderError& error) {
  std::string text = error.code;
  if (error.http_status != 0) text += " (HTTP " + std::to_string(error.http_status) + ")";
  if (!error.message.empty()) text += ": " + error.message;
  return text;
}

// An ingestion run that owned its document (an upload) has no use for it once the book is stored.
// A failed run keeps it, for `dlq replay`. Best effort: a file left behind is only disk.
void remove_owned_upload(const domain::RunState& state) {
  if (!state.ingest || !state.ingest->owned) return;
  std::error_code ignored;
  std::filesystem::remove(state.ingest->path, ignored);
}

}  // namespace

StepReport StepRunner::run_once(const ports::Delivery& delivery, bool& lost_race, bool fresh) {
  std::optional<ports::RunRecord> record;
  // A redelivery is read afresh: whatever ended the earlier delivery (a give-back, a crash, a
  // note) may have changed the run elsewhere.
  if (!fresh) {
    auto kept = recent_.take(delivery.event.course_id, delivery.event.event_id);
    if (kept && delivery.event.attempt == 1) record = std::move(kept);
  }
  const bool guessed = record.has_value();  // RecentRuns: processing, with its state
  if (!record) record = ports_.runs.load(delivery.event.course_id);
  if (!record) {
    ports_.queue.ack(delivery);
    return StepReport{StepResult::dropped, "the run no longer exists"};
  }
  if (record->status != ports::RunStatus::processing) {
    ports_.queue.ack(delivery);
    return StepReport{StepResult::duplicate, "the run is " + std::string(ports::to_string(record->status))};
  }
  if (!record->state) {
    ports_.queue.ack(delivery);
    return StepReport{StepResult::dropped, "the run's state expired"};
  }
  // The event as the engine counts it: the queue's deliveries less those given back unspent.
  domain::Envelope counted = delivery.event;
  counted.attempt = counted_attempt(delivery.event, *record);
  const domain::Envelope& event = counted;

  const std::int64_t now = ports_.clock.now_ms();
  domain::StepContext context{now, ports_.ids.new_id(), settings_.workflow, &book_views_};
  const domain::RunState& state = *record->state;
  Decision decision = domain::decide(state, event, context);
  if (guessed && decision.kind != DecisionKind::apply) {
    lost_race = true;  // not acted on before the run, as stored, says so too
    return StepReport{};
  }

  if (decision.kind == DecisionKind::duplicate) {
    // An emitted but unconfirmed event (distributed mode) is published again: the crash came between
    // the commit and the publish. Broker-side dedupe by event id makes this safe.
    if (record->outbox && !ports_.runs.hands_off_events()) {
      ports_.queue.publish(*record->outbox, now);
      ports_.runs.clear_outbox(record->course_id, record->outbox->event_id);
    }
    ports_.queue.ack(delivery);
    return StepReport{StepResult::duplicate, decision.message};
  }
  if (event.attempt > settings_.max_deliveries) {
    // A poison event: the earlier deliveries never finished (each worker died in the step, or its
    // lease ran out). Running it again would take down one more worker; the run fails instead.
    const int deliveries = event.attempt - 1;
    const std::string how = delivery.previous_error.empty() ? "no error was recorded" : delivery.previous_error;
    if (fail_run(delivery, deliveries, "retries_exhausted",
                 "the step was delivered " + std::to_string(deliveries) + " times and never finished (last: " + how +
                     "); it is not run again: `docprof course retry` runs it once more") ==
        ports::CommitResult::lost_race) {
      lost_race = true;
      return StepReport{};
    }
    return StepReport{StepResult::applied, "dead-lettered after " + std::to_string(deliveries) +
                                               " unfinished deliveries"};
  }
  if (decision.kind == DecisionKind::out_of_order) {
    ports_.queue.retry_later(delivery, domain::saturating_add(now, settings_.backoff_base_ms), decision.message);
    return StepReport{StepResult::retry_scheduled, decision.message};
  }

  std::optional<domain::CommandOutcome> outcome;
  std::optional<domain::StepFailure> failure;
  if (decision.outcome == domain::RunOutcome::running && !decision.commands.empty()) {
    ExecutionResult executed = executor_.execute(decision.commands, event.course_id);
    if (executed.error) {
      const ports::ProviderError& error = *executed.error;
      if (error.code == ports::kCircuitOpen) {
        // The provider was not called: waiting out the breaker spends none of the step's attempts.
        // The run records the delivery as given back (a queue, like a broker, counts it anyway).
        const std::int64_t delay = std::max<std::int64_t>(error.retry_after_ms.value_or(settings_.backoff_base_ms), 1);
        const std::string note = "Waiting for the model provider: " + error.message;
        if (ports_.runs.commit(build_postpone_commit(*record, event, note, now)) == ports::CommitResult::lost_race) {
          lost_race = true;
          return StepReport{};
        }
        ports_.queue.retry_later(delivery, domain::saturating_add(now, delay), describe(error));
        return StepReport{StepResult::retry_scheduled, note};
      }
      if (error.transient && error.retry_after_ms && *error.retry_after_ms > settings_.max_retry_after_ms) {
        // Waiting that long would leave the run processing (and `course create` waiting) for as long:
        // fail it now, saying what was asked; `course retry` resumes it when the provider is back.
        failure = domain::StepFailure{"provider_error", "the provider asked to wait " +
                                                            describe_wait(*error.retry_after_ms) +
                                                            " before a retry, more than queue.max_retry_after_ms (" +
                                                            describe_wait(settings_.max_retry_after_ms) +
                                                            "): " + describe(error)};
      } else if (error.transient && event.attempt < settings_.max_deliveries) {
        const std::int64_t delay = retry_.delay_ms(event.attempt, error.retry_after_ms);
        const std::string note = "Attempt " + std::to_string(event.attempt) + " of " +
                                 std::to_string(settings_.max_deliveries) + " failed (" + describe(error) +
                                 "); retrying in " + std::to_string(delay) + " ms";
        // The note is best effort: a lost race here only means another writer got there first.
        ports_.runs.commit(build_note_commit(*record, event, note, now));
        ports_.queue.retry_later(delivery, domain::saturating_add(now, delay), describe(error));
        return StepReport{StepResult::retry_scheduled, note};
      } else if (error.transient) {
        failure = domain::StepFailure{"retries_exhausted", "gave up after " + std::to_string(event.attempt) +
                                                               " attempts; last error: " + describe(error)};
      } else if (error.code == "invalid_document" || error.code == "invalid_request") {
        // An ingestion run's document that cannot be read: the reader's own words, no provider's.
        failure = domain::StepFailure{error.code, error.message};
      } else {
        failure = domain::StepFailure{"provider_error", describe(error)};
      }
    } else {
      outcome = std::move(executed.outcome);
    }
  }

  if (failure) decision = domain::decide_failure(state, event, *failure, context);
  std::optional<domain::Envelope> next;
  if (decision.outcome == domain::RunOutcome::running && decision.emits()) {
    auto built = domain::follow_up_event(decision, event, decision.follow_up.ready ? std::nullopt : outcome, context);
    if (!built) {
      decision = domain::decide_failure(state, event, domain::StepFailure{built.error().code, built.error().message},
                                        context);
      if (decision.outcome == domain::RunOutcome::running && decision.emits()) {
        built = domain::follow_up_event(decision, event, std::nullopt, context);
      }
    }
    if (built) next = std::move(built).value();
    // What the next event passes by reference (the embedding, the books found) is saved with the run.
    if (next && outcome && !decision.follow_up.ready) domain::keep_outcome(decision.state, *outcome);
  }

  const bool hands_off = ports_.runs.hands_off_events();
  ports::StepCommit commit =
      build_step_commit(*record, state, decision, event, next, !hands_off, now, ports_.ids.new_id());
  if (decision.outcome == domain::RunOutcome::running) {
    commit.course = course_to_store(decision);
    commit.revision = revision_to_store(decision, ports_.corpus);
  }
  if (commit.course && ports_.corpus != nullptr) attach_chunk_ids(*commit.course, *ports_.corpus);
  commit.consumed_event_id = event.event_id;
  if (ports_.runs.commit(commit) == ports::CommitResult::lost_race) {
    lost_race = true;
    return StepReport{};
  }
  if (next && commit.record.status == ports::RunStatus::processing && commit.record.state) {
    ports::RunRecord kept = commit.record;
    kept.version = commit.expected_version + 1;  // as every store's commit makes it
    recent_.put(std::move(kept), next->event_id);
  }
  if (!hands_off) {
    if (next) {
      // The outbox is cleared once the bus has the event; the step does not wait for that (the
      // outbox keeps the event until then, for the relay).
      ports::RunStore& runs = ports_.runs;
      ports_.queue.publish_then(*next, now, [&runs, run_id = event.course_id, event_id = next->event_id] {
        runs.clear_outbox(run_id, event_id);
      });
    }
    ports_.queue.ack(delivery);
  }
  if (decision.outcome == domain::RunOutcome::complete) remove_owned_upload(decision.state);
  return StepReport{StepResult::applied, decision.message};
}

StepReport StepRunner::after_exception(const ports::Delivery& delivery, const std::string& error) {
  const int attempt = counted_attempt(delivery);
  if (attempt >= settings_.max_deliveries) {
    give_up(delivery, error);
    return StepReport{StepResult::applied, "gave up after " + std::to_string(attempt) + " attempts: " + error};
  }
  const std::int64_t delay = retry_.delay_ms(attempt);
  ports_.queue.retry_later(delivery, domain::saturating_add(ports_.clock.now_ms(), delay), error);
  return StepReport{StepResult::retry_scheduled,
                    "the step failed (" + error + "); retrying in " + std::to_string(delay) + " ms"};
}

void StepRunner::give_up(const ports::Delivery& delivery, const std::string& error) {
  const domain::Envelope& event = delivery.event;
  const int attempt = counted_attempt(delivery);
  const std::string message = "the step failed " + std::to_string(attempt) + " times; last error: " + error;
  try {
    fail_run(delivery, attempt, "retries_exhausted", message);
  } catch (const std::exception& e) {
    // The run itself cannot be read or written (a damaged record): at least stop redelivering.
    spdlog::error("run {} cannot be failed ({}); its event goes to the dead letters", event.course_id, e.what());
    ports_.dead_letters.bury(make_dead_letter(event, "retries_exhausted",
                                              message + "; the run could not be updated: " + e.what(),
                                              ports_.clock.now_ms()));
    ports_.queue.ack(delivery);
  }
}

ports::CommitResult StepRunner::fail_run(const ports::Delivery& delivery, int attempts, const std::string& code,
                                         const std::string& message) {
  const domain::Envelope& delivered = delivery.event;
  auto record = ports_.runs.load(delivered.course_id);
  if (!record || record->status != ports::RunStatus::processing || !record->state) {
    ports_.queue.ack(delivery);
    return ports::CommitResult::committed;
  }
  // The dead letter (and the history's "Delivered again" note) count the deliveries that ran.
  domain::Envelope event = delivered;
  event.attempt = attempts;
  const std::int64_t now = ports_.clock.now_ms();
  domain::StepContext context{now, ports_.ids.new_id(), settings_.workflow, &book_views_};
  // retries_exhausted always fails the run (only a truncated or unusable review answer does not).
  const Decision decision = domain::decide_failure(*record->state, event, domain::StepFailure{code, message}, context);
  ports::StepCommit commit = build_step_commit(*record, *record->state, decision, event, std::nullopt,
                                               !ports_.runs.hands_off_events(), now, ports_.ids.new_id());
  commit.consumed_event_id = delivered.event_id;
  const ports::CommitResult result = ports_.runs.commit(commit);
  if (result == ports::CommitResult::committed && !ports_.runs.hands_off_events()) ports_.queue.ack(delivery);
  return result;
}

int StepRunner::counted_attempt(const domain::Envelope& event, const ports::RunRecord& record) {
  if (record.next_seq != event.seq) return event.attempt;  // not the awaited event: nothing given back
  return std::max(1, event.attempt - record.postponed);
}

int StepRunner::counted_attempt(const ports::Delivery& delivery) {
  try {
    if (auto record = ports_.runs.load(delivery.event.course_id)) return counted_attempt(delivery.event, *record);
  } catch (const std::exception& e) {
    spdlog::warn("run {} cannot be read to count its attempts: {}", delivery.event.course_id, e.what());
  }
  return delivery.event.attempt;
}

void StepRunner::give_back(const ports::Delivery& delivery, const std::string& reason) {
  const domain::Envelope& event = delivery.event;
  const std::int64_t now = ports_.clock.now_ms();
  for (int race = 0; race <= settings_.max_lost_races; ++race) {
    auto record = ports_.runs.load(event.course_id);
    // A run that is gone, finished or past this event spends nothing on it: the queue drops it.
    if (!record || record->status != ports::RunStatus::processing || record->next_seq != event.seq) break;
    if (ports_.runs.commit(build_postpone_commit(*record, event, "", now)) == ports::CommitResult::committed) break;
  }
  ports_.queue.retry_later(delivery, now, reason);
}

}  // namespace docprof::engine
