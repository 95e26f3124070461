// The backends the DeadLetters contract runs against: SQLite, PostgreSQL (a throwaway server) and
// the in-memory run store (which is its own dead letters).
#include <memory>

#include "adapters/postgres/pg_dead_letters.h"
#include "adapters/postgres/pg_run_store.h"
#include "adapters/sqlite/sqlite_database.h"
#include "adapters/sqlite/sqlite_dead_letters.h"
#include "adapters/sqlite/sqlite_run_store.h"
#include "contract/dead_letters_contract.h"
#include "contract/postgres_fixture.h"
#include "integration/temp_dir.h"
#include "support/memory_run_store.h"

namespace docprof::contract {
namespace {

class SqliteDeadLettersFixture final : public DeadLettersFixture {
 public:
  SqliteDeadLettersFixture()
      : db_(adapters::sqlite::SqliteDatabase::open_and_migrate(dir_.file("docprof.db"))), letters_(db_), runs_(db_) {}
  ports::DeadLetters& dead_letters() override { return letters_; }
  ports::RunStore& runs() override { return runs_; }

 private:
  test_support::TempDir dir_{"docprof-contract"};
  std::shared_ptr<adapters::sqlite::SqliteDatabase> db_;
  adapters::sqlite::SqliteDeadLetters letters_;
  adapters::sqlite::SqliteRunStore runs_;
};

class PostgresDeadLettersFixture final : public DeadLettersFixture {
 public:
  PostgresDeadLettersFixture() : pool_(fresh_postgres_pool()), letters_(pool_), runs_(pool_) {}
  ports::DeadLetters& dead_letters() override { return letters_; }
  ports::RunStore& runs() override { return runs_; }

 private:
  std::shared_ptr<adapters::postgres::PgPool> pool_;
  adapters::postgres::PgDeadLetters letters_;
  adapters::postgres::PgRunStore runs_;
};

class MemoryDeadLettersFixture final : public DeadLettersFixture {
 public:
  ports::DeadLetters& dead_letters() override { return store_; }
  ports::RunStore& runs() override { return store_; }

 private:
  test_support::MemoryRunStore store_;
};

}  // namespace

std::vector<DeadLettersBackend> dead_letters_backends() {
  return {
      {"sqlite", [] { return std::make_unique<SqliteDeadLettersFixture>(); }},
      {"postgres", [] { return std::make_unique<PostgresDeadLettersFixture>(); }},
      {"memory", [] { return std::make_unique<MemoryDeadLettersFixture>(); }},
  };
}

}  // namespace docprof::contract
