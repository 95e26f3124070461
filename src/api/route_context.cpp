#include "api/route_context.h"

#include "api/json_errors.h"

namespace docprof::api {

std::optional<Principal> require_user(State& state, const Request& req, Response& res) {
  auto user = state.auth.authenticate(req.get_header_value("Authorization"));
  if (!user) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"docprof\"");
    send_error(res, 401, "unauthorized",
               "a valid `Authorization: Bearer <token>` header is required");
  }
  return user;
}

bool require_admin(const Principal& user, const std::string& what, Response& res) {
  if (user.admin) return true;
  send_error(res, 403, "forbidden", "only admin tokens may " + what);
  return false;
}

std::optional<std::string> course_owner(State& state, const std::string& course_id) {
  if (auto run = state.services.runs.load(course_id)) return run->user_id;
  if (auto stored = state.services.courses.get(course_id)) return stored->course.user_id;
  return std::nullopt;
}

bool require_owned(State& state, const Principal& user, const std::string& course_id, Response& res) {
  const auto owner = course_owner(state, course_id);
  if (!owner || *owner != user.user_id) {
    send_error(res, 404, "not_found", "no course " + course_id);
    return false;
  }
  return true;
}

std::optional<nlohmann::json> parse_body(const Request& req, Response& res) {
  auto body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded()) {
    send_error(res, 400, "invalid_json", "the request body is not valid JSON");
    return std::nullopt;
  }
  if (!body.is_object()) {
    send_error(res, 400, "invalid_json", "the request body must be a JSON object");
    return std::nullopt;
  }
  return body;
}

void reply_json(Response& res, int status, const nlohmann::json& body) {
  send_json(res, status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace docprof::api
