// parse_duration_minutes (domain.md §4): every time notation models write, rounded to minutes.
#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>

#include "domain/outline_parser.h"

namespace docprof::domain {
namespace {

struct DurationCase {
  std::string text;
  std::optional<int> minutes;
};

void PrintTo(const DurationCase& c, std::ostream* os) {
  *os << '"' << c.text << '"';
}

class DurationTest : public ::testing::TestWithParam<DurationCase> {};

TEST_P(DurationTest, ParsesToMinutes) {
  EXPECT_EQ(parse_duration_minutes(GetParam().text), GetParam().minutes) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Notations, DurationTest,
    ::testing::Values(
        DurationCase{"45 minutes", 45}, DurationCase{"45 min", 45}, DurationCase{"45 mins", 45},
        DurationCase{"45m", 45}, DurationCase{"(45 mins)", 45}, DurationCase{"45 Minutes", 45},
        DurationCase{"45MIN", 45}, DurationCase{"1 minute", 1}, DurationCase{"2 hours", 120},
        DurationCase{"1 hour", 60}, DurationCase{"1 hr", 60}, DurationCase{"3 hrs", 180},
        DurationCase{"2h", 120}, DurationCase{"1.5 hours", 90}, DurationCase{"0.75 hours", 45},
        DurationCase{"1.25h", 75}, DurationCase{"1 hour 15 minutes", 75},
        DurationCase{"1 hour and 15 minutes", 75}, DurationCase{"1 hr, 30 min", 90},
        DurationCase{"1h 30m", 90}, DurationCase{"1h30m", 90}, DurationCase{"1h30", 90},
        DurationCase{"2 hours 0 minutes", 120}, DurationCase{"90-minute", 90},
        DurationCase{"a 45-min session", 45}, DurationCase{"1\xC2\xBD hours", 90},
        DurationCase{"30-45 minutes", 38}, DurationCase{"30 to 40 minutes", 35},
        DurationCase{"45.5 minutes", 46}, DurationCase{"0.33 hours", 20},
        DurationCase{"Part 1: Introduction - 30 minutes", 30},
        DurationCase{"Section 1.2: Ratios (25 min)", 25},
        DurationCase{"Total: 360 minutes (6 hours)", 360}, DurationCase{"", std::nullopt},
        DurationCase{"no time here", std::nullopt},
        DurationCase{"Part 3: Case Studies", std::nullopt}, DurationCase{"45 months", std::nullopt},
        DurationCase{"Python 3 modules", std::nullopt}, DurationCase{"the 1950s", std::nullopt},
        DurationCase{"H2 headings", std::nullopt}, DurationCase{"45", std::nullopt}));

}  // namespace
}  // namespace docprof::domain
