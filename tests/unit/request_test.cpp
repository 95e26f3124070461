#include "domain/request.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace docprof::domain {
namespace {

RawCourseRequest raw_with_query(std::string query) {
  RawCourseRequest raw;
  raw.query = std::move(query);
  return raw;
}

RawCourseRequest raw_with_hours(double hours) {
  RawCourseRequest raw = raw_with_query("corporate valuation");
  raw.hours = hours;
  return raw;
}

std::string repeat(std::string_view unit, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += unit;
  return out;
}

void expect_invalid(const RawCourseRequest& raw, std::string_view message_part) {
  const auto result = validate_course_request(raw);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "invalid_request");
  EXPECT_NE(result.error().message.find(message_part), std::string::npos) << result.error().message;
}

TEST(ValidateCourseRequest, AppliesDefaults) {
  const auto result =
      validate_course_request(raw_with_query("I want to learn corporate valuation"));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->query, "I want to learn corporate valuation");
  EXPECT_DOUBLE_EQ(result->hours, 2.0);
  EXPECT_EQ(result->preferences.depth, Depth::balanced);
  EXPECT_EQ(result->preferences.pace, Pace::moderate);
  EXPECT_EQ(result->preferences.presentation_style, "conversational");
  EXPECT_EQ(result->preferences.additional_notes, "");
}

TEST(ValidateCourseRequest, TrimsTheQuery) {
  const auto result = validate_course_request(raw_with_query("\u00A0  valuation \n"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->query, "valuation");
}

TEST(ValidateCourseRequest, RejectsEmptyQuery) {
  expect_invalid(raw_with_query(""), "query is empty");
}

TEST(ValidateCourseRequest, RejectsWhitespaceOnlyQuery) {
  expect_invalid(raw_with_query(" \t\n\u3000\u00A0 "), "query is empty");
}

TEST(ValidateCourseRequest, Accepts4000CodePointsEvenWhenLongerInBytes) {
  // 4000 × "é" is 8000 bytes: the limit counts code points.
  const auto result = validate_course_request(raw_with_query(repeat("\u00E9", 4000)));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->query.size(), 8000u);
}

TEST(ValidateCourseRequest, Rejects4001CodePointsWithTheCount) {
  expect_invalid(raw_with_query(repeat("\u00E9", 4001)), "4001");
  expect_invalid(raw_with_query(repeat("a", 4001)), "query is too long");
}

TEST(ValidateCourseRequest, CountsLengthAfterTrimming) {
  const auto result = validate_course_request(raw_with_query("   " + repeat("x", 4000) + "   "));
  EXPECT_TRUE(result.ok());
}

TEST(ValidateCourseRequest, RejectsInvalidUtf8Query) {
  expect_invalid(raw_with_query("valuation \xFF\xFE"), "not valid UTF-8");
}

TEST(ValidateCourseRequest, RejectsHoursOutOfRange) {
  expect_invalid(raw_with_hours(0), "hours must be between 0.25 and 100 (got 0)");
  expect_invalid(raw_with_hours(-1), "(got -1)");
  expect_invalid(raw_with_hours(1e9), "hours must be between 0.25 and 100 (got 1e+09)");
  expect_invalid(raw_with_hours(0.24), "(got 0.24)");
  expect_invalid(raw_with_hours(100.01), "(got 100.01)");
}

TEST(ValidateCourseRequest, RejectsNonFiniteHours) {
  expect_invalid(raw_with_hours(std::numeric_limits<double>::quiet_NaN()), "hours must be between");
  expect_invalid(raw_with_hours(std::numeric_limits<double>::infinity()), "(got inf)");
  expect_invalid(raw_with_hours(-std::numeric_limits<double>::infinity()), "(got -inf)");
}

TEST(ValidateCourseRequest, AcceptsHoursAtTheBounds) {
  for (const double hours : {0.25, 100.0, 6.0, 2.5}) {
    const auto result = validate_course_request(raw_with_hours(hours));
    ASSERT_TRUE(result.ok()) << hours;
    EXPECT_DOUBLE_EQ(result->hours, hours);
  }
}

TEST(ValidateCourseRequest, ParsesDepthAndPace) {
  RawCourseRequest raw = raw_with_query("valuation");
  raw.depth = "technical";
  raw.pace = "thorough";
  const auto result = validate_course_request(raw);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->preferences.depth, Depth::technical);
  EXPECT_EQ(result->preferences.pace, Pace::thorough);
}

TEST(ValidateCourseRequest, EnumNamesAreTrimmedAndCaseInsensitive) {
  RawCourseRequest raw = raw_with_query("valuation");
  raw.depth = " Expert ";
  raw.pace = "QUICK";
  const auto result = validate_course_request(raw);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->preferences.depth, Depth::expert);
  EXPECT_EQ(result->preferences.pace, Pace::quick);
}

TEST(ValidateCourseRequest, BlankEnumTakesTheDefault) {
  RawCourseRequest raw = raw_with_query("valuation");
  raw.depth = "";
  raw.pace = "  ";
  const auto result = validate_course_request(raw);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->preferences.depth, Depth::balanced);
  EXPECT_EQ(result->preferences.pace, Pace::moderate);
}

TEST(ValidateCourseRequest, RejectsUnknownDepth) {
  RawCourseRequest raw = raw_with_query("valuation");
  raw.depth = "deep";
  expect_invalid(raw, "unknown depth 'deep'");
  expect_invalid(raw, "overview");  // lists the accepted values
}

TEST(ValidateCourseRequest, RejectsUnknownPace) {
  RawCourseRequest raw = raw_with_query("valuation");
  raw.pace = "slow";
  expect_invalid(raw, "unknown pace 'slow'");
}

TEST(ValidateCourseRequest, PresentationStyleDefaultsWhenBlank) {
  RawCourseRequest raw = raw_with_query("valuation");
  raw.presentation_style = " \t ";
  const auto result = validate_course_request(raw);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->preferences.presentation_style, "conversational");
}

TEST(ValidateCourseRequest, PresentationStyleIsTrimmedAndLimited) {
  RawCourseRequest raw = raw_with_query("valuation");
  raw.presentation_style = "  formal, with case studies ";
  auto result = validate_course_request(raw);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->preferences.presentation_style, "formal, with case studies");

  raw.presentation_style = repeat("\u00E9", 200);
  EXPECT_TRUE(validate_course_request(raw).ok());
  raw.presentation_style = repeat("\u00E9", 201);
  expect_invalid(raw, "presentation_style is too long: 201");
}

TEST(ValidateCourseRequest, AdditionalNotesAreKeptTrimmedAndLimited) {
  RawCourseRequest raw = raw_with_query("valuation");
  raw.additional_notes = " focus on DCF \n";
  auto result = validate_course_request(raw);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->preferences.additional_notes, "focus on DCF");

  raw.additional_notes = repeat("n", 2000);
  EXPECT_TRUE(validate_course_request(raw).ok());
  raw.additional_notes = repeat("n", 2001);
  expect_invalid(raw, "additional_notes is too long: 2001");
}

TEST(ValidateCourseRequest, RejectsInvalidUtf8InFreeText) {
  RawCourseRequest raw = raw_with_query("valuation");
  raw.additional_notes = "\xC0\xAF";
  expect_invalid(raw, "additional_notes is not valid UTF-8");
}

}  // namespace
}  // namespace docprof::domain
