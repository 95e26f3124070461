// RecordingModel: what it writes for answers and errors, appending, flushing, concurrent writers,
// and the round trip: record a run from a ReplayModel, replay the recording, same answers.
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "adapters/llm/provider_errors.h"
#include "adapters/llm/recording_model.h"
#include "adapters/llm/replay_model.h"
#include "integration/cassette_writer.h"
#include "integration/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using docprof::adapters::llm::classify_http_status;
using docprof::adapters::llm::RecordingModel;
using docprof::adapters::llm::ReplayModel;
using docprof::domain::LlmRequest;
using docprof::domain::ModelOutcome;
using docprof::ports::CallContext;
using docprof::ports::LanguageModel;
using docprof::ports::LlmResult;
using docprof::ports::ProviderError;
using docprof::test_support::TempDir;
using docprof::test_support::write_cassette_text;
using nlohmann::json;

const fs::path kCassettes = fs::path(DOCPROF_FIXTURES_DIR) / "cassettes";

// Answers whatever it is told to answer next.
class ScriptedModel final : public LanguageModel {
 public:
  explicit ScriptedModel(LlmResult next) : next_(std::move(next)) {}
  LlmResult complete(const LlmRequest&, const CallContext&) override { return next_; }
  std::string name() const override { return "scripted"; }

 private:
  LlmResult next_;
};

LlmRequest request(const std::string& task) {
  LlmRequest r;
  r.task = task;
  r.rendered = "prompt";
  return r;
}

std::vector<json> read_lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<json> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(json::parse(line));
  return lines;
}

std::string describe(const LlmResult& r) {
  if (const auto* e = std::get_if<ProviderError>(&r)) {
    return "error " + e->code + " " + std::to_string(e->http_status) + " " + e->message + " " +
           (e->transient ? "transient" : "permanent") + " " +
           std::to_string(e->retry_after_ms.value_or(-1));
  }
  const auto& o = std::get<ModelOutcome>(r);
  return "text " + o.text + " | " + o.finish_reason + " " + std::to_string(o.usage.input_tokens) +
         "/" + std::to_string(o.usage.output_tokens) + "/" + std::to_string(o.usage.calls);
}

TEST(RecordingModel, WritesAnAnswerAsOneCassetteLine) {
  TempDir dir;
  const fs::path file = dir.path() / "run.jsonl";
  auto inner = std::make_shared<ScriptedModel>(
      ModelOutcome{"Part 1: A - 30 minutes\nTotal: 30 minutes", {120, 14, 1}, "stop"});
  RecordingModel model(inner, file);
  const LlmResult result =
      model.complete(request("generate_course_parts"), CallContext{"course-7"});
  EXPECT_EQ(std::get<ModelOutcome>(result).text, "Part 1: A - 30 minutes\nTotal: 30 minutes");

  const auto lines = read_lines(file);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["task"], "generate_course_parts");
  EXPECT_EQ(lines[0]["course_id"], "course-7");
  EXPECT_EQ(lines[0]["response"], "Part 1: A - 30 minutes\nTotal: 30 minutes");
  EXPECT_EQ(lines[0]["finish_reason"], "stop");
  EXPECT_EQ(lines[0]["usage"]["input_tokens"], 120);
  EXPECT_EQ(lines[0]["usage"]["output_tokens"], 14);
  EXPECT_FALSE(lines[0].contains("error"));
  EXPECT_FALSE(lines[0].contains("delay_ms"));
}

TEST(RecordingModel, WritesProviderErrorsAsErrorEntries) {
  TempDir dir;
  const fs::path file = dir.path() / "errors.jsonl";
  ProviderError limited = classify_http_status(429, "slow down");
  limited.retry_after_ms = 1500;
  RecordingModel model(std::make_shared<ScriptedModel>(limited), file);
  const LlmResult result = model.complete(request("generate_part_sections_2"), {});
  EXPECT_EQ(std::get<ProviderError>(result).code, "rate_limited");

  const auto lines = read_lines(file);
  ASSERT_EQ(lines.size(), 1u);
  const json& e = lines[0]["error"];
  EXPECT_EQ(e["status"], 429);
  EXPECT_EQ(e["code"], "rate_limited");
  EXPECT_EQ(e["message"], "slow down");
  EXPECT_EQ(e["transient"], true);
  EXPECT_EQ(e["retry_after_ms"], 1500);
  EXPECT_FALSE(lines[0].contains("response"));
  EXPECT_FALSE(lines[0].contains("course_id"));  // no course: nothing to tag
}

TEST(RecordingModel, AppendsToAnExistingCassette) {
  TempDir dir;
  const fs::path file = dir.path() / "run.jsonl";
  write_cassette_text(file, R"({"task": "earlier", "response": "kept"})"
                            "\n");
  {
    RecordingModel model(std::make_shared<ScriptedModel>(ModelOutcome{"new", {}, "stop"}), file);
    (void)model.complete(request("later"), {});
  }
  const auto lines = read_lines(file);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["task"], "earlier");
  EXPECT_EQ(lines[1]["task"], "later");
}

TEST(RecordingModel, FlushesEachLineAtOnce) {
  TempDir dir;
  const fs::path file = dir.path() / "live.jsonl";
  RecordingModel model(std::make_shared<ScriptedModel>(ModelOutcome{"x", {}, "stop"}), file);
  (void)model.complete(request("a"), {});
  EXPECT_EQ(read_lines(file).size(), 1u);  // readable while the recorder is still open
  (void)model.complete(request("b"), {});
  EXPECT_EQ(read_lines(file).size(), 2u);
}

TEST(RecordingModel, CreatesMissingParentFolders) {
  TempDir dir;
  const fs::path file = dir.path() / "nested" / "deeper" / "run.jsonl";
  RecordingModel model(std::make_shared<ScriptedModel>(ModelOutcome{"x", {}, "stop"}), file);
  (void)model.complete(request("a"), {});
  EXPECT_TRUE(fs::exists(file));
}

TEST(RecordingModel, RejectsUnwritablePathsAndMissingModels) {
  TempDir dir;
  auto inner = std::make_shared<ScriptedModel>(ModelOutcome{"x", {}, "stop"});
  EXPECT_THROW(RecordingModel(inner, dir.path()), std::runtime_error);  // a folder
  EXPECT_THROW(RecordingModel(nullptr, dir.path() / "x.jsonl"), std::invalid_argument);
}

TEST(RecordingModel, KeepsTheWrappedModelsName) {
  TempDir dir;
  RecordingModel model(std::make_shared<ScriptedModel>(ModelOutcome{"x", {}, "stop"}),
                       dir.path() / "n.jsonl");
  EXPECT_EQ(model.name(), "scripted");
}

TEST(RecordingModel, InvalidUtf8InAnAnswerStillMakesAValidLine) {
  TempDir dir;
  const fs::path file = dir.path() / "bytes.jsonl";
  RecordingModel model(
      std::make_shared<ScriptedModel>(ModelOutcome{"bad \xC3\x28 bytes", {}, "stop"}), file);
  const LlmResult result = model.complete(request("t"), {});
  EXPECT_EQ(std::get<ModelOutcome>(result).text, "bad \xC3\x28 bytes");  // returned unchanged
  ReplayModel replay(file);
  const auto replayed = std::get<ModelOutcome>(replay.complete(request("t"), {}));
  EXPECT_EQ(replayed.text, "bad \xEF\xBF\xBD( bytes");  // U+FFFD in the cassette
}

TEST(RecordingModel, ConcurrentCallsWriteWholeLines) {
  TempDir dir;
  const fs::path file = dir.path() / "many.jsonl";
  const std::string long_answer(5000, 'a');
  RecordingModel model(std::make_shared<ScriptedModel>(ModelOutcome{long_answer, {}, "stop"}),
                       file);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        (void)model.complete(request("task_" + std::to_string(t)), CallContext{std::to_string(i)});
      }
    });
  }
  for (std::thread& th : threads) th.join();
  const auto lines = read_lines(file);  // throws on a torn line
  ASSERT_EQ(lines.size(), 320u);
  std::set<std::string> tasks;
  for (const json& line : lines) {
    EXPECT_EQ(line["response"].get<std::string>().size(), 5000u);
    tasks.insert(line["task"].get<std::string>());
  }
  EXPECT_EQ(tasks.size(), 8u);
}

TEST(RecordingModel, RecordThenReplayGivesTheSameAnswers) {
  TempDir dir;
  const fs::path recording = dir.path() / "recorded.jsonl";
  // Every call of a troubled run, in the order an engine would make them (with its retries and
  // repairs), then some calls past the end of each task's entries.
  const std::vector<std::string> calls = {
      "generate_course_parts",    "generate_course_parts",     "generate_part_sections_0",
      "generate_part_sections_0", "generate_part_sections_0",  "generate_part_sections_1",
      "generate_part_sections_1", "review_and_adjust_outline", "bad_key",
      "generate_course_parts",    "generate_part_sections_0",  "generate_part_sections_1"};
  std::vector<std::string> original;
  {
    RecordingModel recorder(std::make_shared<ReplayModel>(kCassettes / "valuation_trouble.jsonl"),
                            recording);
    for (const std::string& task : calls) {
      original.push_back(describe(recorder.complete(request(task), CallContext{"run-1"})));
    }
  }
  EXPECT_EQ(read_lines(recording).size(), calls.size());
  ReplayModel replay(recording);
  for (std::size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(describe(replay.complete(request(calls[i]), {})), original[i])
        << i << " " << calls[i];
  }
}

TEST(RecordingModel, RecordedLinesCarryTheCourseId) {
  TempDir dir;
  const fs::path recording = dir.path() / "ids.jsonl";
  RecordingModel recorder(std::make_shared<ReplayModel>(kCassettes / "valuation_2h.jsonl"),
                          recording);
  (void)recorder.complete(request("generate_course_parts"), CallContext{"course-a"});
  (void)recorder.complete(request("generate_part_sections_0"), CallContext{"course-b"});
  (void)recorder.complete(request("unknown_task"), CallContext{"course-c"});
  const auto lines = read_lines(recording);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["course_id"], "course-a");
  EXPECT_EQ(lines[1]["course_id"], "course-b");
  EXPECT_EQ(lines[2]["course_id"], "course-c");
  EXPECT_EQ(lines[2]["error"]["code"], "no_cassette_entry");
  EXPECT_EQ(lines[2]["error"]["transient"], false);
}

}  // namespace
