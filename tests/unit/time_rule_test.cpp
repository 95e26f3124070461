// The 5 % time rule of domain.md §5: targets, tolerance in exact arithmetic, the acceptable range,
// and the deterministic proportional rescale.
#include <gtest/gtest.h>

#include <numeric>

#include "domain/time_rule.h"

namespace docprof::domain {
namespace {

int sum(const std::vector<int>& v) { return std::accumulate(v.begin(), v.end(), 0); }

TEST(TimeRule, TargetIsFloorOfHoursTimesSixtyWithEpsilon) {
  EXPECT_EQ(target_minutes(4.1), 246);  // 4.1 × 60 = 245.99999… in binary
  EXPECT_EQ(target_minutes(2.0), 120);
  EXPECT_EQ(target_minutes(0.25), 15);
  EXPECT_EQ(target_minutes(1.1), 66);
  EXPECT_EQ(target_minutes(2.1666666), 129);
  EXPECT_EQ(target_minutes(100), 6000);
  EXPECT_EQ(target_minutes(0.999), 59);
}

TEST(TimeRule, FivePercentBoundaryAtOneHundredTwenty) {
  EXPECT_TRUE(within_tolerance(126, 120));
  EXPECT_FALSE(within_tolerance(127, 120));
  EXPECT_TRUE(within_tolerance(114, 120));
  EXPECT_FALSE(within_tolerance(113, 120));
  EXPECT_TRUE(within_tolerance(120, 120));
}

TEST(TimeRule, ToleranceIsExactForTargetsNotMultiplesOfTwenty) {
  // 130: 5 % is 6.5 minutes — 123 and 137 are out, 124 and 136 in.
  EXPECT_FALSE(within_tolerance(123, 130));
  EXPECT_TRUE(within_tolerance(124, 130));
  EXPECT_TRUE(within_tolerance(136, 130));
  EXPECT_FALSE(within_tolerance(137, 130));
  // 66: 5 % is 3.3 minutes.
  EXPECT_TRUE(within_tolerance(63, 66));
  EXPECT_FALSE(within_tolerance(62, 66));
  EXPECT_TRUE(within_tolerance(69, 66));
  EXPECT_FALSE(within_tolerance(70, 66));
  // 246: 5 % is 12.3 minutes.
  EXPECT_TRUE(within_tolerance(234, 246));
  EXPECT_FALSE(within_tolerance(233, 246));
  EXPECT_TRUE(within_tolerance(258, 246));
  EXPECT_FALSE(within_tolerance(259, 246));
  // 15 (a quarter hour): 0.75 minutes, so only 15 itself.
  EXPECT_TRUE(within_tolerance(15, 15));
  EXPECT_FALSE(within_tolerance(14, 15));
  EXPECT_FALSE(within_tolerance(16, 15));
}

TEST(TimeRule, AcceptableRangeUsesCeilingAndFloor) {
  EXPECT_EQ(min_acceptable(130), 124);  // the original's floor gave 123, 5.4 % off
  EXPECT_EQ(max_acceptable(130), 136);
  EXPECT_EQ(min_acceptable(120), 114);
  EXPECT_EQ(max_acceptable(120), 126);
  EXPECT_EQ(min_acceptable(66), 63);
  EXPECT_EQ(max_acceptable(66), 69);
  EXPECT_EQ(min_acceptable(246), 234);
  EXPECT_EQ(max_acceptable(246), 258);
  EXPECT_EQ(min_acceptable(15), 15);
  EXPECT_EQ(max_acceptable(15), 15);
}

TEST(TimeRule, AcceptableRangeAgreesWithTolerance) {
  for (int target = 1; target <= 800; ++target) {
    EXPECT_TRUE(within_tolerance(min_acceptable(target), target)) << target;
    EXPECT_FALSE(within_tolerance(min_acceptable(target) - 1, target)) << target;
    EXPECT_TRUE(within_tolerance(max_acceptable(target), target)) << target;
    EXPECT_FALSE(within_tolerance(max_acceptable(target) + 1, target)) << target;
  }
}

TEST(TimeRule, VariancePercentHasOneDecimal) {
  EXPECT_EQ(variance_percent(127, 120), "5.8");
  EXPECT_EQ(variance_percent(113, 120), "5.8");
  EXPECT_EQ(variance_percent(120, 120), "0.0");
  EXPECT_EQ(variance_percent(180, 120), "50.0");
  EXPECT_EQ(variance_percent(123, 130), "5.4");
  EXPECT_EQ(variance_percent(5, 0), "0.0");
}

TEST(TimeRule, RescaleUsesFiveMinuteStepsWhenTheTargetAllows) {
  auto r = rescale_minutes({30, 45, 60, 15}, 120);  // 150 → 120
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(sum(*r), 120);
  for (int m : *r) {
    EXPECT_EQ(m % 5, 0);
    EXPECT_GE(m, 5);
  }
  EXPECT_EQ(*r, (std::vector<int>{25, 35, 50, 10}));
}

TEST(TimeRule, RescaleFallsBackToOneMinuteStepsForOddTargets) {
  auto r = rescale_minutes({20, 20, 20}, 66);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(sum(*r), 66);
  EXPECT_EQ(*r, (std::vector<int>{22, 22, 22}));
  auto odd = rescale_minutes({30, 40, 50}, 246);
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(sum(*odd), 246);
  EXPECT_EQ(*odd, (std::vector<int>{62, 82, 102}));
}

TEST(TimeRule, RescaleNeedsOneMinuteStepsWhenFiveMinuteSlotsDoNotFit) {
  // Target 15 is a multiple of 5, but 4 sections cannot each keep 5 minutes.
  auto r = rescale_minutes({10, 10, 10, 10}, 15);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(sum(*r), 15);
  for (int m : *r) EXPECT_GE(m, 1);
  EXPECT_EQ(*r, (std::vector<int>{4, 4, 4, 3}));
}

TEST(TimeRule, RescaleKeepsEverySectionAtLeastOneStep) {
  auto r = rescale_minutes({1000, 1, 1}, 60);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(sum(*r), 60);
  EXPECT_EQ((*r)[1], 5);
  EXPECT_EQ((*r)[2], 5);
  EXPECT_EQ((*r)[0], 50);
}

TEST(TimeRule, RescaleTreatsAllZeroAsEqualWeights) {
  auto r = rescale_minutes({0, 0, 0}, 90);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<int>{30, 30, 30}));
}

TEST(TimeRule, RescaleIsDeterministicOnTies) {
  auto r = rescale_minutes({10, 10, 10}, 100);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<int>{35, 35, 30}));
  EXPECT_EQ(*rescale_minutes({10, 10, 10}, 100), *r);
}

TEST(TimeRule, RescaleRefusesImpossibleInputs) {
  EXPECT_FALSE(rescale_minutes({}, 60).ok());
  auto r = rescale_minutes({5, 5, 5}, 2);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "rescale_impossible");
}

TEST(TimeRule, RescaleAlwaysHitsTheTargetExactly) {
  for (int target = 15; target <= 900; target += 7) {
    for (int n = 1; n <= 12 && n <= target; ++n) {
      std::vector<int> minutes;
      for (int i = 0; i < n; ++i) minutes.push_back(10 + (i * 37 + target) % 80);
      auto r = rescale_minutes(minutes, target);
      ASSERT_TRUE(r.ok()) << target << " " << n;
      EXPECT_EQ(sum(*r), target);
      for (int m : *r) EXPECT_GE(m, 1);
    }
  }
}

}  // namespace
}  // namespace docprof::domain
