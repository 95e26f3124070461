// End to end: worker identity across PID namespaces (issue 11, defect 2). Two `docprof worker`
// processes, each in a PID namespace of its own (`unshare -p -f --mount-proc`, as two containers
// with host networking would be), share one host name and one database. Each is pid 1 in its
// namespace, so a liveness check by host name + pid + start time saw the other's lease as held by
// a dead process (pid 1 is alive but started at another time) and took it: one step, several paid
// model calls (and two workers started within one clock tick even had the same id). Worker ids now carry the boot id and the PID namespace, and a lease of a worker in
// another namespace is never reclaimed by pid: it only expires. Every model call runs exactly once.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <utility>
#include <vector>

#include "valuation_course.h"

namespace docprof::e2e {
namespace {

constexpr const char* kUnshare = "/usr/bin/unshare";

// Lines of a recorded cassette per task.
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

// Why `unshare -p -f --mount-proc` cannot run here, or "" when it can.
std::string unshare_unavailable() {
  if (!fs::exists(kUnshare)) return std::string(kUnshare) + " is not installed";
  const ProcessResult r = run_process({kUnshare, "-p", "-f", "--mount-proc", "/bin/true"}, {}, fs::temp_directory_path(),
                                      Millis(10000));
  if (r.exit_code != 0) return "`unshare -p -f --mount-proc` is not permitted here: " + r.err;
  return "";
}

TEST(PidNamespaceTest, WorkersInSeparatePidNamespacesTakeNoLeaseFromEachOther) {
  const std::string why = unshare_unavailable();
  if (!why.empty()) GTEST_SKIP() << why;
  DocprofCli cli;
  cli.import_library();
  // Every model call is slow (1.5 s), so each step's lease is held while the other worker leases
  // (and reclaims) many times.
  Cassette cassette;
  for (const auto& [task, fixture] : std::vector<std::pair<std::string, std::string>>{
           {"generate_course_parts", "parts_clean_valuation"},
           {"generate_part_sections_0", "sections_gpt_style_fields"},
           {"generate_part_sections_1", "sections_clean"},
           {"generate_part_sections_2", "sections_bold_part_header"},
           {"generate_part_sections_3", "sections_total_glued"}}) {
    cassette.answer(task, fixture, 1500);
  }
  const std::string llm = cassette.write(cli.file("slow.jsonl"));
  const std::string first_id = cli.enqueue(kValuationQuery, kValuationHours);
  const std::string second_id = cli.enqueue(kValuationQuery, kValuationHours);
  ASSERT_FALSE(first_id.empty());
  ASSERT_FALSE(second_id.empty());

  auto worker = [&](const std::string& name) {
    std::vector<std::string> argv = {kUnshare, "-p", "-f", "--mount-proc", DOCPROF_BINARY, "--db", cli.db(),
                                     "worker", "--drain", "--llm", llm, "--record", cli.file(name + ".jsonl")};
    Environment env = cli.env();
    return std::make_unique<BackgroundProcess>(argv, env, cli.dir().path(), cli.dir().path() / (name + ".out"),
                                               cli.dir().path() / (name + ".err"));
  };
  // The second worker starts once the first is in a model call, so the two differ in start time
  // (started within one clock tick, with pid 1 each, their old ids were identical).
  auto first = worker("worker1");
  ASSERT_TRUE(wait_until([&] { return cli.status(first_id).value("phase", "") == "generating_parts" || !first->running(); },
                         Millis(60000), Millis(20)));
  ASSERT_TRUE(first->running()) << describe(first->wait(Millis(1)));
  auto second = worker("worker2");
  const ProcessResult r1 = first->wait(Millis(120000));
  const ProcessResult r2 = second->wait(Millis(120000));
  ASSERT_EQ(r1.exit_code, 0) << describe(r1);
  ASSERT_EQ(r2.exit_code, 0) << describe(r2);

  for (const auto& id : {first_id, second_id}) {
    const json status = cli.status(id);
    ASSERT_EQ(status.value("status", ""), "complete") << status.dump(2);
    EXPECT_EQ(count_entries(cli.events(id), "Delivered again"), 0) << messages(cli.events(id));
    EXPECT_EQ(status.at("usage").value("calls", 0), 5) << status.dump(2);
  }
  // Exactly one model call per step: each of the five tasks once per course, over both workers.
  const auto one = calls_by_task(cli.file("worker1.jsonl"));
  const auto two = calls_by_task(cli.file("worker2.jsonl"));
  std::map<std::string, int> calls = one;
  for (const auto& [task, n] : two) calls[task] += n;
  EXPECT_EQ(calls.size(), 5u);
  for (const auto& [task, n] : calls) EXPECT_EQ(n, 2) << task << " was called " << n << " times for 2 courses";
  expect_row_count(cli, "SELECT COUNT(*) FROM course_sections;", 26);
}

}  // namespace
}  // namespace docprof::e2e
