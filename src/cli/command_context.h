// CommandContext: what every subcommand shares — the global options (--db, --config,
// --log-level), the loaded configuration, and the Runtime, opened on first use.
// Also small output helpers used by the commands.
//
// Thread safety: used from the main thread only.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "cli/runtime.h"
#include "config/config.h"

namespace CLI {
class App;
}

namespace docprof::cli {

struct GlobalOptions {
  std::string db;           // --db / DOCPROF_DB; empty: the configured storage.path
  std::string config_file;  // --config
  std::string log_level;    // --log-level; empty: the configured log.level
};

class CommandContext {
 public:
  GlobalOptions options;
  int exit_code = 0;  // set by a command that finishes with a non-zero code but no error message

  const config::Config& config();  // loads once; throws CliError (exit 2) for a bad configuration
  Runtime& runtime();              // opens once
  void apply_logging();

 private:
  std::optional<config::Config> config_;
  std::unique_ptr<Runtime> runtime_;
};

// JSON to stdout (invalid UTF-8 from model output is replaced, never fatal).
void print_json(const nlohmann::json& value);
// Parses a number given on the command line: ^[0-9]+(\.[0-9]+)?$ ("2", "1.5"; util/decimal_text.h),
// with a leading '-' when `allow_negative`; anything else ("0x10", "1e3", " 2") is bad input naming
// the option.
double parse_number(const std::string& text, const std::string& option, bool allow_negative = false);
// A CLI11 check for integer options: digits only (CLI11 itself would read "0x10" as 16, "010" as 8).
std::string check_digits(const std::string& text);

void register_course_commands(CLI::App& app, CommandContext& context);
void register_book_commands(CLI::App& app, CommandContext& context);
// `books ingest|show` (onto the `books` command registered above) and `search`.
void register_ingest_commands(CLI::App& app, CommandContext& context);
void register_operations_commands(CLI::App& app, CommandContext& context);
void register_serve_commands(CLI::App& app, CommandContext& context);
void register_auth_commands(CLI::App& app, CommandContext& context);

}  // namespace docprof::cli
