// The arithmetic of the offline planner (course_plan.h): sharing a number of minutes among weighted
// entries within per-entry bounds so that the shares sum exactly to the total, and splitting an
// ordered list of weighted items into contiguous groups (the parts of a course) as evenly as
// possible while preferring cuts at natural boundaries (between chapters, between books).
//
// Thread safety: stateless pure functions; results depend only on the arguments.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace docprof::domain {

// Shares of `total` proportional to `weights` (non-positive weights count as tiny), entry i within
// [lo[i], hi[i]], summing exactly to `total`. Shares are multiples of 5 when the bounds allow it,
// except that one entry (the largest with room) absorbs total % 5; otherwise whole minutes.
// nullopt when the bounds cannot hold the total (sum of lo > total or sum of hi < total) or the
// vectors differ in length. Deterministic: ties go to the earlier entry.
std::optional<std::vector<int>> allocate_minutes(int total, const std::vector<double>& weights,
                                                 const std::vector<int>& lo,
                                                 const std::vector<int>& hi);

struct GroupingRequest {
  std::vector<double> weights;  // per item, in order
  // Per item i ≥ 1: the cost of starting a group at i, and of keeping i in its predecessor's group.
  std::vector<double> cut_cost;
  std::vector<double> join_cost;
  std::vector<double> shares;  // per group: its intended fraction of the total weight (sum 1)
  std::vector<int> min_items;  // per group: the fewest items it may hold (≥ 1)
  int max_items = 0;           // every group: the most items it may hold (0: no limit)
};

struct Grouping {
  std::vector<std::size_t> starts;  // index of each group's first item; starts[0] == 0
  double cost = 0.0;  // sum over groups of squared relative deviation from the share, plus cut
                      // and join costs
};

// The cheapest split of the items into shares.size() contiguous, non-empty groups respecting the
// item limits; nullopt when no split can respect them.
std::optional<Grouping> group_items(const GroupingRequest& request);

}  // namespace docprof::domain
