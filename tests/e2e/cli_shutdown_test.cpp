// End to end: stopping work politely. SIGTERM to a worker lets its running step finish (no
// redelivery needed), SIGINT to `course create` leaves the run for a worker to continue (exit 130),
// and deleting a course while a worker is generating it cancels the run, so nothing of it remains.
#include <gtest/gtest.h>

#include <thread>

#include "valuation_course.h"

namespace docprof::e2e {
namespace {

// Part 2's expansion takes 3 s and runs while the run's phase is generating_sections.
constexpr const char* kSlowTask = "generate_part_sections_1";

bool in_slow_step(const DocprofCli& cli, const std::string& id) {
  return wait_until([&] { return cli.status(id).value("phase", "") == "generating_sections"; },
                    Millis(30000), Millis(50));
}

TEST(ShutdownTest, SigtermLetsTheRunningStepFinish) {
  DocprofCli cli;
  cli.import_library();
  const std::string llm = valuation_cassette(kSlowTask, 3000).write(cli.file("slow.jsonl"));
  const std::string id = cli.enqueue(kValuationQuery, kValuationHours);
  auto worker = cli.start({"worker", "--llm", llm}, "worker");
  ASSERT_TRUE(in_slow_step(cli, id)) << cli.status(id).dump(2);
  std::this_thread::sleep_for(Millis(300));
  worker->send(SIGTERM);
  const ProcessResult stopped = worker->wait(Millis(60000));
  EXPECT_EQ(stopped.exit_code, 0) << describe(stopped);
  EXPECT_FALSE(stopped.timed_out);

  // The slow step was applied before the worker left, and nothing after it: the rest waits in the
  // queue.
  const json mid = cli.status(id);
  EXPECT_EQ(mid.value("status", ""), "processing") << mid.dump(2);
  const json events = cli.events(id);
  // (The slow step applies part 1's sections and asks for part 2's; no step ran after it.)
  EXPECT_EQ(count_entries(events, "Part 1 of 4 expanded", "step"), 1) << messages(events);
  EXPECT_EQ(count_entries(events, "Part 2 of 4 expanded", "step"), 0) << messages(events);

  const ProcessResult drain = cli.run({"worker", "--drain", "--llm", llm});
  ASSERT_EQ(drain.exit_code, 0) << describe(drain);
  EXPECT_EQ(cli.status(id).value("status", ""), "complete");
  const json after = cli.events(id);
  EXPECT_EQ(count_entries(after, "Delivered again"), 0) << messages(after);
  expect_outline(cli.run_json({"course", "show", id, "--json"}), kValuationTitle,
                 valuation_parts());
}

TEST(ShutdownTest, InterruptedCreateLeavesTheRunToAWorker) {
  DocprofCli cli;
  cli.import_library();
  const std::string llm = valuation_cassette(kSlowTask, 3000).write(cli.file("slow.jsonl"));
  auto create = cli.start(
      {"course", "create", kValuationQuery, "--hours", kValuationHours, "--llm", llm}, "create");
  std::string id;
  ASSERT_TRUE(wait_until(
      [&] {
        const json list = cli.courses();
        if (!list.empty()) id = list[0].value("courseId", "");
        return !id.empty();
      },
      Millis(30000), Millis(50)));
  ASSERT_TRUE(in_slow_step(cli, id));
  std::this_thread::sleep_for(Millis(300));
  create->send(SIGINT);
  const ProcessResult interrupted = create->wait(Millis(60000));
  EXPECT_EQ(interrupted.exit_code, 130) << describe(interrupted);
  EXPECT_NE(interrupted.err.find("interrupted: course " + id + " is still being generated"),
            std::string::npos)
      << describe(interrupted);
  EXPECT_EQ(cli.status(id).value("status", ""), "processing");

  const ProcessResult drain = cli.run({"worker", "--drain", "--llm", llm});
  ASSERT_EQ(drain.exit_code, 0) << describe(drain);
  EXPECT_EQ(cli.status(id).value("status", ""), "complete");
  expect_outline(cli.run_json({"course", "show", id, "--json"}), kValuationTitle,
                 valuation_parts());
}

TEST(ShutdownTest, DeletingACourseMidGenerationLeavesNothing) {
  DocprofCli cli;
  cli.import_library();
  const std::string llm = valuation_cassette(kSlowTask, 3000).write(cli.file("slow.jsonl"));
  const std::string id = cli.enqueue(kValuationQuery, kValuationHours);
  auto worker = cli.start({"worker", "--drain", "--llm", llm}, "worker");
  ASSERT_TRUE(in_slow_step(cli, id));
  const ProcessResult removed = cli.run({"course", "delete", id});
  ASSERT_EQ(removed.exit_code, 0) << describe(removed);
  const ProcessResult drained = worker->wait(Millis(60000));
  ASSERT_EQ(drained.exit_code, 0) << describe(drained);

  EXPECT_TRUE(cli.courses().empty()) << cli.courses().dump(2);
  EXPECT_EQ(cli.run({"course", "status", id}).exit_code, 2);
  expect_row_count(cli, "SELECT COUNT(*) FROM courses;", 0);
  expect_row_count(cli, "SELECT COUNT(*) FROM course_sections;", 0);
  expect_row_count(cli, "SELECT COUNT(*) FROM event_queue;", 0);
  EXPECT_TRUE(cli.dead_letters().empty());
}

}  // namespace
}  // namespace docprof::e2e
