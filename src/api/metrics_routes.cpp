#include "api/metrics_routes.h"

#include <regex>
#include <vector>

#include "api/json_errors.h"
#include "engine/metrics.h"

namespace docprof::api {
namespace {

namespace metric = engine::metric;

void serve_metrics(State& state, bool open, const Request& req, Response& res) {
  if (!open) {
    auto user = require_user(state, req, res);
    if (!user) return;
    if (!user->admin) {
      return send_error(res, 403, "forbidden",
                        "/metrics needs an admin token when the server does not listen on loopback");
    }
  }
  // The gauges read at scrape time live in a registry of this scrape: the process's registry never
  // holds them, so no family appears twice.
  engine::Metrics scrape;
  scrape.declare_gauge(metric::kRuns, "Runs by status, as the run store holds them.");
  const ports::RunCounts runs = state.services.runs.count_runs();
  scrape.set(metric::kRuns, {{"status", "processing"}}, static_cast<double>(runs.processing));
  scrape.set(metric::kRuns, {{"status", "complete"}}, static_cast<double>(runs.complete));
  scrape.set(metric::kRuns, {{"status", "error"}}, static_cast<double>(runs.error));
  if (state.options.queue != nullptr) {
    const ports::QueueCounts queue = state.options.queue->counts(state.services.clock.now_ms());
    scrape.declare_gauge(metric::kQueueMessages,
                         "Queued events by state: ready (deliverable now), delayed (waiting for a "
                         "retry), leased (being worked on).");
    scrape.set(metric::kQueueMessages, {{"state", "ready"}}, static_cast<double>(queue.ready));
    scrape.set(metric::kQueueMessages, {{"state", "delayed"}}, static_cast<double>(queue.delayed));
    scrape.set(metric::kQueueMessages, {{"state", "leased"}}, static_cast<double>(queue.leased));
  }
  if (state.options.dead_letters != nullptr) {
    scrape.declare_gauge(metric::kDeadLetters, "Dead letters: failed events kept for a replay.");
    scrape.set(metric::kDeadLetters, {}, static_cast<double>(state.options.dead_letters->count()));
  }
  std::string body = scrape.render();
  if (state.options.metrics != nullptr) body += state.options.metrics->render();
  res.status = 200;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body, std::string(engine::kPrometheusContentType));
}

struct CompiledRoute {
  std::string method;
  std::regex pattern;
  std::string path;
};

const std::vector<CompiledRoute>& compiled_routes() {
  static const std::vector<CompiledRoute> routes = [] {
    std::vector<CompiledRoute> out;
    for (const auto& route : ApiServer::routes())
      out.push_back({route.method, std::regex(route.pattern), route.path});
    return out;
  }();
  return routes;
}

}  // namespace

std::string route_of(const std::string& method, const std::string& path) {
  // HEAD is answered by the GET handler (Router).
  const std::string as = method == "HEAD" ? std::string("GET") : method;
  for (const auto& route : compiled_routes()) {
    if (route.method == as && std::regex_match(path, route.pattern)) return route.path;
  }
  return "unmatched";
}

void count_request(State& state, const Request& req, const Response& res) {
  if (state.options.metrics == nullptr) return;
  state.options.metrics->add(metric::kHttpRequests, {{"method", req.method},
                                                      {"route", route_of(req.method, req.path)},
                                                      {"status", std::to_string(res.status)}});
}

void register_metrics_routes(Router& server, State& state, const std::atomic<bool>& open) {
  if (state.options.metrics != nullptr) {
    state.options.metrics->declare_counter(metric::kHttpRequests,
                                           "HTTP requests answered, by method, route and status.");
  }
  State* s = &state;
  const std::atomic<bool>* is_open = &open;
  server.Get("/metrics", [s, is_open](const Request& req, Response& res) {
    serve_metrics(*s, is_open->load(), req, res);
  });
}

}  // namespace docprof::api
