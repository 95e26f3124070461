// CORS of the HTTP API: which origins may read its answers from a page of theirs, the headers that
// say so (set once on every answer — errors and the listener's own refusals included — since a
// browser drops a response whose Access-Control-Allow-Origin is missing or repeated), and the
// answer to a preflight.
//
// The API takes bearer tokens and no cookies, so allowing any origin (`*`) gives a foreign page
// nothing it could not do with the token it already has. Without authentication (`auth none`) it
// would let any web site the local user visits read and delete their courses: no CORS by default.
//
// Thread safety: stateless functions.
#pragma once

#include <string>
#include <vector>

namespace docprof::api {

struct Request;
struct Response;

// The allowed origins of the server.cors_origins setting: "auto" -> {"*"} when authentication is
// on, {} when it is off; otherwise the comma-separated list ("*" for any, "" for none).
std::vector<std::string> resolve_cors_origins(const std::string& setting, bool authentication_on);

// Sets (never adds) the CORS headers of an answer to `req` when its Origin is allowed.
void apply_cors(const std::vector<std::string>& allowed_origins, const Request& req, Response& res);

// Fills the answer to a preflight (OPTIONS): 204 with the methods and headers the API accepts.
void answer_preflight(Response& res);

}  // namespace docprof::api
