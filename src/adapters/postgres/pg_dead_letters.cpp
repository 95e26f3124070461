#include "adapters/postgres/pg_dead_letters.h"

#include <stdexcept>

#include "adapters/postgres/pg_codec.h"
#include "adapters/postgres/pg_rows.h"

namespace docprof::adapters::postgres {
namespace {

constexpr std::string_view kSelectDeadLetters =
    "SELECT id, course_id, attempts, error_code, error, at, event, event_id, seq FROM dead_letters ";

ports::DeadLetter read_dead_letter(const PgResult& rows, int r) {
  ports::DeadLetter letter;
  letter.id = std::to_string(rows.int64(r, 0));
  letter.course_id = rows.text(r, 1);
  letter.attempts = rows.int32(r, 2);
  letter.error_code = rows.text(r, 3);
  letter.error = rows.text(r, 4);
  letter.at_ms = rows.int64(r, 5);
  try {
    letter.event = envelope_from_text(rows.text(r, 6), "dead_letters[" + letter.id + "].event");
  } catch (const std::runtime_error&) {
    letter.event.event_id = rows.text(r, 7);
    letter.event.course_id = letter.course_id;
    letter.event.seq = rows.int64(r, 8);
  }
  return letter;
}

}  // namespace

PgDeadLetters::PgDeadLetters(std::shared_ptr<PgPool> pool) : pool_(std::move(pool)) {}

std::vector<ports::DeadLetter> PgDeadLetters::list() {
  static const std::string sql = std::string(kSelectDeadLetters) + "ORDER BY id";
  return pool_->read([&](PgConnection& connection) {
    std::vector<ports::DeadLetter> letters;
    const auto rows = connection.exec(sql);
    for (int r = 0; r < rows.rows(); ++r) letters.push_back(read_dead_letter(rows, r));
    return letters;
  });
}

std::optional<ports::DeadLetter> PgDeadLetters::get(const std::string& id) {
  static const std::string sql = std::string(kSelectDeadLetters) + "WHERE id = $1";
  const auto row_id = parse_row_id(id);
  if (!row_id) return std::nullopt;
  return pool_->read([&](PgConnection& connection) -> std::optional<ports::DeadLetter> {
    const auto rows = connection.run(sql, *row_id);
    if (rows.rows() == 0) return std::nullopt;
    return read_dead_letter(rows, 0);
  });
}

std::int64_t PgDeadLetters::count() {
  return pool_->read(
      [](PgConnection& connection) { return connection.exec("SELECT count(*) FROM dead_letters").int64(0, 0); });
}

void PgDeadLetters::bury(const ports::DeadLetter& letter) {
  pool_->transaction([&](PgConnection& connection) { insert_dead_letter(connection, letter); });
}

}  // namespace docprof::adapters::postgres
