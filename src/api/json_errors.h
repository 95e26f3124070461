// JSON error bodies of the HTTP API: every error the API answers is {"error": message,
// "error_code": code} with a JSON content type — never a stack trace or an HTML page.
// Besides the routes' own codes, the answers the HTTP layer gives itself (http_listener.h) and the
// stream cap use: 400 invalid_request (malformed HTTP), 408 request_timeout, 411 length_required,
// 413 payload_too_large, 414 uri_too_long, 415 unsupported_encoding, 431 headers_too_large,
// 429 too_many_connections / too_many_streams, 503 too_many_connections; for an upload spooled to
// disk also 500 upload_storage (its file cannot be made) and 507 insufficient_storage (disk full).
//
// Thread safety: stateless.
#pragma once

#include <string>

namespace docprof::api {

struct Response;

void send_error(Response& res, int status, const std::string& code,
                const std::string& message);
void send_json(Response& res, int status, const std::string& body);

}  // namespace docprof::api
