// classify_http_status: the ProviderError for a failed HTTP answer of a model or embedding
// provider, so every adapter (replay cassettes, OpenAI-compatible, Bedrock) classifies alike:
//   429 rate_limited, 408 timeout, 409 conflict, 5xx server_error             -> transient
//   400 bad_request, 401 unauthorized, 403 forbidden, 404 not_found,
//   422 unprocessable, other 4xx client_error, anything else http_error       -> permanent
// The message is the provider's own words; an empty one becomes "HTTP <status>".
//
// Thread safety: pure functions.
#pragma once

#include <string>

#include "ports/provider_error.h"

namespace docprof::adapters::llm {

ports::ProviderError classify_http_status(int status, std::string message);

// Whether an error with this code (and no HTTP status) is worth retrying: "timeout",
// "connection_error", "rate_limited", "server_error", "conflict".
bool is_transient_code(const std::string& code);

}  // namespace docprof::adapters::llm
