#include "adapters/sqlite/sqlite_event_queue.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <tuple>

#include <spdlog/spdlog.h>

#include "adapters/sqlite/process_liveness.h"
#include "adapters/sqlite/sqlite_codec.h"
#include "adapters/sqlite/sqlite_dead_letters.h"
#include "domain/saturating.h"

namespace docprof::adapters::sqlite {
namespace {

// Releases leases that ended, and those of workers of this host, boot and PID namespace whose
// process is gone (process_liveness.h: workers elsewhere are never judged by pid).
void reclaim_leases(Session& session, std::int64_t now_ms) {
  // Each reclaimed lease notes how its delivery ended: the next one (and a dead letter) can say so.
  session
      .query(
          "UPDATE event_queue SET leased_by = NULL, leased_until = NULL, "
          "last_error = 'the lease of ' || leased_by || ' ran out before the step finished' "
          "WHERE leased_by IS NOT NULL AND leased_until <= ?",
          now_ms)
      .run();
  std::vector<std::string> holders;
  {
    auto row =
        session.query("SELECT DISTINCT leased_by FROM event_queue WHERE leased_by IS NOT NULL");
    while (row.step()) holders.push_back(row.text(0));
  }
  static const std::string this_process = make_worker_id("");
  for (const auto& holder : holders) {
    if (holder.starts_with(this_process) || !worker_known_dead(holder)) continue;
    session
        .query(
            "UPDATE event_queue SET leased_by = NULL, leased_until = NULL, "
            "last_error = 'worker ' || leased_by || ' died during the step (its process is gone)' "
            "WHERE leased_by = ?",
            holder)
        .run();
  }
}


// A queued row whose event cannot be read (written by a newer docprof, or edited by hand) would
// fail every lease that picks it: it moves to the dead letters instead, with the reason.
void quarantine(Session& session, std::int64_t row_id, std::int64_t now_ms,
                const std::string& reason) {
  spdlog::error("event queue row {} is unreadable and moves to the dead letters: {}", row_id,
                reason);
  session
      .query(
          "INSERT INTO dead_letters (course_id, event_id, event_type, seq, attempts, error_code, "
          "error, at, event) SELECT course_id, event_id, type, seq, attempt, ?, ?, ?, envelope "
          "FROM event_queue WHERE id = ?",
          kInvalidEventCode, reason, now_ms, row_id)
      .run();
  session.query("DELETE FROM event_queue WHERE id = ?", row_id).run();
}

}  // namespace

void enqueue_event(Session& session, const domain::Envelope& event, std::int64_t available_at_ms) {
  const std::string text = envelope_to_text(event);
  if (text.size() > domain::kMaxEventBytes) {
    throw std::length_error("event " + event.event_id + " (" + std::string(domain::to_string(event.type())) +
                            ") is " + std::to_string(text.size()) + " bytes, more than the " +
                            std::to_string(domain::kMaxEventBytes) + " an event may hold");
  }
  session
      .query(
          "INSERT INTO event_queue (course_id, seq, event_id, type, attempt, available_at, "
          "created_at, envelope) VALUES (?, ?, ?, ?, 0, ?, ?, ?) "
          "ON CONFLICT (event_id) DO NOTHING",
          event.course_id, event.seq, event.event_id, domain::to_string(event.type()),
          available_at_ms, available_at_ms, text)
      .run();
}


SqliteEventQueue::SqliteEventQueue(std::shared_ptr<SqliteDatabase> database,
                                   const std::vector<domain::EventType>& event_types)
    : database_(std::move(database)) {
  if (!event_types.empty()) {
    types_ = ",";
    for (const auto type : event_types) types_ += std::string(domain::to_string(type)) + ",";
  }
}

void SqliteEventQueue::publish(const domain::Envelope& event, std::int64_t available_at_ms) {
  database_->write([&](Session& session) { enqueue_event(session, event, available_at_ms); });
}

std::vector<ports::Delivery> SqliteEventQueue::lease(int max, const std::string& worker_id,
                                                     std::int64_t now_ms, std::int64_t lease_ms) {
  return lease_where("", max, worker_id, now_ms, lease_ms);
}

std::vector<ports::Delivery> SqliteEventQueue::lease_run(const std::string& course_id, int max,
                                                         const std::string& worker_id,
                                                         std::int64_t now_ms,
                                                         std::int64_t lease_ms) {
  if (course_id.empty()) return {};
  return lease_where(course_id, max, worker_id, now_ms, lease_ms);
}

std::vector<ports::Delivery> SqliteEventQueue::lease_where(const std::string& course_id, int max,
                                                           const std::string& worker_id,
                                                           std::int64_t now_ms,
                                                           std::int64_t lease_ms) {
  if (max <= 0) return {};
  const std::int64_t until = domain::saturating_add(now_ms, lease_ms);
  struct Leased {
    std::int64_t id;
    std::int64_t available_at;
    int attempt;
    std::string envelope;
    std::string last_error;
  };
  return database_->write([&](Session& session) {
    reclaim_leases(session, now_ms);
    std::vector<Leased> rows;
    {
      auto row = session.query(
          "UPDATE event_queue SET leased_by = ?, leased_until = ?, attempt = attempt + 1 "
          "WHERE id IN (SELECT id FROM event_queue WHERE leased_by IS NULL AND available_at <= ? "
          "             AND (?4 = '' OR course_id = ?4) AND (?6 = '' OR instr(?6, ',' || type || ',') > 0) "
          "             ORDER BY available_at, id LIMIT ?5) "
          "RETURNING id, available_at, attempt, envelope, coalesce(last_error, '')",
          worker_id, until, now_ms, course_id, max, types_);
      while (row.step()) {
        rows.push_back({row.int64(0), row.int64(1), row.int32(2), row.text(3), row.text(4)});
      }
    }
    // RETURNING gives no order: deliver in queue order.
    std::sort(rows.begin(), rows.end(), [](const Leased& a, const Leased& b) {
      return std::tie(a.available_at, a.id) < std::tie(b.available_at, b.id);
    });
    std::vector<ports::Delivery> deliveries;
    deliveries.reserve(rows.size());
    for (auto& row : rows) {
      ports::Delivery delivery;
      delivery.delivery_id = std::to_string(row.id);
      try {
        delivery.event =
            envelope_from_text(row.envelope, "event_queue[" + delivery.delivery_id + "]");
      } catch (const std::runtime_error& error) {
        quarantine(session, row.id, now_ms, error.what());
        continue;
      }
      delivery.event.attempt = row.attempt;
      delivery.worker_id = worker_id;
      delivery.leased_until_ms = until;
      delivery.previous_error = std::move(row.last_error);
      deliveries.push_back(std::move(delivery));
    }
    return deliveries;
  });
}

bool SqliteEventQueue::extend(const ports::Delivery& delivery, std::int64_t until_ms) {
  const auto id = parse_row_id(delivery.delivery_id);
  if (!id) return false;
  return database_->write([&](Session& session) {
    session
        .query(
            "UPDATE event_queue SET leased_until = ? WHERE id = ? AND leased_by = ? AND attempt = "
            "?",
            until_ms, *id, delivery.worker_id, delivery.event.attempt)
        .run();
    return session.changes() > 0;
  });
}

void SqliteEventQueue::ack(const ports::Delivery& delivery) {
  const auto id = parse_row_id(delivery.delivery_id);
  if (!id) return;
  database_->write([&](Session& session) {
    session
        .query("DELETE FROM event_queue WHERE id = ? AND leased_by = ? AND attempt = ?", *id,
               delivery.worker_id, delivery.event.attempt)
        .run();
  });
}

void SqliteEventQueue::retry_later(const ports::Delivery& delivery, std::int64_t available_at_ms,
                                   const std::string& error) {
  const auto id = parse_row_id(delivery.delivery_id);
  if (!id) return;
  // Only while the lease is still this delivery's: a reclaimed event is another worker's now.
  database_->write([&](Session& session) {
    session
        .query(
            "UPDATE event_queue SET leased_by = NULL, leased_until = NULL, available_at = ?, "
            "last_error = ? WHERE id = ? AND leased_by = ? AND attempt = ?",
            available_at_ms, error, *id, delivery.worker_id, delivery.event.attempt)
        .run();
  });
}

ports::QueueCounts SqliteEventQueue::counts(std::int64_t now_ms) {
  return database_->read([&](Session& session) {
    ports::QueueCounts counts;
    auto row = session.query(
        "SELECT coalesce(sum(leased_by IS NULL AND available_at <= ?1), 0) "
        "     + coalesce(sum(leased_by IS NOT NULL AND leased_until <= ?1), 0), "
        "       coalesce(sum(leased_by IS NULL AND available_at > ?1), 0), "
        "       coalesce(sum(leased_by IS NOT NULL AND leased_until > ?1), 0) "
        "FROM event_queue WHERE ?2 = '' OR instr(?2, ',' || type || ',') > 0",
        now_ms, types_);
    row.step();
    counts.ready = row.int64(0);
    counts.delayed = row.int64(1);
    counts.leased = row.int64(2);
        return counts;
  });
}

}  // namespace docprof::adapters::sqlite
