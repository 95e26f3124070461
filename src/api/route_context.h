// What the route files of the API share (internal to src/api): the services, the authenticator, the
// limits, and the helpers every handler uses — authentication, ownership, JSON bodies.
//
// Thread safety: State is read-only after construction except for the rate limiter and the stream
// slots (thread-safe), create_mu, and the stopping flag (atomic).
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/auth.h"
#include "api/http_server.h"
#include "api/rate_limiter.h"
#include "api/router.h"
#include "api/stream_slots.h"

namespace docprof::api {

struct ApiServer::State {
  State(ApiServices s, Authenticator a, ApiOptions o)
      : services(s),
        auth(std::move(a)),
        options(std::move(o)),
        limiter(options.rate_per_minute),
        streams(std::make_shared<StreamSlots>(options.max_streams_per_user)) {}
  ApiServices services;
  Authenticator auth;
  ApiOptions options;
  RateLimiter limiter;
  std::shared_ptr<StreamSlots> streams;  // open event streams per user
  // Serialises the concurrent-runs check with the creation it allows, so that the cap holds for
  // requests served by this process (another API process may still race it).
  std::mutex create_mu;
  const std::atomic<bool>* stopping = nullptr;
};

using State = ApiServer::State;

// Authenticates the request; on failure writes the 401 (with WWW-Authenticate) and returns nullopt.
std::optional<Principal> require_user(State& state, const Request& req, Response& res);

// The owner of a course (from its run, or its stored row); nullopt when the course does not exist.
std::optional<std::string> course_owner(State& state, const std::string& course_id);
// True when the course exists and belongs to the user; otherwise writes the 404.
bool require_owned(State& state, const Principal& user, const std::string& course_id, Response& res);

// Parses a JSON object body; on failure writes the 400 and returns nullopt.
std::optional<nlohmann::json> parse_body(const Request& req, Response& res);
void reply_json(Response& res, int status, const nlohmann::json& body);

void register_course_routes(Router& server, State& state);
void register_event_routes(Router& server, State& state);
void register_book_routes(Router& server, State& state);
// Ingestion runs: POST /books/ingest, GET /books/ingest[/{id}] (ingest_routes.cpp) and
// GET /books/ingest/{id}/events (ingest_events.cpp). Registered before the book routes, whose
// /books/{id} would otherwise take /books/ingest.
void register_ingest_routes(Router& server, State& state);
void register_ingest_event_routes(Router& server, State& state);
// The listener's plan for a request's body (HttpListener::Hooks::plan_body): an upload to
// POST /books/ingest goes to a file under options.upload_dir, once its sender is known to be an
// admin (else `refusal` holds the 401/403, and nothing of the body is read); the rest to memory.
BodyPlan plan_upload_body(State& state, const Request& head, Response& refusal);
// True for an admin; else writes the 403 naming `what` ("change the shared library").
bool require_admin(const Principal& user, const std::string& what, Response& res);

}  // namespace docprof::api
