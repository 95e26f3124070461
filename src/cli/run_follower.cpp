#include "cli/run_follower.h"

#include <fmt/core.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/cli_error.h"
#include "cli/command_context.h"
#include "cli/progress_display.h"
#include "cli/signals.h"
#include "engine/worker_pool.h"
#include "views/course_views.h"

namespace docprof::cli {

ports::RunRecord follow_run(Runtime& runtime, const std::string& course_id, const std::string& llm_spec,
                            const std::string& record, bool quiet) {
  // Only this run: other queued runs stay for `docprof worker` (and never run with this --llm).
  auto workers = runtime.start_workers(WorkerOptions{llm_spec, record, "cli", 0, false, course_id});
  engine::WorkerPool& pool = workers->pool();
  install_stop_signals();
  pool.start();

  ProgressDisplay display(quiet);
  ports::RunRecord last;
  for (;;) {
    auto run = runtime.runs().load(course_id);
    if (!run) throw CliError(kExitFailure, "the run " + course_id + " disappeared (deleted meanwhile?)");
    last = *run;
    display.update(last, runtime.runs().history(course_id, display.last_history_id()));
    if (last.status != ports::RunStatus::processing) break;
    if (stop_requested()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  display.finish();
  pool.request_stop();
  if (!pool.wait()) {
    fmt::print(stderr, "Steps still running after the grace period; they will be redelivered.\n");
    std::fflush(nullptr);
    std::_Exit(kExitFailure);
  }
  if (last.status == ports::RunStatus::processing && last.kind == domain::RunKind::ingest) {
    throw CliError(130, "interrupted: ingestion run " + course_id +
                            " is still in progress; `docprof worker` continues it, `docprof books ingest-status " +
                            course_id + "` shows where it is");
  }
  if (last.status == ports::RunStatus::processing) {
    throw CliError(130, "interrupted: course " + course_id +
                            " is still being generated; `docprof worker` continues it, `docprof course status " +
                            course_id + "` shows where it is");
  }
  return last;
}

int print_run_result(Runtime& runtime, const ports::RunRecord& run, bool json) {
  if (run.status == ports::RunStatus::error) {
    const std::string code = run.error ? run.error->code : "error";
    const std::string message = run.error ? run.error->message : "the run failed";
    if (json) {
      print_json(nlohmann::json{
          {"course_id", run.course_id}, {"status", "error"}, {"error_code", code}, {"error", message}});
    }
    fmt::print(stderr, "error: course generation failed ({}): {}\n", code, message);
    fmt::print(stderr, "       `docprof events {}` shows the run's history; `docprof course retry {}` replays it\n",
               run.course_id, run.course_id);
    return kExitGenerationFailed;
  }
  auto stored = runtime.courses().get(run.course_id);
  if (!stored) throw CliError(kExitFailure, "the run completed but course " + run.course_id + " is not stored");
  if (json) {
    print_json(views::outline_json(stored, &run, run.course_id));
  } else {
    fmt::print("{}", views::outline_markdown(*stored));
    fmt::print(stderr, "\ncourse id: {}\n", run.course_id);
  }
  return kExitOk;
}

}  // namespace docprof::cli
