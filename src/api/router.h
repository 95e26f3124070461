// Router: the API's route table. Route files register a handler per method and path pattern (a
// regex matched against the whole decoded path: "/courses/([^/]+)/status"); find() picks the first
// registered route that matches and fills the request's captures. HEAD requests are routed as GET.
//
// Thread safety: register every route before the server runs; find() is then safe concurrently.
#pragma once

#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "api/http_message.h"

namespace docprof::api {

using Handler = std::function<void(const Request&, Response&)>;

class Router {
 public:
  void Get(const std::string& pattern, Handler handler) { add("GET", pattern, std::move(handler)); }
  void Post(const std::string& pattern, Handler handler) { add("POST", pattern, std::move(handler)); }
  void Patch(const std::string& pattern, Handler handler) { add("PATCH", pattern, std::move(handler)); }
  void Delete(const std::string& pattern, Handler handler) { add("DELETE", pattern, std::move(handler)); }

  // The handler of the request's method and path (nullptr: none), with req.matches filled.
  const Handler* find(Request& req) const;

 private:
  struct Route {
    std::string method;
    std::regex pattern;
    Handler handler;
  };
  void add(std::string method, const std::string& pattern, Handler handler);
  std::vector<Route> routes_;
};

}  // namespace docprof::api
