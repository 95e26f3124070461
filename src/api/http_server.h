// ApiServer: the HTTP face of docprof (domain.md §8) — course routes (both path variants), the live
// event stream (SSE), the shared library's book routes, ingestion runs (uploads streamed to disk,
// ingest_routes.cpp), health probes and Prometheus metrics
// (GET /metrics: open when the socket is bound to a loopback address, an admin token otherwise).
// The network side is an HttpListener (Boost.Beast/Asio, http_listener.h): a fixed pool of io
// threads, limits enforced while requests are read, event streams pumped by timers.
// Every request gets a request id (X-Request-Id, taken from the request or generated) echoed in the
// response and the log line; every error is a JSON {"error", "error_code"} body.
//
// Lifecycle: construct, bind() (port 0 = an ephemeral port), then run() on a thread of your own
// (blocks until stop()). stop() may be called from any thread; open event streams end within one
// poll interval. A server without authentication (Authenticator::none) refuses to bind anywhere
// but a loopback address.
//
// Thread safety: the handlers run on the server's io threads and use the services concurrently
// (they are required to be thread-safe). bind/run/stop from the controlling threads only.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/auth.h"
#include "api/http_listener.h"
#include "engine/course_service.h"
#include "engine/ingest_runs.h"
#include "engine/ingest_service.h"
#include "engine/library_service.h"
#include "engine/metrics.h"
#include "ports/clock.h"
#include "ports/course_repository.h"
#include "ports/run_store.h"

namespace docprof::api {

class Router;

struct ApiOptions {
  int threads = 32;                          // io threads; handlers run on them, streams hold none
  HttpLimits limits = {};                    // read limits, deadlines, connection caps
  std::size_t max_streams_per_user = 8;      // open event streams per user (429 beyond; 0: no cap)
  std::vector<std::string> cors_origins;     // allowed Origin values; "*" allows any (cors.h)
  double rate_per_minute = 10;               // course creations per user per minute (0: no limit)
  int max_concurrent_runs = 3;               // runs a user may have generating at once (0: no cap)
  std::int64_t sse_poll_ms = 200;            // how often a stream reads the run's history
  std::int64_t sse_heartbeat_ms = 15000;     // a `: keep-alive` comment after this much silence
  int search_top_k = 10;                     // books returned by /books/search
  // Uploads (POST /books/ingest, multipart/form-data): spooled to and kept under upload_dir ("":
  // uploads are refused, 503), at most max_upload_bytes (server.max_upload_bytes; 413 beyond).
  std::string upload_dir;
  std::uint64_t max_upload_bytes = 256ULL * 1024 * 1024;
  // Directories a JSON {"path"} to ingest may lie under (server.ingest_paths; none: refused, 403).
  std::vector<std::string> ingest_paths;
  // The workers' model is the offline planner: POST /courses/{id}/revise refuses at once what it
  // cannot do (422 unsupported_revision, CourseService::request_revision).
  bool offline_planner = false;
  std::function<bool()> workers_running;     // for /readyz; unset: not checked
  // For /metrics: the process's registry (engine and model metrics; HTTP requests are counted in it
  // too), the queue whose counts it reports and the dead letters it counts. Null: those metrics are
  // left out.
  engine::Metrics* metrics = nullptr;
  ports::EventQueue* queue = nullptr;
  ports::DeadLetters* dead_letters = nullptr;
};

// One route of the server: its method, its path pattern as registered with the Router (a regex
// for the routes with parameters), and its path as docs/openapi.yaml documents it ("/courses/{course_id}").
struct RouteInfo {
  std::string method;
  std::string pattern;
  std::string path;
};

struct ApiServices {
  engine::CourseService& course_service;
  ports::RunStore& runs;
  ports::CourseRepository& courses;
  engine::LibraryService& library;
  ports::Clock& clock;
  // Ingested books (GET /books/{id}, GET /search); null: those routes answer 404 / 503.
  engine::IngestService* ingest = nullptr;
  // Ingestion runs (POST /books/ingest and its status and events); null: those routes answer 503.
  engine::IngestRunService* ingest_runs = nullptr;
};

class ApiServer {
 public:
  ApiServer(ApiServices services, Authenticator auth, ApiOptions options);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds host:port (0: any free port). Returns the bound port. Throws std::runtime_error, also
  // when authentication is off and the bound address is not loopback.
  int bind(const std::string& host, int port);
  // True once bound to a loopback address (decided on the bound address, not the host name).
  bool listening_on_loopback() const { return listening_on_loopback_.load(); }
  // Serves until stop(); false when the server could not run.
  bool run();
  void stop();
  bool stopping() const { return stopping_.load(); }

  // Every route the server registers (the one list of them: the request metrics label requests by
  // it, and the OpenAPI test checks docs/openapi.yaml and the route files against it).
  static std::vector<RouteInfo> routes();

  struct State;  // shared with the route files (route_context.h)

 private:
  static void handle(State& state, const Router& router, Request& req, Response& res);

  std::shared_ptr<State> state_;
  std::unique_ptr<HttpListener> listener_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> listening_on_loopback_{false};  // set by bind(); opens /metrics
};

}  // namespace docprof::api
