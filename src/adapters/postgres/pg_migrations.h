// Numbered schema migrations of the PostgreSQL database (`docprof migrate` on the distributed
// deployment). Tables and columns are named as the SQLite schema's (adapters/sqlite/migrations.cpp)
// so that queries, tools and documentation read alike on both backends; the SQLite-only tables
// (the event queue: NATS JetStream delivers events in distributed mode) are absent.
//
// migrate() applies the missing migrations in order, each in its own transaction with its row in
// schema_migrations, under a transaction-level advisory lock, so that processes migrating at once
// apply each migration exactly once. A database newer than this code is std::runtime_error.
//
// Thread safety: stateless functions; concurrent calls (threads or processes) are serialised by the
// advisory lock.
#pragma once

#include <span>
#include <string_view>

#include "adapters/postgres/pg_pool.h"

namespace docprof::adapters::postgres {

struct PgMigration {
  int version = 0;
  std::string_view description;
  std::string_view sql;
};

struct PgMigrationReport {
  int from_version = 0;
  int to_version = 0;
  int applied = 0;
};

std::span<const PgMigration> pg_migrations();
int pg_latest_schema_version();
int pg_schema_version(PgPool& pool);  // 0 for an empty database
PgMigrationReport pg_migrate(PgPool& pool);

}  // namespace docprof::adapters::postgres
