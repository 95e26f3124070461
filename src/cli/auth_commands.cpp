// `docprof auth add-token USER [--admin]`: creates a random API token, prints it once, and appends
// its SHA-256 hash line to the tokens file (auth.tokens_file, created with mode 0600).
#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include <memory>

#include "api/auth.h"
#include "cli/cli_error.h"
#include "cli/command_context.h"

namespace docprof::cli {

void register_auth_commands(CLI::App& app, CommandContext& context) {
  auto* auth = app.add_subcommand("auth", "Manage the HTTP API's bearer tokens");
  auth->require_subcommand(1);
  auto user = std::make_shared<std::string>();
  auto admin = std::make_shared<bool>(false);
  auto* add = auth->add_subcommand("add-token", "Create a token for a user; prints it once");
  add->add_option("user", *user, "User id the token maps to")->required();
  add->add_flag("--admin", *admin, "The token may also import and delete books");
  add->callback([&context, user, admin] {
    const std::string file = context.config().auth_tokens_file;
    const std::string token = api::generate_token();
    auto written = api::append_token(file, *user, *admin, token);
    if (!written) {
      throw CliError(written.error().code == "invalid_request" ? kExitBadInput : kExitFailure,
                     written.error().message);
    }
    fmt::print("{}\n", token);
    fmt::print(stderr,
               "token for user '{}'{} added to {} (only its hash is stored; this is the one time "
               "it is shown)\n",
               *user, *admin ? " (admin)" : "", file);
  });
}

}  // namespace docprof::cli
