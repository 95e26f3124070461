// The libpq wrapper, the connection pool and the PostgreSQL migrations against a real PostgreSQL 15
// (the test process's throwaway server, support/postgres_server.h): parameters and values round
// trip, errors carry their SQLSTATE, a throwing transaction rolls back, the pool serves many
// threads and reconnects after a server restart, and migrations apply once however often and
// however concurrently they run.
#include <atomic>
#include <limits>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/postgres/pg_migrations.h"
#include "adapters/postgres/pg_pool.h"
#include "support/postgres_server.h"

namespace docprof::adapters::postgres {
namespace {

using test_support::PostgresServer;

std::shared_ptr<PgPool> fresh_pool(std::size_t size = 4) {
  return std::make_shared<PgPool>(PostgresServer::shared().fresh_schema_url(), size);
}

TEST(PostgresConnection, ParametersAndValuesRoundTrip) {
  auto pool = fresh_pool();
  pool->read([](PgConnection& c) {
    const std::string text = "it's \"quoted\", ünïcode, $1 and \\ back";
    const std::int64_t big = std::numeric_limits<std::int64_t>::max();
    const double third = 1.0 / 3.0;
    const std::string bytes("\x00\x01\xfe\xff", 4);
    const auto r = c.run("SELECT $1::text, $2::bigint, $3::float8, $4::text IS NULL, $5::boolean, $6::bytea",
                         text, big, third, std::optional<std::string>{}, true, bytea_hex(bytes));
    ASSERT_EQ(r.rows(), 1);
    EXPECT_EQ(r.text(0, 0), text);
    EXPECT_EQ(r.int64(0, 1), big);
    EXPECT_EQ(r.real(0, 2), third);  // exact: doubles travel in their shortest round-trip form
    EXPECT_TRUE(r.boolean(0, 3));
    EXPECT_TRUE(r.boolean(0, 4));
    EXPECT_EQ(r.bytea(0, 5), bytes);
  });
}

TEST(PostgresConnection, AFailedStatementCarriesItsSqlstateAndKeepsTheConnection) {
  auto pool = fresh_pool(1);
  pool->read([](PgConnection& c) { c.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)"); });
  pool->read([](PgConnection& c) { c.exec("INSERT INTO t VALUES (1)"); });
  try {
    pool->read([](PgConnection& c) { c.exec("INSERT INTO t VALUES (1)"); });
    FAIL() << "a duplicate key was accepted";
  } catch (const PgError& error) {
    EXPECT_EQ(error.sqlstate(), "23505");
    EXPECT_FALSE(error.broken_connection());
  }
  EXPECT_EQ(pool->read([](PgConnection& c) { return c.exec("SELECT count(*) FROM t").int64(0, 0); }), 1);
}

TEST(PostgresPool, AThrowingTransactionRollsBackAndACommittedOneStays) {
  auto pool = fresh_pool();
  pool->read([](PgConnection& c) { c.exec("CREATE TABLE t (v TEXT)"); });
  EXPECT_THROW(pool->transaction([](PgConnection& c) {
    c.run("INSERT INTO t VALUES ($1)", "lost");
    throw std::runtime_error("the step failed");
  }),
               std::runtime_error);
  pool->transaction([](PgConnection& c) { c.run("INSERT INTO t VALUES ($1)", "kept"); });
  const auto rows = pool->read([](PgConnection& c) { return c.exec("SELECT v FROM t"); });
  ASSERT_EQ(rows.rows(), 1);
  EXPECT_EQ(rows.text(0, 0), "kept");
}

TEST(PostgresPool, ManyThreadsShareAFewConnections) {
  auto pool = fresh_pool(3);
  pool->read([](PgConnection& c) { c.exec_script("CREATE TABLE counter (n BIGINT NOT NULL); INSERT INTO counter VALUES (0)"); });
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        pool->transaction([](PgConnection& c) { c.exec("UPDATE counter SET n = n + 1"); });
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(pool->read([](PgConnection& c) { return c.exec("SELECT n FROM counter").int64(0, 0); }), 200);
}

TEST(PostgresPool, ReconnectsAfterTheServerRestarts) {
  auto pool = fresh_pool(2);
  pool->transaction([](PgConnection& c) { c.exec("CREATE TABLE t (v INTEGER)"); });
  PostgresServer::shared().restart();  // the pooled connection is now dead
  pool->transaction([](PgConnection& c) { c.exec("INSERT INTO t VALUES (1)"); });
  PostgresServer::shared().restart();
  EXPECT_EQ(pool->read([](PgConnection& c) { return c.exec("SELECT count(*) FROM t").int64(0, 0); }), 1);
}

TEST(PostgresMigrations, ApplyOnceInOrderAndReportTheVersion) {
  auto pool = fresh_pool();
  EXPECT_EQ(pg_schema_version(*pool), 0);
  const auto first = pg_migrate(*pool);
  EXPECT_EQ(first.from_version, 0);
  EXPECT_EQ(first.to_version, pg_latest_schema_version());
  EXPECT_EQ(first.applied, static_cast<int>(pg_migrations().size()));
  const auto again = pg_migrate(*pool);
  EXPECT_EQ(again.from_version, pg_latest_schema_version());
  EXPECT_EQ(again.applied, 0);
  int previous = 0;
  for (const auto& migration : pg_migrations()) {
    EXPECT_EQ(migration.version, previous + 1);
    previous = migration.version;
  }
  // Named as SQLite's tables (DESIGN.md §6).
  for (const char* table : {"course_runs", "course_events", "dead_letters", "courses", "course_sections", "books",
                            "book_vectors", "book_docs", "book_terms", "library_stats"}) {
    EXPECT_TRUE(pool->read([&](PgConnection& c) { return c.run("SELECT to_regclass($1) IS NOT NULL", table); })
                    .boolean(0, 0))
        << table;
  }
}

TEST(PostgresMigrations, ConcurrentMigratorsApplyEachMigrationOnce) {
  const std::string url = PostgresServer::shared().fresh_schema_url();
  std::atomic<int> applied{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      PgPool pool(url, 1);
      applied += pg_migrate(pool).applied;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(applied.load(), static_cast<int>(pg_migrations().size()));
}

TEST(PostgresMigrations, ADatabaseNewerThanThisCodeIsRefused) {
  auto pool = fresh_pool();
  pg_migrate(*pool);
  pool->read([](PgConnection& c) {
    c.run("INSERT INTO schema_migrations VALUES ($1, 'from the future', 0)", pg_latest_schema_version() + 1);
  });
  EXPECT_THROW(pg_migrate(*pool), std::runtime_error);
}

}  // namespace
}  // namespace docprof::adapters::postgres
