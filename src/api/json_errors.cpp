#include "api/json_errors.h"

#include "api/http_message.h"

#include <nlohmann/json.hpp>

namespace docprof::api {

void send_json(Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json");
}

void send_error(Response& res, int status, const std::string& code,
                const std::string& message) {
  const nlohmann::json body = {{"error", message}, {"error_code", code}};
  send_json(res, status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string default_error_code(int status) {
  switch (status) {
    case 400:
      return "invalid_request";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 408:
      return "request_timeout";
    case 411:
      return "length_required";
    case 413:
      return "payload_too_large";
    case 414:
      return "uri_too_long";
    case 415:
      return "unsupported_encoding";
    case 431:
      return "headers_too_large";
    case 429:
      return "rate_limited";
    default:
      return status >= 500 ? "internal" : "error";
  }
}

}  // namespace docprof::api
