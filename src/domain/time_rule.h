// The time rule (domain.md §5): the target in minutes, the 5 % tolerance in exact arithmetic, the
// acceptable range shown to the model, and the deterministic proportional rescale.
// Thread safety: stateless.
#pragma once

#include <string>
#include <vector>

#include "domain/result.h"

namespace docprof::domain {

// floor(hours × 60 + 1e-6): 4.1 h is 246 minutes, not 245.
int target_minutes(double hours);
// |total − target| ≤ 0.05 × target, exactly (integer arithmetic: 20·|total − target| ≤ target).
bool within_tolerance(int total, int target);
int min_acceptable(int target);  // ceil(0.95 × target)
int max_acceptable(int target);  // floor(1.05 × target)
// |total − target| / target × 100 with one decimal, e.g. "5.8" (target 0 gives "0.0").
std::string variance_percent(int total, int target);

// Scales minutes proportionally so they sum to target exactly, by largest remainder: in 5-minute
// steps when target is a multiple of 5 and every entry can keep at least 5, otherwise in 1-minute
// steps with at least 1 each. Entries of 0 count as equal weights when all are 0. Fails
// ("rescale_impossible") when there are more entries than target minutes, or no entries.
Result<std::vector<int>> rescale_minutes(const std::vector<int>& minutes, int target);

}  // namespace docprof::domain
