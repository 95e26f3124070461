// `docprof serve`: the HTTP API (src/api) and, unless --no-workers, the in-process workers, over
// the embedded runtime. SIGINT/SIGTERM stop it gracefully: the listener closes, open event streams
// end, running steps get the configured grace period. The process keeps one Metrics registry: the
// workers observe their steps in it, the model is metered (MeteredModel), the API counts its
// requests and serves it all at GET /metrics.
#include <fmt/core.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>

#include "api/auth.h"
#include "api/cors.h"
#include "api/http_server.h"
#include "api/jwt_verifier.h"
#include "api/spool_file.h"
#include "cli/cli_error.h"
#include "cli/command_context.h"
#include "cli/signals.h"
#include "engine/metrics.h"
#include "engine/worker_pool.h"

namespace docprof::cli {
namespace {

struct ServeOptions {
  std::string listen;  // empty: server.listen
  std::string auth;    // empty: auth.mode
  bool no_workers = false;
  std::string llm;
};

std::pair<std::string, int> split_listen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw bad_input("--listen: expected HOST:PORT, got '" + listen + "'");
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const std::string port_text = listen.substr(colon + 1);
  int port = -1;  // digits only (issue 15): no sign, spaces or hex
  if (check_digits(port_text).empty()) port = std::stoi(port_text);
  if (port < 0 || port > 65535) throw bad_input("--listen: bad port '" + port_text + "'");
  return {host, port};
}

api::HttpLimits http_limits(const config::Config& config) {
  api::HttpLimits limits;
  limits.max_body_bytes = static_cast<std::size_t>(config.server_max_body_bytes);
  limits.max_uri_bytes = static_cast<std::size_t>(config.server_max_uri_bytes);
  limits.max_header_bytes = static_cast<std::size_t>(config.server_max_header_bytes);
  limits.max_headers = static_cast<std::size_t>(config.server_max_headers);
  limits.header_timeout = std::chrono::seconds(config.server_header_timeout_seconds);
  limits.body_timeout = std::chrono::seconds(config.server_body_timeout_seconds);
  limits.max_connections = static_cast<std::size_t>(config.server_max_connections);
  limits.max_connections_per_client = static_cast<std::size_t>(config.server_max_connections_per_client);
  return limits;
}

// auth.mode = "jwt": the key set is loaded now, so that a missing file, an unreachable URL or a
// bad setting stops the start (exit 2) instead of refusing every request later.
api::Authenticator jwt_authenticator(const config::Config& config) {
  api::JwtSettings settings;
  settings.issuer = config.auth_issuer;
  settings.audience = config.auth_audience;
  settings.clock_skew_seconds = config.auth_clock_skew_seconds;
  settings.user_claim = config.auth_user_claim;
  settings.admin_claim = config.auth_admin_claim;
  settings.admin_group = config.auth_admin_group;
  if (auto problem = api::JwtVerifier::check(settings)) throw bad_input(problem->message);
  auto source = api::JwksSource::from_setting(config.auth_jwks, config.auth_jwks_ca_file);
  if (!source) throw bad_input(source.error().message);
  auto keys = api::JwksCache::open(std::move(source).value());
  if (!keys) throw bad_input(keys.error().message);
  auto verifier = api::JwtVerifier::create(std::move(settings), std::move(keys).value());
  if (!verifier) throw bad_input(verifier.error().message);
  return api::Authenticator::jwt(std::move(verifier).value());
}

int serve(CommandContext& context, const ServeOptions& options) {
  const config::Config& config = context.config();
  const auto [host, port] =
      split_listen(options.listen.empty() ? config.server_listen : options.listen);
  const std::string mode = options.auth.empty() ? config.auth_mode : options.auth;
  api::Authenticator auth = api::Authenticator::none();
  if (mode == "none") {
    // The server checks again on the address its socket binds to: a name may resolve anywhere.
    if (!api::is_loopback(host)) {
      throw bad_input(
          "--auth none is only allowed on a loopback address (127.0.0.1, ::1, localhost), not '" +
          host + "': use tokens (`docprof auth add-token USER`)");
    }
  } else if (mode == "tokens") {
    auto loaded = api::Authenticator::from_tokens_file(config.auth_tokens_file);
    if (!loaded) {
      throw bad_input(loaded.error().message +
                      " (create one with `docprof auth add-token USER`, or use --auth none "
                      "on loopback)");
    }
    auth = std::move(loaded).value();
  } else if (mode == "jwt") {
    auth = jwt_authenticator(config);
  } else {
    throw bad_input("--auth: expected none, tokens or jwt, got '" + mode + "'");
  }
  if (!options.no_workers) Runtime::check_model_spec(config, options.llm);
  // Uploaded books are summarized by ingest.summarizer, on this process's workers: a model there
  // must be the one they run, or every upload would fail at its first chapter.
  const std::string workers_model = options.llm.empty() ? config.llm_provider : options.llm;
  if (!options.no_workers && config.ingest_summarizer != "extractive" && config.ingest_summarizer != workers_model) {
    throw bad_input("ingest.summarizer is '" + config.ingest_summarizer + "' but this server's workers run '" +
                    workers_model + "': set ingest.summarizer to extractive or to the workers' model (--llm)");
  }

  Runtime& runtime = context.runtime();
  runtime.connect_bus();  // the API publishes requests: a server without its bus does not start
  engine::Metrics metrics;  // outlives the workers and the server, which use it
  std::unique_ptr<WorkerHost> workers_host;
  if (!options.no_workers) {
    workers_host = runtime.start_workers(WorkerOptions{options.llm, "", "serve", 0, false, "", &metrics});
  }
  engine::WorkerPool* pool = workers_host ? &workers_host->pool() : nullptr;

  api::ApiOptions api_options;
  api_options.threads = static_cast<int>(config.server_threads);
  api_options.limits = http_limits(config);
  api_options.max_streams_per_user = static_cast<std::size_t>(config.server_max_streams_per_user);
  api_options.cors_origins = api::resolve_cors_origins(config.server_cors_origins, auth.enabled());
  api_options.rate_per_minute = config.server_rate_per_minute;
  api_options.max_concurrent_runs = static_cast<int>(config.server_max_concurrent_runs);
  api_options.search_top_k = static_cast<int>(config.search_top_k);
  api_options.upload_dir = runtime.upload_dir();
  // Spools of uploads a killed server was receiving: nothing will finish them.
  const auto idle = std::chrono::seconds(std::max<std::int64_t>(600, 2 * config.server_body_timeout_seconds));
  if (const int stale = api::SpoolFile::remove_stale(api_options.upload_dir, "body-", ".part", idle); stale > 0) {
    spdlog::info("removed {} unfinished upload spool(s) from {}", stale, api_options.upload_dir);
  }
  api_options.max_upload_bytes = static_cast<std::uint64_t>(config.server_max_upload_bytes);
  api_options.ingest_paths = config.server_ingest_paths;
  api_options.offline_planner = Runtime::offline_planner(config, options.llm);
  api_options.metrics = &metrics;
  api_options.queue = &runtime.queue();
  api_options.dead_letters = &runtime.dead_letters();
  const bool workers = !options.no_workers;
  // An API-only process (--no-workers) is ready once its database answers; one with workers also
  // while they run (they stop on SIGINT/SIGTERM).
  if (workers) api_options.workers_running = [] { return !stop_requested(); };
  api::ApiServer server(
      api::ApiServices{runtime.course_service(), runtime.runs(), runtime.courses(),
                       runtime.library_service(), runtime.clock(), runtime.ingest_service_or_null(),
                       &runtime.ingest_runs()},
      std::move(auth), api_options);
  int bound = 0;
  try {
    bound = server.bind(host, port);
  } catch (const std::exception& e) {
    throw CliError(kExitFailure, e.what());
  }

  install_stop_signals();
  if (pool) pool->start();
  std::thread http([&server] { server.run(); });
  fmt::print(stderr, "serve: http://{}:{} (auth {}), {}; {} {}; Ctrl-C stops\n", host, bound,
             mode,
             workers ? fmt::format("workers: {} step(s) at once, model {}", workers_host->concurrency(),
                                   workers_host->model_name())
                     : std::string("no workers"),
             config::distributed(config) ? "deployment" : "database", Runtime::storage_name(config));
  std::fflush(stderr);
  while (!stop_requested()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  fmt::print(stderr, "serve: stopping\n");
  server.stop();
  http.join();
  if (pool) {
    pool->request_stop();
    if (!pool->wait()) {
      fmt::print(stderr,
                 "serve: steps still running after the grace period; they will be redelivered\n");
      std::fflush(nullptr);
      std::_Exit(kExitFailure);
    }
  }
  return kExitOk;
}

}  // namespace

void register_serve_commands(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<ServeOptions>();
  auto* cmd =
      app.add_subcommand("serve", "Serve the HTTP API (and run the workers in this process)");
  cmd->add_option("--listen", options->listen,
                  "HOST:PORT to listen on (default: server.listen, 127.0.0.1:8080)");
  cmd->add_option("--auth", options->auth,
                  "none | tokens | jwt (default: auth.mode); none only on loopback")
      ->check(CLI::IsMember({"none", "tokens", "jwt"}));
  cmd->add_flag("--no-workers", options->no_workers,
                "API only: leave the queue to `docprof worker` processes");
  cmd->add_option("--llm", options->llm, "model spec for the workers (default: llm.provider)");
  cmd->callback([&context, options] { context.exit_code = serve(context, *options); });
}

}  // namespace docprof::cli
