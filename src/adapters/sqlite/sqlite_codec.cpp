#include "adapters/sqlite/sqlite_codec.h"

#include "adapters/sqlite/sqlite_database.h"

namespace docprof::adapters::sqlite {
bool delete_run_rows(Session& session, const std::string& course_id) {
  session.query("DELETE FROM course_events WHERE course_id = ?", course_id).run();
  session.query("DELETE FROM event_queue WHERE course_id = ?", course_id).run();
  session.query("DELETE FROM dead_letters WHERE course_id = ?", course_id).run();
  session.query("DELETE FROM course_runs WHERE course_id = ?", course_id).run();
  return session.changes() > 0;
}

}  // namespace docprof::adapters::sqlite
