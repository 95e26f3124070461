#include "api/cors.h"

#include <algorithm>
#include <sstream>

#include "api/http_message.h"

namespace docprof::api {

std::vector<std::string> resolve_cors_origins(const std::string& setting, bool authentication_on) {
  if (setting == "auto") return authentication_on ? std::vector<std::string>{"*"} : std::vector<std::string>{};
  std::vector<std::string> out;
  std::stringstream in(setting);
  for (std::string item; std::getline(in, item, ',');) {
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

void apply_cors(const std::vector<std::string>& allowed_origins, const Request& req, Response& res) {
  const std::string origin = req.get_header_value("Origin");
  if (origin.empty() || allowed_origins.empty()) return;
  const bool any = std::find(allowed_origins.begin(), allowed_origins.end(), "*") != allowed_origins.end();
  const bool listed = std::find(allowed_origins.begin(), allowed_origins.end(), origin) != allowed_origins.end();
  if (!any && !listed) return;
  res.set_header("Access-Control-Allow-Origin", any ? "*" : origin);
  if (!any) res.set_header("Vary", "Origin");
  res.set_header("Access-Control-Expose-Headers", "X-Request-Id, Retry-After");
}

void answer_preflight(Response& res) {
  res.set_header("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS");
  res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID, X-Request-Id");
  res.set_header("Access-Control-Max-Age", "600");
  res.status = 204;
}

}  // namespace docprof::api
