#include "domain/time_rule.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace docprof::domain {

int target_minutes(double hours) {
  // The epsilon keeps 4.1 h (245.99999…) at 246 minutes.
  return static_cast<int>(std::floor(hours * 60.0 + 1e-6));
}

bool within_tolerance(int total, int target) {
  const std::int64_t diff = std::llabs(static_cast<std::int64_t>(total) - target);
  return 20 * diff <= static_cast<std::int64_t>(target);
}

int min_acceptable(int target) {
  // ceil(19·target / 20) in integers, for target ≥ 0.
  return static_cast<int>((19LL * target + 19) / 20);
}

int max_acceptable(int target) { return static_cast<int>((21LL * target) / 20); }

std::string variance_percent(int total, int target) {
  if (target <= 0) return "0.0";
  // Tenths of a percent, rounded half up, computed in integers to avoid 5.85 → "5.8" surprises.
  const std::int64_t diff = std::llabs(static_cast<std::int64_t>(total) - target);
  const std::int64_t tenths = (diff * 1000 * 2 + target) / (2LL * target);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

namespace {

// Largest-remainder apportionment of `units` over `weights`, each entry at least one unit.
std::vector<int> apportion(const std::vector<std::int64_t>& weights, int units) {
  const std::size_t n = weights.size();
  std::int64_t weight_sum = std::accumulate(weights.begin(), weights.end(), std::int64_t{0});
  std::vector<std::int64_t> w = weights;
  if (weight_sum <= 0) {
    std::fill(w.begin(), w.end(), 1);
    weight_sum = static_cast<std::int64_t>(n);
  }

  std::vector<int> share(n);
  std::vector<std::int64_t> remainder(n);
  int assigned = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t exact = static_cast<std::int64_t>(units) * w[i];
    share[i] = static_cast<int>(exact / weight_sum);
    remainder[i] = exact % weight_sum;
    assigned += share[i];
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  // Largest remainder first; ties go to the earlier entry so the result is deterministic.
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; assigned < units; k = (k + 1) % n) {
    ++share[order[k]];
    ++assigned;
  }

  // Every entry keeps at least one unit: take from the largest shares (earliest on ties).
  for (std::size_t i = 0; i < n; ++i) {
    while (share[i] < 1) {
      auto donor = std::max_element(share.begin(), share.end());
      --*donor;
      ++share[i];
    }
  }
  return share;
}

}  // namespace

Result<std::vector<int>> rescale_minutes(const std::vector<int>& minutes, int target) {
  if (minutes.empty()) return Error{"rescale_impossible", "there are no sections to rescale"};
  const auto n = static_cast<int>(minutes.size());
  if (target < n) {
    return Error{"rescale_impossible", std::to_string(n) + " sections cannot share " + std::to_string(target) +
                                           " minutes with at least 1 minute each"};
  }
  const int step = (target % 5 == 0 && target >= 5 * n) ? 5 : 1;
  std::vector<std::int64_t> weights;
  weights.reserve(minutes.size());
  for (int m : minutes) weights.push_back(std::max(m, 0));
  std::vector<int> units = apportion(weights, target / step);
  for (int& u : units) u *= step;
  return units;
}

}  // namespace docprof::domain
