#include "adapters/sqlite/sqlite_dead_letters.h"

#include <stdexcept>

#include "adapters/sqlite/sqlite_codec.h"

namespace docprof::adapters::sqlite {
namespace {

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

}  // namespace

void insert_dead_letter(Session& session, const ports::DeadLetter& dead_letter) {
  const auto& event = dead_letter.event;
  session.query("DELETE FROM dead_letters WHERE event_id = ?", event.event_id).run();
  const std::string& run_id = dead_letter.course_id.empty() ? event.course_id : dead_letter.course_id;
  session
      .query(
          "INSERT INTO dead_letters (course_id, event_id, event_type, seq, attempts, error_code, "
          "error, at, kind, run_id, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          run_id, event.event_id, domain::to_string(event.type()), event.seq, dead_letter.attempts,
          dead_letter.error_code, dead_letter.error, dead_letter.at_ms,
          domain::to_string(domain::run_kind_of(event.type())), run_id, envelope_to_text(event))
      .run();
}

void delete_dead_letter(Session& session, const std::string& dead_letter_id) {
  if (const auto row_id = parse_row_id(dead_letter_id)) {
    session.query("DELETE FROM dead_letters WHERE id = ?", *row_id).run();
  }
}

SqliteDeadLetters::SqliteDeadLetters(std::shared_ptr<SqliteDatabase> database) : database_(std::move(database)) {}

std::vector<ports::DeadLetter> SqliteDeadLetters::list() {
  static const std::string sql = std::string(kSelectDeadLetters) + "ORDER BY id";
  return database_->read([&](Session& session) {
    std::vector<ports::DeadLetter> letters;
    auto row = session.query(sql);
    while (row.step()) letters.push_back(read_dead_letter(row));
    return letters;
  });
}

std::optional<ports::DeadLetter> SqliteDeadLetters::get(const std::string& id) {
  static const std::string sql = std::string(kSelectDeadLetters) + "WHERE id = ?";
  const auto row_id = parse_row_id(id);
  if (!row_id) return std::nullopt;
  return database_->read([&](Session& session) -> std::optional<ports::DeadLetter> {
    auto row = session.query(sql, *row_id);
    if (!row.step()) return std::nullopt;
    return read_dead_letter(row);
  });
}

std::int64_t SqliteDeadLetters::count() {
  return database_->read([&](Session& session) {
    auto row = session.query("SELECT count(*) FROM dead_letters");
    row.step();
    return row.int64(0);
  });
}

void SqliteDeadLetters::bury(const ports::DeadLetter& letter) {
  database_->write([&](Session& session) { insert_dead_letter(session, letter); });
}

}  // namespace docprof::adapters::sqlite
