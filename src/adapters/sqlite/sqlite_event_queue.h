// SqliteEventQueue: the durable event queue of embedded mode (DESIGN.md §3), in the table
// event_queue of the same database file as the runs (construct it and the
// SqliteRunStore from one shared SqliteDatabase so that a step's commit can hand off atomically).
//
// Semantics:
// * A row's `attempt` counts the deliveries made so far. lease() increments it; the Delivery's
//   event.attempt is the new value (1 for the first delivery). A lease that expires, or that a
//   dead worker held, is reclaimed and the next delivery is attempt + 1; retry_later() unleases
//   without touching attempt, so the next lease counts the retry.
// * lease() runs in one BEGIN IMMEDIATE transaction: it first reclaims leases whose leased_until
//   ≤ now, and at once any lease held by a worker of this host, boot and PID namespace whose process is gone
//   (process_liveness.h), noting in the row's last_error whose lease ran out or which worker died
//   (the next Delivery's previous_error); then it leases ready rows (available_at ≤ now) by
//   available_at, id — lease_run() only those of one course (reclaiming still covers every row).
// * The lease is fenced by (row id, worker id, attempt): extend, ack and retry_later act only while
//   that delivery still holds the row, and otherwise do nothing (extend returns false).
// * publish() is idempotent by event_id while the event is queued (a second copy is dropped).
// * A queued row whose event cannot be read back (written by a newer docprof, edited by hand) is
//   moved to the dead letters (sqlite_dead_letters.h) by lease() with error_code "invalid_event"
//   instead of failing every lease; such a dead letter shows only the event's id, course and seq,
//   and cannot be replayed.
// Delivery ids are the rows' integer ids, as decimal strings.
//
// Thread safety: safe from any thread; several processes may share the file (see SqliteDatabase).
#pragma once

#include <memory>

#include "adapters/sqlite/sqlite_database.h"
#include "ports/event_queue.h"

namespace docprof::adapters::sqlite {

inline constexpr std::string_view kInvalidEventCode = "invalid_event";

class SqliteEventQueue final : public ports::EventQueue {
 public:
  // `event_types` restricts lease() and counts() to those types (`worker --events`); empty: all.
  explicit SqliteEventQueue(std::shared_ptr<SqliteDatabase> database,
                            const std::vector<domain::EventType>& event_types = {});

  void publish(const domain::Envelope& event, std::int64_t available_at_ms) override;
  std::vector<ports::Delivery> lease(int max, const std::string& worker_id, std::int64_t now_ms,
                                     std::int64_t lease_ms) override;
  std::vector<ports::Delivery> lease_run(const std::string& course_id, int max, const std::string& worker_id,
                                         std::int64_t now_ms, std::int64_t lease_ms) override;
  bool extend(const ports::Delivery& delivery, std::int64_t until_ms) override;
  void ack(const ports::Delivery& delivery) override;
  void retry_later(const ports::Delivery& delivery, std::int64_t available_at_ms,
                   const std::string& error) override;
  ports::QueueCounts counts(std::int64_t now_ms) override;


 private:
  // lease() and lease_run(): `course_id` empty leases any run's events.
  std::vector<ports::Delivery> lease_where(const std::string& course_id, int max, const std::string& worker_id,
                                           std::int64_t now_ms, std::int64_t lease_ms);

  std::shared_ptr<SqliteDatabase> database_;
  std::string types_;  // ",A,B," of the event types leased; empty: all
};

// Row-level helpers shared with SqliteRunStore's commit; call inside a write transaction.
// Enqueues `event` with no deliveries counted (ignored when the same event_id is queued already).
void enqueue_event(Session& session, const domain::Envelope& event, std::int64_t available_at_ms);
}  // namespace docprof::adapters::sqlite
