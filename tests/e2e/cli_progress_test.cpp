// End to end: what `course status`, `course list` and `course show` say while a worker is in the
// middle of a run (a slow expansion of part 2 keeps it there).
#include <gtest/gtest.h>

#include "valuation_course.h"

namespace docprof::e2e {
namespace {

// A run held in the slow expansion of part 2 by a background `worker --drain`; when it goes away,
// the worker must finish the run.
struct SlowRun {
  SlowRun() {
    cli.import_library();
    const std::string llm =
        valuation_cassette("generate_part_sections_1", 3000).write(cli.file("slow.jsonl"));
    id = cli.enqueue(kValuationQuery, kValuationHours);
    worker = cli.start({"worker", "--drain", "--llm", llm}, "worker");
    in_slow_step =
        wait_until([&] { return cli.status(id).value("phase", "") == "generating_sections"; },
                   Millis(30000), Millis(50));
  }
  ~SlowRun() {
    const ProcessResult done = worker->wait(Millis(60000));
    EXPECT_EQ(done.exit_code, 0) << describe(done);
    EXPECT_EQ(cli.status(id).value("status", ""), "complete");
  }

  DocprofCli cli;
  std::string id;
  std::unique_ptr<BackgroundProcess> worker;
  bool in_slow_step = false;
};

TEST(ProgressTest, StatusListAndShowWhileGenerating) {
  SlowRun run;
  ASSERT_TRUE(run.in_slow_step);
  const DocprofCli& cli = run.cli;
  const std::string& id = run.id;
  const json status = cli.status(id);
  EXPECT_EQ(status.value("status", ""), "processing");
  EXPECT_EQ(status.at("progress").value("parts_count", 0), 4);
  EXPECT_EQ(status.at("progress").value("total_parts", 0), 4);
  EXPECT_EQ(status.at("progress").value("outline_complete", true), false);
  EXPECT_EQ(status.at("progress").value("title", ""), kValuationQuery)
      << "the query stands in for the title";
  EXPECT_NE(status.value("message", "").find("of 4"), std::string::npos) << status.dump(2);
  EXPECT_GT(status.at("usage").value("calls", 0), 0);

  const json list = cli.courses();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].value("status", ""), "generating");
  EXPECT_EQ(list[0].at("generation_status").value("phase", ""), "generating_sections");

  const ProcessResult show = cli.run({"course", "show", id, "--json"});
  EXPECT_EQ(show.exit_code, 0) << describe(show);
  const json outline = json::parse(show.out);
  EXPECT_TRUE(outline.at("parts").empty());
  EXPECT_EQ(outline.at("generation_status").value("status", ""), "processing");
  const ProcessResult text = cli.run({"course", "show", id});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.err.find("has no outline yet"), std::string::npos) << describe(text);
}

// While the model call for part 2 (task generate_part_sections_1) is in flight, the status names
// part 2: domain.md §8 defines current_part_index as the part being expanded.
TEST(ProgressTest, CurrentPartIndexNamesThePartBeingExpanded) {
  SlowRun run;
  ASSERT_TRUE(run.in_slow_step);
  const json status = run.cli.status(run.id);
  EXPECT_EQ(status.at("progress").value("current_part_index", -1), 1) << status.dump(2);
  EXPECT_EQ(status.value("message", ""), "Generating part 2 of 4");
  EXPECT_EQ(status.value("phase", ""), "generating_sections");
}

}  // namespace
}  // namespace docprof::e2e
