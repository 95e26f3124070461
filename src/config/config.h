// Config: every setting of docprof with its default, read from a TOML file (--config, or
// ./docprof.toml when present) and overridden by DOCPROF_<SECTION>_<KEY> environment variables
// (plus DOCPROF_DB for storage.path). Unknown keys and values of the wrong type are errors that
// name the key, so a typo never silently falls back to a default. docs/configuration.md lists
// every key.
//
// Thread safety: plain value once loaded.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/result.h"

namespace docprof::config {

struct Config {
  // [storage]
  std::string storage_path = "docprof.db";
  std::string storage_backend = "sqlite";  // sqlite | postgres
  std::string storage_url;                 // postgres: a libpq connection string or URL
  std::int64_t storage_pool_size = 8;      // postgres: connections per process
  // [bus]
  std::string bus_backend = "sqlite";      // sqlite (the database's own queue) | nats
  std::string bus_url = "nats://127.0.0.1:4222";
  std::string bus_credentials_file;        // nats: a .creds file
  std::int64_t bus_replicas = 1;           // nats: replicas of the stream (3 on a cluster)
  // [queue]
  std::int64_t queue_lease_seconds = 300;
  std::int64_t queue_max_deliveries = 6;
  std::int64_t queue_backoff_base_ms = 1000;
  std::int64_t queue_backoff_cap_ms = 60000;
  std::int64_t queue_max_retry_after_ms = 300000;  // longest provider Retry-After honoured
  // [worker]
  std::int64_t worker_concurrency = 16;
  std::int64_t worker_max_model_calls = 8;
  std::int64_t worker_poll_ms = 200;
  std::int64_t worker_shutdown_grace_seconds = 30;
  std::int64_t worker_janitor_interval_seconds = 60;
  // [workflow]
  std::int64_t workflow_max_repairs = 2;
  double workflow_state_ttl_days = 7;
  std::int64_t workflow_context_budget_tokens = 6000;
  // [llm]
  std::string llm_provider = "extractive";  // extractive | replay:<cassette> | openai | bedrock
  std::string llm_record;                   // a cassette to record every model call to
  double llm_fault_rate = 0;                // testing: share of model calls that fail on purpose
  std::int64_t llm_fault_seed = 1;
  std::string llm_fault_kinds = "rate_limited,server_error,timeout";  // of: …, garbage
  // [llm] remote providers (openai)
  std::string llm_base_url;                       // "https://api.openai.com/v1", "http://127.0.0.1:11434/v1"
  std::string llm_model;                          // the provider's model name
  std::string llm_api_key_env = "OPENAI_API_KEY";  // environment variable holding the API key
  std::string llm_extra_headers;                  // "Name: value; Name2: value", sent with every call
  double llm_timeout_seconds = 120;               // whole model call
  double llm_connect_timeout_seconds = 10;
  std::int64_t llm_max_in_flight = 0;             // HTTP calls at once per provider instance (0: no cap)
  std::int64_t llm_requests_per_minute = 0;       // request starts per minute (0: no budget)
  std::int64_t llm_tokens_per_minute = 0;         // prompt + answer tokens per minute (0: no budget)
  std::int64_t llm_circuit_failures = 5;          // transient failures in a row that open the breaker (0: off)
  double llm_circuit_cooldown_seconds = 30;       // first pause of an open breaker (doubles, up to 10 min)
  // [llm] bedrock
  std::string llm_region;          // AWS region; "" = AWS_REGION / AWS_DEFAULT_REGION
  std::string llm_fallback_model;  // used once the daily token quota of llm.model is spent
  // [embedding]
  std::string embedding_provider = "hashing";  // hashing | openai | bedrock
  std::int64_t embedding_dimensions = 0;       // 0: the embedder's default (hashing 1024, Titan v1 1536)
  std::string embedding_base_url;              // openai: "" = llm.base_url; bedrock: endpoint override
  std::string embedding_model;                 // openai: required; bedrock: "" = amazon.titan-embed-text-v1
  std::string embedding_api_key_env = "OPENAI_API_KEY";
  bool embedding_request_dimensions = false;   // openai: send "dimensions" (text-embedding-3-*)
  std::int64_t embedding_max_in_flight = 0;        // remote embedders: calls at once (0: no cap)
  std::int64_t embedding_requests_per_minute = 0;  // remote embedders: request starts per minute
  std::int64_t embedding_tokens_per_minute = 0;    // remote embedders: text tokens per minute
  // [search]
  std::optional<double> search_min_similarity;  // default: the embedder's calibrated threshold
  std::int64_t search_top_k = 10;
  // [ingest] (ingestion runs, issue 14)
  std::string ingest_summarizer = "extractive";  // who writes summaries when `books ingest` has no --llm
  std::string ingest_upload_dir;                 // uploads kept until their run ends ("": beside the database)
  std::int64_t ingest_summary_part_tokens = 6000;  // chapter text per summary request; longer: in parts
  // [server]
  std::string server_listen = "127.0.0.1:8080";
  std::int64_t server_threads = 32;  // HTTP io threads; idle connections and event streams hold none
  std::int64_t server_max_body_bytes = 1048576;
  std::int64_t server_max_upload_bytes = 268435456;  // an upload to POST /books/ingest (413 beyond)
  std::vector<std::string> server_ingest_paths;      // directories a JSON {"path"} may name (none: refused)
  std::int64_t server_max_uri_bytes = 8192;      // request target (414 beyond)
  std::int64_t server_max_header_bytes = 16384;  // whole request head (431 beyond)
  std::int64_t server_max_headers = 100;         // header fields (431 beyond)
  std::int64_t server_header_timeout_seconds = 10;  // the whole request head (408 beyond)
  std::int64_t server_body_timeout_seconds = 30;    // the whole body, and each write of an answer
  std::int64_t server_max_connections = 1024;
  std::int64_t server_max_connections_per_client = 64;  // per client address (0: no cap, behind a proxy)
  std::int64_t server_max_streams_per_user = 8;         // open event streams per user (0: no cap)
  std::string server_cors_origins = "auto";  // comma-separated origins; "*": any; "": none; auto: by auth.mode
  double server_rate_per_minute = 10;  // course creations per user per minute (0: no limit)
  std::int64_t server_max_concurrent_runs = 3;  // courses one user may have generating at once (0: no cap)
  // [auth]
  std::string auth_mode = "tokens";  // tokens | jwt | none (none: loopback only)
  std::string auth_tokens_file = "docprof-tokens.txt";
  std::string auth_jwks;      // jwt: a JWKS file, or an https URL (http on loopback only)
  std::string auth_jwks_ca_file;  // jwt: PEM certificate authorities for an https auth.jwks ("": the system's)
  std::string auth_issuer;    // jwt: the required iss
  std::string auth_audience;  // jwt: the required aud (or client_id)
  std::int64_t auth_clock_skew_seconds = 60;  // jwt: leeway of exp and nbf
  std::string auth_user_claim = "sub";        // jwt: the claim naming the user
  std::string auth_admin_claim = "cognito:groups";  // jwt: the claim listing the user's groups
  std::string auth_admin_group;                     // jwt: the group of admins ("": none)
  // [log]
  std::string log_level = "warn";
  bool log_json = false;
};

// True for a distributed deployment (storage.backend = postgres, bus.backend = nats).
inline bool distributed(const Config& c) { return c.storage_backend == "postgres"; }

// One documented key (for docs and `--help`).
struct ConfigKey {
  std::string section;
  std::string key;
  std::string type;
  std::string default_value;
  std::string description;
};
const std::vector<ConfigKey>& config_keys();

using Environment = std::map<std::string, std::string>;
Environment process_environment();  // the DOCPROF_* variables of this process

// Loads `file` (required to exist when given; when absent, ./docprof.toml is read if present) and
// applies the environment. Errors have code "invalid_config" and name the key or file.
domain::Result<Config> load_config(const std::optional<std::string>& file, const Environment& environment);
// The same from TOML text (for tests); `origin` names it in errors.
domain::Result<Config> parse_config(const std::string& toml_text, const std::string& origin,
                                    const Environment& environment);

}  // namespace docprof::config
