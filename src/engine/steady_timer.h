// SteadyTimer: monotonic time and timed waits for the engine's provider decorators (BudgetedModel,
// CircuitBreakerModel), as an interface so that tests drive time by hand instead of sleeping.
// ports::Clock is wall time (epoch ms, may jump); budgets and cooldowns need a clock that only
// moves forward.
//
//   RealSteadyTimer    std::chrono::steady_clock; waits are condition-variable timed waits.
//   ManualSteadyTimer  time moves only when a test calls advance()/set(); a wait re-checks the
//                      manual time every millisecond of real time (or sooner when notified), so a
//                      waiter's predicate sees an advance promptly and nothing depends on how long
//                      the test really takes.
//
// Thread safety: both implementations may be used from any number of threads at once.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <mutex>

namespace docprof::engine {

class SteadyTimer {
 public:
  static constexpr std::int64_t kForever = std::numeric_limits<std::int64_t>::max();

  virtual ~SteadyTimer() = default;
  // Milliseconds on a monotonic scale (the origin is arbitrary).
  virtual std::int64_t now_ms() = 0;
  // Waits on `cv` (whose mutex `lock` holds) until notified, until now_ms() >= deadline_ms, or
  // spuriously; callers loop on their own predicate. kForever waits for a notification only.
  virtual void wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                          std::int64_t deadline_ms) = 0;
};

class RealSteadyTimer final : public SteadyTimer {
 public:
  std::int64_t now_ms() override;
  void wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                  std::int64_t deadline_ms) override;
};

class ManualSteadyTimer final : public SteadyTimer {
 public:
  explicit ManualSteadyTimer(std::int64_t start_ms = 0) : now_(start_ms) {}

  std::int64_t now_ms() override { return now_.load(); }
  void wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                  std::int64_t deadline_ms) override;

  void advance(std::int64_t ms) { now_.fetch_add(ms); }
  void set(std::int64_t ms) { now_.store(ms); }

 private:
  std::atomic<std::int64_t> now_;
};

// The process-wide real timer, for decorators built without an explicit one.
SteadyTimer& system_steady_timer();

}  // namespace docprof::engine
