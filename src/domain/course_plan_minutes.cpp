#include "domain/course_plan_minutes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace docprof::domain {
namespace {

// Weights as the apportionment uses them: positive, so every entry has a direction to grow in.
std::vector<double> positive_weights(const std::vector<double>& weights) {
  std::vector<double> w(weights.size());
  const bool all_flat =
      std::none_of(weights.begin(), weights.end(), [](double x) { return x > 0; });
  for (std::size_t i = 0; i < weights.size(); ++i) {
    w[i] = all_flat ? 1.0 : std::max(weights[i], 1e-9);
  }
  return w;
}

// Largest-remainder apportionment of `units` with lo[i] ≤ share[i] ≤ hi[i]; the caller checked
// that sum(lo) ≤ units ≤ sum(hi). The continuous shares are clamp(lambda · w, lo, hi) for the
// lambda that makes them sum to `units` (found by bisection: the sum grows with lambda).
std::vector<int> apportion_bounded(int units, const std::vector<double>& w,
                                   const std::vector<int>& lo, const std::vector<int>& hi) {
  const std::size_t n = w.size();
  const auto shares_at = [&](double lambda, std::vector<double>& x) {
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      x[i] = std::clamp(lambda * w[i], static_cast<double>(lo[i]), static_cast<double>(hi[i]));
      sum += x[i];
    }
    return sum;
  };
  std::vector<double> x(n);
  double low = 0.0;
  double high = 1.0;
  while (shares_at(high, x) < units && high < 1e300) high *= 2.0;
  for (int iteration = 0; iteration < 200; ++iteration) {
    const double mid = 0.5 * (low + high);
    if (shares_at(mid, x) < units) {
      low = mid;
    } else {
      high = mid;
    }
  }
  shares_at(high, x);

  std::vector<int> share(n);
  int assigned = 0;
  for (std::size_t i = 0; i < n; ++i) {
    share[i] = std::clamp(static_cast<int>(std::floor(x[i] + 1e-9)), lo[i], hi[i]);
    assigned += share[i];
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return x[a] - std::floor(x[a]) > x[b] - std::floor(x[b]);
  });
  // Missing units go to the largest remainders first; the rounding of the bisection can leave a
  // unit more or less, which the passes below settle within the bounds.
  for (int pass = 0; assigned < units && pass < 2; ++pass) {
    for (const std::size_t i : order) {
      if (assigned == units) break;
      if (share[i] < hi[i] && (pass == 1 || x[i] > share[i])) {
        ++share[i];
        ++assigned;
      }
    }
  }
  while (assigned < units) {
    for (std::size_t i = 0; i < n && assigned < units; ++i) {
      if (share[i] < hi[i]) {
        ++share[i];
        ++assigned;
      }
    }
  }
  while (assigned > units) {
    for (auto it = order.rbegin(); it != order.rend() && assigned > units; ++it) {
      if (share[*it] > lo[*it]) {
        --share[*it];
        --assigned;
      }
    }
  }
  return share;
}

long long sum_of(const std::vector<int>& v) {
  return std::accumulate(v.begin(), v.end(), 0LL);
}

}  // namespace

std::optional<std::vector<int>> allocate_minutes(int total, const std::vector<double>& weights,
                                                 const std::vector<int>& lo,
                                                 const std::vector<int>& hi) {
  const std::size_t n = weights.size();
  if (lo.size() != n || hi.size() != n) return std::nullopt;
  if (n == 0)
    return total == 0 ? std::optional<std::vector<int>>(std::vector<int>{}) : std::nullopt;
  for (std::size_t i = 0; i < n; ++i) {
    if (lo[i] > hi[i]) return std::nullopt;
  }
  if (sum_of(lo) > total || sum_of(hi) < total) return std::nullopt;
  const std::vector<double> w = positive_weights(weights);

  // Five-minute steps read better ("25 minutes", not "23"); the remainder goes to one entry.
  const int remainder = total % 5;
  std::vector<int> lo5(n);
  std::vector<int> hi5(n);
  for (std::size_t i = 0; i < n; ++i) {
    lo5[i] = (std::max(lo[i], 0) + 4) / 5;
    hi5[i] = std::max(hi[i], 0) / 5;
  }
  const int units5 = total / 5;
  if (total >= 0 && sum_of(lo5) <= units5 && sum_of(hi5) >= units5 &&
      std::all_of(lo5.begin(), lo5.end(), [](int v) { return v >= 1; })) {
    std::vector<int> share = apportion_bounded(units5, w, lo5, hi5);
    for (int& s : share) s *= 5;
    if (remainder == 0) return share;
    std::size_t best = n;
    for (std::size_t i = 0; i < n; ++i) {
      if (share[i] + remainder <= hi[i] && (best == n || share[i] > share[best])) best = i;
    }
    if (best < n) {
      share[best] += remainder;
      return share;
    }
  }
  return apportion_bounded(total, w, lo, hi);
}

std::optional<Grouping> group_items(const GroupingRequest& request) {
  const std::size_t n = request.weights.size();
  const std::size_t groups = request.shares.size();
  if (groups == 0 || n < groups || request.min_items.size() != groups) return std::nullopt;
  const auto at = [&](const std::vector<double>& v, std::size_t i) {
    return i < v.size() ? v[i] : 0.0;
  };

  std::vector<double> weight_prefix(n + 1, 0.0);
  std::vector<double> join_prefix(n + 1, 0.0);  // join_prefix[i] = sum of join_cost[1..i-1]
  for (std::size_t i = 0; i < n; ++i) {
    weight_prefix[i + 1] = weight_prefix[i] + std::max(request.weights[i], 0.0);
    join_prefix[i + 1] = join_prefix[i] + (i >= 1 ? at(request.join_cost, i) : 0.0);
  }
  const double total = weight_prefix[n] > 0 ? weight_prefix[n] : 1.0;
  const std::size_t max_items =
      request.max_items > 0 ? static_cast<std::size_t>(request.max_items) : n;

  // cost of group g holding items [a, b)
  const auto group_cost = [&](std::size_t g, std::size_t a, std::size_t b) {
    const double intended = std::max(request.shares[g], 1e-9) * total;
    const double deviation = (weight_prefix[b] - weight_prefix[a] - intended) / intended;
    const double joins = join_prefix[b] - join_prefix[a + 1];
    const double cut = a == 0 ? 0.0 : at(request.cut_cost, a);
    return deviation * deviation + joins + cut;
  };

  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  // best[g][i]: cheapest cost of putting the first i items into the first g groups.
  std::vector<std::vector<double>> best(groups + 1, std::vector<double>(n + 1, kInfinity));
  std::vector<std::vector<std::size_t>> from(groups + 1, std::vector<std::size_t>(n + 1, 0));
  best[0][0] = 0.0;
  for (std::size_t g = 1; g <= groups; ++g) {
    const auto min_items = static_cast<std::size_t>(std::max(request.min_items[g - 1], 1));
    for (std::size_t b = 1; b <= n; ++b) {
      for (std::size_t a = b >= max_items ? b - max_items : 0; a + min_items <= b; ++a) {
        if (best[g - 1][a] == kInfinity) continue;
        const double cost = best[g - 1][a] + group_cost(g - 1, a, b);
        // Strictly cheaper only: among equals the earliest cut wins, deterministically.
        if (cost < best[g][b]) {
          best[g][b] = cost;
          from[g][b] = a;
        }
      }
    }
  }
  if (best[groups][n] == kInfinity) return std::nullopt;
  Grouping grouping;
  grouping.cost = best[groups][n];
  grouping.starts.assign(groups, 0);
  std::size_t end = n;
  for (std::size_t g = groups; g >= 1; --g) {
    grouping.starts[g - 1] = from[g][end];
    end = from[g][end];
  }
  return grouping;
}

}  // namespace docprof::domain
