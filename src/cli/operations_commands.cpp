// `docprof events`, `dlq …`, `worker`, `migrate`.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/cli_error.h"
#include "cli/command_context.h"
#include "cli/signals.h"
#include "domain/events_json.h"
#include "domain/time_format.h"
#include "engine/worker_pool.h"
#include "views/course_views.h"

namespace docprof::cli {
namespace {

int run_worker(CommandContext& context, const std::string& llm, const std::string& record, bool drain,
               int concurrency) {
  Runtime::check_model_spec(context.config(), llm);  // before the database is opened
  Runtime& runtime = context.runtime();
  auto workers = runtime.start_workers(WorkerOptions{llm, record, "worker", concurrency, drain});
  engine::WorkerPool& pool = workers->pool();
  install_stop_signals();
  fmt::print(stderr, "worker: {} step(s) at once, model {}, database {}{}\n", workers->concurrency(),
             workers->model_name(),
             runtime.config().storage_path, drain ? ", until the queue is drained" : "; Ctrl-C stops");
  pool.start();
  while (!stop_requested() && !pool.drained()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  pool.request_stop();
  const bool clean = pool.wait();
  const auto stats = pool.stats();
  fmt::print(stderr, "worker: {} step(s) applied, {} duplicate(s), {} retry(ies) scheduled, {} dropped, {} error(s)\n",
             stats.steps, stats.duplicates, stats.retries, stats.dropped, stats.errors);
  if (!clean) {
    fmt::print(stderr, "worker: steps still running after the grace period; they will be redelivered\n");
    std::fflush(nullptr);
    std::_Exit(kExitFailure);
  }
  return kExitOk;
}

}  // namespace

void register_operations_commands(CLI::App& app, CommandContext& context) {
  auto id = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);

  auto* events = app.add_subcommand("events", "Show a course run's history, step by step");
  events->add_option("id", *id, "Course id")->required();
  events->add_flag("--json", *json, "Print a JSON array of history entries");
  events->callback([&context, id, json] {
    Runtime& runtime = context.runtime();
    if (!runtime.runs().load(*id)) throw bad_input("no course run with id '" + *id + "'");
    const auto entries = runtime.runs().history(*id, 0);
    if (*json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& e : entries) out.push_back(views::history_entry_json(e));
      print_json(out);
      return;
    }
    for (const auto& e : entries) {
      std::string usage;
      if (e.usage.total() > 0) usage = fmt::format("  [{} tokens]", e.usage.total());
      fmt::print("{}  #{:<3} {:<8} {:<22} {}{}\n", domain::format_iso8601(e.at_ms).substr(11, 12), e.seq,
                 ports::to_string(e.kind), e.type, e.message, usage);
    }
  });

  auto* dlq = app.add_subcommand("dlq", "Inspect and replay failed steps (dead letters)");
  dlq->require_subcommand(1);
  auto* dlq_list = dlq->add_subcommand("list", "List dead letters");
  dlq_list->add_flag("--json", *json, "Print a JSON array");
  dlq_list->callback([&context, json] {
    const auto dead = context.runtime().dead_letters().list();
    if (*json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& d : dead) out.push_back(views::dead_letter_json(d));
      print_json(out);
      return;
    }
    if (dead.empty()) fmt::print(stderr, "no dead letters\n");
    for (const auto& d : dead) {
      fmt::print("{}  course {}  {} (seq {}, {} attempt(s))  {}: {}\n", d.id, d.course_id,
                 domain::to_string(d.event.type()), d.event.seq, d.attempts, d.error_code, d.error);
    }
  });
  auto* dlq_show = dlq->add_subcommand("show", "Show one dead letter with its event");
  dlq_show->add_option("id", *id, "Dead letter id")->required();
  dlq_show->add_flag("--json", *json, "Print JSON");
  dlq_show->callback([&context, id] {
    auto dead = context.runtime().dead_letters().get(*id);
    if (!dead) throw bad_input("no dead letter with id '" + *id + "'");
    auto out = views::dead_letter_json(*dead);
    nlohmann::json event;
    domain::to_json(event, dead->event);
    out["event"] = event;
    print_json(out);
  });
  auto* dlq_replay = dlq->add_subcommand("replay", "Reopen a failed run and requeue its failed step");
  dlq_replay->add_option("id", *id, "Dead letter id, or course id")->required();
  dlq_replay->callback([&context, id] {
    auto replayed = context.runtime().course_service().replay(*id);
    if (!replayed) throw bad_input(replayed.error().message);
    fmt::print(stderr, "requeued; `docprof worker --drain` continues course {}\n", replayed.value());
  });

  auto llm = std::make_shared<std::string>();
  auto drain = std::make_shared<bool>(false);
  auto concurrency = std::make_shared<int>(0);
  auto record = std::make_shared<std::string>();
  auto* worker = app.add_subcommand("worker", "Process queued course generation until stopped");
  worker->add_option("--llm", *llm, "Model: extractive | replay:CASSETTE | openai | bedrock (default: llm.provider)");
  worker->add_option("--record", *record, "Also write every model call to this cassette");
  worker->add_flag("--drain", *drain, "Exit once nothing is queued, delayed for a retry, or leased");
  worker->add_option("--concurrency", *concurrency, "Steps at once (default: worker.concurrency)")
      ->check(CLI::Validator(check_digits, "DIGITS"))
      ->check(CLI::Range(1, 1024));
  worker->callback([&context, llm, record, drain, concurrency] {
    context.exit_code = run_worker(context, *llm, *record, *drain, *concurrency);
  });

  auto* migrate = app.add_subcommand("migrate", "Create or upgrade the database schema");
  migrate->callback([&context] {
    const std::string path = context.config().storage_path;
    try {
      fmt::print("{}: {}\n", path, Runtime::migrate(path));
    } catch (const std::exception& e) {
      throw CliError(kExitFailure, "migrating " + path + " failed: " + e.what());
    }
  });
}

}  // namespace docprof::cli
