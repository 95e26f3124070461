// Numbered schema migrations of the embedded SQLite database (DESIGN.md §6).
//
// Each migration is {version, description, SQL}, applied in version order; the table
// schema_migrations records what was applied and when. migrate() applies the pending ones in one
// BEGIN IMMEDIATE transaction (so processes starting at once apply each exactly once), is a no-op
// when nothing is pending, and refuses a database whose schema is newer than this build knows.
// Schema changes are made here only, never by ad-hoc CREATE statements in code paths.
//
// Thread safety: migrate() serialises on the database's own transaction; call it from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace docprof::adapters::sqlite {

class SqliteDatabase;

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

// Every migration, in increasing version order.
std::span<const Migration> all_migrations();

// The highest version this build knows.
int latest_schema_version();

struct MigrationReport {
  int from_version = 0;  // the schema version found
  int to_version = 0;    // the schema version now
  int applied = 0;       // migrations applied by this call
};

// Applies pending migrations. Throws SqliteError on a failed migration (nothing of it is kept) and
// std::runtime_error when the database's schema is newer than latest_schema_version().
MigrationReport migrate(SqliteDatabase& database);

// The schema version recorded in the database (0 for a fresh file).
int schema_version(SqliteDatabase& database);

}  // namespace docprof::adapters::sqlite
