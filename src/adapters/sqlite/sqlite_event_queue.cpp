#include "adapters/sqlite/sqlite_event_queue.h"

#include <algorithm>
#include <charconv>
#include <tuple>

#include <spdlog/spdlog.h>

#include "adapters/sqlite/process_liveness.h"
#include "adapters/sqlite/sqlite_codec.h"
#include "domain/saturating.h"

namespace docprof::adapters::sqlite {
namespace {

std::optional<std::int64_t> parse_row_id(const std::string& text) {
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return id;
}

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

ports::DeadLetter read_dead_letter(const Statement& row) {
  ports::DeadLetter letter;
  letter.id = std::to_string(row.int64(0));
  letter.course_id = row.text(1);
  letter.attempts = row.int32(2);
  letter.error_code = row.text(3);
  letter.error = row.text(4);
  letter.at_ms = row.int64(5);
  try {
    letter.event = envelope_from_text(row.text(6), "dead_letters[" + letter.id + "].event");
  } catch (const std::runtime_error&) {
    // A quarantined row (error_code invalid_event): show what identifies it; it cannot be replayed.
    letter.event.event_id = row.text(7);
    letter.event.course_id = letter.course_id;
    letter.event.seq = row.int64(8);
  }
  return letter;
}

constexpr std::string_view kSelectDeadLetters =
    "SELECT id, course_id, attempts, error_code, error, at, event, event_id, seq "
    "FROM dead_letters ";

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
  session
      .query(
          "INSERT INTO event_queue (course_id, seq, event_id, type, attempt, available_at, "
          "created_at, envelope) VALUES (?, ?, ?, ?, 0, ?, ?, ?) "
          "ON CONFLICT (event_id) DO NOTHING",
          event.course_id, event.seq, event.event_id, domain::to_string(event.type()),
          available_at_ms, available_at_ms, envelope_to_text(event))
      .run();
}

void insert_dead_letter(Session& session, const ports::DeadLetter& dead_letter) {
  const auto& event = dead_letter.event;
  session
      .query(
          "INSERT INTO dead_letters (course_id, event_id, event_type, seq, attempts, error_code, "
          "error, at, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          dead_letter.course_id.empty() ? event.course_id : dead_letter.course_id, event.event_id,
          domain::to_string(event.type()), event.seq, dead_letter.attempts, dead_letter.error_code,
          dead_letter.error, dead_letter.at_ms, envelope_to_text(event))
      .run();
}

SqliteEventQueue::SqliteEventQueue(std::shared_ptr<SqliteDatabase> database)
    : database_(std::move(database)) {}

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
          "             AND (?4 = '' OR course_id = ?4) ORDER BY available_at, id LIMIT ?5) "
          "RETURNING id, available_at, attempt, envelope, coalesce(last_error, '')",
          worker_id, until, now_ms, course_id, max);
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
  release(delivery, available_at_ms, error, /*spend_attempt=*/true);
}

void SqliteEventQueue::postpone(const ports::Delivery& delivery, std::int64_t available_at_ms,
                                const std::string& reason) {
  release(delivery, available_at_ms, reason, /*spend_attempt=*/false);
}

void SqliteEventQueue::release(const ports::Delivery& delivery, std::int64_t available_at_ms,
                               const std::string& note, bool spend_attempt) {
  const auto id = parse_row_id(delivery.delivery_id);
  if (!id) return;
  // A lease counts its attempt when taken: giving it back unspent takes that count back.
  const std::int64_t refund = spend_attempt ? 0 : 1;
  database_->write([&](Session& session) {
    session
        .query(
            "UPDATE event_queue SET leased_by = NULL, leased_until = NULL, available_at = ?, "
            "last_error = ?, attempt = attempt - ? WHERE id = ? AND leased_by = ? AND attempt = ?",
            available_at_ms, note, refund, *id, delivery.worker_id, delivery.event.attempt)
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
        "       coalesce(sum(leased_by IS NOT NULL AND leased_until > ?1), 0), "
        "       (SELECT count(*) FROM dead_letters) "
        "FROM event_queue",
        now_ms);
    row.step();
    counts.ready = row.int64(0);
    counts.delayed = row.int64(1);
    counts.leased = row.int64(2);
    counts.dead = row.int64(3);
    return counts;
  });
}

std::vector<ports::DeadLetter> SqliteEventQueue::dead_letters() {
  static const std::string sql = std::string(kSelectDeadLetters) + "ORDER BY id";
  return database_->read([&](Session& session) {
    std::vector<ports::DeadLetter> letters;
    auto row = session.query(sql);
    while (row.step()) letters.push_back(read_dead_letter(row));
    return letters;
  });
}

std::optional<ports::DeadLetter> SqliteEventQueue::dead_letter(const std::string& id) {
  static const std::string sql = std::string(kSelectDeadLetters) + "WHERE id = ?";
  const auto row_id = parse_row_id(id);
  if (!row_id) return std::nullopt;
  return database_->read([&](Session& session) -> std::optional<ports::DeadLetter> {
    auto row = session.query(sql, *row_id);
    if (!row.step()) return std::nullopt;
    return read_dead_letter(row);
  });
}

void SqliteEventQueue::bury(const ports::Delivery& delivery, const std::string& error_code,
                            const std::string& error, std::int64_t now_ms) {
  const auto row_id = parse_row_id(delivery.delivery_id);
  database_->write([&](Session& session) {
    ports::DeadLetter dead;
    dead.course_id = delivery.event.course_id;
    dead.event = delivery.event;
    dead.attempts = delivery.event.attempt;
    dead.error_code = error_code;
    dead.error = error;
    dead.at_ms = now_ms;
    insert_dead_letter(session, dead);
    if (row_id) session.query("DELETE FROM event_queue WHERE id = ?", *row_id).run();
  });
}

void delete_dead_letter(Session& session, const std::string& dead_letter_id) {
  if (const auto row_id = parse_row_id(dead_letter_id)) {
    session.query("DELETE FROM dead_letters WHERE id = ?", *row_id).run();
  }
}

bool SqliteEventQueue::replay(const std::string& dead_letter_id, std::int64_t now_ms) {
  const auto row_id = parse_row_id(dead_letter_id);
  if (!row_id) return false;
  return database_->write([&](Session& session) {
    std::optional<domain::Envelope> event;
    {
      auto row = session.query("SELECT event FROM dead_letters WHERE id = ?", *row_id);
      if (!row.step()) return false;
      try {
        event = envelope_from_text(row.text(0), "dead_letters[" + dead_letter_id + "].event");
      } catch (const std::runtime_error&) {
        return false;  // a quarantined, unreadable event: nothing that could be delivered
      }
    }
    event->attempt = 1;
    session.query("DELETE FROM dead_letters WHERE id = ?", *row_id).run();
    enqueue_event(session, *event, now_ms);
    return true;
  });
}

}  // namespace docprof::adapters::sqlite
