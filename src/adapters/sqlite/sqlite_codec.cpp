#include "adapters/sqlite/sqlite_codec.h"

#include "adapters/sqlite/sqlite_database.h"
#include "ports/run_tables.h"

namespace docprof::adapters::sqlite {

bool delete_run_rows(Session& session, const std::string& run_id) {
  // A run id names one run of either kind: both kinds' tables are asked (two index lookups).
  static const auto deletes = ports::stored::per_kind([](const ports::stored::RunTables& t) {
    const std::string id(t.id);
    return std::array<std::string, 2>{"DELETE FROM " + std::string(t.events) + " WHERE " + id + " = ?",
                                      "DELETE FROM " + std::string(t.runs) + " WHERE " + id + " = ?"};
  });
  session.query("DELETE FROM event_queue WHERE course_id = ?", run_id).run();
  session.query("DELETE FROM dead_letters WHERE course_id = ?", run_id).run();
  session.query("DELETE FROM run_books WHERE course_id = ?", run_id).run();
  bool existed = false;
  for (const auto& [events, runs] : deletes) {
    session.query(events, run_id).run();
    session.query(runs, run_id).run();
    existed = existed || session.changes() > 0;
  }
  return existed;
}

}  // namespace docprof::adapters::sqlite
