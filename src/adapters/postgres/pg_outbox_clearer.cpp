#include "adapters/postgres/pg_outbox_clearer.h"

#include <spdlog/spdlog.h>


#include "adapters/postgres/pg_codec.h"
#include "ports/run_tables.h"

namespace docprof::adapters::postgres {

PgOutboxClearer::PgOutboxClearer(std::shared_ptr<PgPool> pool, std::chrono::milliseconds delay)
    : pool_(std::move(pool)), delay_(delay) {}

PgOutboxClearer::~PgOutboxClearer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  queued_.notify_all();
  if (thread_.joinable()) thread_.join();
  try {
    flush();  // what is still queued
  } catch (const std::exception& e) {
    spdlog::warn("clearing published outbox entries failed ({}); the relay pass publishes them again", e.what());
  }
}

void PgOutboxClearer::clear(const std::string& run_id, const std::string& event_id) {
  std::lock_guard lock(mu_);
  queue_.push_back(Clear{run_id, event_id, std::chrono::steady_clock::now() + delay_});
  wanted_[run_id] = event_id;
  if (!thread_.joinable() && !stopping_) thread_ = std::thread([this] { loop(); });
  if (queue_.size() == 1) queued_.notify_one();
}

std::optional<std::string> PgOutboxClearer::pending(const std::string& run_id) {
  std::lock_guard lock(mu_);
  if (const auto found = wanted_.find(run_id); found != wanted_.end()) return found->second;
  if (const auto found = applying_.find(run_id); found != applying_.end()) return found->second;
  return std::nullopt;
}

void PgOutboxClearer::forget(const std::string& run_id, const std::string& kept_event_id) {
  std::lock_guard lock(mu_);
  if (const auto found = wanted_.find(run_id); found != wanted_.end() && found->second != kept_event_id) {
    wanted_.erase(found);  // its queue entry is skipped when taken
  }
}

std::vector<PgOutboxClearer::Clear> PgOutboxClearer::take(std::chrono::steady_clock::time_point until) {
  std::vector<Clear> taken;
  while (!queue_.empty() && queue_.front().due <= until) {
    Clear clear = std::move(queue_.front());
    queue_.pop_front();
    // Only the run's latest clear, and only while it is wanted (no commit of this store since).
    const auto wanted = wanted_.find(clear.run_id);
    if (wanted == wanted_.end() || wanted->second != clear.event_id) continue;
    wanted_.erase(wanted);
    applying_[clear.run_id] = clear.event_id;
    taken.push_back(std::move(clear));
  }
  return taken;
}

void PgOutboxClearer::flush() { apply_due(std::chrono::steady_clock::time_point::max()); }

void PgOutboxClearer::apply_due(std::chrono::steady_clock::time_point until) {
  std::lock_guard batch(apply_mu_);  // after the batch in progress, if any
  std::vector<Clear> clears;
  {
    std::lock_guard lock(mu_);
    clears = take(until);
  }
  const auto done = [this] {
    std::lock_guard lock(mu_);
    applying_.clear();
  };
  if (clears.empty()) return;
  try {
    apply(clears);
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
    const auto due = queue_.front().due;
    if (queued_.wait_until(lock, due, [this] { return stopping_; })) return;
    lock.unlock();
    try {
      apply_due(std::chrono::steady_clock::now());
    } catch (const std::exception& e) {
      spdlog::warn("clearing published outbox entries failed ({}); the relay pass publishes them again", e.what());
    }
    lock.lock();
  }
}

void PgOutboxClearer::apply(const std::vector<Clear>& clears) {
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
  for (const auto& clear : clears) {
    run_ids.push_back(clear.run_id);
    event_ids.push_back(clear.event_id);
  }
  pool_->read([&](PgConnection& connection) { connection.run(sql, text_array(run_ids), text_array(event_ids)); });
}

}  // namespace docprof::adapters::postgres
