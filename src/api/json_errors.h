// JSON error bodies of the HTTP API: every error the API answers is {"error": message,
// "error_code": code} with a JSON content type — never a stack trace or an HTML page.
//
// Thread safety: stateless.
#pragma once

#include <string>

namespace httplib {
struct Response;
}

namespace docprof::api {

void send_error(httplib::Response& res, int status, const std::string& code,
                const std::string& message);
void send_json(httplib::Response& res, int status, const std::string& body);

// The error code used when a handler did not set one (404 for an unknown route, 413 …).
std::string default_error_code(int status);

}  // namespace docprof::api
