#include "adapters/postgres/pg_outbox_clearer.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "adapters/postgres/pg_codec.h"
#include "ports/run_tables.h"

namespace docprof::adapters::postgres {

PgOutboxClearer::PgOutboxClearer(std::shared_ptr<PgPool> pool) : pool_(std::move(pool)) {}

PgOutboxClearer::~PgOutboxClearer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  queued_.notify_all();
  if (thread_.joinable()) thread_.join();
  try {
    flush();  // what came in while the thread stopped
  } catch (const std::exception& e) {
    spdlog::warn("clearing published outbox entries failed ({}); the relay pass publishes them again", e.what());
  }
}

void PgOutboxClearer::clear(std::string run_id, std::string event_id) {
  {
    std::lock_guard lock(mu_);
    queue_.emplace_back(std::move(run_id), std::move(event_id));
    if (!thread_.joinable() && !stopping_) thread_ = std::thread([this] { loop(); });
  }
  queued_.notify_one();
}

bool PgOutboxClearer::pending(const std::string& run_id) {
  std::lock_guard lock(mu_);
  const auto of_run = [&](const auto& clear) { return clear.first == run_id; };
  return std::any_of(queue_.begin(), queue_.end(), of_run) ||
         std::any_of(applying_batch_.begin(), applying_batch_.end(), of_run);
}

void PgOutboxClearer::flush() {
  std::lock_guard batch(applying_);  // after the batch in progress, if any
  {
    std::lock_guard lock(mu_);
    if (queue_.empty()) return;
    applying_batch_.swap(queue_);
  }
  const auto done = [this] {
    std::lock_guard lock(mu_);
    applying_batch_.clear();
  };
  try {
    apply(applying_batch_);
  } catch (...) {
    done();
    throw;
  }
  done();
}

void PgOutboxClearer::loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    lock.unlock();
    try {
      flush();
    } catch (const std::exception& e) {
      spdlog::warn("clearing published outbox entries failed ({}); the relay pass publishes them again", e.what());
    }
    lock.lock();
  }
}

void PgOutboxClearer::apply(const Clears& clears) {
  // By the runs' ids (an index lookup each) and the events' ids: an event id names one event of one
  // run, so an outbox holding one of them holds the event a clear was queued for. Both kinds' tables
  // in one statement (one round trip; the runs are in either).
  static const std::string sql = [] {
    const auto clear = ports::stored::per_kind([](const ports::stored::RunTables& t) {
      return "UPDATE " + std::string(t.runs) + " SET outbox = NULL WHERE " + std::string(t.id) +
             " = ANY($1::text[]) AND outbox IS NOT NULL AND (outbox::jsonb ->> 'event_id') = ANY($2::text[])";
    });
    return "WITH a AS (" + clear[0] + "), b AS (" + clear[1] + ") SELECT 1";
  }();
  std::vector<std::string> run_ids;
  std::vector<std::string> event_ids;
  for (const auto& [run_id, event_id] : clears) {
    run_ids.push_back(run_id);
    event_ids.push_back(event_id);
  }
  pool_->read([&](PgConnection& connection) { connection.run(sql, text_array(run_ids), text_array(event_ids)); });
}

}  // namespace docprof::adapters::postgres
