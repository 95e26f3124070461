#include "domain/models_json.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace docprof::domain {
namespace {

using nlohmann::json;

const std::string kUnicode = "\u00C9valuation \u2014 \u4F01\u696D\u4FA1\u5024 \U0001F680";

// dump() -> parse() -> from_json: the path a value takes through a queue or a database column.
template <class T>
T round_trip(const T& value) {
  return json::parse(json(value).dump()).template get<T>();
}

// The what() of the exception of type Ex thrown by f, or "" (and a test failure) when none is.
template <class Ex>
std::string thrown(const std::function<void()>& f) {
  try {
    f();
  } catch (const Ex& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception type: " << e.what();
    return "";
  }
  ADD_FAILURE() << "no exception thrown";
  return "";
}

SectionSummary sample_section() {
  return SectionSummary{
      "Free cash flow", {"FCFF", "FCFE"}, {"discounting", "terminal value"}, "12-30"};
}

BookSummary sample_summary() {
  return BookSummary{"Valuation",
                     "McKinsey",
                     2,
                     "How to value companies.",
                     {ChapterSummary{1, "Why value matters", "Value creation.", {sample_section()}},
                      ChapterSummary{2, "Cash flows", "", {}}}};
}

BookMatch sample_book() {
  return BookMatch{"book-1", "Valuation",           "McKinsey",
                   0.8125,   {{2, 0.75, {}}, {1, 0.5, {}}}, sample_summary(), {}, {}};
}

Outline sample_outline() {
  return Outline{
      {PartDraft{"Foundations",
                 60,
                 {SectionDraft{"Time value of money", 25, {"Discount a cash flow", "Compound"}, {}},
                  SectionDraft{"Risk and return", 35, {"Explain beta"}, {}}}},
       PartDraft{"Practice", 45, {}}}};
}

CourseSection sample_section_row() {
  CourseSection s;
  s.section_id = "sec-2";
  s.course_id = "course-1";
  s.parent_section_id = "sec-1";
  s.order_index = 2;
  s.title = "Discounted cash flow";
  s.learning_objectives = {"Build a DCF", "Choose a discount rate"};
  s.content_summary = "Projecting and discounting cash flows.";
  s.estimated_minutes = 45;
  s.chunk_ids = {"c1", "c2"};
  s.status = SectionStatus::completed;
  s.completed_at = "2026-11-28T16:00:00.000Z";
  s.can_standalone = true;
  s.prerequisites = {"sec-1"};
  s.created_at = "2026-11-28T15:31:05.123Z";
  return s;
}

// ---------------------------------------------------------------------------------------------
// Enums

TEST(EnumJson, DepthWritesItsNameAndReadsItBack) {
  for (Depth d : {Depth::overview, Depth::balanced, Depth::technical, Depth::expert}) {
    EXPECT_EQ(json(d), json(std::string(to_string(d))));
    EXPECT_EQ(round_trip(d), d);
  }
}

TEST(EnumJson, PaceWritesItsNameAndReadsItBack) {
  for (Pace p : {Pace::quick, Pace::moderate, Pace::thorough}) {
    EXPECT_EQ(json(p), json(std::string(to_string(p))));
    EXPECT_EQ(round_trip(p), p);
  }
}

TEST(EnumJson, CourseStatusWritesItsNameAndReadsItBack) {
  for (CourseStatus s : {CourseStatus::active, CourseStatus::completed, CourseStatus::archived}) {
    EXPECT_EQ(json(s), json(std::string(to_string(s))));
    EXPECT_EQ(round_trip(s), s);
  }
}

TEST(EnumJson, SectionStatusWritesItsNameAndReadsItBack) {
  for (SectionStatus s :
       {SectionStatus::not_started, SectionStatus::in_progress, SectionStatus::completed}) {
    EXPECT_EQ(json(s), json(std::string(to_string(s))));
    EXPECT_EQ(round_trip(s), s);
  }
}

TEST(EnumJson, PhaseWritesItsNameAndReadsItBack) {
  EXPECT_EQ(json(Phase::generating_sections), json("generating_sections"));
  for (Phase p : {Phase::initializing, Phase::searching_books, Phase::generating_parts,
                  Phase::generating_sections, Phase::reviewing_outline, Phase::storing,
                  Phase::complete, Phase::error}) {
    EXPECT_EQ(round_trip(p), p);
  }
}

TEST(EnumJson, UnknownNameThrowsOutOfRangeListingTheAcceptedNames) {
  const std::string what = thrown<json::out_of_range>([] { (void)json("deep").get<Depth>(); });
  EXPECT_NE(what.find("unknown depth 'deep'"), std::string::npos) << what;
  EXPECT_NE(what.find("overview, balanced, technical, expert"), std::string::npos) << what;
}

TEST(EnumJson, NonStringThrowsTypeError) {
  EXPECT_NE(thrown<json::type_error>([] { (void)json(2).get<Pace>(); }).find("expected a string"),
            std::string::npos);
  EXPECT_THROW((void)json(nullptr).get<Phase>(), json::type_error);
}

TEST(EnumJson, NamesAreCaseSensitive) {
  EXPECT_THROW((void)json("Technical").get<Depth>(), json::out_of_range);
}

// ---------------------------------------------------------------------------------------------
// Preferences

TEST(PreferencesJson, NonDefaultRoundTripsWithItsFourKeys) {
  const Preferences p{Depth::expert, "socratic", Pace::quick, kUnicode};
  const json j = p;
  EXPECT_EQ(j, json::parse(R"({"depth":"expert","presentation_style":"socratic","pace":"quick",
                               "additional_notes":")" +
                           kUnicode + "\"}"));
  EXPECT_EQ(round_trip(p), p);
}

TEST(PreferencesJson, EmptyObjectGivesTheDefaults) {
  EXPECT_EQ(json::object().get<Preferences>(), Preferences{});
}

TEST(PreferencesJson, MissingKeysKeepTheirDefaults) {
  const auto p = json::parse(R"({"pace":"thorough"})").get<Preferences>();
  EXPECT_EQ(p.pace, Pace::thorough);
  EXPECT_EQ(p.depth, Depth::balanced);
  EXPECT_EQ(p.presentation_style, "conversational");
  EXPECT_EQ(p.additional_notes, "");
}

TEST(PreferencesJson, NullValuesKeepTheirDefaults) {
  const auto p =
      json::parse(R"({"depth":null,"presentation_style":null,"pace":null,"additional_notes":null})")
          .get<Preferences>();
  EXPECT_EQ(p, Preferences{});
}

TEST(PreferencesJson, WrongTypeNamesTheField) {
  const std::string what = thrown<json::type_error>(
      [] { (void)json::parse(R"({"presentation_style":7})").get<Preferences>(); });
  EXPECT_NE(what.find("presentation_style: expected a string"), std::string::npos) << what;
}

TEST(PreferencesJson, NotAnObjectIsATypeError) {
  const std::string what = thrown<json::type_error>([] { (void)json("x").get<Preferences>(); });
  EXPECT_NE(what.find("$: expected an object"), std::string::npos) << what;
}

// ---------------------------------------------------------------------------------------------
// Course and CourseSection

TEST(CourseJson, EveryFieldRoundTripsWithNumbersAsNumbers) {
  const Course c{"course-1",
                 "user-1",
                 kUnicode,
                 "learn valuation",
                 6.5,
                 "2026-11-28T15:31:05.123Z",
                 "2026-11-28T15:40:00.000Z",
                 Preferences{Depth::technical, "detailed", Pace::thorough, "notes"},
                 CourseStatus::archived, {}};
  const json j = json::parse(json(c).dump());
  EXPECT_TRUE(j.at("estimated_hours").is_number_float());
  EXPECT_EQ(j.at("estimated_hours").get<double>(), 6.5);
  EXPECT_EQ(j.at("status"), "archived");
  EXPECT_EQ(j.at("notes"), json::array());
  EXPECT_EQ(j.size(), 10U);
  EXPECT_EQ(j.get<Course>(), c);
}

TEST(CourseJson, NotesRoundTripWithEmptyTopicAsNull) {
  Course c;
  c.notes = {{"uncovered_topic", "real options", "No book covers them"}, {"prior_knowledge", "", "Skips basics"}};
  const json j = json::parse(json(c).dump());
  ASSERT_EQ(j.at("notes").size(), 2U);
  EXPECT_EQ(j.at("notes")[0], (json{{"kind", "uncovered_topic"}, {"topic", "real options"}, {"message", "No book covers them"}}));
  EXPECT_TRUE(j.at("notes")[1].at("topic").is_null());
  EXPECT_EQ(j.get<Course>(), c);
}

TEST(CourseJson, CourseStoredBeforeNotesReadsWithNone) {
  Course c;
  c.notes = {{"note", "", "x"}};
  json j = c;
  j.erase("notes");
  EXPECT_TRUE(j.get<Course>().notes.empty());
}

TEST(CourseJson, NoteWithoutKindIsRejected) {
  json j = Course{};
  j["notes"] = json::array({json{{"message", "x"}}});
  const std::string what = thrown<json::out_of_range>([&] { (void)j.get<Course>(); });
  EXPECT_NE(what.find("notes[0].kind: missing"), std::string::npos) << what;
}

TEST(CourseSectionJson, SourcesRoundTripInSnakeCase) {
  CourseSection s = sample_section_row();
  s.sources = {SectionSource{"b1", "Valuation", 3, "Value creation", std::string("The core principle")},
               SectionSource{"b2", kUnicode, 12, "Risk", std::nullopt}};
  const json j = json::parse(json(s).dump());
  EXPECT_EQ(j.at("sources")[0], (json{{"book_id", "b1"},
                                      {"book_title", "Valuation"},
                                      {"chapter_number", 3},
                                      {"chapter_title", "Value creation"},
                                      {"section_title", "The core principle"}}));
  EXPECT_TRUE(j.at("sources")[1].at("section_title").is_null());
  EXPECT_EQ(j.get<CourseSection>(), s);
}

TEST(CourseSectionJson, RowStoredBeforeSourcesReadsWithNone) {
  json j = sample_section_row();
  j.erase("sources");
  EXPECT_TRUE(j.get<CourseSection>().sources.empty());
  j["sources"] = json::array({json{{"book_id", "b1"}, {"book_title", "T"}, {"chapter_number", "3"},
                                   {"chapter_title", "C"}}});
  EXPECT_THROW((void)j.get<CourseSection>(), json::type_error);
}

TEST(SectionDraftJson, ReadsRoundTripAndOldDraftsHaveNone) {
  const SectionDraft d{"S", 20, {"a", "b"}, {{"b1", 2, ""}, {"b2", 7, "Options"}}};
  const json j = json::parse(json(d).dump());
  EXPECT_EQ(j.at("reads")[0], (json{{"book_id", "b1"}, {"chapter_number", 2}, {"section_title", nullptr}}));
  EXPECT_EQ(j.get<SectionDraft>(), d);
  json old = j;
  old.erase("reads");
  EXPECT_TRUE(old.get<SectionDraft>().reads.empty());
}

TEST(CourseJson, MissingFieldThrowsOutOfRangeNamingIt) {
  json j = Course{};
  j.erase("status");
  const std::string what = thrown<json::out_of_range>([&] { (void)j.get<Course>(); });
  EXPECT_NE(what.find("status: missing"), std::string::npos) << what;
}

TEST(CourseJson, HoursAsStringIsRejected) {
  json j = Course{};
  j["estimated_hours"] = "2.0";
  EXPECT_THROW((void)j.get<Course>(), json::type_error);
}

TEST(CourseSectionJson, EveryFieldRoundTrips) {
  const CourseSection s = sample_section_row();
  const json j = json::parse(json(s).dump());
  EXPECT_TRUE(j.at("order_index").is_number_integer());
  EXPECT_TRUE(j.at("estimated_minutes").is_number_integer());
  EXPECT_TRUE(j.at("can_standalone").is_boolean());
  EXPECT_EQ(j.at("parent_section_id"), "sec-1");
  EXPECT_EQ(j.at("sources"), json::array());
  EXPECT_EQ(j.size(), 15U);
  EXPECT_EQ(j.get<CourseSection>(), s);
}

TEST(CourseSectionJson, AbsentOptionalsAreWrittenAsNullAndReadBackAbsent) {
  CourseSection s = sample_section_row();
  s.parent_section_id.reset();
  s.content_summary.reset();
  s.completed_at.reset();
  const json j = s;
  EXPECT_TRUE(j.at("parent_section_id").is_null());
  EXPECT_TRUE(j.at("content_summary").is_null());
  EXPECT_TRUE(j.at("completed_at").is_null());
  EXPECT_EQ(round_trip(s), s);
}

TEST(CourseSectionJson, MissingOptionalKeysReadAsAbsent) {
  json j = sample_section_row();
  j.erase("parent_section_id");
  j.erase("content_summary");
  j.erase("completed_at");
  const auto s = j.get<CourseSection>();
  EXPECT_FALSE(s.parent_section_id.has_value());
  EXPECT_FALSE(s.content_summary.has_value());
  EXPECT_FALSE(s.completed_at.has_value());
}

TEST(CourseSectionJson, EmptyStringOptionalStaysPresent) {
  CourseSection s = sample_section_row();
  s.content_summary = "";
  const json j = s;
  EXPECT_EQ(j.at("content_summary"), "");
  const auto back = round_trip(s);
  ASSERT_TRUE(back.content_summary.has_value());
  EXPECT_EQ(*back.content_summary, "");
}

TEST(CourseSectionJson, WrongElementTypeNamesItsIndex) {
  json j = sample_section_row();
  j["learning_objectives"][1] = 3;
  const std::string what = thrown<json::type_error>([&] { (void)j.get<CourseSection>(); });
  EXPECT_NE(what.find("learning_objectives[1]: expected a string"), std::string::npos) << what;
}

TEST(CourseSectionJson, FractionalIntegerIsRejectedNotTruncated) {
  json j = sample_section_row();
  j["estimated_minutes"] = 45.5;
  const std::string what = thrown<json::type_error>([&] { (void)j.get<CourseSection>(); });
  EXPECT_NE(what.find("estimated_minutes: expected an integer"), std::string::npos) << what;
}

TEST(CourseSectionJson, BooleanAsStringIsRejected) {
  json j = sample_section_row();
  j["can_standalone"] = "true";
  EXPECT_THROW((void)j.get<CourseSection>(), json::type_error);
}

TEST(CourseSectionJson, UnknownStatusNamesThePath) {
  json j = sample_section_row();
  j["status"] = "done";
  const std::string what = thrown<json::out_of_range>([&] { (void)j.get<CourseSection>(); });
  EXPECT_NE(what.find("status: unknown section status 'done'"), std::string::npos) << what;
}

// ---------------------------------------------------------------------------------------------
// Outline, plans, usage, errors

TEST(OutlineJson, NestedPartsAndSectionsRoundTripInTheirShape) {
  const Outline o = sample_outline();
  const json j = o;
  EXPECT_EQ(j.at("parts").size(), 2U);
  EXPECT_EQ(j.at("parts")[0].at("sections")[0],
            json::parse(R"({"title":"Time value of money","minutes":25,
                            "objectives":["Discount a cash flow","Compound"],"reads":[]})"));
  EXPECT_EQ(round_trip(o), o);
}

TEST(OutlineJson, PartPlanRoundTrips) {
  const PartPlan p{kUnicode, 90};
  EXPECT_EQ(json(p), json::parse(R"({"title":")" + kUnicode + R"(","minutes":90})"));
  EXPECT_EQ(round_trip(p), p);
}

TEST(OutlineJson, SectionWithoutObjectivesKeyIsRejected) {
  EXPECT_THROW((void)json::parse(R"({"title":"x","minutes":5})").get<SectionDraft>(),
               json::out_of_range);
}

TEST(TokenUsageJson, LargeCountsStayExactIntegers) {
  const TokenUsage u{(std::int64_t{1} << 53) + 1, std::numeric_limits<std::int64_t>::max(), 7};
  const json j = json::parse(json(u).dump());
  EXPECT_TRUE(j.at("input_tokens").is_number_integer());
  EXPECT_EQ(j.get<TokenUsage>(), u);
}

TEST(TokenUsageJson, MissingCountersAreZero) {
  const auto u = json::parse(R"({"output_tokens":12})").get<TokenUsage>();
  EXPECT_EQ(u, (TokenUsage{0, 12, 0}));
}

TEST(TokenUsageJson, CounterAsStringIsRejected) {
  EXPECT_THROW((void)json::parse(R"({"input_tokens":"12"})").get<TokenUsage>(), json::type_error);
}

TEST(TokenUsageJson, CounterBeyondInt64IsOutOfRange) {
  EXPECT_THROW((void)json::parse(R"({"calls":18446744073709551615})").get<TokenUsage>(),
               json::out_of_range);
}

TEST(ErrorJson, RoundTripsAndRequiresBothFields) {
  const Error e{"unparseable_output", kUnicode};
  EXPECT_EQ(json(e), json::parse(R"({"code":"unparseable_output","message":")" + kUnicode + "\"}"));
  EXPECT_EQ(round_trip(e), e);
  EXPECT_THROW((void)json::parse(R"({"code":"x"})").get<Error>(), json::out_of_range);
}

// ---------------------------------------------------------------------------------------------
// Books

TEST(BookMatchJson, FullMatchWithSummaryRoundTrips) {
  const BookMatch b = sample_book();
  const json j = json::parse(json(b).dump());
  EXPECT_TRUE(j.at("similarity").is_number_float());
  EXPECT_EQ(j.at("chapter_scores")[0], json::parse(R"({"chapter_number":2,"similarity":0.75})"));
  EXPECT_EQ(j.at("summary").at("chapters")[0].at("sections")[0].at("page_range"), "12-30");
  EXPECT_EQ(j.get<BookMatch>(), b);
}

TEST(BookMatchJson, OnlyIdTitleAndSimilarityAreRequired) {
  const auto b = json::parse(R"({"book_id":"b","title":"T","similarity":0.25})").get<BookMatch>();
  EXPECT_EQ(b, (BookMatch{"b", "T", "", 0.25, {}, {}, {}, {}}));
  EXPECT_THROW((void)json::parse(R"({"book_id":"b","title":"T"})").get<BookMatch>(),
               json::out_of_range);
}

TEST(BookMatchJson, DefaultSummaryRoundTripsWithoutValidation) {
  const BookMatch b{"b", "T", "", 0.5, {}, {}, {}, {}};
  EXPECT_EQ(round_trip(b), b);
}

TEST(BookSummaryJson, MissingTotalChaptersIsTheChapterCount) {
  const auto s = json::parse(R"({"source_title":"T","chapters":[{"chapter_number":1},
                                 {"chapter_number":2},{"chapter_number":3}]})")
                     .get<BookSummary>();
  EXPECT_EQ(s.total_chapters, 3);
  EXPECT_EQ(round_trip(sample_summary()), sample_summary());
}

// ---------------------------------------------------------------------------------------------
// RunState

RunState full_state() {
  RunState s;
  s.course_id = "course-1";
  s.user_id = "user-1";
  s.query = kUnicode;
  s.hours = 4.1;
  s.preferences = Preferences{Depth::expert, "socratic", Pace::quick, "none"};
  s.phase = Phase::generating_sections;
  s.last_seq = 4;
  s.books = {sample_book()};
  s.course_title = "Corporate Valuation";
  s.parts = {{"Foundations", 60}, {"Practice", 45}};
  s.next_part_index = 1;
  s.outline = sample_outline();
  s.review_rounds = 1;
  s.repairs = 2;
  s.course_stored = true;
  s.last_error = Error{"truncated_output", "answer cut"};
  s.usage = TokenUsage{1200, 800, 3};
  s.created_at_ms = 1'795'000'000'000;
  s.updated_at_ms = 1'795'000'060'000;
  s.expires_at_ms = 1'795'604'860'000;
  return s;
}

const std::vector<std::string> kRunStateKeys{
    "course_id",       "user_id",       "query",         "hours",        "preferences",
    "phase",           "last_seq",      "books",         "course_title", "parts",
    "notes",           "next_part_index", "outline",     "review_rounds", "repairs",
    "course_stored",   "last_error",      "usage",         "created_at_ms", "updated_at_ms", "expires_at_ms"};

TEST(RunStateJson, WritesExactlyTheDocumentedKeys) {
  const json j = full_state();
  std::set<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.insert(key);
  EXPECT_EQ(keys, std::set<std::string>(kRunStateKeys.begin(), kRunStateKeys.end()));
}

TEST(RunStateJson, DefaultStateRoundTripsWithNullOptionals) {
  const json j = RunState{};
  EXPECT_TRUE(j.at("course_title").is_null());
  EXPECT_TRUE(j.at("last_error").is_null());
  EXPECT_EQ(j.at("last_seq"), -1);
  EXPECT_EQ(round_trip(RunState{}), RunState{});
}

TEST(RunStateJson, FullStateRoundTrips) {
  EXPECT_EQ(round_trip(full_state()), full_state());
}

TEST(RunStateJson, StateSavedBeforeNotesAndReadsLoads) {
  RunState s = full_state();
  json j = s;
  j.erase("notes");
  for (auto& part : j["outline"]["parts"]) {
    for (auto& section : part["sections"]) section.erase("reads");
  }
  EXPECT_EQ(j.get<RunState>(), s);  // full_state has no notes and no reads
}

TEST(RunStateJson, StateSavedBeforeCourseStoredLoadsAsNotStored) {
  json j = full_state();
  j.erase("course_stored");
  EXPECT_FALSE(j.get<RunState>().course_stored);
}

// The original system's test: hours 2.5 and detailed preferences survive storage, hours as a
// number.
TEST(RunStateJson, OriginalSystemHoursAndPreferencesStayTyped) {
  RunState s;
  s.course_id = "c";
  s.hours = 2.5;
  s.preferences =
      Preferences{Depth::technical, "detailed", Pace::thorough, "Focus on practical examples"};
  const std::string text = json(s).dump();
  EXPECT_NE(text.find("\"hours\":2.5"), std::string::npos) << text;
  const json j = json::parse(text);
  EXPECT_TRUE(j.at("hours").is_number_float());
  EXPECT_EQ(j.at("preferences").at("depth"), "technical");
  const auto back = j.get<RunState>();
  EXPECT_EQ(back.hours, 2.5);
  EXPECT_EQ(back.preferences.depth, Depth::technical);
  EXPECT_EQ(back.preferences.presentation_style, "detailed");
  EXPECT_EQ(back.preferences.pace, Pace::thorough);
  EXPECT_EQ(back.preferences.additional_notes, "Focus on practical examples");
  EXPECT_EQ(back, s);
}

TEST(RunStateJson, WholeHoursStayANumber) {
  RunState s;
  s.hours = 2.0;
  const json j = json::parse(json(s).dump());
  EXPECT_TRUE(j.at("hours").is_number());
  EXPECT_EQ(j.get<RunState>().hours, 2.0);
}

TEST(RunStateJson, HoursAsNumericStringIsRejected) {
  json j = RunState{};
  j["hours"] = "2.0";
  const std::string what = thrown<json::type_error>([&] { (void)j.get<RunState>(); });
  EXPECT_NE(what.find("hours: expected a number"), std::string::npos) << what;
}

TEST(RunStateJson, HoursAsBooleanIsRejected) {
  json j = RunState{};
  j["hours"] = true;
  EXPECT_THROW((void)j.get<RunState>(), json::type_error);
}

TEST(RunStateJson, FractionalSeqIsRejected) {
  json j = RunState{};
  j["last_seq"] = 3.5;
  const std::string what = thrown<json::type_error>([&] { (void)j.get<RunState>(); });
  EXPECT_NE(what.find("last_seq: expected an integer"), std::string::npos) << what;
}

TEST(RunStateJson, IntegerTooLargeForIntIsOutOfRange) {
  json j = RunState{};
  j["next_part_index"] = std::int64_t{1} << 40;
  const std::string what = thrown<json::out_of_range>([&] { (void)j.get<RunState>(); });
  EXPECT_NE(what.find("next_part_index: integer out of range"), std::string::npos) << what;
}

TEST(RunStateJson, Int64ExtremesStayExact) {
  RunState s;
  s.last_seq = std::numeric_limits<std::int64_t>::min();
  s.created_at_ms = std::numeric_limits<std::int64_t>::max();
  s.updated_at_ms = (std::int64_t{1} << 53) + 1;  // not representable as a double
  const json j = json::parse(json(s).dump());
  EXPECT_TRUE(j.at("updated_at_ms").is_number_integer());
  EXPECT_EQ(j.get<RunState>(), s);
}

TEST(RunStateJson, EveryRequiredKeyIsRequired) {
  for (const auto& key : kRunStateKeys) {
    if (key == "course_title" || key == "last_error" || key == "notes" || key == "course_stored") continue;
    SCOPED_TRACE(key);
    json j = full_state();
    j.erase(key);
    const std::string what = thrown<json::out_of_range>([&] { (void)j.get<RunState>(); });
    EXPECT_NE(what.find(key + ": missing"), std::string::npos) << what;
  }
}

TEST(RunStateJson, MissingOrNullOptionalsReadAsAbsent) {
  json j = full_state();
  j.erase("course_title");
  j["last_error"] = nullptr;
  const auto s = j.get<RunState>();
  EXPECT_FALSE(s.course_title.has_value());
  EXPECT_FALSE(s.last_error.has_value());
}

TEST(RunStateJson, EmptyCourseTitleIsNotAbsent) {
  RunState s;
  s.course_title = "";
  EXPECT_EQ(json(s).at("course_title"), "");
  const auto back = round_trip(s);
  ASSERT_TRUE(back.course_title.has_value());
  EXPECT_EQ(back, s);
}

TEST(RunStateJson, UnknownPhaseIsOutOfRangeWithItsPath) {
  json j = RunState{};
  j["phase"] = "flying";
  const std::string what = thrown<json::out_of_range>([&] { (void)j.get<RunState>(); });
  EXPECT_NE(what.find("phase: unknown phase 'flying'"), std::string::npos) << what;
}

TEST(RunStateJson, NestedEnumErrorNamesTheFullPath) {
  json j = RunState{};
  j["preferences"]["depth"] = "deep";
  const std::string what = thrown<json::out_of_range>([&] { (void)j.get<RunState>(); });
  EXPECT_NE(what.find("preferences.depth: unknown depth 'deep'"), std::string::npos) << what;
}

TEST(RunStateJson, DeepTypeErrorNamesTheFullPath) {
  json j = full_state();
  j["books"][0]["summary"]["chapters"][0]["sections"][0]["topics"][1] = 42;
  const std::string what = thrown<json::type_error>([&] { (void)j.get<RunState>(); });
  EXPECT_NE(what.find("books[0].summary.chapters[0].sections[0].topics[1]: expected a string"),
            std::string::npos)
      << what;
}

TEST(RunStateJson, NotAnObjectIsATypeError) {
  EXPECT_THROW((void)json::array().get<RunState>(), json::type_error);
}

TEST(RunStateJson, UnicodeSurvivesRawAndEscaped) {
  RunState s = full_state();
  s.outline.parts[0].sections[0].objectives.push_back(kUnicode);
  s.course_title = kUnicode;
  const std::string text = json(s).dump();
  EXPECT_NE(text.find(kUnicode), std::string::npos);  // written as UTF-8, not escaped
  EXPECT_EQ(json::parse(text).get<RunState>(), s);
  // The same text escaped by another writer reads back identically.
  const std::string escaped = json(s).dump(-1, ' ', /*ensure_ascii=*/true);
  EXPECT_EQ(escaped.find(kUnicode), std::string::npos);
  EXPECT_EQ(json::parse(escaped).get<RunState>(), s);
}

// Field by field: change one field from its default, check the JSON type of its key and that the
// change survives dump() -> parse() -> from_json.
enum class Kind { string, integer, floating, boolean, object, array };

bool has_kind(const json& v, Kind k) {
  switch (k) {
    case Kind::string:
      return v.is_string();
    case Kind::integer:
      return v.is_number_integer();
    case Kind::floating:
      return v.is_number_float();
    case Kind::boolean:
      return v.is_boolean();
    case Kind::object:
      return v.is_object();
    case Kind::array:
      return v.is_array();
  }
  return false;
}

struct FieldCase {
  std::string name;  // test name suffix
  std::string key;   // the RunState key it changes
  Kind kind;
  std::function<void(RunState&)> change;
};

class RunStateField : public testing::TestWithParam<FieldCase> {};

TEST_P(RunStateField, SurvivesRoundTripWithItsJsonType) {
  const FieldCase& c = GetParam();
  RunState changed;
  c.change(changed);
  ASSERT_NE(changed, RunState{}) << "the case must change the state";
  const json j = json::parse(json(changed).dump());
  ASSERT_TRUE(j.contains(c.key));
  EXPECT_TRUE(has_kind(j.at(c.key), c.kind)) << j.at(c.key).dump();
  EXPECT_NE(j.at(c.key), json(RunState{}).at(c.key));
  EXPECT_EQ(j.get<RunState>(), changed);
}

INSTANTIATE_TEST_SUITE_P(
    EachField, RunStateField,
    testing::Values(
        FieldCase{"course_id", "course_id", Kind::string, [](RunState& s) { s.course_id = "c-9"; }},
        FieldCase{"user_id", "user_id", Kind::string, [](RunState& s) { s.user_id = "u-9"; }},
        FieldCase{"query", "query", Kind::string, [](RunState& s) { s.query = kUnicode; }},
        FieldCase{"hours", "hours", Kind::floating, [](RunState& s) { s.hours = 2.5; }},
        FieldCase{"hours_tiny", "hours", Kind::floating, [](RunState& s) { s.hours = 0.1; }},
        FieldCase{"preferences_depth", "preferences", Kind::object,
                  [](RunState& s) { s.preferences.depth = Depth::overview; }},
        FieldCase{"preferences_style", "preferences", Kind::object,
                  [](RunState& s) { s.preferences.presentation_style = "formal"; }},
        FieldCase{"preferences_pace", "preferences", Kind::object,
                  [](RunState& s) { s.preferences.pace = Pace::quick; }},
        FieldCase{"preferences_notes", "preferences", Kind::object,
                  [](RunState& s) { s.preferences.additional_notes = kUnicode; }},
        FieldCase{"phase", "phase", Kind::string, [](RunState& s) { s.phase = Phase::storing; }},
        FieldCase{"last_seq", "last_seq", Kind::integer, [](RunState& s) { s.last_seq = 7; }},
        FieldCase{"books", "books", Kind::array, [](RunState& s) { s.books = {sample_book()}; }},
        FieldCase{"course_title", "course_title", Kind::string,
                  [](RunState& s) { s.course_title = "Valuation"; }},
        FieldCase{"course_title_empty", "course_title", Kind::string,
                  [](RunState& s) { s.course_title = ""; }},
        FieldCase{"parts", "parts", Kind::array,
                  [](RunState& s) {
                    s.parts = {{"Intro", 30}};
                  }},
        FieldCase{"notes", "notes", Kind::array,
                  [](RunState& s) {
                    s.notes = {{"uncovered_topic", "real options", "No material"}, {"note", "", kUnicode}};
                  }},
        FieldCase{"outline_reads", "outline", Kind::object,
                  [](RunState& s) {
                    s.outline.parts = {PartDraft{"P", 30, {SectionDraft{"S", 30, {"a"}, {{"b1", 2, "Risk"}, {"b2", 1, ""}}}}}};
                  }},
        FieldCase{"next_part_index", "next_part_index", Kind::integer,
                  [](RunState& s) { s.next_part_index = 3; }},
        FieldCase{"outline", "outline", Kind::object,
                  [](RunState& s) { s.outline = sample_outline(); }},
        FieldCase{"review_rounds", "review_rounds", Kind::integer,
                  [](RunState& s) { s.review_rounds = 1; }},
        FieldCase{"repairs", "repairs", Kind::integer, [](RunState& s) { s.repairs = 2; }},
        FieldCase{"course_stored", "course_stored", Kind::boolean, [](RunState& s) { s.course_stored = true; }},
        FieldCase{"last_error", "last_error", Kind::object,
                  [](RunState& s) {
                    s.last_error = Error{"provider_error", "bad key"};
                  }},
        FieldCase{"usage", "usage", Kind::object,
                  [](RunState& s) {
                    s.usage = TokenUsage{10, 20, 1};
                  }},
        FieldCase{"created_at_ms", "created_at_ms", Kind::integer,
                  [](RunState& s) { s.created_at_ms = 1'795'000'000'123; }},
        FieldCase{"updated_at_ms", "updated_at_ms", Kind::integer,
                  [](RunState& s) { s.updated_at_ms = 1'795'000'000'456; }},
        FieldCase{"expires_at_ms", "expires_at_ms", Kind::integer,
                  [](RunState& s) { s.expires_at_ms = 1'795'604'800'456; }}),
    [](const testing::TestParamInfo<FieldCase>& test) { return test.param.name; });

}  // namespace
}  // namespace docprof::domain
