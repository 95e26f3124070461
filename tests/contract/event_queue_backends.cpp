// The backends the EventQueue contract runs against: the SQLite queue of embedded mode (a fake
// clock) and the NATS JetStream bus of the distributed mode (a throwaway nats-server, the wall
// clock, a one-second lease, a stream of its own per test).
#include <chrono>
#include <memory>
#include <thread>

#include "adapters/nats/nats_event_queue.h"
#include "adapters/sqlite/sqlite_database.h"
#include "adapters/sqlite/sqlite_event_queue.h"
#include "contract/contract_samples.h"
#include "contract/event_queue_contract.h"
#include "integration/temp_dir.h"
#include "support/nats_server.h"

namespace docprof::contract {
namespace {

class SqliteEventQueueFixture final : public EventQueueFixture {
 public:
  SqliteEventQueueFixture()
      : db_(adapters::sqlite::SqliteDatabase::open_and_migrate(dir_.file("docprof.db"))), queue_(db_) {}
  ports::EventQueue& queue() override { return queue_; }
  std::int64_t now() override { return now_; }
  void advance(std::int64_t ms) override { now_ += ms; }
  std::int64_t lease_ms() const override { return kLease; }

 private:
  test_support::TempDir dir_{"docprof-contract"};
  std::shared_ptr<adapters::sqlite::SqliteDatabase> db_;
  adapters::sqlite::SqliteEventQueue queue_;
  std::int64_t now_ = kT0;
};

constexpr std::int64_t kNatsLeaseMs = 1000;

adapters::nats::NatsBusOptions nats_options() {
  auto& server = test_support::NatsServer::shared();
  const auto names = test_support::NatsServer::fresh_names();
  adapters::nats::NatsBusOptions options;
  options.url = server.url();
  options.ack_wait_ms = kNatsLeaseMs;
  options.stream = names.stream;
  options.subject_prefix = names.subject_prefix;
  return options;
}

class NatsEventQueueFixture final : public EventQueueFixture {
 public:
  NatsEventQueueFixture() : queue_(nats_options()) {}
  ports::EventQueue& queue() override { return queue_; }
  std::int64_t now() override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  void advance(std::int64_t ms) override { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }
  std::int64_t lease_ms() const override { return kNatsLeaseMs; }

 private:
  adapters::nats::NatsEventQueue queue_;
};

}  // namespace

std::vector<EventQueueBackend> event_queue_backends() {
  return {
      {"sqlite", {}, [] { return std::make_unique<SqliteEventQueueFixture>(); }},
      {"nats", {.delays_publish = false, .leases_one_run = false},
       [] { return std::make_unique<NatsEventQueueFixture>(); }},
  };
}

}  // namespace docprof::contract
