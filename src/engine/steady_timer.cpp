#include "engine/steady_timer.h"

#include <chrono>

namespace docprof::engine {

std::int64_t RealSteadyTimer::now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

void RealSteadyTimer::wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                                 std::int64_t deadline_ms) {
  if (deadline_ms == kForever) {
    cv.wait(lock);
    return;
  }
  const std::int64_t remaining = deadline_ms - now_ms();
  if (remaining <= 0) return;
  cv.wait_for(lock, std::chrono::milliseconds(remaining));
}

void ManualSteadyTimer::wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                                   std::int64_t deadline_ms) {
  if (deadline_ms != kForever && now_ms() >= deadline_ms) return;
  // A short real wait, then the caller re-checks its predicate against the manual time.
  cv.wait_for(lock, std::chrono::milliseconds(1));
}

SteadyTimer& system_steady_timer() {
  static RealSteadyTimer timer;
  return timer;
}

}  // namespace docprof::engine
