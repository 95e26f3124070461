// End to end: a poison event (issue 11, defect 1). A `docprof worker` is SIGKILLed in the middle of
// the same step on every delivery, as if that step crashed its process. Those unfinished
// deliveries count as attempts: after queue.max_deliveries of them the next worker dead-letters the
// event without running the step (no model call), the run ends error / retries_exhausted with a
// message naming the crash, and `course retry` then completes the course.
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "valuation_course.h"

namespace docprof::e2e {
namespace {

// The attempt number of the leased queue row of `type` (0 when none is leased); -1 without the
// sqlite3 shell.
int leased_attempt(const DocprofCli& cli, const std::string& type) {
  return count_rows(cli, "SELECT coalesce(max(attempt), 0) FROM event_queue WHERE type = '" + type +
                             "' AND leased_by IS NOT NULL;");
}

TEST(PoisonEventTest, AStepThatKillsEveryWorkerIsDeadLetteredAfterMaxDeliveries) {
  if (!fs::exists("/usr/bin/sqlite3")) GTEST_SKIP() << "needs the sqlite3 shell to see the leases";
  constexpr int kMaxDeliveries = 3;
  DocprofCli cli;
  cli.env()["DOCPROF_QUEUE_MAX_DELIVERIES"] = std::to_string(kMaxDeliveries);
  cli.import_library();
  // The plan of the course (the BookSummariesFound step) takes a minute: every worker is killed in it.
  const std::string slow = valuation_cassette("generate_course_parts", 60000).write(cli.file("slow.jsonl"));
  const std::string fast = valuation_cassette().write(cli.file("fast.jsonl"));
  const std::string id = cli.enqueue(kValuationQuery, kValuationHours);
  ASSERT_FALSE(id.empty());

  for (int delivery = 1; delivery <= kMaxDeliveries; ++delivery) {
    SCOPED_TRACE("delivery " + std::to_string(delivery));
    auto worker = cli.start({"worker", "--llm", slow}, "worker" + std::to_string(delivery));
    const bool in_the_step = wait_until(
        [&] { return leased_attempt(cli, "BookSummariesFound") == delivery || !worker->running(); },
        Millis(60000), Millis(50));
    ASSERT_TRUE(in_the_step && worker->running()) << describe(worker->wait(Millis(1)));
    std::this_thread::sleep_for(Millis(300));  // the slow model call is under way
    EXPECT_EQ(worker->kill_now().signal, SIGKILL);
    const json status = cli.status(id);
    EXPECT_EQ(status.value("status", ""), "processing") << status.dump(2);
    EXPECT_TRUE(cli.dead_letters().empty());
  }

  // The next worker reclaims the dead worker's lease (delivery 4 of 3) and does not run the step:
  // it makes no model call (its recording stays empty) and drains at once.
  const std::string calls = cli.file("calls.jsonl");
  const ProcessResult drain = cli.run({"worker", "--drain", "--llm", slow, "--record", calls}, {}, Millis(120000));
  ASSERT_EQ(drain.exit_code, 0) << describe(drain);
  EXPECT_FALSE(fs::exists(calls) && fs::file_size(calls) > 0) << read_text(calls);

  const json failed = cli.status(id);
  EXPECT_EQ(failed.value("status", ""), "error") << failed.dump(2);
  EXPECT_EQ(failed.value("error_code", ""), "retries_exhausted") << failed.dump(2);
  const std::string message = failed.value("error", "");
  EXPECT_NE(message.find("delivered 3 times and never finished"), std::string::npos) << message;
  EXPECT_NE(message.find("died during the step"), std::string::npos) << message;
  const json dead = cli.dead_letters();
  ASSERT_EQ(dead.size(), 1u) << dead.dump(2);
  EXPECT_EQ(dead[0].value("course_id", ""), id);
  EXPECT_EQ(dead[0].value("event_type", ""), "BookSummariesFound");
  EXPECT_EQ(dead[0].value("attempts", 0), kMaxDeliveries);
  EXPECT_EQ(dead[0].value("error_code", ""), "retries_exhausted");
  expect_row_count(cli, "SELECT COUNT(*) FROM event_queue;", 0);

  // Retried with a model that answers, the run continues where it stopped and completes.
  const ProcessResult retried = cli.run({"course", "retry", id, "--llm", fast, "--json"});
  ASSERT_EQ(retried.exit_code, 0) << describe(retried);
  expect_outline(json::parse(retried.out), kValuationTitle, valuation_parts());
  EXPECT_EQ(cli.status(id).value("status", ""), "complete");
  EXPECT_TRUE(cli.dead_letters().empty());
  expect_row_count(cli, "SELECT COUNT(*) FROM course_sections WHERE course_id = '" + id + "';", 13);
}

}  // namespace
}  // namespace docprof::e2e
