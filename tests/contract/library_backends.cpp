// The backends the Library contract runs against: SQLite and PostgreSQL (a throwaway server), with
// the embedder's term analyzer.
#include <memory>

#include "adapters/embed/stemming_analyzer.h"
#include "adapters/postgres/pg_library.h"
#include "adapters/sqlite/sqlite_database.h"
#include "adapters/sqlite/sqlite_library.h"
#include "contract/library_contract.h"
#include "contract/postgres_fixture.h"
#include "integration/temp_dir.h"

namespace docprof::contract {
namespace {

class SqliteLibraryFixture final : public LibraryFixture {
 public:
  SqliteLibraryFixture()
      : db_(adapters::sqlite::SqliteDatabase::open_and_migrate(dir_.file("docprof.db"))),
        library_(db_, adapters::embed::default_analyzer()) {}
  ports::Library& library() override { return library_; }

 private:
  test_support::TempDir dir_{"docprof-contract"};
  std::shared_ptr<adapters::sqlite::SqliteDatabase> db_;
  adapters::sqlite::SqliteLibrary library_;
};

class PostgresLibraryFixture final : public LibraryFixture {
 public:
  PostgresLibraryFixture() : pool_(fresh_postgres_pool()), library_(pool_, adapters::embed::default_analyzer()) {}
  ports::Library& library() override { return library_; }

 private:
  std::shared_ptr<adapters::postgres::PgPool> pool_;
  adapters::postgres::PgLibrary library_;
};

}  // namespace

std::vector<LibraryBackend> library_backends() {
  return {
      {"sqlite", [] { return std::make_unique<SqliteLibraryFixture>(); }},
      {"postgres", [] { return std::make_unique<PostgresLibraryFixture>(); }},
  };
}

}  // namespace docprof::contract
