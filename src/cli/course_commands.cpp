// `docprof course …`: create, revise, status, show, list, delete, cancel, retry, export.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/cli_error.h"
#include "cli/command_context.h"
#include "cli/run_follower.h"
#include "domain/request.h"
#include "domain/time_format.h"
#include "views/course_views.h"

namespace docprof::cli {
namespace {

constexpr const char* kLocalUser = "local";

ports::RunRecord require_run(Runtime& runtime, const std::string& id) {
  auto run = runtime.runs().load(id);
  if (!run) throw bad_input("no course with id '" + id + "' (`docprof course list` shows the courses)");
  return *run;
}

void print_status(const ports::RunRecord& run) {
  fmt::print("course   {}\n", run.course_id);
  fmt::print("status   {}\n", ports::to_string(run.status));
  fmt::print("phase    {}\n", domain::to_string(run.status == ports::RunStatus::error ? domain::Phase::error : run.phase));
  fmt::print("title    {}\n", run.title);
  fmt::print("request  {} ({} h)\n", run.query, run.hours);
  if (run.revision > 0) fmt::print("revision {}\n", run.revision);
  if (run.parts_count > 0) fmt::print("parts    {} (at part {})\n", run.parts_count, run.current_part_index + 1);
  fmt::print("tokens   {} in, {} out, {} model call(s)\n", run.usage.input_tokens, run.usage.output_tokens,
             run.usage.calls);
  fmt::print("message  {}\n", views::status_message(run));
  if (run.error) fmt::print("error    {}: {}\n", run.error->code, run.error->message);
  fmt::print("updated  {}\n", domain::format_iso8601(run.updated_at_ms));
}

struct CreateOptions {
  std::string query;
  std::string hours = "2";
  std::string depth, pace, style, notes;
  std::string llm;
  std::string record;
  std::string user = kLocalUser;
  bool json = false;
  bool no_wait = false;
};

int create(CommandContext& context, const CreateOptions& o) {
  domain::RawCourseRequest raw;
  raw.query = o.query;
  raw.hours = parse_number(o.hours, "--hours");
  if (!o.depth.empty()) raw.depth = o.depth;
  if (!o.pace.empty()) raw.pace = o.pace;
  if (!o.style.empty()) raw.presentation_style = o.style;
  if (!o.notes.empty()) raw.additional_notes = o.notes;
  // Validate before touching the database: bad input writes nothing.
  auto valid = domain::validate_course_request(raw);
  if (!valid) throw bad_input(valid.error().message);

  if (!o.no_wait) Runtime::check_model_spec(context.config(), o.llm);  // before anything is written
  Runtime& runtime = context.runtime();
  runtime.connect_bus();
  auto course_id = runtime.course_service().request_course(o.user, raw);
  if (!course_id) throw bad_input(course_id.error().message);
  if (o.no_wait) {
    if (o.json) print_json(nlohmann::json{{"course_id", course_id.value()}});
    else fmt::print("{}\n", course_id.value());
    return kExitOk;
  }
  const auto run = follow_run(runtime, course_id.value(), o.llm, o.record, o.json);
  return print_run_result(runtime, run, o.json);
}

struct ReviseOptions {
  std::string id = {};
  std::string request = {};
  std::string llm = {};
  std::string record = {};
  std::string user = kLocalUser;
  bool json = false;
  bool no_wait = false;
};

// `course revise ID "REQUEST"` (issue 17): exit 0 once the revision is stored, 2 for a request
// refused when made (bad, unsupported, unknown course, a run in progress), 3 when the run failed
// (the stored outline is kept).
int revise(CommandContext& context, const ReviseOptions& o) {
  if (!o.no_wait) Runtime::check_model_spec(context.config(), o.llm);  // before anything is written
  Runtime& runtime = context.runtime();
  runtime.connect_bus();
  const engine::CourseService::RevisionChecks checks{Runtime::offline_planner(context.config(), o.llm)};
  auto revision = runtime.course_service().request_revision(o.user, o.id, o.request, checks);
  if (!revision) {
    if (o.json) {
      print_json(nlohmann::json{{"error", revision.error().message}, {"error_code", revision.error().code}});
    }
    throw bad_input(revision.error().message);
  }
  if (o.no_wait) {
    if (o.json) print_json(nlohmann::json{{"course_id", o.id}, {"revision", revision.value()}});
    else fmt::print("{}\n", o.id);
    return kExitOk;
  }
  const auto run = follow_run(runtime, o.id, o.llm, o.record, o.json);
  const int code = print_run_result(runtime, run, o.json);
  if (code == kExitGenerationFailed && !o.json) {
    fmt::print(stderr, "revision {} failed; the course keeps its previous outline (`docprof course retry {}` "
                       "runs the failed step again)\n",
               revision.value(), o.id);
  }
  return code;
}

int show(CommandContext& context, const std::string& id, const std::string& format, bool passages) {
  Runtime& runtime = context.runtime();
  auto stored = runtime.courses().get(id);
  auto run = runtime.runs().load(id);
  if (!stored && !run) throw bad_input("no course with id '" + id + "' (`docprof course list` shows the courses)");
  if (format == "json") {
    print_json(views::outline_json(stored, run ? &*run : nullptr, id));
    // A failed generation has no outline (3); a failed revision keeps the stored one (0).
    return !stored && run && run->status == ports::RunStatus::error ? kExitGenerationFailed : kExitOk;
  }
  if (stored) {
    if (!passages) {
      fmt::print("{}", views::outline_markdown(*stored));
      return kExitOk;
    }
    std::vector<std::string> ids;
    for (const auto& s : stored->sections) ids.insert(ids.end(), s.chunk_ids.begin(), s.chunk_ids.end());
    fmt::print("{}", views::outline_markdown(*stored, runtime.corpus().chunks_by_id(ids)));
    return kExitOk;
  }
  fmt::print(stderr, "course {} has no outline yet: {}\n", id, views::status_message(*run));
  return run->status == ports::RunStatus::error ? kExitGenerationFailed : kExitOk;
}

int list(CommandContext& context, const std::string& user, bool json) {
  Runtime& runtime = context.runtime();
  const auto rows = views::course_list_json(runtime.courses().list_for_user(user), runtime.runs().list_runs(user));
  if (json) {
    print_json(rows);
    return kExitOk;
  }
  if (rows.empty()) {
    fmt::print(stderr, "no courses yet: `docprof course create \"what you want to learn\" --hours 2`\n");
    return kExitOk;
  }
  for (const auto& row : rows) {
    fmt::print("{}  {:<10}  {:>5.2f} h  {}  {}\n", row["courseId"].get<std::string>(),
               row["status"].get<std::string>(), row["estimatedHours"].get<double>(),
               row["createdAt"].get<std::string>().substr(0, 16), row["title"].get<std::string>());
  }
  return kExitOk;
}

int export_course(CommandContext& context, const std::string& id, const std::string& format,
                  const std::string& output) {
  Runtime& runtime = context.runtime();
  auto stored = runtime.courses().get(id);
  if (!stored) {
    if (runtime.runs().load(id)) throw bad_input("course " + id + " has no outline yet (still generating or failed)");
    throw bad_input("no course with id '" + id + "'");
  }
  auto run = runtime.runs().load(id);
  const std::string text = format == "json" ? views::outline_json(stored, run ? &*run : nullptr, id)
                                                      .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
                                                  "\n"
                                            : views::outline_markdown(*stored);
  if (output.empty() || output == "-") {
    fmt::print("{}", text);
    return kExitOk;
  }
  const std::string partial = output + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) throw bad_input("cannot write " + output);
    out << text;
    if (!out.flush()) throw CliError(kExitFailure, "writing " + output + " failed");
  }
  // Written whole or not at all.
  if (std::rename(partial.c_str(), output.c_str()) != 0) throw CliError(kExitFailure, "cannot write " + output);
  fmt::print(stderr, "wrote {} ({} bytes)\n", output, text.size());
  return kExitOk;
}

}  // namespace

void register_course_commands(CLI::App& app, CommandContext& context) {
  auto* course = app.add_subcommand("course", "Create, inspect and manage courses");
  course->require_subcommand(1);

  auto create_options = std::make_shared<CreateOptions>();
  auto* create_cmd = course->add_subcommand("create", "Generate a course for a learning request");
  create_cmd->add_option("query", create_options->query, "What you want to learn, in your own words")->required();
  create_cmd->add_option("--hours", create_options->hours, "Course length in hours, 0.25 to 100 (default 2)");
  create_cmd->add_option("--depth", create_options->depth, "overview | balanced | technical | expert");
  create_cmd->add_option("--pace", create_options->pace, "quick | moderate | thorough");
  create_cmd->add_option("--style", create_options->style, "Presentation style (default: conversational)");
  create_cmd->add_option("--notes", create_options->notes, "Anything else the course should take into account");
  create_cmd->add_option("--llm", create_options->llm,
                         "Model: extractive | replay:CASSETTE | openai | bedrock (default: llm.provider)");
  create_cmd->add_option("--record", create_options->record, "Also write every model call to this cassette");
  create_cmd->add_option("--user", create_options->user, "Owner of the course (default: local)");
  create_cmd->add_flag("--json", create_options->json, "Print the outline (or the error) as JSON");
  create_cmd->add_flag("--no-wait", create_options->no_wait, "Only queue the request and print the course id");
  create_cmd->callback([&context, create_options] { context.exit_code = create(context, *create_options); });

  auto revise_options = std::make_shared<ReviseOptions>();
  auto* revise_cmd = course->add_subcommand(
      "revise", "Revise the sections not yet completed, in plain words (\"add a section on X\", \"make it 3 hours\")");
  revise_cmd->add_option("id", revise_options->id, "Course id")->required();
  revise_cmd->add_option("request", revise_options->request, "What to change, in your own words")->required();
  revise_cmd->add_option("--llm", revise_options->llm,
                         "Model: extractive | replay:CASSETTE | openai | bedrock (default: llm.provider)");
  revise_cmd->add_option("--record", revise_options->record, "Also write every model call to this cassette");
  revise_cmd->add_option("--user", revise_options->user, "Owner of the course (default: local)");
  revise_cmd->add_flag("--json", revise_options->json, "Print the revised outline (or the error) as JSON");
  revise_cmd->add_flag("--no-wait", revise_options->no_wait, "Only queue the revision and print the course id");
  revise_cmd->callback([&context, revise_options] { context.exit_code = revise(context, *revise_options); });

  auto id = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto format = std::make_shared<std::string>("md");
  auto output = std::make_shared<std::string>();
  auto user = std::make_shared<std::string>(kLocalUser);
  auto llm = std::make_shared<std::string>();
  auto no_wait = std::make_shared<bool>(false);
  auto record = std::make_shared<std::string>();

  auto* status = course->add_subcommand("status", "Show where a course's generation is");
  status->add_option("id", *id, "Course id")->required();
  status->add_flag("--json", *json, "Print JSON (the HTTP status shape)");
  status->callback([&context, id, json] {
    const auto run = require_run(context.runtime(), *id);
    if (*json) print_json(views::status_json(run));
    else print_status(run);
  });

  auto* show_cmd = course->add_subcommand("show", "Print a course's outline");
  show_cmd->add_option("id", *id, "Course id")->required();
  show_cmd->add_option("--format", *format, "md | json")->check(CLI::IsMember({"md", "json"}));
  show_cmd->add_flag("--json", *json, "Same as --format json");
  auto passages = std::make_shared<bool>(false);
  show_cmd->add_flag("--passages", *passages,
                     "Under each section, the passages of ingested books it is read from (Markdown)");
  show_cmd->callback([&context, id, format, json, passages] {
    context.exit_code = show(context, *id, *json ? "json" : *format, *passages);
  });

  auto* list_cmd = course->add_subcommand("list", "List courses, newest first");
  list_cmd->add_option("--user", *user, "Owner (default: local)");
  list_cmd->add_flag("--json", *json, "Print JSON (the HTTP list shape)");
  list_cmd->callback([&context, user, json] { context.exit_code = list(context, *user, *json); });

  auto* remove_cmd = course->add_subcommand("delete", "Delete a course (cancelling its generation first)");
  remove_cmd->add_option("id", *id, "Course id")->required();
  remove_cmd->callback([&context, id] {
    auto removed = context.runtime().course_service().remove(*id);
    if (!removed) throw bad_input(removed.error().message);
    fmt::print(stderr, "deleted course {}\n", *id);
  });

  auto* cancel_cmd = course->add_subcommand("cancel", "Stop generating a course");
  cancel_cmd->add_option("id", *id, "Course id")->required();
  cancel_cmd->callback([&context, id] {
    auto cancelled = context.runtime().course_service().cancel(*id, "cancelled by the user");
    if (!cancelled) throw bad_input(cancelled.error().message);
    fmt::print(stderr, "cancelled course {}\n", *id);
  });

  auto* retry_cmd = course->add_subcommand("retry", "Replay a failed course's failed step and continue it");
  retry_cmd->add_option("id", *id, "Course id")->required();
  retry_cmd->add_option("--llm", *llm, "Model to continue with (default: llm.provider)");
  retry_cmd->add_option("--record", *record, "Also write every model call to this cassette");
  retry_cmd->add_flag("--json", *json, "Print the outline (or the error) as JSON");
  retry_cmd->add_flag("--no-wait", *no_wait, "Only requeue the failed step");
  retry_cmd->callback([&context, id, llm, record, json, no_wait] {
    if (!*no_wait) Runtime::check_model_spec(context.config(), *llm);
    Runtime& runtime = context.runtime();
    runtime.connect_bus();
    auto replayed = runtime.course_service().replay(*id);
    if (!replayed) throw bad_input(replayed.error().message);
    if (*no_wait) {
      fmt::print(stderr, "requeued the failed step of course {}\n", replayed.value());
      return;
    }
    const auto run = follow_run(runtime, replayed.value(), *llm, *record, *json);
    context.exit_code = print_run_result(runtime, run, *json);
  });

  auto* export_cmd = course->add_subcommand("export", "Write a course's outline to a file");
  export_cmd->add_option("id", *id, "Course id")->required();
  export_cmd->add_option("--format", *format, "md | json")->check(CLI::IsMember({"md", "json"}));
  export_cmd->add_option("--output,-o", *output, "File to write (default: stdout)");
  export_cmd->callback(
      [&context, id, format, output] { context.exit_code = export_course(context, *id, *format, *output); });
}

}  // namespace docprof::cli
