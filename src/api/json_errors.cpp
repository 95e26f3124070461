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

}  // namespace docprof::api
