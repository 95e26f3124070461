#include "domain/commands_json.h"

#include <gtest/gtest.h>

#include <bit>
#include <cfloat>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/models_json.h"

namespace docprof::domain {
namespace {

using nlohmann::json;

const std::string kUnicode = "\u00C9valuation \u2014 \u4F01\u696D\u4FA1\u5024 \U0001F680";

LlmRequest sample_request() {
  return LlmRequest{"courses.expand_part",
                    "generate_part_sections_1",
                    {{"query", kUnicode}, {"part_index", "2"}, {"remaining_text", "None"}},
                    "Break the part into sections...\n" + kUnicode,
                    0.7,
                    3000};
}

Course sample_course() {
  return Course{"course-1",
                "user-1",
                "Corporate Valuation",
                kUnicode,
                4.1,
                "2026-11-28T15:31:05.123Z",
                "2026-11-28T15:31:05.123Z",
                Preferences{Depth::technical, "detailed", Pace::thorough, "x"},
                CourseStatus::active, {{"uncovered_topic", "real options", kUnicode}, {"note", "", "plain"}}};
}

std::vector<CourseSection> sample_sections() {
  CourseSection part;
  part.section_id = "s1";
  part.course_id = "course-1";
  part.order_index = 1;
  part.title = "Foundations";
  part.estimated_minutes = 60;
  part.created_at = "2026-11-28T15:31:05.123Z";
  CourseSection child = part;
  child.section_id = "s2";
  child.parent_section_id = "s1";
  child.order_index = 2;
  child.title = kUnicode;
  child.learning_objectives = {"Explain DCF", "Compute WACC"};
  child.content_summary = "";
  child.chunk_ids = {"k1"};
  child.prerequisites = {"s1"};
  child.sources = {{"b1", kUnicode, 3, "Cash Flows", std::string("FCF")}, {"b2", "Risk", 4, "WACC", std::nullopt}};
  return {part, child};
}

std::vector<Command> sample_commands() {
  return {
      Embed{{kUnicode, "second text", ""}},
      SearchBookSummaries{"value a company", {0.1F, -2.5F, FLT_MIN, 1.0F / 3.0F}, "hashing-v1/512", 10, 0.2},
      CallModel{sample_request()},
      CreateCourse{sample_course()},
      CreateSections{"course-1", sample_sections()},
  };
}

const std::vector<std::string> kNames{"Embed", "SearchBookSummaries", "CallModel", "CreateCourse",
                                      "CreateSections"};
const std::vector<std::set<std::string>> kKeys{
    {"command", "texts"},
    {"command", "query", "embedding", "embedding_model", "top_k", "min_similarity"},
    {"command", "request"},
    {"command", "course"},
    {"command", "course_id", "sections"},
};

class EveryCommand : public testing::TestWithParam<int> {};

TEST_P(EveryCommand, RoundTripsThroughText) {
  const Command c = sample_commands().at(static_cast<std::size_t>(GetParam()));
  const auto back = command_from_json(json::parse(command_to_json(c).dump()));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->index(), c.index());
  EXPECT_EQ(*back, c);
}

TEST_P(EveryCommand, IsNamedAndHasExactlyItsFields) {
  const auto i = static_cast<std::size_t>(GetParam());
  const json j = command_to_json(sample_commands().at(i));
  EXPECT_EQ(j.at("command"), kNames.at(i));
  std::set<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.insert(key);
  EXPECT_EQ(keys, kKeys.at(i));
}

INSTANTIATE_TEST_SUITE_P(AllFive, EveryCommand, testing::Range(0, 5),
                         [](const testing::TestParamInfo<int>& test) {
                           return kNames.at(static_cast<std::size_t>(test.param));
                         });

TEST(LlmRequestJson, RoundTripsWithTypedFields) {
  const json j = json::parse(json(sample_request()).dump());
  EXPECT_TRUE(j.at("variables").is_object());
  EXPECT_EQ(j.at("variables").at("query"), kUnicode);
  EXPECT_TRUE(j.at("temperature").is_number_float());
  EXPECT_TRUE(j.at("max_tokens").is_number_integer());
  EXPECT_EQ(j.get<LlmRequest>(), sample_request());
}

TEST(LlmRequestJson, OnlyPromptIdAndTaskAreRequired) {
  const auto r = json::parse(R"({"prompt_id":"courses.repair","task":"t"})").get<LlmRequest>();
  EXPECT_EQ(r, (LlmRequest{"courses.repair", "t", {}, "", 0.7, 2000}));
  EXPECT_THROW((void)json::parse(R"({"prompt_id":"p"})").get<LlmRequest>(), json::out_of_range);
}

TEST(LlmRequestJson, NonStringVariableIsATypeErrorWithItsPath) {
  try {
    (void)json::parse(R"({"prompt_id":"p","task":"t","variables":{"hours":2}})").get<LlmRequest>();
    FAIL() << "no exception";
  } catch (const json::type_error& e) {
    EXPECT_NE(std::string(e.what()).find("variables.hours: expected a string"), std::string::npos)
        << e.what();
  }
}

TEST(LlmRequestJson, ZeroMaxTokensIsOutOfRange) {
  EXPECT_THROW(
      (void)json::parse(R"({"prompt_id":"p","task":"t","max_tokens":0})").get<LlmRequest>(),
      json::out_of_range);
}

TEST(LlmRequestJson, EmptyVariableValueIsKept) {
  LlmRequest r = sample_request();
  r.variables["existing_outline"] = "";
  EXPECT_EQ(json::parse(json(r).dump()).get<LlmRequest>(), r);
}

TEST(CommandJson, SearchEmbeddingIsExactToTheBit) {
  std::vector<float> values;
  std::uint32_t state = 99;
  while (values.size() < 1000) {
    state = state * 1664525U + 1013904223U;
    const auto f = std::bit_cast<float>(state);
    if (f == f && f - f == 0.0F) values.push_back(f);
  }
  const auto back = command_from_json(
      json::parse(command_to_json(SearchBookSummaries{"q", values, "m", 10, 0.25}).dump()));
  ASSERT_TRUE(back.ok()) << back.error().message;
  const auto& got = std::get<SearchBookSummaries>(*back).embedding;
  ASSERT_EQ(got.size(), values.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(std::bit_cast<std::uint32_t>(got[i]), std::bit_cast<std::uint32_t>(values[i])) << i;
  }
}

TEST(CommandJson, SectionOptionalsKeepNullVersusEmpty) {
  const json j = command_to_json(CreateSections{"course-1", sample_sections()});
  EXPECT_TRUE(j.at("sections")[0].at("parent_section_id").is_null());
  EXPECT_TRUE(j.at("sections")[0].at("content_summary").is_null());
  EXPECT_EQ(j.at("sections")[1].at("content_summary"), "");
}

// Malformed commands: one problem each, one specific message each.
struct BadCommand {
  std::string name;
  int base;  // index into sample_commands()
  std::function<void(json&)> spoil;
  std::string message;
};

class MalformedCommand : public testing::TestWithParam<BadCommand> {};

TEST_P(MalformedCommand, IsASpecificInvalidCommandError) {
  json j = command_to_json(sample_commands().at(static_cast<std::size_t>(GetParam().base)));
  GetParam().spoil(j);
  Result<Command> r = Error{"", ""};
  ASSERT_NO_THROW(r = command_from_json(j));
  ASSERT_FALSE(r.ok()) << j.dump();
  EXPECT_EQ(r.error(), (Error{"invalid_command", GetParam().message}));
}

INSTANTIATE_TEST_SUITE_P(
    EachProblem, MalformedCommand,
    testing::Values(
        BadCommand{"not_an_object", 0, [](json& j) { j = "Embed"; }, "$: expected an object"},
        BadCommand{"command_missing", 0, [](json& j) { j.erase("command"); }, "command: missing"},
        BadCommand{"command_number", 0, [](json& j) { j["command"] = 1; },
                   "command: expected a string"},
        BadCommand{"command_unknown", 0, [](json& j) { j["command"] = "Sleep"; },
                   "command: unknown command 'Sleep' (expected one of: Embed, SearchBookSummaries, "
                   "CallModel, CreateCourse, CreateSections, StoreRevision, ParseDocument, StoreBook)"},
        BadCommand{"texts_missing", 0, [](json& j) { j.erase("texts"); }, "texts: missing"},
        BadCommand{"texts_element", 0, [](json& j) { j["texts"][1] = false; },
                   "texts[1]: expected a string"},
        BadCommand{"embedding_element", 1, [](json& j) { j["embedding"][2] = "x"; },
                   "embedding[2]: expected a number"},
        BadCommand{"embedding_beyond_float", 1, [](json& j) { j["embedding"][0] = -1e300; },
                   "embedding[0]: out of float range"},
        BadCommand{"top_k_fraction", 1, [](json& j) { j["top_k"] = 2.5; },
                   "top_k: expected an integer >= 1"},
        BadCommand{"top_k_zero", 1, [](json& j) { j["top_k"] = 0; },
                   "top_k: expected an integer >= 1"},
        BadCommand{"top_k_zero_from_text", 1, [](json& j) { j["top_k"] = json::parse("0"); },
                   "top_k: expected an integer >= 1"},
        BadCommand{"min_similarity_string", 1, [](json& j) { j["min_similarity"] = "0.2"; },
                   "min_similarity: expected a number"},
        BadCommand{"request_missing", 2, [](json& j) { j.erase("request"); }, "request: missing"},
        BadCommand{"request_task_missing", 2, [](json& j) { j["request"].erase("task"); },
                   "request.task: missing"},
        BadCommand{"request_variables_array", 2,
                   [](json& j) { j["request"]["variables"] = json::array(); },
                   "request.variables: expected an object"},
        BadCommand{"request_variable_number", 2,
                   [](json& j) { j["request"]["variables"]["query"] = 1; },
                   "request.variables.query: expected a string"},
        BadCommand{"request_temperature_string", 2,
                   [](json& j) { j["request"]["temperature"] = "0.7"; },
                   "request.temperature: expected a number"},
        BadCommand{"course_status_missing", 3, [](json& j) { j["course"].erase("status"); },
                   "course.status: missing"},
        BadCommand{"course_not_object", 3, [](json& j) { j["course"] = 1; },
                   "course: expected an object"},
        BadCommand{"course_depth_unknown", 3,
                   [](json& j) { j["course"]["preferences"]["depth"] = "x"; },
                   "course.preferences.depth: unknown depth 'x' (expected one of: overview, "
                   "balanced, technical, expert)"},
        BadCommand{"sections_not_array", 4, [](json& j) { j["sections"] = json::object(); },
                   "sections: expected an array"},
        BadCommand{"section_order_string", 4,
                   [](json& j) { j["sections"][1]["order_index"] = "2"; },
                   "sections[1].order_index: expected an integer"},
        BadCommand{"section_objective_null", 4,
                   [](json& j) { j["sections"][1]["learning_objectives"][0] = nullptr; },
                   "sections[1].learning_objectives[0]: expected a string"}),
    [](const testing::TestParamInfo<BadCommand>& test) { return test.param.name; });

}  // namespace
}  // namespace docprof::domain
