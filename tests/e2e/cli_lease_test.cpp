// End to end: a step slower than the lease (a 4 s model call, `queue.lease_seconds` = 2) runs once,
// not twice — the worker extends the lease while the step runs, so the second worker running
// beside it never gets the event.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <thread>

#include "valuation_course.h"

namespace docprof::e2e {
namespace {

// Lines of a recorded cassette (DOCPROF_LLM_RECORD) per task.
std::map<std::string, int> calls_by_task(const fs::path& recording) {
  std::map<std::string, int> calls;
  if (!fs::exists(recording)) return calls;
  std::istringstream lines(read_text(recording));
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty()) ++calls[json::parse(line).value("task", "")];
  }
  return calls;
}

TEST(LeaseTest, StepSlowerThanTheLeaseRunsOnceWithTwoWorkers) {
  DocprofCli cli;
  cli.import_library();
  cli.env()["DOCPROF_QUEUE_LEASE_SECONDS"] = "2";
  const std::string slow_task = "generate_part_sections_0";
  const std::string llm = valuation_cassette(slow_task, 4000).write(cli.file("slow.jsonl"));
  const std::string id = cli.enqueue(kValuationQuery, kValuationHours);
  ASSERT_FALSE(id.empty());

  // Two worker processes, each recording its model calls to a cassette of its own.
  auto first = cli.start({"worker", "--drain", "--llm", llm}, "worker1",
                         {{"DOCPROF_LLM_RECORD", cli.file("calls1.jsonl")}});
  auto second = cli.start({"worker", "--drain", "--llm", llm}, "worker2",
                          {{"DOCPROF_LLM_RECORD", cli.file("calls2.jsonl")}});
  const ProcessResult r1 = first->wait(Millis(90000));
  const ProcessResult r2 = second->wait(Millis(90000));
  ASSERT_EQ(r1.exit_code, 0) << describe(r1);
  ASSERT_EQ(r2.exit_code, 0) << describe(r2);

  const json status = cli.status(id);
  ASSERT_EQ(status.value("status", ""), "complete") << status.dump(2);

  auto calls = calls_by_task(cli.file("calls1.jsonl"));
  for (const auto& [task, n] : calls_by_task(cli.file("calls2.jsonl"))) calls[task] += n;
  EXPECT_EQ(calls[slow_task], 1) << "the slow model call ran " << calls[slow_task] << " times";
  for (const auto& [task, n] : calls) EXPECT_EQ(n, 1) << task;
  EXPECT_EQ(calls.size(), 5u);

  const json events = cli.events(id);
  EXPECT_EQ(count_entries(events, "Delivered again"), 0) << messages(events);
  EXPECT_EQ(status.at("usage").value("calls", 0), 5) << status.dump(2);

  const json outline = cli.run_json({"course", "show", id, "--json"});
  expect_outline(outline, kValuationTitle, valuation_parts());
  expect_row_count(cli, "SELECT COUNT(*) FROM course_sections;", 13);
}

// A worker that is alive but frozen (SIGSTOP) cannot extend its lease: the lease expires (its pid
// is alive, so it is not reclaimed early), a second worker takes the step over and completes the
// course, and the frozen worker's late result, once it resumes, is dropped as a duplicate.
TEST(LeaseTest, FrozenWorkersLeaseExpiresAndItsLateResultIsDropped) {
  DocprofCli cli;
  cli.import_library();
  cli.env()["DOCPROF_QUEUE_LEASE_SECONDS"] = "2";
  const std::string slow_task = "generate_part_sections_1";  // runs in phase generating_sections
  const std::string llm = valuation_cassette(slow_task, 3000).write(cli.file("slow.jsonl"));
  const std::string id = cli.enqueue(kValuationQuery, kValuationHours);

  auto frozen = cli.start({"worker", "--llm", llm}, "frozen",
                          {{"DOCPROF_LLM_RECORD", cli.file("calls1.jsonl")}});
  ASSERT_TRUE(wait_until([&] { return cli.status(id).value("phase", "") == "generating_sections"; },
                         Millis(30000), Millis(50)));
  std::this_thread::sleep_for(Millis(300));
  frozen->send(SIGSTOP);

  const ProcessResult drain =
      cli.run({"worker", "--drain", "--llm", llm},
              {{"DOCPROF_LLM_RECORD", cli.file("calls2.jsonl")}}, Millis(90000));
  frozen->send(SIGCONT);
  ASSERT_EQ(drain.exit_code, 0) << describe(drain);
  // The frozen worker's lease had to run out: the takeover came no earlier than the lease allows.
  EXPECT_GE(drain.elapsed.count(), 1000) << describe(drain);
  EXPECT_EQ(cli.status(id).value("status", ""), "complete");

  frozen->send(SIGTERM);  // it finishes its (stale) step first, then stops
  const ProcessResult stopped = frozen->wait(Millis(60000));
  EXPECT_EQ(stopped.exit_code, 0) << describe(stopped);

  auto calls = calls_by_task(cli.file("calls1.jsonl"));
  for (const auto& [task, n] : calls_by_task(cli.file("calls2.jsonl"))) calls[task] += n;
  EXPECT_EQ(calls[slow_task], 2) << "both workers made the slow call";

  const json events = cli.events(id);
  EXPECT_EQ(count_entries(events, "Delivered again (attempt 2)", "note"), 1) << messages(events);
  std::map<std::int64_t, int> steps;
  for (const auto& e : events) {
    if (e.value("kind", "") == "step") ++steps[e.value("seq", std::int64_t{-1})];
  }
  for (const auto& [seq, n] : steps) EXPECT_EQ(n, 1) << "seq " << seq << "\n" << messages(events);
  EXPECT_EQ(count_entries(events, "", "complete"), 1);
  expect_outline(cli.run_json({"course", "show", id, "--json"}), kValuationTitle,
                 valuation_parts());
  expect_row_count(cli, "SELECT COUNT(*) FROM course_sections;", 13);
  expect_row_count(cli, "SELECT COUNT(*) FROM event_queue;", 0);
}

}  // namespace
}  // namespace docprof::e2e
