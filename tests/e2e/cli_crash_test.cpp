// End to end: a `docprof worker` SIGKILLed in the middle of a slow part expansion. A new
// `docprof worker --drain` reclaims the dead worker's lease at once (its pid is gone, so the
// default 300 s lease does not have to run out), redelivers the step, and completes the course
// exactly once: one set of section rows, the redelivery noted in the run's history.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>

#include "valuation_course.h"

namespace docprof::e2e {
namespace {

TEST(WorkerCrashTest, KilledWorkerIsReplacedAndTheCourseCompletesOnce) {
  DocprofCli cli;
  cli.import_library();
  // The expansion of part 2 is slow: it runs in the step that applies part 1's sections, while the
  // run's phase (by its last applied event, PartsGenerated) is generating_sections. (Part 1's own
  // expansion runs in the PartsGenerated step, still in phase generating_parts.) The default 300 s
  // lease stays in force.
  const std::string llm =
      valuation_cassette("generate_part_sections_1", 3000).write(cli.file("slow.jsonl"));
  const std::string id = cli.enqueue(kValuationQuery, kValuationHours);
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(cli.status(id).value("phase", ""), "initializing");

  auto worker = cli.start({"worker", "--llm", llm}, "worker1");
  std::string phase;
  const bool generating = wait_until(
      [&] {
        phase = cli.status(id).value("phase", "");
        return phase == "generating_sections" || phase == "complete" || phase == "error";
      },
      Millis(30000), Millis(50));
  ASSERT_TRUE(generating && phase == "generating_sections") << phase << "\n"
                                                            << cli.status(id).dump(2) << "\n"
                                                            << describe(worker->wait(Millis(1)));
  std::this_thread::sleep_for(Millis(300));  // the slow model call is under way
  ASSERT_TRUE(worker->running()) << describe(worker->wait(Millis(1)));
  const ProcessResult killed = worker->kill_now();
  EXPECT_EQ(killed.signal, SIGKILL);

  // Killed mid-step: the step in flight was not applied and the run is still processing.
  const json mid = cli.status(id);
  EXPECT_EQ(mid.value("status", ""), "processing") << mid.dump(2);
  EXPECT_EQ(mid.value("phase", ""), "generating_sections");
  EXPECT_EQ(mid.at("progress").value("parts_count", 0), 4);
  const std::size_t applied_before = cli.events(id).size();

  const ProcessResult drain = cli.run({"worker", "--drain", "--llm", llm}, {}, Millis(90000));
  ASSERT_EQ(drain.exit_code, 0) << describe(drain);
  // The step is slow (3 s) but the lease (300 s) was reclaimed at once, not waited out.
  EXPECT_LT(drain.elapsed.count(), 60000) << describe(drain);

  const json status = cli.status(id);
  EXPECT_EQ(status.value("status", ""), "complete") << status.dump(2);
  const json outline = cli.run_json({"course", "show", id, "--json"});
  expect_outline(outline, kValuationTitle, valuation_parts());
  EXPECT_EQ(outline.value("total_minutes", 0), 360);

  const json events = cli.events(id);
  EXPECT_GT(events.size(), applied_before);
  EXPECT_EQ(count_entries(events, "Delivered again (attempt 2)", "note"), 1) << messages(events);
  for (const auto& e : events) {
    if (e.value("message", "").find("Delivered again") != std::string::npos) {
      EXPECT_EQ(e.value("type", ""), "PartSectionsGenerated")
          << "the step killed mid-way is the one redelivered";
    }
  }
  EXPECT_EQ(count_entries(events, "", "complete"), 1) << messages(events);
  // Every seq of the run was applied once.
  std::map<std::int64_t, int> steps;
  for (const auto& e : events) {
    if (e.value("kind", "") == "step") ++steps[e.value("seq", std::int64_t{-1})];
  }
  for (const auto& [seq, n] : steps)
    EXPECT_EQ(n, 1) << "seq " << seq << " applied " << n << " times\n" << messages(events);

  // The rows in the database itself: 4 parts + 9 sections, once.
  expect_row_count(cli, "SELECT COUNT(*) FROM course_sections WHERE course_id = '" + id + "';", 13);
  expect_row_count(cli, "SELECT COUNT(*) FROM courses;", 1);
  EXPECT_TRUE(cli.dead_letters().empty());
}

// The same with the in-process workers of a foreground `course create`: SIGKILLed mid-step, its
// run is finished by a `worker --drain`, once.
TEST(WorkerCrashTest, KilledCourseCreateIsFinishedByAWorker) {
  DocprofCli cli;
  cli.import_library();
  const std::string llm =
      valuation_cassette("generate_part_sections_1", 3000).write(cli.file("slow.jsonl"));
  auto create = cli.start(
      {"course", "create", kValuationQuery, "--hours", kValuationHours, "--llm", llm}, "create");
  std::string id;
  ASSERT_TRUE(wait_until(
      [&] {
        const json list = cli.courses();
        if (!list.empty()) id = list[0].value("courseId", "");
        return !id.empty() && cli.status(id).value("phase", "") == "generating_sections";
      },
      Millis(30000), Millis(50)));
  std::this_thread::sleep_for(Millis(300));
  EXPECT_EQ(create->kill_now().signal, SIGKILL);
  EXPECT_EQ(cli.status(id).value("status", ""), "processing");

  const ProcessResult drain = cli.run({"worker", "--drain", "--llm", llm}, {}, Millis(90000));
  ASSERT_EQ(drain.exit_code, 0) << describe(drain);
  EXPECT_LT(drain.elapsed.count(), 60000) << "the dead process's lease was reclaimed at once";
  EXPECT_EQ(cli.status(id).value("status", ""), "complete");
  expect_outline(cli.run_json({"course", "show", id, "--json"}), kValuationTitle,
                 valuation_parts());
  const json events = cli.events(id);
  EXPECT_EQ(count_entries(events, "Delivered again (attempt 2)", "note"), 1) << messages(events);
  expect_row_count(cli, "SELECT COUNT(*) FROM course_sections;", 13);
}

}  // namespace
}  // namespace docprof::e2e
