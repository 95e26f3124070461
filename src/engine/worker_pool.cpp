#include "engine/worker_pool.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <string_view>
#include <utility>

#include "domain/saturating.h"
#include "engine/outbox_relay.h"

namespace docprof::engine {
namespace {

std::string_view outcome_label(StepResult result, bool threw) {
  if (threw) return "failed";
  switch (result) {
    case StepResult::applied:
      return "applied";
    case StepResult::duplicate:
      return "duplicate";
    case StepResult::retry_scheduled:
      return "retry_scheduled";
    case StepResult::dropped:
      return "dropped";
  }
  return "applied";
}

}  // namespace

WorkerPool::WorkerPool(StepRunner& runner, ports::EventQueue& queue, ports::RunStore& runs, ports::Clock& clock,
                       EngineSettings settings, std::string worker_id, bool drain, Metrics* metrics)
    : runner_(runner),
      queue_(queue),
      runs_(runs),
      clock_(clock),
      settings_(settings),
      worker_id_(std::move(worker_id)),
      drain_(drain),
      metrics_(metrics),
      prefetch_(settings_.concurrency / 4) {
  if (metrics_ != nullptr) {
    metrics_->declare_histogram(metric::kStepDuration,
                                "Time to run one delivered step, by event type and outcome.",
                                Metrics::latency_buckets());
  }
}

WorkerPool::~WorkerPool() {
  request_stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  if (poller_.joinable()) poller_.join();
  if (keeper_.joinable()) keeper_.join();
}

void WorkerPool::restrict_to_run(std::string course_id) { only_run_ = std::move(course_id); }

void WorkerPool::start() {
  running_threads_ = settings_.concurrency + 1;
  for (int i = 0; i < settings_.concurrency; ++i) threads_.emplace_back([this] { step_loop(); });
  poller_ = std::thread([this] { poller_loop(); });
  keeper_ = std::thread([this] { keeper_loop(); });
}

void WorkerPool::request_stop() {
  {
    std::lock_guard lock(mu_);
    if (!stopping_.exchange(true)) stop_requested_at_ms_ = clock_.now_ms();
  }
  wake_.notify_all();
  work_.notify_all();
}

void WorkerPool::notify_work() {
  {
    std::lock_guard lock(mu_);
    poll_now_ = true;
  }
  wake_.notify_all();
}

WorkerStats WorkerPool::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

bool WorkerPool::queue_idle() {
  std::lock_guard lock(mu_);
  return in_flight_.empty() && queue_.counts(clock_.now_ms()).idle();
}

void WorkerPool::poller_loop() {
  while (!stopping_.load()) {
    int wanted = 0;
    {
      std::lock_guard lock(mu_);
      // Events for the free threads, and a few more ready for the threads that free up next: the
      // lease's round trip is then not between a step and the next.
      wanted = idle_threads_ + prefetch_ - static_cast<int>(ready_.size());
      poll_now_ = false;
    }
    std::vector<ports::Delivery> leased;
    if (wanted > 0) {
      try {
        leased = only_run_.empty()
                     ? queue_.lease(wanted, worker_id_, clock_.now_ms(), settings_.lease_ms)
                     : queue_.lease_run(only_run_, wanted, worker_id_, clock_.now_ms(), settings_.lease_ms);
      } catch (const std::exception& e) {
        spdlog::warn("worker {}: leasing failed: {}", worker_id_, e.what());
      }
    }
    if (!leased.empty()) {
      {
        std::lock_guard lock(mu_);
        for (auto& delivery : leased) {
          in_flight_.emplace(delivery.delivery_id, delivery);
          ready_.push_back(std::move(delivery));
        }
      }
      work_.notify_all();
      continue;  // more may be ready: lease again once threads are free
    }
    if (wanted > 0 && drain_ && queue_idle()) {
      drained_.store(true);
      request_stop();
      break;
    }
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, std::chrono::milliseconds(settings_.poll_ms), [&] { return stopping_.load() || poll_now_; });
  }
  // Leased but never started: given back at once, without spending an attempt.
  std::vector<ports::Delivery> unstarted;
  {
    std::lock_guard lock(mu_);
    for (auto& delivery : ready_) {
      in_flight_.erase(delivery.delivery_id);
      unstarted.push_back(std::move(delivery));
    }
    ready_.clear();
  }
  for (const auto& delivery : unstarted) {
    try {
      runner_.give_back(delivery, "the worker stopped before running the step");
    } catch (const std::exception& e) {
      spdlog::warn("giving back an unstarted event failed (its lease will expire): {}", e.what());
    }
  }
  {
    std::lock_guard lock(mu_);
    --running_threads_;
  }
  finished_.notify_all();
}

void WorkerPool::step_loop() {
  for (;;) {
    ports::Delivery delivery;
    {
      std::unique_lock lock(mu_);
      ++idle_threads_;
      poll_now_ = true;  // one more free thread: the poller may lease for it
      wake_.notify_all();
      work_.wait(lock, [&] { return stopping_.load() || !ready_.empty(); });
      --idle_threads_;
      if (stopping_.load()) break;  // the poller gives back what is still ready
      delivery = std::move(ready_.front());
      ready_.pop_front();
    }
    StepResult result = StepResult::applied;
    bool threw = false;
    const auto started = std::chrono::steady_clock::now();
    try {
      StepReport report = runner_.run(delivery);
      result = report.result;
      spdlog::debug("{} seq {} of {}: {}", domain::to_string(delivery.event.type()), delivery.event.seq,
                    delivery.event.course_id, report.message);
    } catch (const std::exception& e) {
      // Given back for a later attempt (or, if even that fails, redelivered when the lease ends).
      threw = true;
      spdlog::error("step {} seq {} of {} failed: {}", domain::to_string(delivery.event.type()), delivery.event.seq,
                    delivery.event.course_id, e.what());
      try {
        // Backed off with jitter like a transient failure, or the run fails at the last delivery.
        runner_.after_exception(delivery, e.what());
      } catch (const std::exception& again) {
        spdlog::error("could not give the event back: {}", again.what());
      }
    }
    if (metrics_ != nullptr) {
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
      try {
        metrics_->observe(metric::kStepDuration,
                          {{"event_type", std::string(domain::to_string(delivery.event.type()))},
                           {"outcome", std::string(outcome_label(result, threw))}},
                          took.count());
      } catch (const std::exception& e) {
        spdlog::warn("step metrics: {}", e.what());
      }
    }
    {
      std::lock_guard lock(mu_);
      in_flight_.erase(delivery.delivery_id);
      if (threw) ++stats_.errors;
      else if (result == StepResult::applied) ++stats_.steps;
      else if (result == StepResult::duplicate) ++stats_.duplicates;
      else if (result == StepResult::retry_scheduled) ++stats_.retries;
      else ++stats_.dropped;
    }
    // The step usually enqueued the next event: the loop's top wakes the poller to lease it now.
  }
  {
    std::lock_guard lock(mu_);
    --running_threads_;
  }
  finished_.notify_all();
}

void WorkerPool::keeper_loop() {
  using steady = std::chrono::steady_clock;
  const auto period = std::chrono::milliseconds(std::max<std::int64_t>(1, settings_.lease_ms / 3));
  const auto janitor_period = std::chrono::milliseconds(std::max<std::int64_t>(1, settings_.janitor_interval_ms));
  // Two schedules: lease extensions every third of the lease, janitor passes every janitor interval.
  // The keeper wakes for whichever is due first, so a janitor interval shorter than a third of the
  // lease (60 s against 100 s by default) is honoured.
  const auto relay_period = std::chrono::milliseconds(std::max<std::int64_t>(1, settings_.outbox_relay_ms));
  auto next_extend = steady::now() + period;
  auto next_janitor = steady::now() + janitor_period;
  // Only stores that keep events in an outbox need the relay pass.
  auto next_relay = runs_.hands_off_events() ? steady::time_point::max() : steady::now() + relay_period;
  std::unique_lock lock(mu_);
  while (running_threads_ > 0) {
    finished_.wait_until(lock, std::min({next_extend, next_janitor, next_relay}),
                         [&] { return running_threads_ == 0; });
    if (running_threads_ == 0) break;
    std::vector<ports::Delivery> running;
    if (steady::now() >= next_extend) {
      next_extend = steady::now() + period;
      for (const auto& [id, delivery] : in_flight_) running.push_back(delivery);
    }
    lock.unlock();
    const std::int64_t until = domain::saturating_add(clock_.now_ms(), settings_.lease_ms);
    for (const auto& delivery : running) {
      try {
        if (!queue_.extend(delivery, until)) {
          spdlog::warn("lease of {} seq {} of {} was lost", domain::to_string(delivery.event.type()),
                       delivery.event.seq, delivery.event.course_id);
        }
      } catch (const std::exception& e) {
        spdlog::warn("extending a lease failed: {}", e.what());
      }
    }
    if (steady::now() >= next_janitor) {
      next_janitor = steady::now() + janitor_period;
      try {
        const int expired = runs_.expire_states(clock_.now_ms(), settings_.workflow.state_ttl_ms);
        if (expired > 0) spdlog::info("janitor: expired {} run(s) (failed stranded ones, dropped old state)", expired);
      } catch (const std::exception& e) {
        spdlog::warn("janitor failed: {}", e.what());
      }
    }
    if (steady::now() >= next_relay) {
      next_relay = steady::now() + relay_period;
      try {
        const int relayed = relay_outbox(runs_, queue_, clock_.now_ms(), settings_.outbox_relay_ms);
        if (relayed > 0) {
          spdlog::info("relay: published {} event(s) left in outboxes", relayed);
          notify_work();
        }
      } catch (const std::exception& e) {
        spdlog::warn("relay pass failed: {}", e.what());
      }
    }
    lock.lock();
  }
}

bool WorkerPool::wait() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (running_threads_ == 0) break;
    if (stopping_.load()) {
      const std::int64_t deadline = stop_requested_at_ms_ + settings_.shutdown_grace_ms;
      const std::int64_t left = deadline - clock_.now_ms();
      if (left <= 0) return false;
      finished_.wait_for(lock, std::chrono::milliseconds(left));
    } else {
      finished_.wait_for(lock, std::chrono::milliseconds(settings_.poll_ms));
    }
  }
  lock.unlock();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  if (poller_.joinable()) poller_.join();
  if (keeper_.joinable()) keeper_.join();
  return true;
}

}  // namespace docprof::engine
