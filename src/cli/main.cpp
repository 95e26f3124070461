// docprof: turns a learning request into a structured course grounded in a library of books.
// Exit codes: 0 success, 1 other failure, 2 bad input or unknown id, 3 generation failed.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>

#include "cli/cli_error.h"
#include "cli/command_context.h"

#ifndef DOCPROF_VERSION
#define DOCPROF_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
  using namespace docprof::cli;
  spdlog::set_default_logger(spdlog::stderr_color_mt("docprof"));
  spdlog::set_level(spdlog::level::warn);

  CLI::App app{"docprof — turns a learning request into a structured course, grounded in a library of books.\n\n"
               "  docprof books import examples/library\n"
               "  docprof course create \"I want to learn how to value a company\" --hours 6\n",
               "docprof"};
  app.set_version_flag("--version", std::string("docprof ") + DOCPROF_VERSION);
  app.require_subcommand(1);
  CommandContext context;
  app.add_option("--db", context.options.db, "SQLite database file (env DOCPROF_DB; default ./docprof.db)");
  app.add_option("--config", context.options.config_file, "TOML configuration file (default ./docprof.toml if present)");
  app.add_option("--log-level", context.options.log_level, "trace | debug | info | warn | error | off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.parse_complete_callback([&context] { context.apply_logging(); });

  register_course_commands(app, context);
  register_book_commands(app, context);
  register_ingest_commands(app, context);
  register_operations_commands(app, context);
  register_serve_commands(app, context);
  register_auth_commands(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints CLI11's message and usage hint
    return kExitBadInput;
  } catch (const CliError& e) {
    if (e.what()[0] != '\0') fmt::print(stderr, "error: {}\n", e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitFailure;
  }
  std::fflush(stdout);
  return context.exit_code;
}
