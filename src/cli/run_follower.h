// Runs the engine inside this process until one run (a course's, or an ingestion's) finishes, showing its progress —
// what `course create` and `course retry` do in embedded mode. Only that run's events are
// processed: other queued runs stay queued for `docprof worker` (and are never run with this
// command's --llm).
// Thread safety: call from the main thread.
#pragma once

#include <string>

#include "cli/runtime.h"
#include "ports/run_store.h"

namespace docprof::cli {

// Returns the run as it ended. Throws CliError when interrupted (SIGINT/SIGTERM): the run goes on
// with the next `docprof worker`.
ports::RunRecord follow_run(Runtime& runtime, const std::string& course_id, const std::string& llm_spec,
                            const std::string& record, bool quiet);

// Prints a finished run: the outline (Markdown, or JSON) on success; on failure the error on stderr
// (and the JSON error object with --json). Returns the exit code.
int print_run_result(Runtime& runtime, const ports::RunRecord& run, bool json);

}  // namespace docprof::cli
