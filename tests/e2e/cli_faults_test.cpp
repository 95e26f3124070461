// End to end: model faults. Transient faults injected into 30 % of the model calls are retried
// until every run completes; a permanent provider error fails the run at once with a clear message
// and a dead letter, and replaying it once the cause is fixed completes the run; transient errors
// that outlast the deliveries end the run as `retries_exhausted`, never left `processing`.
#include <gtest/gtest.h>

#include <set>

#include "e2e_support.h"

namespace docprof::e2e {
namespace {

class FaultsTest : public ::testing::Test {
 protected:
  void SetUp() override { cli.import_library(); }

  // The Python course with part 2's answer replaced by an error entry (reused for every call).
  std::string failing_cassette(int status, const std::string& message) {
    return Cassette()
        .answer("generate_course_parts", "parts_bold_title_and_parts")
        .answer("generate_part_sections_0", "sections_bold_headers")
        .error("generate_part_sections_1", status, message)
        .answer("generate_part_sections_2", "sections_no_objectives_header")
        .write(cli.file("failing.jsonl"));
  }

  DocprofCli cli;
};

TEST_F(FaultsTest, TwentyRunsWithThirtyPercentTransientFaultsAllComplete) {
  const std::string llm = python_cassette().write(cli.file("python.jsonl"));
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    ids.push_back(
        cli.enqueue(std::string(kPythonQuery) + " (learner " + std::to_string(i + 1) + ")", "2"));
    ASSERT_FALSE(ids.back().empty());
  }
  // About 80 model calls at a 30 % fault rate: with 10 deliveries per step the chance that one step
  // fails every time is 0.3^10 per step, so a red run here is a real bug, not bad luck.
  const ProcessResult drain =
      cli.run({"worker", "--drain", "--llm", llm},
              {{"DOCPROF_LLM_FAULT_RATE", "0.3"},
               {"DOCPROF_LLM_FAULT_SEED", "7"},
               {"DOCPROF_LLM_FAULT_KINDS", "rate_limited,server_error,timeout"},
               {"DOCPROF_QUEUE_MAX_DELIVERIES", "10"}},
              Millis(180000));
  ASSERT_EQ(drain.exit_code, 0) << describe(drain);

  int retries = 0;
  std::set<std::string> fault_kinds;
  for (const auto& id : ids) {
    SCOPED_TRACE(id);
    const json status = cli.status(id);
    EXPECT_EQ(status.value("status", ""), "complete") << status.dump(2);
    const json events = cli.events(id);
    retries += count_entries(events, "failed (", "note");
    for (const char* kind : {"rate_limited", "server_error", "timeout"}) {
      if (count_entries(events, std::string("failed (") + kind) > 0) fault_kinds.insert(kind);
    }
    const json outline = cli.run_json({"course", "show", id, "--json"});
    expect_outline(outline, kPythonTitle, python_parts());
  }
  EXPECT_GT(retries, 5) << "the faults were not injected";
  EXPECT_EQ(fault_kinds.size(), 3u);
  EXPECT_TRUE(cli.dead_letters().empty());
  expect_row_count(cli, "SELECT COUNT(*) FROM course_sections;", 20 * 9);
}

TEST_F(FaultsTest, PermanentFaultFailsAtOnceAndDlqReplayCompletesOnceFixed) {
  const std::string broken = failing_cassette(401, "Incorrect API key provided.");
  const ProcessResult r =
      cli.run({"course", "create", kPythonQuery, "--hours", "2", "--llm", broken, "--json"});
  ASSERT_EQ(r.exit_code, 3) << describe(r);
  const json error = json::parse(r.out);
  const std::string id = error.value("course_id", "");
  EXPECT_EQ(error.value("error_code", ""), "provider_error");
  EXPECT_NE(error.value("error", "").find("HTTP 401"), std::string::npos) << r.out;
  EXPECT_NE(error.value("error", "").find("Incorrect API key provided."), std::string::npos)
      << r.out;

  const json status = cli.status(id);
  EXPECT_EQ(status.value("status", ""), "error");
  EXPECT_EQ(status.value("error_code", ""), "provider_error");
  EXPECT_NE(status.value("error", "").find("Incorrect API key provided."), std::string::npos);
  // Failed at once: no retry of a permanent error.
  const json events = cli.events(id);
  EXPECT_EQ(count_entries(events, "retrying in"), 0) << messages(events);

  const json dead = cli.dead_letters();
  ASSERT_EQ(dead.size(), 1u) << dead.dump(2);
  EXPECT_EQ(dead[0].value("course_id", ""), id);
  EXPECT_EQ(dead[0].value("error_code", ""), "provider_error");
  EXPECT_EQ(dead[0].value("event_type", ""), "PartSectionsGenerated");
  EXPECT_EQ(dead[0].value("attempts", 0), 1);
  const std::string dead_id = dead[0].value("id", "");
  const json shown = cli.run_json({"dlq", "show", dead_id});
  EXPECT_EQ(shown.value("course_id", ""), id);
  EXPECT_TRUE(shown.contains("event")) << shown.dump(2);

  // The cause fixed (a working cassette), the dead letter replayed by its id, a worker continues.
  const std::string fixed = python_cassette().write(cli.file("fixed.jsonl"));
  const ProcessResult replay = cli.run({"dlq", "replay", dead_id});
  ASSERT_EQ(replay.exit_code, 0) << describe(replay);
  EXPECT_EQ(cli.status(id).value("status", ""), "processing");
  EXPECT_TRUE(cli.dead_letters().empty()) << "the replayed dead letter is consumed";
  const ProcessResult drain = cli.run({"worker", "--drain", "--llm", fixed});
  ASSERT_EQ(drain.exit_code, 0) << describe(drain);

  const json done = cli.status(id);
  EXPECT_EQ(done.value("status", ""), "complete") << done.dump(2);
  EXPECT_FALSE(done.contains("error_code"));
  expect_outline(cli.run_json({"course", "show", id, "--json"}), kPythonTitle, python_parts());
  const json after = cli.events(id);
  EXPECT_EQ(count_entries(after, "Replayed from the dead letters"), 1) << messages(after);
}

TEST_F(FaultsTest, CourseRetryWithAFixedCassetteCompletesTheRun) {
  const ProcessResult r =
      cli.run({"course", "create", kPythonQuery, "--hours", "2", "--llm",
               failing_cassette(403, "This model is not enabled for your account."), "--json"});
  ASSERT_EQ(r.exit_code, 3) << describe(r);
  const std::string id = json::parse(r.out).value("course_id", "");

  const std::string fixed = python_cassette().write(cli.file("fixed.jsonl"));
  const ProcessResult retry = cli.run({"course", "retry", id, "--llm", fixed, "--json"});
  ASSERT_EQ(retry.exit_code, 0) << describe(retry);
  expect_outline(json::parse(retry.out), kPythonTitle, python_parts());
  EXPECT_EQ(cli.status(id).value("status", ""), "complete");
  EXPECT_TRUE(cli.dead_letters().empty());

  // A completed run has nothing to replay.
  const ProcessResult again = cli.run({"course", "retry", id, "--llm", fixed});
  EXPECT_EQ(again.exit_code, 2) << describe(again);
}

TEST_F(FaultsTest, TransientFaultsOutlastingTheDeliveriesEndAsRetriesExhausted) {
  const std::string llm = failing_cassette(503, "The server is overloaded or not ready yet.");
  const ProcessResult r =
      cli.run({"course", "create", kPythonQuery, "--hours", "2", "--llm", llm, "--json"},
              {{"DOCPROF_QUEUE_MAX_DELIVERIES", "3"}});
  ASSERT_EQ(r.exit_code, 3) << describe(r);
  const json error = json::parse(r.out);
  const std::string id = error.value("course_id", "");
  EXPECT_EQ(error.value("error_code", ""), "retries_exhausted");
  EXPECT_NE(error.value("error", "").find("gave up after 3 attempts"), std::string::npos) << r.out;
  EXPECT_NE(error.value("error", "").find("overloaded"), std::string::npos) << r.out;

  const json status = cli.status(id);
  EXPECT_EQ(status.value("status", ""), "error") << "never left processing";
  EXPECT_EQ(status.value("phase", ""), "error");
  const json events = cli.events(id);
  EXPECT_EQ(count_entries(events, "Attempt 1 of 3 failed"), 1) << messages(events);
  EXPECT_EQ(count_entries(events, "Attempt 2 of 3 failed"), 1) << messages(events);
  EXPECT_EQ(count_entries(events, "retries_exhausted", "error"), 1) << messages(events);

  const json dead = cli.dead_letters();
  ASSERT_EQ(dead.size(), 1u) << dead.dump(2);
  EXPECT_EQ(dead[0].value("error_code", ""), "retries_exhausted");
  EXPECT_EQ(dead[0].value("attempts", 0), 3);

  // The same through a background worker: the run ends failed, and the worker drains.
  const std::string second = cli.enqueue(kPythonQuery, "2");
  const ProcessResult drain = cli.run({"worker", "--drain", "--llm", llm},
                                      {{"DOCPROF_QUEUE_MAX_DELIVERIES", "3"}}, Millis(60000));
  ASSERT_EQ(drain.exit_code, 0) << describe(drain);
  const json failed = cli.status(second);
  EXPECT_EQ(failed.value("status", ""), "error");
  EXPECT_EQ(failed.value("error_code", ""), "retries_exhausted");
  EXPECT_EQ(cli.dead_letters().size(), 2u);

  // Once the provider answers again, `dlq replay <course id>` continues the first run to the end.
  const std::string fixed = python_cassette().write(cli.file("fixed.jsonl"));
  const ProcessResult replay = cli.run({"dlq", "replay", id});
  ASSERT_EQ(replay.exit_code, 0) << describe(replay);
  ASSERT_EQ(cli.run({"worker", "--drain", "--llm", fixed}).exit_code, 0);
  EXPECT_EQ(cli.status(id).value("status", ""), "complete");
  expect_outline(cli.run_json({"course", "show", id, "--json"}), kPythonTitle, python_parts());
  EXPECT_EQ(cli.status(second).value("status", ""), "error") << "the other failed run stays failed";
  const json left = cli.dead_letters();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].value("course_id", ""), second);
}

}  // namespace
}  // namespace docprof::e2e
