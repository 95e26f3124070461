// The PostgreSQL side of the contract suites' backends: a migrated, empty schema of the test
// process's throwaway server (support/postgres_server.h) and a connection pool on it, one per
// fixture, so each test starts from empty tables.
// Thread safety: a fixture belongs to one test; the pool is safe from any thread.
#pragma once

#include <memory>

#include "adapters/postgres/pg_migrations.h"
#include "adapters/postgres/pg_pool.h"
#include "support/postgres_server.h"

namespace docprof::contract {

inline std::shared_ptr<adapters::postgres::PgPool> fresh_postgres_pool() {
  auto pool = std::make_shared<adapters::postgres::PgPool>(test_support::PostgresServer::shared().fresh_schema_url(), 8);
  adapters::postgres::pg_migrate(*pool);
  return pool;
}

}  // namespace docprof::contract
