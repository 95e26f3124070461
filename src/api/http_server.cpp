#include "api/http_server.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <random>
#include <stdexcept>

#include "api/json_errors.h"
#include "api/metrics_routes.h"
#include "api/route_context.h"
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

void set_request_id(const httplib::Request& req, httplib::Response& res) {
  if (res.has_header("X-Request-Id")) return;
  std::string id = req.get_header_value("X-Request-Id");
  if (!valid_request_id(id)) id = new_request_id();
  res.set_header("X-Request-Id", id);
}

void apply_cors(const ApiOptions& options, const httplib::Request& req, httplib::Response& res) {
  const std::string origin = req.get_header_value("Origin");
  if (origin.empty() || options.cors_origins.empty()) return;
  const bool any = std::find(options.cors_origins.begin(), options.cors_origins.end(), "*") !=
                   options.cors_origins.end();
  const bool listed = std::find(options.cors_origins.begin(), options.cors_origins.end(), origin) !=
                      options.cors_origins.end();
  if (!any && !listed) return;
  res.set_header("Access-Control-Allow-Origin", any ? "*" : origin);
  if (!any) res.set_header("Vary", "Origin");
  res.set_header("Access-Control-Expose-Headers", "X-Request-Id, Retry-After");
}

}  // namespace

ApiServer::ApiServer(ApiServices services, Authenticator auth, ApiOptions options)
    : server_(std::make_unique<httplib::Server>()),
      state_(std::make_shared<State>(services, std::move(auth), options)) {
  state_->stopping = &stopping_;
  auto& svr = *server_;
  const int threads = std::max(2, options.threads);
  svr.new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<std::size_t>(threads));
  };
  svr.set_payload_max_length(options.max_body_bytes);
  svr.set_keep_alive_max_count(100);

  State* state = state_.get();
  svr.set_pre_routing_handler([state](const httplib::Request& req, httplib::Response& res) {
    set_request_id(req, res);
    apply_cors(state->options, req, res);
    if (req.method == "OPTIONS") {  // CORS preflight: no authentication
      res.set_header("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS");
      res.set_header("Access-Control-Allow-Headers",
                     "Authorization, Content-Type, Last-Event-ID, X-Request-Id");
      res.set_header("Access-Control-Max-Age", "600");
      res.status = 204;
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  svr.set_error_handler(httplib::Server::HandlerWithResponse(
      [state](const httplib::Request& req, httplib::Response& res) {
        set_request_id(req, res);
        if (!res.body.empty() || res.content_provider_)
          return httplib::Server::HandlerResponse::Unhandled;
        apply_cors(state->options, req, res);
        const std::string message = res.status == 413 ? "the request body is larger than the limit"
                                    : res.status == 404 ? "no route " + req.method + " " + req.path
                                                        : "request failed";
        send_error(res, res.status, default_error_code(res.status), message);
        return httplib::Server::HandlerResponse::Handled;
      }));
  svr.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        set_request_id(req, res);
        spdlog::error("api: {} {} [{}] failed: {}", req.method, req.path,
                      res.get_header_value("X-Request-Id"), what);
        send_error(res, 500, "internal",
                   "internal error (request id " + res.get_header_value("X-Request-Id") + ")");
      });
  // Counted before the response is written (the logger runs after it is sent, when the client
  // may already have scraped /metrics without it).
  svr.set_post_routing_handler([state](const httplib::Request& req, httplib::Response& res) {
    count_request(*state, req, res);
  });
  svr.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    spdlog::info("api: {} {} -> {} [{}]", req.method, req.path, res.status,
                 res.get_header_value("X-Request-Id"));
  });

  svr.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    reply_json(res, 200, {{"status", "ok"}});
  });
  svr.Get("/readyz", [state](const httplib::Request&, httplib::Response& res) {
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
  register_course_routes(svr, *state);
  register_event_routes(svr, *state);
  register_book_routes(svr, *state);
  register_metrics_routes(svr, *state, listening_on_loopback_);
  register_web_routes(svr);  // the web page at / (web/, embedded at build time)
}

ApiServer::~ApiServer() {
  stop();
}

int ApiServer::bind(const std::string& host, int port) {
  const std::string bind_host = host == "localhost" ? "127.0.0.1" : host;
  // cpp-httplib 0.11.4 (a compiled library in Debian) listens with a backlog of 5: a burst of
  // clients overflows the accept queue, and their connections stall for a SYN retransmit or fail.
  // Keep the listening socket's fd so that listen() can be called again with a real backlog
  // (Linux updates the backlog of a socket that is already listening).
  int listening_fd = -1;
  server_->set_socket_options([&listening_fd](int sock) {
    httplib::default_socket_options(sock);
    listening_fd = sock;
  });
  int bound = -1;
  if (port == 0) {
    bound = server_->bind_to_any_port(bind_host);
  } else if (server_->bind_to_port(bind_host, port)) {
    bound = port;
  }
  if (bound <= 0) throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port));
  if (listening_fd >= 0 && ::listen(listening_fd, SOMAXCONN) != 0) {
    spdlog::warn("api: could not raise the listen backlog: {}", std::strerror(errno));
  }
  server_->set_socket_options(httplib::default_socket_options);
  listening_on_loopback_.store(is_loopback(bind_host));
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
      {"GET", R"(/courses/([^/]+)/events)", "/courses/{course_id}/events"},
      {"GET", "/books", "/books"},
      {"GET", "/books/search", "/books/search"},
      {"POST", "/books", "/books"},
      {"DELETE", R"(/books/([^/]+))", "/books/{book_id}"},
      {"GET", R"(/books/([^/]+))", "/books/{book_id}"},
      {"GET", "/search", "/search"},
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
  return server_->listen_after_bind();
}

void ApiServer::stop() {
  stopping_.store(true);
  if (server_) server_->stop();
}

}  // namespace docprof::api
