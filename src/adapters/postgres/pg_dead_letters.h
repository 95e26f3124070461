// PgDeadLetters: the dead letters of the distributed deployment, in the table dead_letters beside
// the runs. PgRunStore writes a failed run's letter inside the step's commit and deletes a replayed
// one inside the replay's commit; bury() stores a letter for an event whose run cannot be read.
// Dead-letter ids are the rows' integer ids, as decimal strings. A letter whose event JSON cannot
// be read back is listed with what identifies it (event id, course, seq); it cannot be replayed.
//
// Thread safety: safe from any thread; any number of processes may share the database.
#pragma once

#include <memory>

#include "adapters/postgres/pg_pool.h"
#include "ports/dead_letters.h"

namespace docprof::adapters::postgres {

class PgDeadLetters final : public ports::DeadLetters {
 public:
  explicit PgDeadLetters(std::shared_ptr<PgPool> pool);

  std::vector<ports::DeadLetter> list() override;
  std::optional<ports::DeadLetter> get(const std::string& id) override;
  std::int64_t count() override;
  void bury(const ports::DeadLetter& letter) override;

 private:
  std::shared_ptr<PgPool> pool_;
};

}  // namespace docprof::adapters::postgres
