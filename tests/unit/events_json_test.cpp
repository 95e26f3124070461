#include "domain/events_json.h"

#include <gtest/gtest.h>

#include <bit>
#include <cfloat>
#include <cstdint>
#include <functional>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/models_json.h"

namespace docprof::domain {
namespace {

using nlohmann::json;

const std::string kUnicode = "\u00C9valuation \u2014 \u4F01\u696D\u4FA1\u5024 \U0001F680";

BookMatch sample_book() {
  BookSummary summary{
      "Valuation",
      "McKinsey",
      1,
      "How to value companies.",
      {ChapterSummary{3, "DCF", "Cash flows.", {{"FCF", {"FCFF"}, {"WACC"}, "1-9"}}}}};
  return BookMatch{"book-1", kUnicode, "McKinsey", 0.625, {{3, 0.5, {}}}, summary, {}, {}};
}

Envelope envelope_with(EventPayload payload) {
  return Envelope{"0b6c7f1e-2d7c-4d5e-9a51-9c2f0d6a1b11",
                  "course-1",
                  3,
                  "2026-11-28T15:31:05.123Z",
                  2,
                  std::move(payload)};
}

// One sample payload of each type, every field away from its default.
std::vector<EventPayload> sample_payloads() {
  return {
      CourseRequested{
          kUnicode, 2.5, {Depth::technical, "detailed", Pace::thorough, "examples"}, "u-1"},
      EmbeddingGenerated{{0.1F, -0.25F, 1e-30F, 3.4e38F}, "hashing-v1/512", {5, 0, 1}},
      // References, as the event carries them (the whole matches are kept with the run).
      BookSummariesFound{{BookMatch{"book-1", "Investment Valuation", "Aswath Damodaran", 0.8, {}, {}, {}, {},
                                    {"valuation"}},
                          BookMatch{"book-2", "Corporate Finance", "", 0.3, {}, {}, {}, {}}}},
      PartsGenerated{"Part 1: Basics - 60 minutes\nTotal: 60 minutes", {100, 50, 1}},
      PartSectionsGenerated{"## Part 2: " + kUnicode, 1, {200, 150, 2}},
      AllPartsComplete{},
      OutlineReviewed{true, "## Part 1: Basics", "review ok", {300, 250, 1}},
      CourseStored{"course-1", "Corporate Valuation", 246},
      CourseFailed{"no_relevant_books", "nothing matched", "searching_books"},
      RevisionRequested{2, "add a section on " + kUnicode, "u-1"},
      OutlineRevised{"Course length: 3 hours\n\n## Part 1: Basics", {400, 350, 1}},
      RevisionStored{"course-1", 2, 180},
      IngestRequested{"/books/" + kUnicode + ".pdf", kUnicode + ".pdf", "book-1", "A title", "An author",
                      "replay:/c.jsonl", true, "u-1"},
      DocumentParsed{"book-1", "A title", "pdf", "abc123", 12, 34567, 210, true},
      ChapterSummarized{3, 1, 4, "{\"summary\": \"" + kUnicode + "\"}", {500, 120, 1}},
      BookSummarized{"{\"summary\": \"A book.\"}", {600, 80, 1}},
      BookStored{"book-1", "A title", "replaced", 12, 345},
      IngestFailed{"invalid_document", "no text found", "parsing"},
  };
}

// The documented payload keys of each type (domain.md §2 + usage/model metadata).
const std::vector<std::set<std::string>> kPayloadKeys{
    {"query", "hours", "preferences", "user_id"},
    {"embedding", "model", "usage"},
    {"books"},
    {"parts_text", "usage"},
    {"sections_text", "part_index", "usage"},
    {},
    {"reviewed", "reviewed_outline_text", "note", "usage"},
    {"course_id", "title", "total_minutes"},
    {"code", "message", "phase"},
    {"revision", "revision_request", "user_id"},
    {"revised_outline_text", "usage"},
    {"course_id", "revision", "total_minutes"},
    {"path", "file_name", "book_id", "title", "author", "summarizer", "owned", "user_id"},
    {"book_id", "title", "format", "sha256", "chapters", "words", "pages", "unchanged"},
    {"chapter_index", "part_index", "parts", "summary_text", "usage"},
    {"summary_text", "usage"},
    {"book_id", "title", "status", "chapters", "chunks"},
    {"code", "message", "phase"},
};

json valid_envelope_json() {
  return json(envelope_with(PartSectionsGenerated{"text", 0, {1, 2, 3}}));
}

// ---------------------------------------------------------------------------------------------
// Event type names

TEST(EventTypeNames, EveryTypeParsesBackFromItsName) {
  std::set<std::string> names;
  for (int i = 0; i < kEventTypeCount; ++i) {
    const auto type = static_cast<EventType>(i);
    names.insert(std::string(to_string(type)));
    const auto parsed = parse_event_type(to_string(type));
    ASSERT_TRUE(parsed.ok()) << to_string(type);
    EXPECT_EQ(*parsed, type);
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(kEventTypeCount));
}

TEST(EventTypeNames, NamesAreTheDocumentedOnes) {
  EXPECT_EQ(to_string(EventType::CourseRequested), "CourseRequested");
  EXPECT_EQ(to_string(EventType::PartSectionsGenerated), "PartSectionsGenerated");
  EXPECT_EQ(to_string(EventType::CourseFailed), "CourseFailed");
}

TEST(EventTypeNames, UnknownAndWrongCaseNamesAreErrors) {
  const auto r = parse_event_type("CourseCreated");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_event");
  EXPECT_NE(r.error().message.find("unknown event type 'CourseCreated'"), std::string::npos);
  EXPECT_FALSE(parse_event_type("courserequested").ok());
  EXPECT_FALSE(parse_event_type("").ok());
}

// ---------------------------------------------------------------------------------------------
// Round trips: every type

class EveryEventType : public testing::TestWithParam<int> {};

TEST_P(EveryEventType, EnvelopeRoundTripsThroughText) {
  const Envelope e = envelope_with(sample_payloads().at(static_cast<std::size_t>(GetParam())));
  ASSERT_EQ(static_cast<int>(e.type()), GetParam());
  const json j = json::parse(json(e).dump());
  EXPECT_EQ(j.at("type"), std::string(to_string(e.type())));
  EXPECT_TRUE(j.at("seq").is_number_integer());
  EXPECT_TRUE(j.at("attempt").is_number_integer());
  const auto back = envelope_from_json(j);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, e);
}

TEST_P(EveryEventType, PayloadHasExactlyTheDocumentedKeys) {
  const auto index = static_cast<std::size_t>(GetParam());
  const json j = payload_to_json(sample_payloads().at(index));
  ASSERT_TRUE(j.is_object());  // even AllPartsComplete: {} and never null
  std::set<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.insert(key);
  EXPECT_EQ(keys, kPayloadKeys.at(index));
}

TEST_P(EveryEventType, PayloadFromJsonInvertsPayloadToJson) {
  const EventPayload p = sample_payloads().at(static_cast<std::size_t>(GetParam()));
  const auto back = payload_from_json(static_cast<EventType>(GetParam()), payload_to_json(p));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, p);
}

INSTANTIATE_TEST_SUITE_P(AllTypes, EveryEventType, testing::Range(0, kEventTypeCount),
                         [](const testing::TestParamInfo<int>& test) {
                           return std::string(to_string(static_cast<EventType>(test.param)));
                         });

TEST(EventJson, EnvelopeHasExactlyTheSevenKeys) {
  const json j = valid_envelope_json();
  std::set<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.insert(key);
  EXPECT_EQ(keys, (std::set<std::string>{"event_id", "course_id", "seq", "type", "occurred_at",
                                         "attempt", "payload"}));
}

TEST(EventJson, CourseRequestedHoursStayANumber) {
  const json j = json::parse(json(envelope_with(sample_payloads()[0])).dump());
  EXPECT_TRUE(j.at("payload").at("hours").is_number_float());
  EXPECT_EQ(j.at("payload").at("hours").get<double>(), 2.5);
}

TEST(EventJson, EmbeddingFloatsRoundTripBitForBit) {
  std::vector<float> values{
      0.0F,        -0.0F,   1.0F / 3.0F, 3.14159265F,
      FLT_MIN,     FLT_MAX, -FLT_MAX,    std::numeric_limits<float>::denorm_min(),
      FLT_EPSILON, 1e-45F};
  std::uint32_t state = 12345;  // a fixed LCG over bit patterns: many exponents and mantissas
  while (values.size() < 2000) {
    state = state * 1664525U + 1013904223U;
    const auto f = std::bit_cast<float>(state);
    if (f == f && f - f == 0.0F) values.push_back(f);  // finite only: JSON has no NaN or infinity
  }
  const Envelope e = envelope_with(EmbeddingGenerated{values, "m", {}});
  const auto back = envelope_from_json(json::parse(json(e).dump()));
  ASSERT_TRUE(back.ok()) << back.error().message;
  const auto& got = std::get<EmbeddingGenerated>(back->payload).embedding;
  ASSERT_EQ(got.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(std::bit_cast<std::uint32_t>(got[i]), std::bit_cast<std::uint32_t>(values[i]))
        << "index " << i << " value " << values[i];
  }
}

TEST(EventJson, FirstEventBoundariesAreAccepted) {
  // seq 0 and attempt 1 as a parser produces them (unsigned integers), not as C++ literals.
  json j = valid_envelope_json();
  j["seq"] = json::parse("0");
  j["attempt"] = json::parse("1");
  const auto r = envelope_from_json(j);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->seq, 0);
  EXPECT_EQ(r->attempt, 1);
}

TEST(EventJson, UnicodeTextsRoundTrip) {
  const Envelope e = envelope_with(PartsGenerated{kUnicode + "\n\u2022 " + kUnicode, {}});
  const auto back = envelope_from_json(json::parse(json(e).dump()));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(std::get<PartsGenerated>(back->payload).parts_text, kUnicode + "\n\u2022 " + kUnicode);
}

TEST(EventJson, UnknownKeysAreIgnored) {
  json j = valid_envelope_json();
  j["trace_id"] = "abc";
  j["payload"]["extra"] = 1;
  EXPECT_TRUE(envelope_from_json(j).ok());
}

TEST(EventJson, MetadataDefaultsWhenMissing) {
  auto p = payload_from_json(EventType::OutlineReviewed, json::parse(R"({"reviewed":false})"));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(std::get<OutlineReviewed>(*p), OutlineReviewed{});
  p = payload_from_json(EventType::EmbeddingGenerated, json::parse(R"({"embedding":[1,2.5]})"));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(std::get<EmbeddingGenerated>(*p), (EmbeddingGenerated{{1.0F, 2.5F}, "", {}}));
}

TEST(EventJson, MissingPreferencesAreTheDefaults) {
  const auto p = payload_from_json(EventType::CourseRequested,
                                   json::parse(R"({"query":"q","hours":2,"user_id":"u"})"));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(std::get<CourseRequested>(*p), (CourseRequested{"q", 2.0, {}, "u"}));
}

TEST(EventJson, AllPartsCompleteNeedsAnObject) {
  EXPECT_TRUE(payload_from_json(EventType::AllPartsComplete, json::object()).ok());
  const auto r = payload_from_json(EventType::AllPartsComplete, json(nullptr));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "payload: expected an object");
}

TEST(EventJson, PayloadOfAnotherTypeIsRejected) {
  const json parts = payload_to_json(PartsGenerated{"x", {}});
  const auto r = payload_from_json(EventType::PartSectionsGenerated, parts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), (Error{"invalid_event", "payload.sections_text: missing"}));
}

// ---------------------------------------------------------------------------------------------
// Malformed envelopes: each one problem, each one specific message

struct BadEnvelope {
  std::string name;
  std::function<void(json&)> spoil;
  std::string message;
};

class MalformedEnvelope : public testing::TestWithParam<BadEnvelope> {};

TEST_P(MalformedEnvelope, IsASpecificInvalidEventError) {
  json j = valid_envelope_json();
  GetParam().spoil(j);
  Result<Envelope> r = Error{"", ""};
  ASSERT_NO_THROW(r = envelope_from_json(j));
  ASSERT_FALSE(r.ok()) << j.dump();
  EXPECT_EQ(r.error().code, "invalid_event");
  EXPECT_EQ(r.error().message, GetParam().message);
}

json& pl(json& j) {
  return j["payload"];
}

INSTANTIATE_TEST_SUITE_P(
    EachField, MalformedEnvelope,
    testing::Values(
        BadEnvelope{"not_an_object", [](json& j) { j = json::array({1}); },
                    "$: expected an object"},
        BadEnvelope{"event_id_missing", [](json& j) { j.erase("event_id"); }, "event_id: missing"},
        BadEnvelope{"event_id_empty", [](json& j) { j["event_id"] = ""; },
                    "event_id: expected a non-empty string"},
        BadEnvelope{"event_id_number", [](json& j) { j["event_id"] = 7; },
                    "event_id: expected a non-empty string"},
        BadEnvelope{"course_id_missing", [](json& j) { j.erase("course_id"); },
                    "course_id: missing"},
        BadEnvelope{"course_id_null", [](json& j) { j["course_id"] = nullptr; },
                    "course_id: expected a non-empty string"},
        BadEnvelope{"seq_missing", [](json& j) { j.erase("seq"); }, "seq: missing"},
        BadEnvelope{"seq_negative", [](json& j) { j["seq"] = -1; },
                    "seq: expected an integer >= 0"},
        BadEnvelope{"seq_fraction", [](json& j) { j["seq"] = 1.5; },
                    "seq: expected an integer >= 0"},
        BadEnvelope{"seq_string", [](json& j) { j["seq"] = "3"; }, "seq: expected an integer >= 0"},
        BadEnvelope{"seq_too_big", [](json& j) { j["seq"] = std::uint64_t{1} << 63; },
                    "seq: integer out of range"},
        BadEnvelope{"type_missing", [](json& j) { j.erase("type"); }, "type: missing"},
        BadEnvelope{"type_number", [](json& j) { j["type"] = 4; }, "type: expected a string"},
        BadEnvelope{
            "type_unknown", [](json& j) { j["type"] = "CourseCreated"; },
            "type: unknown event type 'CourseCreated' (expected one of: CourseRequested, "
            "EmbeddingGenerated, BookSummariesFound, PartsGenerated, PartSectionsGenerated, "
            "AllPartsComplete, OutlineReviewed, CourseStored, CourseFailed, RevisionRequested, "
            "OutlineRevised, RevisionStored, IngestRequested, DocumentParsed, ChapterSummarized, "
            "BookSummarized, BookStored, IngestFailed)"},
        BadEnvelope{"occurred_at_missing", [](json& j) { j.erase("occurred_at"); },
                    "occurred_at: missing"},
        BadEnvelope{"occurred_at_number", [](json& j) { j["occurred_at"] = 1795000000000; },
                    "occurred_at: expected a string"},
        BadEnvelope{"attempt_missing", [](json& j) { j.erase("attempt"); }, "attempt: missing"},
        BadEnvelope{"attempt_zero", [](json& j) { j["attempt"] = 0; },
                    "attempt: expected an integer >= 1"},
        BadEnvelope{"attempt_zero_from_text", [](json& j) { j["attempt"] = json::parse("0"); },
                    "attempt: expected an integer >= 1"},
        BadEnvelope{"attempt_bool", [](json& j) { j["attempt"] = true; },
                    "attempt: expected an integer >= 1"},
        BadEnvelope{"attempt_too_big", [](json& j) { j["attempt"] = std::int64_t{1} << 40; },
                    "attempt: integer out of range"},
        BadEnvelope{"payload_missing", [](json& j) { j.erase("payload"); }, "payload: missing"},
        BadEnvelope{"payload_array", [](json& j) { j["payload"] = json::array(); },
                    "payload: expected an object"},
        BadEnvelope{"payload_field_missing", [](json& j) { pl(j).erase("sections_text"); },
                    "payload.sections_text: missing"},
        BadEnvelope{"payload_text_number", [](json& j) { pl(j)["sections_text"] = 1; },
                    "payload.sections_text: expected a string"},
        BadEnvelope{"part_index_negative", [](json& j) { pl(j)["part_index"] = -2; },
                    "payload.part_index: expected an integer >= 0"},
        BadEnvelope{"usage_counter_string", [](json& j) { pl(j)["usage"]["calls"] = "1"; },
                    "payload.usage.calls: expected an integer"},
        BadEnvelope{"usage_not_object", [](json& j) { pl(j)["usage"] = 5; },
                    "payload.usage: expected an object"},
        BadEnvelope{"type_payload_mismatch", [](json& j) { j["type"] = "CourseStored"; },
                    "payload.course_id: missing"}),
    [](const testing::TestParamInfo<BadEnvelope>& test) { return test.param.name; });

// Payload-specific problems, read through the envelope so the paths are the envelope's.
struct BadPayload {
  std::string name;
  EventPayload payload;
  std::function<void(json&)> spoil;  // applied to the payload object
  std::string message;
};

class MalformedPayload : public testing::TestWithParam<BadPayload> {};

TEST_P(MalformedPayload, IsASpecificInvalidEventError) {
  json j = envelope_with(GetParam().payload);
  GetParam().spoil(j["payload"]);
  const auto r = envelope_from_json(j);
  ASSERT_FALSE(r.ok()) << j.dump();
  EXPECT_EQ(r.error(), (Error{"invalid_event", GetParam().message}));
}

INSTANTIATE_TEST_SUITE_P(
    EachType, MalformedPayload,
    testing::Values(
        BadPayload{"hours_string", CourseRequested{"q", 2, {}, "u"},
                   [](json& p) { p["hours"] = "2.0"; }, "payload.hours: expected a number"},
        BadPayload{"query_missing", CourseRequested{"q", 2, {}, "u"},
                   [](json& p) { p.erase("query"); }, "payload.query: missing"},
        BadPayload{"depth_unknown", CourseRequested{"q", 2, {}, "u"},
                   [](json& p) { p["preferences"]["depth"] = "deep"; },
                   "payload.preferences.depth: unknown depth 'deep' (expected one of: overview, "
                   "balanced, technical, expert)"},
        BadPayload{"embedding_not_array", EmbeddingGenerated{{1.0F}, "m", {}},
                   [](json& p) { p["embedding"] = "1,2"; },
                   "payload.embedding: expected an array of numbers"},
        BadPayload{"embedding_element_string", EmbeddingGenerated{{1.0F, 2.0F}, "m", {}},
                   [](json& p) { p["embedding"][1] = "2"; },
                   "payload.embedding[1]: expected a number"},
        BadPayload{"embedding_beyond_float", EmbeddingGenerated{{1.0F}, "m", {}},
                   [](json& p) { p["embedding"][0] = 1e39; },
                   "payload.embedding[0]: number out of float range"},
        BadPayload{"books_not_array", BookSummariesFound{},
                   [](json& p) { p["books"] = json::object(); },
                   "payload.books: expected an array"},
        BadPayload{"book_not_object", BookSummariesFound{{sample_book()}},
                   [](json& p) { p["books"][0] = "b"; }, "payload.books[0]: expected an object"},
        BadPayload{"book_similarity_missing", BookSummariesFound{{sample_book()}},
                   [](json& p) { p["books"][0].erase("similarity"); },
                   "payload.books[0].similarity: missing"},
        BadPayload{"book_summary_deep", BookSummariesFound{{sample_book()}},
                   [](json& p) {  // an event from before the matches were kept with the run
                     p["books"][0] = json(sample_book());
                     p["books"][0]["summary"]["chapters"][0]["sections"][0]["topics"][0] = 1;
                   },
                   "payload.books[0].summary.chapters[0].sections[0].topics[0]: expected a string"},
        BadPayload{"parts_text_null", PartsGenerated{"x", {}},
                   [](json& p) { p["parts_text"] = nullptr; },
                   "payload.parts_text: expected a string"},
        BadPayload{"reviewed_string", OutlineReviewed{}, [](json& p) { p["reviewed"] = "false"; },
                   "payload.reviewed: expected a boolean"},
        BadPayload{"reviewed_text_number", OutlineReviewed{true, "x", "", {}},
                   [](json& p) { p["reviewed_outline_text"] = 1; },
                   "payload.reviewed_outline_text: expected a string"},
        BadPayload{"stored_course_id_empty", CourseStored{"c", "t", 60},
                   [](json& p) { p["course_id"] = ""; },
                   "payload.course_id: expected a non-empty string"},
        BadPayload{"stored_minutes_fraction", CourseStored{"c", "t", 60},
                   [](json& p) { p["total_minutes"] = 60.5; },
                   "payload.total_minutes: expected an integer >= 0"},
        BadPayload{"failed_code_missing", CourseFailed{"cancelled", "m", "error"},
                   [](json& p) { p.erase("code"); }, "payload.code: missing"},
        BadPayload{"failed_phase_number", CourseFailed{"cancelled", "m", "error"},
                   [](json& p) { p["phase"] = 3; }, "payload.phase: expected a string"}),
    [](const testing::TestParamInfo<BadPayload>& test) { return test.param.name; });

TEST(EventJson, StandalonePayloadErrorsUseThePayloadPrefix) {
  const auto r = payload_from_json(EventType::CourseStored, json::parse(R"({"course_id":"c"})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), (Error{"invalid_event", "payload.title: missing"}));
}

TEST(EventJson, JunkNeverThrows) {
  for (const json& junk : {json(nullptr), json(1), json("s"), json::array(), json::object(),
                           json::parse(R"({"event_id":[],"course_id":{},"seq":null})")}) {
    Result<Envelope> r = Error{"", ""};
    ASSERT_NO_THROW(r = envelope_from_json(junk)) << junk.dump();
    EXPECT_FALSE(r.ok()) << junk.dump();
  }
}

}  // namespace
}  // namespace docprof::domain
