#include "api/router.h"

namespace docprof::api {

void Router::add(std::string method, const std::string& pattern, Handler handler) {
  routes_.push_back({std::move(method), std::regex(pattern), std::move(handler)});
}

const Handler* Router::find(Request& req) const {
  const std::string& method = req.method == "HEAD" ? std::string("GET") : req.method;
  for (const auto& route : routes_) {
    if (route.method != method) continue;
    std::smatch m;
    if (!std::regex_match(req.path, m, route.pattern)) continue;
    req.matches.clear();
    for (const auto& part : m) req.matches.push_back(part.str());
    return &route.handler;
  }
  return nullptr;
}

}  // namespace docprof::api
