// GET /metrics: Prometheus text exposition (format 0.0.4) of the process — runs by status and the
// queue's depth and dead letters (read from the stores at scrape time), plus whatever the process's
// Metrics registry holds (step latency, model calls, tokens and errors, HTTP requests).
//
// Access: open when the server's socket is bound to a loopback address (a local Prometheus or agent scrapes
// it), otherwise an admin bearer token is required (401 without a valid token, 403 for a user's).
//
// Thread safety: the handler and count_request run concurrently on the server's io threads; they
// only read the State and use thread-safe stores and registry.
#pragma once

#include <atomic>
#include <string>

#include "api/route_context.h"

namespace docprof::api {

// `open`: the server listens on loopback (read at every scrape; set by ApiServer::bind).
void register_metrics_routes(Router& server, State& state, const std::atomic<bool>& open);

// Counts one answered request in state.options.metrics (no-op without a registry), labelled by
// method, route (route_of) and status.
void count_request(State& state, const Request& req, const Response& res);

// The documented path of the route (ApiServer::routes()) that a request for method + path matches,
// or "unmatched".
std::string route_of(const std::string& method, const std::string& path);

}  // namespace docprof::api
