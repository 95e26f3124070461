#include "config/config.h"

#include <toml++/toml.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <variant>

extern char** environ;  // NOLINT: POSIX

namespace docprof::config {
namespace {

using Field = std::variant<std::string Config::*, std::int64_t Config::*, double Config::*, bool Config::*,
                           std::optional<double> Config::*, std::vector<std::string> Config::*>;

// A list of paths from an environment variable: separated by ':' as in PATH, empty parts skipped.
std::vector<std::string> split_path_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(':', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

struct KeyBinding {
  ConfigKey doc;
  Field field;
  std::int64_t min_int = 0;  // lower bound for integers (inclusive)
};

const std::vector<KeyBinding>& bindings() {
  static const std::vector<KeyBinding> kBindings = {
      {{"storage", "path", "string", "docprof.db", "SQLite database file (env shorthand: DOCPROF_DB)"},
       &Config::storage_path},
      {{"storage", "backend", "string", "sqlite",
        "sqlite (one file, embedded) | postgres (distributed; needs bus.backend = nats) (env DOCPROF_STORAGE_BACKEND)"},
       &Config::storage_backend},
      {{"storage", "url", "string", "",
        "postgres: libpq connection string or URL, without a password in a file: put the password in "
        "DOCPROF_STORAGE_URL or PGPASSWORD"},
       &Config::storage_url},
      {{"storage", "pool_size", "integer", "8", "postgres: connections per process"}, &Config::storage_pool_size, 1},
      {{"bus", "backend", "string", "sqlite",
        "sqlite (the database's own queue) | nats (JetStream; needs storage.backend = postgres) (env DOCPROF_BUS_BACKEND)"},
       &Config::bus_backend},
      {{"bus", "url", "string", "nats://127.0.0.1:4222",
        "nats: server URL(s), comma-separated; a password only from DOCPROF_BUS_URL or bus.credentials_file"},
       &Config::bus_url},
      {{"bus", "credentials_file", "string", "", "nats: a NATS .creds file (user JWT and seed)"},
       &Config::bus_credentials_file},
      {{"bus", "replicas", "integer", "1", "nats: replicas of the event stream (3 on a NATS cluster)"},
       &Config::bus_replicas, 1},
      {{"queue", "lease_seconds", "integer", "300", "how long a delivered event is leased to one worker"},
       &Config::queue_lease_seconds, 1},
      {{"queue", "max_deliveries", "integer", "6", "deliveries of a failing step in all (first try + retries)"},
       &Config::queue_max_deliveries, 1},
      {{"queue", "backoff_base_ms", "integer", "1000", "base of the exponential retry backoff (full jitter)"},
       &Config::queue_backoff_base_ms, 0},
      {{"queue", "backoff_cap_ms", "integer", "60000", "cap of the retry backoff"}, &Config::queue_backoff_cap_ms, 0},
      {{"queue", "max_retry_after_ms", "integer", "300000",
        "longest Retry-After of a provider that is waited for; a longer one fails the run at once"},
       &Config::queue_max_retry_after_ms, 0},
      {{"worker", "concurrency", "integer", "16", "steps run at once by one worker process"},
       &Config::worker_concurrency, 1},
      {{"worker", "max_model_calls", "integer", "8", "model calls in flight at once per worker process"},
       &Config::worker_max_model_calls, 1},
      {{"worker", "poll_ms", "integer", "200", "idle wait between queue polls"}, &Config::worker_poll_ms, 1},
      {{"worker", "shutdown_grace_seconds", "integer", "30", "time running steps get to finish on SIGINT/SIGTERM"},
       &Config::worker_shutdown_grace_seconds, 0},
      {{"worker", "janitor_interval_seconds", "integer", "60", "how often the janitor fails stranded runs (expired) and drops old state"},
       &Config::worker_janitor_interval_seconds, 1},
      {{"workflow", "max_repairs", "integer", "2", "repair requests per step for unparseable model output"},
       &Config::workflow_max_repairs, 0},
      {{"workflow", "state_ttl_days", "number", "7", "days a run's state is kept after its last update"},
       &Config::workflow_state_ttl_days},
      {{"workflow", "context_budget_tokens", "integer", "6000", "token budget of the book digest in prompts"},
       &Config::workflow_context_budget_tokens, 100},
      {{"llm", "provider", "string", "extractive", "extractive | replay:<cassette.jsonl> | openai | bedrock"},
       &Config::llm_provider},
      {{"llm", "record", "string", "", "append every model call to this cassette (JSON lines)"},
       &Config::llm_record},
      {{"llm", "fault_rate", "number", "0", "testing: share of model calls made to fail (0 to 1)"},
       &Config::llm_fault_rate},
      {{"llm", "fault_seed", "integer", "1", "testing: seed of the injected faults"}, &Config::llm_fault_seed},
      {{"llm", "fault_kinds", "string", "rate_limited,server_error,timeout",
        "testing: injected fault kinds (rate_limited, server_error, timeout, garbage)"},
       &Config::llm_fault_kinds},
      {{"llm", "base_url", "string", "",
        "openai: the server's base URL, e.g. https://api.openai.com/v1; bedrock: endpoint override"},
       &Config::llm_base_url},
      {{"llm", "model", "string", "", "openai/bedrock: the model name or id the provider knows"}, &Config::llm_model},
      {{"llm", "api_key_env", "string", "OPENAI_API_KEY", "openai: environment variable holding the API key"},
       &Config::llm_api_key_env},
      {{"llm", "extra_headers", "string", "", "openai: extra HTTP headers, \"Name: value; Name2: value\""},
       &Config::llm_extra_headers},
      {{"llm", "timeout_seconds", "number", "120", "remote providers: time limit of one call"},
       &Config::llm_timeout_seconds},
      {{"llm", "connect_timeout_seconds", "number", "10", "remote providers: time limit to connect"},
       &Config::llm_connect_timeout_seconds},
      {{"llm", "max_in_flight", "integer", "0", "remote providers: calls in flight at once per process (0: no cap)"},
       &Config::llm_max_in_flight, 0},
      {{"llm", "requests_per_minute", "integer", "0", "remote providers: request starts per minute (0: no budget)"},
       &Config::llm_requests_per_minute, 0},
      {{"llm", "tokens_per_minute", "integer", "0", "remote providers: tokens per minute (0: no budget)"},
       &Config::llm_tokens_per_minute, 0},
      {{"llm", "circuit_failures", "integer", "5",
        "remote providers: transient failures in a row that stop calls for a while (0: never)"},
       &Config::llm_circuit_failures, 0},
      {{"llm", "circuit_cooldown_seconds", "number", "30", "remote providers: the first pause of the breaker"},
       &Config::llm_circuit_cooldown_seconds},
      {{"llm", "region", "string", "", "bedrock: AWS region (default: AWS_REGION)"}, &Config::llm_region},
      {{"llm", "fallback_model", "string", "", "bedrock: model used once llm.model's daily token quota is spent"},
       &Config::llm_fallback_model},
      {{"embedding", "provider", "string", "hashing", "hashing (offline) | openai | bedrock"},
       &Config::embedding_provider},
      {{"embedding", "dimensions", "integer", "0", "vector size (0: the embedder's default; openai: required)"},
       &Config::embedding_dimensions, 0},
      {{"embedding", "base_url", "string", "", "openai: base URL (default llm.base_url); bedrock: endpoint override"},
       &Config::embedding_base_url},
      {{"embedding", "model", "string", "", "openai: the embedding model; bedrock: a Titan text embeddings id"},
       &Config::embedding_model},
      {{"embedding", "api_key_env", "string", "OPENAI_API_KEY", "openai: environment variable holding the API key"},
       &Config::embedding_api_key_env},
      {{"embedding", "request_dimensions", "boolean", "false", "openai: send \"dimensions\" (text-embedding-3-*)"},
       &Config::embedding_request_dimensions},
      {{"embedding", "max_in_flight", "integer", "0", "remote embedders: calls in flight at once per process (0: no cap)"},
       &Config::embedding_max_in_flight, 0},
      {{"embedding", "requests_per_minute", "integer", "0", "remote embedders: request starts per minute (0: no budget)"},
       &Config::embedding_requests_per_minute, 0},
      {{"embedding", "tokens_per_minute", "integer", "0", "remote embedders: tokens per minute (0: no budget)"},
       &Config::embedding_tokens_per_minute, 0},
      {{"search", "min_similarity", "number", "(the embedder's)", "books scoring below are not used"},
       &Config::search_min_similarity},
      {{"search", "top_k", "integer", "10", "books used for one course at most"}, &Config::search_top_k, 1},
      {{"ingest", "summarizer", "string", "extractive",
        "who writes an ingested book's summaries when `books ingest` has no --llm, and for uploads: extractive "
        "(offline) or the workers' model spec (llm.provider); never a paid model unless named here"},
       &Config::ingest_summarizer},
      {{"ingest", "upload_dir", "string", "",
        "where uploaded documents wait for their ingestion run (\"\": <storage.path>.uploads)"},
       &Config::ingest_upload_dir},
      {{"ingest", "summary_part_tokens", "integer", "6000",
        "chapter text in one summary request (about 4 characters a token); a longer chapter is summarized in parts"},
       &Config::ingest_summary_part_tokens, 500},
      {{"server", "listen", "string", "127.0.0.1:8080", "HOST:PORT the HTTP API listens on (`docprof serve`)"},
       &Config::server_listen},
      {{"server", "threads", "integer", "32",
        "HTTP io threads (requests are handled on them; idle connections and event streams hold none)"},
       &Config::server_threads, 2},
      {{"server", "max_body_bytes", "integer", "1048576",
        "largest request body, counted as it is read, chunked or not (larger: 413)"},
       &Config::server_max_body_bytes, 1},
      {{"server", "max_upload_bytes", "integer", "268435456",
        "largest upload to POST /books/ingest, streamed to disk (413 beyond, before it is read)"},
       &Config::server_max_upload_bytes, 1},
      {{"server", "ingest_paths", "list", "[]",
        "directories whose files POST /books/ingest {\"path\"} may name (env: ':'-separated; none: refused)"},
       &Config::server_ingest_paths},
      {{"server", "max_uri_bytes", "integer", "8192", "longest request target (longer: 414)"},
       &Config::server_max_uri_bytes, 64},
      {{"server", "max_header_bytes", "integer", "16384", "largest request head, request line included (larger: 431)"},
       &Config::server_max_header_bytes, 1024},
      {{"server", "max_headers", "integer", "100", "most header fields in a request (more: 431)"},
       &Config::server_max_headers, 1},
      {{"server", "header_timeout_seconds", "integer", "10", "time for a request's whole head to arrive (408 after)"},
       &Config::server_header_timeout_seconds, 1},
      {{"server", "body_timeout_seconds", "integer", "30",
        "time for a request's whole body to arrive, and for each write of an answer (408 after)"},
       &Config::server_body_timeout_seconds, 1},
      {{"server", "max_connections", "integer", "1024", "open connections at once (503 beyond)"},
       &Config::server_max_connections, 1},
      {{"server", "max_connections_per_client", "integer", "64",
        "open connections from one client address (429 beyond; 0: no cap, for use behind a proxy)"},
       &Config::server_max_connections_per_client, 0},
      {{"server", "max_streams_per_user", "integer", "8", "open event streams per user (429 beyond; 0: no cap)"},
       &Config::server_max_streams_per_user, 0},
      {{"server", "cors_origins", "string", "auto",
        "comma-separated origins allowed by CORS (\"*\": any; empty: none; auto: * with tokens or jwt auth, none with auth none)"},
       &Config::server_cors_origins},
      {{"server", "rate_per_minute", "number", "10", "course creations per user per minute (token bucket; 0: no limit)"},
       &Config::server_rate_per_minute},
      {{"server", "max_concurrent_runs", "integer", "3", "courses one user may have generating at once (0: no cap)"},
       &Config::server_max_concurrent_runs, 0},
      {{"auth", "mode", "string", "tokens",
        "tokens | jwt | none (jwt: signed JSON Web Tokens, e.g. AWS Cognito id tokens; none: every request is user "
        "`local`, loopback only)"},
       &Config::auth_mode},
      {{"auth", "tokens_file", "string", "docprof-tokens.txt", "lines `sha256hex(token) user_id [admin]`"},
       &Config::auth_tokens_file},
      {{"auth", "jwks", "string", "", "jwt: the JSON Web Key Set, a file or an https URL (http only on a loopback host)"},
       &Config::auth_jwks},
      {{"auth", "jwks_ca_file", "string", "", "jwt: PEM certificate authorities to verify an https auth.jwks with (empty: the system's)"},
       &Config::auth_jwks_ca_file},
      {{"auth", "issuer", "string", "", "jwt: the required `iss` (required)"}, &Config::auth_issuer},
      {{"auth", "audience", "string", "", "jwt: the required `aud`, or `client_id` (required)"}, &Config::auth_audience},
      {{"auth", "clock_skew_seconds", "integer", "60", "jwt: leeway when checking `exp` and `nbf`"},
       &Config::auth_clock_skew_seconds, 0},
      {{"auth", "user_claim", "string", "sub", "jwt: the claim holding the user id"}, &Config::auth_user_claim},
      {{"auth", "admin_claim", "string", "cognito:groups", "jwt: the claim listing the user's groups"},
       &Config::auth_admin_claim},
      {{"auth", "admin_group", "string", "", "jwt: users in this group are admins (empty: none)"},
       &Config::auth_admin_group},
      {{"log", "level", "string", "warn", "trace | debug | info | warn | error | off"}, &Config::log_level},
      {{"log", "json", "boolean", "false", "log lines as JSON objects"}, &Config::log_json},
  };
  return kBindings;
}

domain::Error invalid(const std::string& message) { return domain::Error{"invalid_config", message}; }

std::string env_name(const ConfigKey& key) {
  std::string name = "DOCPROF_" + key.section + "_" + key.key;
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

std::optional<domain::Error> check_int(const KeyBinding& b, std::int64_t value, const std::string& where) {
  if (value < b.min_int) {
    return invalid(where + ": must be at least " + std::to_string(b.min_int) + " (got " + std::to_string(value) + ")");
  }
  return std::nullopt;
}

// Applies a value given as text (environment variables).
std::optional<domain::Error> apply_text(Config& config, const KeyBinding& b, const std::string& text,
                                        const std::string& where) {
  return std::visit(
      [&](auto member) -> std::optional<domain::Error> {
        using M = decltype(member);
        if constexpr (std::is_same_v<M, std::string Config::*>) {
          config.*member = text;
          return std::nullopt;
        } else if constexpr (std::is_same_v<M, std::vector<std::string> Config::*>) {
          config.*member = split_path_list(text);
          return std::nullopt;
        } else if constexpr (std::is_same_v<M, bool Config::*>) {
          if (text == "true" || text == "1" || text == "yes") config.*member = true;
          else if (text == "false" || text == "0" || text == "no") config.*member = false;
          else return invalid(where + ": expected true or false (got '" + text + "')");
          return std::nullopt;
        } else if constexpr (std::is_same_v<M, std::int64_t Config::*>) {
          std::size_t used = 0;
          std::int64_t value = 0;
          try {
            value = std::stoll(text, &used);
          } catch (const std::exception&) {
            used = 0;
          }
          if (used == 0 || used != text.size()) return invalid(where + ": expected an integer (got '" + text + "')");
          if (auto error = check_int(b, value, where)) return error;
          config.*member = value;
          return std::nullopt;
        } else {
          std::size_t used = 0;
          double value = 0;
          try {
            value = std::stod(text, &used);
          } catch (const std::exception&) {
            used = 0;
          }
          if (used == 0 || used != text.size() || !std::isfinite(value)) {
            return invalid(where + ": expected a number (got '" + text + "')");
          }
          config.*member = value;
          return std::nullopt;
        }
      },
      b.field);
}

std::optional<domain::Error> apply_toml(Config& config, const KeyBinding& b, const toml::node& node,
                                        const std::string& where) {
  return std::visit(
      [&](auto member) -> std::optional<domain::Error> {
        using M = decltype(member);
        if constexpr (std::is_same_v<M, std::string Config::*>) {
          if (!node.is_string()) return invalid(where + ": expected a string");
          config.*member = *node.value<std::string>();
        } else if constexpr (std::is_same_v<M, std::vector<std::string> Config::*>) {
          const toml::array* items = node.as_array();
          if (items == nullptr) return invalid(where + ": expected a list of strings, e.g. [\"/srv/books\"]");
          std::vector<std::string> values;
          for (const auto& item : *items) {
            if (!item.is_string()) return invalid(where + ": expected a list of strings, e.g. [\"/srv/books\"]");
            values.push_back(*item.value<std::string>());
          }
          config.*member = std::move(values);
        } else if constexpr (std::is_same_v<M, bool Config::*>) {
          if (!node.is_boolean()) return invalid(where + ": expected true or false");
          config.*member = *node.value<bool>();
        } else if constexpr (std::is_same_v<M, std::int64_t Config::*>) {
          if (!node.is_integer()) return invalid(where + ": expected an integer");
          const std::int64_t value = *node.value<std::int64_t>();
          if (auto error = check_int(b, value, where)) return error;
          config.*member = value;
        } else {
          if (!node.is_number()) return invalid(where + ": expected a number");
          config.*member = *node.value<double>();
        }
        return std::nullopt;
      },
      b.field);
}

// True when a connection string carries a password: "scheme://user:secret@host…" or "password=…".
bool has_password(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme != std::string::npos) {
    const auto start = scheme + 3;
    const auto end = url.find_first_of("/?#", start);
    const std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const auto at = authority.rfind('@');
    if (at != std::string::npos && authority.substr(0, at).find(':') != std::string::npos) return true;
  }
  std::string lower;
  for (const char c : url) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("password=") != std::string::npos;
}

// Secrets never in a config file: a file is read by many and often committed.
std::optional<domain::Error> check_no_secret(const std::string& section, const std::string& key,
                                             const std::string& value, const std::string& origin) {
  if (section == "storage" && key == "url" && has_password(value)) {
    return invalid(origin + ": storage.url holds a password; a config file may not: give the password in "
                            "PGPASSWORD, or the whole URL in DOCPROF_STORAGE_URL");
  }
  if (section == "bus" && key == "url" && has_password(value)) {
    return invalid(origin + ": bus.url holds a password; a config file may not: give the URL in DOCPROF_BUS_URL "
                            "or use bus.credentials_file");
  }
  return std::nullopt;
}

// The deployment's backends come in two pairs: embedded (sqlite + its queue) and distributed
// (PostgreSQL + NATS JetStream).
std::optional<domain::Error> check_backends(const Config& c) {
  if (c.storage_backend != "sqlite" && c.storage_backend != "postgres") {
    return invalid("storage.backend: unknown backend '" + c.storage_backend + "' (expected sqlite or postgres)");
  }
  if (c.bus_backend != "sqlite" && c.bus_backend != "nats") {
    return invalid("bus.backend: unknown backend '" + c.bus_backend + "' (expected sqlite or nats)");
  }
  if ((c.storage_backend == "postgres") != (c.bus_backend == "nats")) {
    return invalid("storage.backend = " + c.storage_backend + " with bus.backend = " + c.bus_backend +
                   ": the backends go in pairs: sqlite + sqlite (one machine) or postgres + nats (distributed)");
  }
  if (c.storage_backend == "postgres" && c.storage_url.empty()) {
    return invalid("storage.url: required with storage.backend = postgres (or DOCPROF_STORAGE_URL)");
  }
  if (c.bus_backend == "nats" && c.bus_url.empty()) return invalid("bus.url: must not be empty");
  return std::nullopt;
}

std::optional<domain::Error> validate(const Config& c) {
  if (auto error = check_backends(c)) return error;
  if (c.workflow_state_ttl_days <= 0) return invalid("workflow.state_ttl_days: must be positive");
  if (c.search_min_similarity && (*c.search_min_similarity < -1 || *c.search_min_similarity > 1)) {
    return invalid("search.min_similarity: must be between -1 and 1");
  }
  if (c.llm_fault_rate < 0 || c.llm_fault_rate > 1) return invalid("llm.fault_rate: must be between 0 and 1");
  if (c.llm_timeout_seconds <= 0) return invalid("llm.timeout_seconds: must be positive");
  if (c.llm_connect_timeout_seconds <= 0) return invalid("llm.connect_timeout_seconds: must be positive");
  if (c.storage_path.empty()) return invalid("storage.path: must not be empty");
  if (c.auth_mode != "tokens" && c.auth_mode != "jwt" && c.auth_mode != "none") {
    return invalid("auth.mode: unknown mode '" + c.auth_mode + "' (expected tokens, jwt or none)");
  }
  if (c.server_rate_per_minute < 0) return invalid("server.rate_per_minute: must not be negative");
  static const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "off"};
  bool known = false;
  for (const char* level : kLevels) known = known || c.log_level == level;
  if (!known) return invalid("log.level: unknown level '" + c.log_level + "'");
  return std::nullopt;
}

}  // namespace

const std::vector<ConfigKey>& config_keys() {
  static const std::vector<ConfigKey> kKeys = [] {
    std::vector<ConfigKey> keys;
    for (const auto& b : bindings()) keys.push_back(b.doc);
    return keys;
  }();
  return kKeys;
}

Environment process_environment() {
  Environment env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    if (entry.rfind("DOCPROF_", 0) != 0) continue;
    const auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

domain::Result<Config> parse_config(const std::string& toml_text, const std::string& origin,
                                    const Environment& environment) {
  Config config;
  toml::table table;
  try {
    table = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << origin << ":" << e.source().begin.line << ":" << e.source().begin.column << ": " << e.description();
    return invalid(where.str());
  }
  for (const auto& [section_key, section_node] : table) {
    const std::string section(section_key.str());
    const toml::table* section_table = section_node.as_table();
    if (section_table == nullptr) return invalid(origin + ": '" + section + "' must be a [section]");
    for (const auto& [key_node, value] : *section_table) {
      const std::string key(key_node.str());
      const KeyBinding* binding = nullptr;
      for (const auto& b : bindings()) {
        if (b.doc.section == section && b.doc.key == key) binding = &b;
      }
      if (binding == nullptr) return invalid(origin + ": unknown key " + section + "." + key);
      if (const auto* text = value.as_string()) {
        if (auto error = check_no_secret(section, key, text->get(), origin)) return *error;
      }
      if (auto error = apply_toml(config, *binding, value, origin + ": " + section + "." + key)) return *error;
    }
  }
  for (const auto& b : bindings()) {
    const auto it = environment.find(env_name(b.doc));
    if (it != environment.end()) {
      if (auto error = apply_text(config, b, it->second, it->first)) return *error;
    }
  }
  if (const auto db = environment.find("DOCPROF_DB"); db != environment.end()) config.storage_path = db->second;
  if (auto error = validate(config)) return *error;
  return config;
}

domain::Result<Config> load_config(const std::optional<std::string>& file, const Environment& environment) {
  std::string path;
  if (file) {
    path = *file;
    if (!std::filesystem::exists(path)) return invalid("config file not found: " + path);
  } else if (std::filesystem::exists("docprof.toml")) {
    path = "docprof.toml";
  }
  std::string text;
  if (!path.empty()) {
    std::ifstream in(path);
    if (!in) return invalid("cannot read config file " + path);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
  }
  return parse_config(text, path.empty() ? "(defaults)" : path, environment);
}

}  // namespace docprof::config
