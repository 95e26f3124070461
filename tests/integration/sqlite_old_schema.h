// A database file as an older docprof left it, for the tests of a migration on existing rows: the
// migrations before `version` applied and recorded, inside the caller's write transaction.
// Thread safety: the caller's session.
#pragma once

#include "adapters/sqlite/migrations.h"
#include "adapters/sqlite/sqlite_database.h"

namespace docprof::test_support {

inline void apply_migrations_before(adapters::sqlite::Session& session, int version) {
  session.exec(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
      "applied_at INTEGER NOT NULL) STRICT;");
  for (const auto& migration : adapters::sqlite::all_migrations()) {
    if (migration.version >= version) continue;
    session.exec(migration.sql);
    session.query("INSERT INTO schema_migrations VALUES (?, ?, 0)", migration.version, migration.description).run();
  }
}

}  // namespace docprof::test_support
