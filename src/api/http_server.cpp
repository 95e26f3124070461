#include "api/http_server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <random>
#include <stdexcept>

#include "api/cors.h"
#include "api/json_errors.h"
#include "api/metrics_routes.h"
#include "api/route_context.h"
#include "api/router.h"
#include "api/web_page.h"

namespace docprof::api {
namespace {

std::string new_request_id() {
  static std::atomic<std::uint64_t> counter{0};
  static const std::uint64_t prefix = [] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }();
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%08llx-%06llx",
                static_cast<unsigned long long>(prefix & 0xffffffffULL),
                static_cast<unsigned long long>(++counter));
  return buffer;
}

bool valid_request_id(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return c > 32 && c < 127; });
}

void set_request_id(const Request& req, Response& res) {
  if (res.has_header("X-Request-Id")) return;
  std::string id = req.get_header_value("X-Request-Id");
  if (!valid_request_id(id)) id = new_request_id();
  res.set_header("X-Request-Id", id);
}

void log_request(const Request& req, const Response& res) {
  spdlog::info("api: {} {} -> {} [{}]", req.method.empty() ? "-" : req.method, req.path, res.status,
               res.get_header_value("X-Request-Id"));
}

}  // namespace

// Everything the server does with one request, around its route's handler: request id, CORS and the
// preflight, the "no route" 404, exceptions as 500, counting and logging.
void ApiServer::handle(State& state, const Router& router, Request& req, Response& res) {
  set_request_id(req, res);
  apply_cors(state.options.cors_origins, req, res);
  if (req.method == "OPTIONS") {  // CORS preflight: no authentication
    answer_preflight(res);
  } else if (const Handler* handler = router.find(req)) {
    const auto fail = [&](const std::string& what) {
      const std::string id = res.get_header_value("X-Request-Id");
      spdlog::error("api: {} {} [{}] failed: {}", req.method, req.path, id, what);
      res.stream.reset();
      send_error(res, 500, "internal", "internal error (request id " + id + ")");
    };
    try {
      (*handler)(req, res);
    } catch (const std::exception& e) {
      fail(e.what());
    } catch (...) {
      fail("unknown exception");
    }
  } else {
    send_error(res, 404, "not_found", "no route " + req.method + " " + req.path);
  }
  // Counted before the response is written: a client may scrape /metrics right after it.
  count_request(state, req, res);
  log_request(req, res);
}

ApiServer::ApiServer(ApiServices services, Authenticator auth, ApiOptions options)
    : state_(std::make_shared<State>(services, std::move(auth), options)) {
  state_->stopping = &stopping_;
  State* state = state_.get();
  auto router = std::make_shared<Router>();
  Router& svr = *router;
  svr.Get("/healthz", [](const Request&, Response& res) { reply_json(res, 200, {{"status", "ok"}}); });
  svr.Get("/readyz", [state](const Request&, Response& res) {
    try {
      (void)state->services.runs.load("readyz-probe");  // a read through the database
    } catch (const std::exception& e) {
      send_error(res, 503, "not_ready", std::string("database unreachable: ") + e.what());
      return;
    }
    if (state->options.workers_running && !state->options.workers_running()) {
      send_error(res, 503, "not_ready", "workers are not running");
      return;
    }
    reply_json(res, 200, {{"status", "ready"}, {"database", "ok"}});
  });
  // Who the token is, so that a client (the web page) offers only what it may do.
  svr.Get("/me", [state](const Request& req, Response& res) {
    const auto user = require_user(*state, req, res);
    if (user) reply_json(res, 200, {{"user_id", user->user_id}, {"admin", user->admin}});
  });
  register_course_routes(svr, *state);
  register_event_routes(svr, *state);
  register_ingest_routes(svr, *state);  // before the book routes: /books/{id} would take /books/ingest
  register_ingest_event_routes(svr, *state);
  register_book_routes(svr, *state);
  register_metrics_routes(svr, *state, listening_on_loopback_);
  register_web_routes(svr);  // the web page at / (web/, embedded at build time)

  HttpListener::Hooks hooks;
  hooks.handle = [state, router](Request& req, Response& res) { handle(*state, *router, req, res); };
  hooks.reject = [state](const Request& req, Response& res, int status, const std::string& code,
                         const std::string& message) {
    set_request_id(req, res);
    apply_cors(state->options.cors_origins, req, res);
    send_error(res, status, code, message);
    count_request(*state, req, res);
    log_request(req, res);
  };
  // Uploads go to a file, and only once their sender may upload (plan_upload_body); a head refused
  // there is answered like any other request.
  hooks.plan_body = [state](const Request& head, Response& res) {
    const BodyPlan plan = plan_upload_body(*state, head, res);
    if (plan.kind == BodyPlan::Kind::refuse) {
      set_request_id(head, res);
      apply_cors(state->options.cors_origins, head, res);
      count_request(*state, head, res);
      log_request(head, res);
    }
    return plan;
  };
  listener_ = std::make_unique<HttpListener>(options.limits, std::max(2, options.threads), std::move(hooks));
}

ApiServer::~ApiServer() {
  stop();
}

int ApiServer::bind(const std::string& host, int port) {
  const int bound = listener_->bind(host, port);
  listening_on_loopback_.store(listener_->bound_to_loopback());
  if (!state_->auth.enabled() && !listener_->bound_to_loopback()) {
    listener_->stop();
    throw std::runtime_error("authentication is off (--auth none), which is only allowed on a loopback address; '" +
                             host + "' is bound to " + listener_->bound_address());
  }
  return bound;
}

std::vector<RouteInfo> ApiServer::routes() {
  std::vector<RouteInfo> out = {
      {"POST", "/courses", "/courses"},
      {"POST", "/courses/create", "/courses/create"},
      {"GET", R"(/courses/([^/]+)/status)", "/courses/{course_id}/status"},
      {"GET", R"(/course-status/([^/]+))", "/course-status/{course_id}"},
      {"GET", R"(/courses/([^/]+)/outline)", "/courses/{course_id}/outline"},
      {"GET", "/courses", "/courses"},
      {"GET", "/course", "/course"},
      {"DELETE", R"(/courses/([^/]+))", "/courses/{course_id}"},
      {"PATCH", R"(/courses/([^/]+)/sections/([^/]+))", "/courses/{course_id}/sections/{section_id}"},
      {"POST", R"(/courses/([^/]+)/next)", "/courses/{course_id}/next"},
      {"POST", R"(/courses/([^/]+)/revise)", "/courses/{course_id}/revise"},
      {"POST", R"(/courses/section/([^/]+)/complete)", "/courses/section/{section_id}/complete"},
      {"GET", R"(/courses/([^/]+)/events)", "/courses/{course_id}/events"},
      {"POST", "/books/ingest", "/books/ingest"},
      {"GET", "/books/ingest", "/books/ingest"},
      {"GET", R"(/books/ingest/([^/]+))", "/books/ingest/{ingest_id}"},
      {"GET", R"(/books/ingest/([^/]+)/events)", "/books/ingest/{ingest_id}/events"},
      {"GET", "/books", "/books"},
      {"GET", "/books/search", "/books/search"},
      {"POST", "/books", "/books"},
      {"DELETE", R"(/books/([^/]+))", "/books/{book_id}"},
      {"GET", R"(/books/([^/]+))", "/books/{book_id}"},
      {"GET", "/search", "/search"},
      {"GET", "/me", "/me"},
      {"GET", "/healthz", "/healthz"},
      {"GET", "/readyz", "/readyz"},
      {"GET", "/metrics", "/metrics"},
  };
  // The web page's files (register_web_routes): `/` and each embedded file, matched exactly.
  std::vector<std::string_view> web_paths;
  if (find_web_asset("/") != nullptr) web_paths.push_back("/");
  for (const auto& asset : web_assets()) web_paths.push_back(asset.path);
  for (const std::string_view path : web_paths) {
    std::string pattern;
    for (char c : path) {
      if (std::string_view(".+*?^$()[]{}|\\").find(c) != std::string_view::npos) pattern += '\\';
      pattern += c;
    }
    out.push_back({"GET", pattern, std::string(path)});
  }
  return out;
}

bool ApiServer::run() {
  listener_->run();
  return true;
}

void ApiServer::stop() {
  stopping_.store(true);
  if (listener_) listener_->stop();
}

}  // namespace docprof::api
