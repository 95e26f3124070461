// The backends the EventQueue contract runs against: the SQLite queue of embedded mode.
#include <memory>

#include "adapters/sqlite/sqlite_database.h"
#include "adapters/sqlite/sqlite_event_queue.h"
#include "contract/event_queue_contract.h"
#include "integration/temp_dir.h"

namespace docprof::contract {
namespace {

class SqliteEventQueueFixture final : public EventQueueFixture {
 public:
  SqliteEventQueueFixture()
      : db_(adapters::sqlite::SqliteDatabase::open_and_migrate(dir_.file("docprof.db"))), queue_(db_) {}
  ports::EventQueue& queue() override { return queue_; }

 private:
  test_support::TempDir dir_{"docprof-contract"};
  std::shared_ptr<adapters::sqlite::SqliteDatabase> db_;
  adapters::sqlite::SqliteEventQueue queue_;
};

}  // namespace

std::vector<EventQueueBackend> event_queue_backends() {
  return {
      {"sqlite", [] { return std::make_unique<SqliteEventQueueFixture>(); }},
  };
}

}  // namespace docprof::contract
