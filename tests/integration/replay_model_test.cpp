// ReplayModel and the cassette format: matching by task, order and reuse of entries, errors and
// their classification (classify_http_status), delays, malformed cassettes, thread safety, and a
// recorded course run whose answers go through the real outline parsers.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/llm/provider_errors.h"
#include "adapters/llm/replay_model.h"
#include "domain/outline_parser.h"
#include "integration/cassette_writer.h"
#include "integration/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using docprof::adapters::llm::classify_http_status;
using docprof::adapters::llm::ReplayModel;
using docprof::domain::LlmRequest;
using docprof::domain::ModelOutcome;
using docprof::ports::CallContext;
using docprof::ports::LlmResult;
using docprof::ports::ProviderError;
using docprof::test_support::TempDir;
using docprof::test_support::write_cassette_text;

const fs::path kCassettes = fs::path(DOCPROF_FIXTURES_DIR) / "cassettes";

LlmRequest request(const std::string& task) {
  LlmRequest r;
  r.prompt_id = "courses.generate_parts";
  r.task = task;
  r.rendered = "prompt for " + task;
  return r;
}

ModelOutcome outcome(const LlmResult& result) {
  if (const auto* error = std::get_if<ProviderError>(&result)) {
    ADD_FAILURE() << "unexpected error " << error->code << ": " << error->message;
    return {};
  }
  return std::get<ModelOutcome>(result);
}

ProviderError error(const LlmResult& result) {
  if (!std::holds_alternative<ProviderError>(result)) {
    ADD_FAILURE() << "expected an error, got text: " << std::get<ModelOutcome>(result).text;
    return {};
  }
  return std::get<ProviderError>(result);
}

std::string construction_error(const fs::path& path) {
  try {
    ReplayModel model(path);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

// --- classify_http_status --------------------------------------------------------------------

TEST(ClassifyHttpStatus, TransientStatuses) {
  for (const auto& [status, code] :
       std::vector<std::pair<int, std::string>>{{429, "rate_limited"},
                                                {408, "timeout"},
                                                {409, "conflict"},
                                                {500, "server_error"},
                                                {502, "server_error"},
                                                {503, "server_error"},
                                                {504, "server_error"}}) {
    const ProviderError e = classify_http_status(status, "boom");
    EXPECT_TRUE(e.transient) << status;
    EXPECT_EQ(e.code, code) << status;
    EXPECT_EQ(e.http_status, status);
    EXPECT_EQ(e.message, "boom");
  }
}

TEST(ClassifyHttpStatus, PermanentStatuses) {
  for (const auto& [status, code] : std::vector<std::pair<int, std::string>>{{400, "bad_request"},
                                                                             {401, "unauthorized"},
                                                                             {403, "forbidden"},
                                                                             {404, "not_found"},
                                                                             {422, "unprocessable"},
                                                                             {413, "client_error"},
                                                                             {302, "http_error"}}) {
    const ProviderError e = classify_http_status(status, "no");
    EXPECT_FALSE(e.transient) << status;
    EXPECT_EQ(e.code, code) << status;
  }
}

TEST(ClassifyHttpStatus, EmptyMessageNamesTheStatus) {
  EXPECT_EQ(classify_http_status(503, "").message, "HTTP 503");
  EXPECT_FALSE(classify_http_status(503, "").retry_after_ms.has_value());
}

// --- replay ----------------------------------------------------------------------------------

TEST(ReplayModel, NameIsReplayAndThePath) {
  const fs::path path = kCassettes / "valuation_2h.jsonl";
  ReplayModel model(path);
  EXPECT_EQ(model.name(), "replay:" + path.string());
  EXPECT_EQ(model.entry_count(), 3u);
}

TEST(ReplayModel, AnswersEachTaskWithItsRecordedTextUsageAndFinishReason) {
  ReplayModel model(kCassettes / "valuation_2h.jsonl");
  const ModelOutcome parts = outcome(model.complete(request("generate_course_parts"), {}));
  EXPECT_TRUE(parts.text.starts_with("Course title: Corporate Valuation in Two Hours"));
  EXPECT_EQ(parts.usage.input_tokens, 1843);
  EXPECT_EQ(parts.usage.output_tokens, 61);
  EXPECT_EQ(parts.usage.calls, 1);
  EXPECT_EQ(parts.finish_reason, "stop");
  const ModelOutcome sections = outcome(model.complete(request("generate_part_sections_1"), {}));
  EXPECT_TRUE(sections.text.starts_with("## Part 2: DCF Valuation"));
}

TEST(ReplayModel, RecordedAnswersParseWithTheOutlineParsers) {
  ReplayModel model(kCassettes / "valuation_2h.jsonl");
  const auto parts = docprof::domain::parse_parts(
      outcome(model.complete(request("generate_course_parts"), {})).text);
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->parts.size(), 2u);
  EXPECT_EQ(parts->parts[0].minutes + parts->parts[1].minutes, 120);
  for (const std::string task : {"generate_part_sections_0", "generate_part_sections_1"}) {
    const auto sections =
        docprof::domain::parse_sections(outcome(model.complete(request(task), {})).text);
    ASSERT_TRUE(sections.ok()) << task << ": " << sections.error().message;
    EXPECT_EQ(sections->sections.size(), 2u) << task;
  }
}

TEST(ReplayModel, HandsOutEntriesInFileOrderThenReusesTheLast) {
  ReplayModel model(kCassettes / "valuation_trouble.jsonl");
  const LlmRequest parts = request("generate_course_parts");
  EXPECT_TRUE(outcome(model.complete(parts, {})).text.starts_with("I'd be happy to help"));
  const std::string second = outcome(model.complete(parts, {})).text;
  EXPECT_TRUE(second.starts_with("Course title:"));
  EXPECT_EQ(outcome(model.complete(parts, {})).text, second);
  EXPECT_EQ(outcome(model.complete(parts, {})).text, second);
}

TEST(ReplayModel, TasksHaveTheirOwnCursors) {
  ReplayModel model(kCassettes / "valuation_trouble.jsonl");
  EXPECT_TRUE(outcome(model.complete(request("generate_course_parts"), {}))
                  .text.starts_with("I'd be happy"));
  EXPECT_EQ(error(model.complete(request("generate_part_sections_0"), {})).http_status, 429);
  EXPECT_TRUE(outcome(model.complete(request("generate_course_parts"), {}))
                  .text.starts_with("Course title:"));
  EXPECT_EQ(error(model.complete(request("generate_part_sections_0"), {})).http_status, 503);
}

TEST(ReplayModel, EachInstanceStartsFromTheFirstEntry) {
  const fs::path path = kCassettes / "valuation_trouble.jsonl";
  ReplayModel first(path);
  (void)first.complete(request("generate_course_parts"), {});
  ReplayModel second(path);
  EXPECT_TRUE(outcome(second.complete(request("generate_course_parts"), {}))
                  .text.starts_with("I'd be happy"));
}

TEST(ReplayModel, ErrorEntriesBecomeClassifiedProviderErrors) {
  ReplayModel model(kCassettes / "valuation_trouble.jsonl");
  const LlmRequest sections = request("generate_part_sections_0");
  const ProviderError rate = error(model.complete(sections, {}));
  EXPECT_EQ(rate.code, "rate_limited");
  EXPECT_TRUE(rate.transient);
  EXPECT_EQ(rate.message, "Rate limit reached for requests per minute. Please try again in 2s.");
  EXPECT_EQ(rate.retry_after_ms, 2000);
  const ProviderError overloaded = error(model.complete(sections, {}));
  EXPECT_EQ(overloaded.code, "server_error");
  EXPECT_TRUE(overloaded.transient);
  EXPECT_FALSE(overloaded.retry_after_ms.has_value());
  EXPECT_TRUE(outcome(model.complete(sections, {})).text.starts_with("## Part 1"));
}

TEST(ReplayModel, PermanentErrorsAndErrorsWithoutAnHttpStatus) {
  ReplayModel model(kCassettes / "valuation_trouble.jsonl");
  const ProviderError key = error(model.complete(request("bad_key"), {}));
  EXPECT_EQ(key.code, "unauthorized");
  EXPECT_FALSE(key.transient);
  EXPECT_EQ(key.http_status, 401);
  const ProviderError timeout = error(model.complete(request("review_and_adjust_outline"), {}));
  EXPECT_EQ(timeout.code, "timeout");
  EXPECT_TRUE(timeout.transient);
  EXPECT_EQ(timeout.http_status, 0);
  EXPECT_EQ(timeout.message, "no answer within 120 s");
}

TEST(ReplayModel, TruncatedAnswersKeepFinishReasonLengthAndUsageCalls) {
  ReplayModel model(kCassettes / "valuation_trouble.jsonl");
  const ModelOutcome cut = outcome(model.complete(request("generate_part_sections_1"), {}));
  EXPECT_EQ(cut.finish_reason, "length");
  EXPECT_EQ(cut.text.size(), 200u);
  const ModelOutcome whole = outcome(model.complete(request("generate_part_sections_1"), {}));
  EXPECT_EQ(whole.finish_reason, "stop");
  EXPECT_EQ(whole.usage.calls, 2);
}

TEST(ReplayModel, UnknownTaskIsAPermanentNoCassetteEntryError) {
  const fs::path path = kCassettes / "valuation_2h.jsonl";
  ReplayModel model(path);
  const ProviderError e = error(model.complete(request("generate_part_sections_7"), {}));
  EXPECT_EQ(e.code, "no_cassette_entry");
  EXPECT_FALSE(e.transient);
  EXPECT_NE(e.message.find("generate_part_sections_7"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find(path.string()), std::string::npos) << e.message;
}

TEST(ReplayModel, DelaySleepsBeforeAnswering) {
  TempDir dir;
  const fs::path path = write_cassette_text(dir.path() / "slow.jsonl",
                                            R"({"task": "t", "response": "late", "delay_ms": 60})"
                                            "\n");
  ReplayModel model(path);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(outcome(model.complete(request("t"), {})).text, "late");
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(60));
}

TEST(ReplayModel, MissingCassetteFailsAtConstruction) {
  const std::string message = construction_error(kCassettes / "no_such_cassette.jsonl");
  EXPECT_NE(message.find("no_such_cassette.jsonl"), std::string::npos) << message;
  EXPECT_NE(message.find("cannot open"), std::string::npos) << message;
}

TEST(ReplayModel, MalformedJsonNamesTheLine) {
  const std::string message = construction_error(kCassettes / "malformed_line3.jsonl");
  EXPECT_NE(message.find("malformed_line3.jsonl:3:"), std::string::npos) << message;
  EXPECT_NE(message.find("invalid JSON"), std::string::npos) << message;
}

TEST(ReplayModel, NumberOutOfRangeIsInvalidJsonNamingTheLine) {
  // Issue 11, defect 8: nlohmann reports 1e400 as out_of_range, which used to escape unnamed.
  TempDir dir;
  const fs::path path = write_cassette_text(
      dir.path() / "overflow.jsonl",
      "{\"task\": \"t\", \"response\": \"fine\"}\n"
      "{\"task\": \"t\", \"response\": \"x\", \"usage\": {\"input_tokens\": 1e400}}\n");
  const std::string message = construction_error(path);
  EXPECT_NE(message.find("overflow.jsonl:2: invalid JSON"), std::string::npos) << message;
  EXPECT_NE(message.find("1e400"), std::string::npos) << message;
}

TEST(ReplayModel, EntryWithoutTaskNamesTheLineAndKey) {
  const std::string message = construction_error(kCassettes / "missing_task.jsonl");
  EXPECT_NE(message.find("missing_task.jsonl:2:"), std::string::npos) << message;
  EXPECT_NE(message.find("\"task\""), std::string::npos) << message;
}

TEST(ReplayModel, InvalidEntriesAreRejected) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"task": "t"})", "response"},
      {R"({"task": "", "response": "x"})", "task"},
      {R"({"task": "t", "response": 42})", "response"},
      {R"({"task": "t", "response": "x", "finish_reason": "content_filter"})", "finish_reason"},
      {R"({"task": "t", "response": "x", "delay_ms": -5})", "delay_ms"},
      {R"({"task": "t", "response": "x", "usage": {"input_tokens": "many"}})",
       "usage.input_tokens"},
      {R"({"task": "t", "error": {"message": "no status"}})", "error"},
      {R"({"task": "t", "error": {"status": 1200}})", "error.status"},
      {R"(["task", "t"])", "object"},
  };
  int i = 0;
  for (const auto& [line, key] : cases) {
    const fs::path path =
        write_cassette_text(dir.path() / ("bad" + std::to_string(i++) + ".jsonl"), line + "\n");
    const std::string message = construction_error(path);
    EXPECT_NE(message.find(":1:"), std::string::npos) << line << " -> " << message;
    EXPECT_NE(message.find(key), std::string::npos) << line << " -> " << message;
  }
}

TEST(ReplayModel, ToleratesBlankLinesCrlfAndUnknownKeysAndDefaultsUsage) {
  TempDir dir;
  const fs::path path = write_cassette_text(
      dir.path() / "crlf.jsonl",
      "\r\n{\"task\": \"t\", \"response\": \"one\", \"model\": \"gpt-x\"}\r\n\r\n"
      "   \n{\"task\": \"t\", \"response\": \"two\"}\r\n");
  ReplayModel model(path);
  EXPECT_EQ(model.entry_count(), 2u);
  const ModelOutcome one = outcome(model.complete(request("t"), {}));
  EXPECT_EQ(one.text, "one");
  EXPECT_EQ(one.usage.input_tokens, 0);
  EXPECT_EQ(one.usage.calls, 1);
  EXPECT_EQ(one.finish_reason, "stop");
  EXPECT_EQ(outcome(model.complete(request("t"), {})).text, "two");
}

TEST(ReplayModel, AnEmptyCassetteAnswersNothing) {
  TempDir dir;
  ReplayModel model(write_cassette_text(dir.path() / "empty.jsonl", ""));
  EXPECT_EQ(model.entry_count(), 0u);
  EXPECT_EQ(error(model.complete(request("generate_course_parts"), {})).code, "no_cassette_entry");
}

TEST(ReplayModel, ConcurrentCallersGetEachEntryExactlyOnceThenTheLast) {
  TempDir dir;
  std::string content;
  for (int i = 0; i < 40; ++i) {
    content += R"({"task": "t", "response": "answer )" + std::to_string(i) + "\"}\n";
  }
  ReplayModel model(write_cassette_text(dir.path() / "many.jsonl", content));
  std::vector<std::vector<std::string>> seen(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 6; ++i) seen[t].push_back(outcome(model.complete(request("t"), {})).text);
    });
  }
  for (std::thread& th : threads) th.join();
  std::multiset<std::string> all;
  for (const auto& s : seen) all.insert(s.begin(), s.end());
  ASSERT_EQ(all.size(), 48u);
  for (int i = 0; i < 39; ++i) EXPECT_EQ(all.count("answer " + std::to_string(i)), 1u) << i;
  EXPECT_EQ(all.count("answer 39"), 9u);  // the last entry, then 8 reuses
}

}  // namespace
