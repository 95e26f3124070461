// End to end: `docprof course revise ID "REQUEST"` (issue 17) — exit 0 with the revised outline, 2
// for a request refused when made (unsupported by the offline planner, empty, unknown course), 3
// when the run fails (the stored outline kept) and `course retry` then finishes the revision; and a
// `docprof worker` SIGKILLed in the middle of a revision's model call leaves the stored outline as
// it was.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "e2e_support.h"

namespace docprof::e2e {
namespace {

constexpr const char* kQuery = "I want to learn corporate valuation";

// A model's answer to courses.revise_outline: a 3-hour outline of two parts.
constexpr const char* kRevisedAnswer =
    "Course length: 180 minutes\n\n"
    "## Part 1: Cash Flows\n\n"
    "### Section 1: Free Cash Flow from the Statements - 90 minutes\n"
    "Learning objectives:\n- Compute free cash flow\n- Separate operating from financing items\n\n"
    "## Part 2: Value\n\n"
    "### Section 1: Discounting at the Cost of Capital - 90 minutes\n"
    "Learning objectives:\n- Estimate the WACC\n- Discount free cash flows\n";

// A generated 2-hour course (the offline planner); returns its id.
std::string generated_course(const DocprofCli& cli) {
  cli.import_library();
  const json outline = cli.run_json({"course", "create", kQuery, "--hours", "2", "--json"});
  return outline.value("course_id", "");
}

json outline_of(const DocprofCli& cli, const std::string& id) { return cli.run_json({"course", "show", id, "--json"}); }

TEST(RevisionCliTest, ExitCodesAndRetryAfterAFailedRevision) {
  DocprofCli cli;
  const std::string id = generated_course(cli);
  ASSERT_FALSE(id.empty());

  const ProcessResult resized = cli.run({"course", "revise", id, "make it 3 hours", "--json"});
  ASSERT_EQ(resized.exit_code, 0) << describe(resized);
  const json revised = json::parse(resized.out);
  EXPECT_DOUBLE_EQ(revised.at("estimated_hours").get<double>(), 3.0);
  EXPECT_GE(revised.at("total_minutes").get<int>(), 171);
  EXPECT_LE(revised.at("total_minutes").get<int>(), 189);
  EXPECT_EQ(revised.at("generation_status").at("revision"), 1);

  // Refused when made: exit 2, nothing started.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"course", "revise", id, "make it more fun"},
        std::vector<std::string>{"course", "revise", id, "  "},
        std::vector<std::string>{"course", "revise", "no-such-course", "make it 2 hours"}}) {
    const ProcessResult refused = cli.run(args);
    EXPECT_EQ(refused.exit_code, 2) << describe(refused);
  }
  EXPECT_EQ(cli.status(id).value("revision", -1), 1);

  // The model fails for good: exit 3, the stored outline is kept.
  const json before = outline_of(cli, id);
  const std::string failing = Cassette().error("revise_outline", 400, "bad request").write(cli.file("failing.jsonl"));
  const ProcessResult failed = cli.run({"course", "revise", id, "make it 4 hours", "--llm", failing});
  ASSERT_EQ(failed.exit_code, 3) << describe(failed);
  EXPECT_NE(failed.err.find("keeps its previous outline"), std::string::npos) << failed.err;
  json kept = outline_of(cli, id);
  EXPECT_EQ(kept.at("sections"), before.at("sections"));
  EXPECT_DOUBLE_EQ(kept.at("estimated_hours").get<double>(), 3.0);

  // `course retry` finishes the revision.
  const ProcessResult retried = cli.run({"course", "retry", id, "--json"});
  ASSERT_EQ(retried.exit_code, 0) << describe(retried);
  EXPECT_DOUBLE_EQ(json::parse(retried.out).at("estimated_hours").get<double>(), 4.0);
}

TEST(RevisionCliTest, AWorkerKilledMidRevisionLeavesTheOldOutlineAndRetryFinishesIt) {
  DocprofCli cli;
  const std::string id = generated_course(cli);
  ASSERT_FALSE(id.empty());
  const json before = outline_of(cli, id);

  const std::string slow = Cassette().text("revise_outline", kRevisedAnswer, 4000).write(cli.file("slow.jsonl"));
  const ProcessResult queued = cli.run({"course", "revise", id, "make it 3 hours", "--no-wait", "--llm", slow});
  ASSERT_EQ(queued.exit_code, 0) << describe(queued);
  EXPECT_EQ(cli.status(id).value("phase", ""), "revising");

  auto worker = cli.start({"worker", "--llm", slow}, "worker1");
  // The worker leases the revision's first event at once; its model call takes 4 s.
  std::this_thread::sleep_for(Millis(1500));
  ASSERT_TRUE(worker->running()) << describe(worker->wait(Millis(1)));
  EXPECT_EQ(worker->kill_now().signal, SIGKILL);

  // Killed mid-revision: still processing, and the stored outline is exactly what it was.
  const json mid = cli.status(id);
  EXPECT_EQ(mid.value("status", ""), "processing") << mid.dump(2);
  EXPECT_EQ(mid.value("phase", ""), "revising");
  json now = outline_of(cli, id);
  EXPECT_EQ(now.at("sections"), before.at("sections"));
  EXPECT_EQ(now.at("estimated_hours"), before.at("estimated_hours"));

  // The next worker reclaims the dead worker's lease; its model fails for good, so the revision
  // fails — the outline still the old one — and `course retry` finishes it.
  const std::string failing = Cassette().error("revise_outline", 400, "bad request").write(cli.file("failing.jsonl"));
  const ProcessResult drain = cli.run({"worker", "--drain", "--llm", failing}, {}, Millis(60000));
  ASSERT_EQ(drain.exit_code, 0) << describe(drain);
  EXPECT_EQ(cli.status(id).value("status", ""), "error");
  now = outline_of(cli, id);
  EXPECT_EQ(now.at("sections"), before.at("sections"));

  const ProcessResult retried = cli.run({"course", "retry", id, "--llm", slow, "--json"});
  ASSERT_EQ(retried.exit_code, 0) << describe(retried);
  const json revised = json::parse(retried.out);
  EXPECT_DOUBLE_EQ(revised.at("estimated_hours").get<double>(), 3.0);
  EXPECT_EQ(revised.at("total_minutes").get<int>(), 180);
  EXPECT_EQ(revised.at("parts").size(), 2u);
  expect_row_count(cli, "SELECT COUNT(*) FROM course_revisions WHERE course_id = '" + id + "'", 1);
}

}  // namespace
}  // namespace docprof::e2e
