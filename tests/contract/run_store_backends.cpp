// The backends the RunStore contract runs against: SQLite (embedded: hands off events in its own
// transactions with the SQLite queue) and the in-memory test store (no queue: the outbox path).
#include <memory>

#include "adapters/postgres/pg_course_repository.h"
#include "adapters/postgres/pg_run_store.h"
#include "adapters/sqlite/sqlite_course_repository.h"
#include "adapters/sqlite/sqlite_database.h"
#include "adapters/sqlite/sqlite_event_queue.h"
#include "adapters/sqlite/sqlite_run_store.h"
#include "contract/postgres_fixture.h"
#include "contract/run_store_contract.h"
#include "integration/temp_dir.h"
#include "support/memory_run_store.h"

namespace docprof::contract {
namespace {

class SqliteRunStoreFixture final : public RunStoreFixture {
 public:
  SqliteRunStoreFixture()
      : db_(adapters::sqlite::SqliteDatabase::open_and_migrate(dir_.file("docprof.db"))),
        store_(db_),
        queue_(db_),
        courses_(db_) {}
  ports::RunStore& store() override { return store_; }
  ports::EventQueue* shared_queue() override { return &queue_; }
  std::optional<ports::StoredCourse> stored_course(const std::string& course_id) override {
    return courses_.get(course_id);
  }

 private:
  test_support::TempDir dir_{"docprof-contract"};
  std::shared_ptr<adapters::sqlite::SqliteDatabase> db_;
  adapters::sqlite::SqliteRunStore store_;
  adapters::sqlite::SqliteEventQueue queue_;
  adapters::sqlite::SqliteCourseRepository courses_;
};

class PostgresRunStoreFixture final : public RunStoreFixture {
 public:
  PostgresRunStoreFixture() : pool_(fresh_postgres_pool()), store_(pool_), courses_(pool_) {}
  ports::RunStore& store() override { return store_; }
  std::optional<ports::StoredCourse> stored_course(const std::string& course_id) override {
    return courses_.get(course_id);
  }

 private:
  std::shared_ptr<adapters::postgres::PgPool> pool_;
  adapters::postgres::PgRunStore store_;
  adapters::postgres::PgCourseRepository courses_;
};

class MemoryRunStoreFixture final : public RunStoreFixture {
 public:
  ports::RunStore& store() override { return store_; }
  std::optional<ports::StoredCourse> stored_course(const std::string& course_id) override {
    const auto courses = store_.stored_courses();
    const auto it = courses.find(course_id);
    if (it == courses.end()) return std::nullopt;
    return it->second;
  }

 private:
  test_support::MemoryRunStore store_;  // no course repository: it keeps the courses itself
};

}  // namespace

std::vector<RunStoreBackend> run_store_backends() {
  return {
      {"sqlite", true, [] { return std::make_unique<SqliteRunStoreFixture>(); }},
      {"postgres", false, [] { return std::make_unique<PostgresRunStoreFixture>(); }},
      {"memory", false, [] { return std::make_unique<MemoryRunStoreFixture>(); }},
  };
}

}  // namespace docprof::contract
