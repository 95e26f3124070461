// http_post: the one libcurl POST of every remote provider (OpenAI chat and embeddings, Bedrock
// Converse and Titan InvokeModel), so that timeouts, headers, Retry-After and transport failures
// are handled alike everywhere.
//
// One call is one blocking HTTP request on its own easy handle: the given headers are sent as
// they are (a "Host" header replaces the one libcurl would send), the whole request is bounded by
// timeout_ms and the connection by connect_timeout_ms, and the answer comes back whatever its
// status: status, body, every response header (names lower-cased) and Retry-After (seconds,
// possibly fractional, or "retry-after-ms", which wins) in milliseconds, saturating at INT64_MAX
// when too large for that (the engine bounds the wait: queue.max_retry_after_ms). Only a request
// that got no HTTP answer is an error: "timeout" (transient), "invalid_endpoint" (permanent:
// malformed URL or unsupported scheme) or "connection_error" (transient), worded with the
// request's `purpose` and `endpoint_setting` (e.g. "model call", "llm.base_url").
//
// Thread safety: http_post may be called concurrently from any number of threads (libcurl's global
// initialisation runs once, guarded by std::call_once; nothing else is shared).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "ports/provider_error.h"

namespace docprof::adapters::llm {

struct HttpPost {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
  std::string body;
  std::int64_t timeout_ms = 120000;
  std::int64_t connect_timeout_ms = 10000;
  std::string purpose = "model call";             // for error messages
  std::string endpoint_setting = "llm.base_url";  // the setting to fix when the URL is unusable
};

struct HttpAnswer {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-cased name -> value (last one wins)
  std::optional<std::int64_t> retry_after_ms;

  // The header's value, or "" (name in lower case).
  std::string header(const std::string& lower_name) const;
};

using HttpResult = std::variant<HttpAnswer, ports::ProviderError>;

HttpResult http_post(const HttpPost& request);

// Trims spaces, tabs and line ends at both ends.
std::string trim_http(const std::string& text);

}  // namespace docprof::adapters::llm
