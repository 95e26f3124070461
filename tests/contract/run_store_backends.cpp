// The backends the RunStore contract runs against: SQLite (embedded: hands off events in its own
// transactions with the SQLite queue) and the in-memory test store (no queue: the outbox path).
#include <memory>

#include "adapters/sqlite/sqlite_database.h"
#include "adapters/sqlite/sqlite_event_queue.h"
#include "adapters/sqlite/sqlite_run_store.h"
#include "contract/run_store_contract.h"
#include "integration/temp_dir.h"
#include "support/memory_run_store.h"

namespace docprof::contract {
namespace {

class SqliteRunStoreFixture final : public RunStoreFixture {
 public:
  SqliteRunStoreFixture()
      : db_(adapters::sqlite::SqliteDatabase::open_and_migrate(dir_.file("docprof.db"))), store_(db_), queue_(db_) {}
  ports::RunStore& store() override { return store_; }
  ports::EventQueue* shared_queue() override { return &queue_; }

 private:
  test_support::TempDir dir_{"docprof-contract"};
  std::shared_ptr<adapters::sqlite::SqliteDatabase> db_;
  adapters::sqlite::SqliteRunStore store_;
  adapters::sqlite::SqliteEventQueue queue_;
};

class MemoryRunStoreFixture final : public RunStoreFixture {
 public:
  ports::RunStore& store() override { return store_; }

 private:
  test_support::MemoryRunStore store_;
};

}  // namespace

std::vector<RunStoreBackend> run_store_backends() {
  return {
      {"sqlite", true, [] { return std::make_unique<SqliteRunStoreFixture>(); }},
      {"memory", false, [] { return std::make_unique<MemoryRunStoreFixture>(); }},
  };
}

}  // namespace docprof::contract
