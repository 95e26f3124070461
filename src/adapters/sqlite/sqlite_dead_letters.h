// SqliteDeadLetters: the dead letters of embedded mode, in the table dead_letters of the database
// file the runs and the queue share. SqliteRunStore writes a failed run's letter inside the step's
// commit and deletes a replayed one inside the replay's commit (the row helpers below);
// SqliteEventQueue moves an unreadable queued event here. Dead-letter ids are the rows' integer
// ids, as decimal strings.
//
// Thread safety: safe from any thread; several processes may share the file (see SqliteDatabase).
#pragma once

#include <memory>

#include "adapters/sqlite/sqlite_database.h"
#include "ports/dead_letters.h"

namespace docprof::adapters::sqlite {

class SqliteDeadLetters final : public ports::DeadLetters {
 public:
  explicit SqliteDeadLetters(std::shared_ptr<SqliteDatabase> database);

  std::vector<ports::DeadLetter> list() override;
  std::optional<ports::DeadLetter> get(const std::string& id) override;
  std::int64_t count() override;
  void bury(const ports::DeadLetter& letter) override;

 private:
  std::shared_ptr<SqliteDatabase> database_;
};

// Row-level helpers shared with SqliteRunStore's commit; call inside a write transaction.
// Stores a dead letter (its id is assigned here; dead_letter.id is ignored), replacing any earlier
// letter of the same event.
void insert_dead_letter(Session& session, const ports::DeadLetter& dead_letter);
// Removes a dead letter (a replay consumed it); an unknown id is ignored.
void delete_dead_letter(Session& session, const std::string& dead_letter_id);

}  // namespace docprof::adapters::sqlite
