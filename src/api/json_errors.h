// JSON error bodies of the HTTP API: every error the API answers is {"error": message,
// "error_code": code} with a JSON content type — never a stack trace or an HTML page.
//
// Thread safety: stateless.
#pragma once

#include <string>

namespace docprof::api {

struct Response;

void send_error(Response& res, int status, const std::string& code,
                const std::string& message);
void send_json(Response& res, int status, const std::string& body);

// The error code used when a handler did not set one (404 for an unknown route, 413 …).
std::string default_error_code(int status);

// The codes of the answers the HTTP layer gives itself (http_listener.h) and of the stream cap:
//   400 invalid_request (malformed HTTP), 408 request_timeout, 411 length_required,
//   413 payload_too_large, 414 uri_too_long, 415 unsupported_encoding, 431 headers_too_large,
//   429 too_many_connections / too_many_streams, 503 too_many_connections.

}  // namespace docprof::api
