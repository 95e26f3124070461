// The backends the CourseRepository contract runs against: SQLite and PostgreSQL (a throwaway server).
#include <memory>

#include "adapters/postgres/pg_course_repository.h"
#include "adapters/postgres/pg_run_store.h"
#include "adapters/sqlite/sqlite_course_repository.h"
#include "adapters/sqlite/sqlite_database.h"
#include "adapters/sqlite/sqlite_run_store.h"
#include "contract/course_repository_contract.h"
#include "contract/postgres_fixture.h"
#include "integration/temp_dir.h"

namespace docprof::contract {
namespace {

class SqliteCourseRepositoryFixture final : public CourseRepositoryFixture {
 public:
  SqliteCourseRepositoryFixture()
      : db_(adapters::sqlite::SqliteDatabase::open_and_migrate(dir_.file("docprof.db"))), courses_(db_), runs_(db_) {}
  ports::CourseRepository& courses() override { return courses_; }
  ports::RunStore* runs() override { return &runs_; }

 private:
  test_support::TempDir dir_{"docprof-contract"};
  std::shared_ptr<adapters::sqlite::SqliteDatabase> db_;
  adapters::sqlite::SqliteCourseRepository courses_;
  adapters::sqlite::SqliteRunStore runs_;
};

class PostgresCourseRepositoryFixture final : public CourseRepositoryFixture {
 public:
  PostgresCourseRepositoryFixture() : pool_(fresh_postgres_pool()), courses_(pool_), runs_(pool_) {}
  ports::CourseRepository& courses() override { return courses_; }
  ports::RunStore* runs() override { return &runs_; }

 private:
  std::shared_ptr<adapters::postgres::PgPool> pool_;
  adapters::postgres::PgCourseRepository courses_;
  adapters::postgres::PgRunStore runs_;
};

}  // namespace

std::vector<CourseRepositoryBackend> course_repository_backends() {
  return {
      {"sqlite", [] { return std::make_unique<SqliteCourseRepositoryFixture>(); }},
      {"postgres", [] { return std::make_unique<PostgresCourseRepositoryFixture>(); }},
  };
}

}  // namespace docprof::contract
