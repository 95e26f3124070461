// `docprof events`, `dlq …`, `worker`, `migrate`.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <algorithm>
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

// "CourseRequested,PartsGenerated" -> the event types; an unknown name is bad input (exit 2).
std::vector<domain::EventType> parse_event_types(const std::string& list) {
  std::vector<domain::EventType> types;
  if (list.empty()) return types;
  std::string known;
  for (int i = 0; i < domain::kEventTypeCount; ++i) {
    known += (i == 0 ? "" : ", ") + std::string(domain::to_string(static_cast<domain::EventType>(i)));
  }
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto comma = list.find(',', start);
    std::string name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!name.empty() && name.front() == ' ') name.erase(name.begin());
    while (!name.empty() && name.back() == ' ') name.pop_back();
    auto type = domain::parse_event_type(name);
    if (!type) throw bad_input("--events: unknown event type '" + name + "' (expected some of: " + known + ")");
    if (std::find(types.begin(), types.end(), type.value()) == types.end()) types.push_back(type.value());
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return types;
}

int run_worker(CommandContext& context, const std::string& llm, const std::string& record, bool drain,
               int concurrency, const std::string& events) {
  const auto event_types = parse_event_types(events);
  Runtime::check_model_spec(context.config(), llm);  // before the database is opened
  Runtime& runtime = context.runtime();
  WorkerOptions options{llm, record, "worker", concurrency, drain};
  options.event_types = event_types;
  auto workers = runtime.start_workers(options);
  engine::WorkerPool& pool = workers->pool();
  install_stop_signals();
  fmt::print(stderr, "worker: {} step(s) at once, model {}, {} {}{}{}\n", workers->concurrency(),
             workers->model_name(), config::distributed(runtime.config()) ? "deployment" : "database",
             Runtime::storage_name(runtime.config()), events.empty() ? "" : ", events " + events,
             drain ? ", until the queue is drained" : "; Ctrl-C stops");
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
      fmt::print("{}  {} {}  {} (seq {}, {} attempt(s))  {}: {}\n", d.id,
                 domain::to_string(domain::run_kind_of(d.event.type())), d.course_id,
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
  dlq_replay->add_option("id", *id, "Dead letter id, or the id of its run (a course's or an ingestion's)")->required();
  dlq_replay->callback([&context, id] {
    context.runtime().connect_bus();
    auto replayed = context.runtime().course_service().replay(*id);
    if (!replayed) throw bad_input(replayed.error().message);
    fmt::print(stderr, "requeued; `docprof worker --drain` continues run {}\n", replayed.value());
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
  auto events_filter = std::make_shared<std::string>();
  worker->add_option("--events", *events_filter,
                     "Run only these event types, comma-separated (e.g. PartsGenerated,PartSectionsGenerated), "
                     "to scale phases separately; default: all");
  worker->callback([&context, llm, record, drain, concurrency, events_filter] {
    context.exit_code = run_worker(context, *llm, *record, *drain, *concurrency, *events_filter);
  });

  auto* migrate = app.add_subcommand(
      "migrate", "Create or upgrade the database schema (SQLite file, or PostgreSQL with storage.backend = postgres)");
  migrate->callback([&context] {
    const std::string name = Runtime::storage_name(context.config());
    try {
      fmt::print("{}: {}\n", name, Runtime::migrate(context.config()));
    } catch (const std::exception& e) {
      throw CliError(kExitFailure, "migrating " + name + " failed: " + e.what());
    }
  });
}

}  // namespace docprof::cli
