// docs/openapi.yaml against the server: every documented (method, path) is a route of ApiServer and
// every route is documented. The document is read line by line (paths at two spaces of indent under
// `paths:`, methods at four), so no YAML library is needed. The route files themselves are checked
// against ApiServer::routes() too (every route registered with a literal pattern in src/api is in the
// list, and every listed route is registered, or is one of the web page's embedded files), and each
// route is answered over real HTTP by its handler, never by the router's "no route" 404.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "api/web_page.h"
#include "integration/api_harness.h"

namespace docprof {
namespace {

using Route = std::pair<std::string, std::string>;  // METHOD, path

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// The (method, path) pairs of an OpenAPI document's `paths:` section.
std::set<Route> documented_routes(const std::string& yaml) {
  static const std::set<std::string> kMethods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};
  std::set<Route> out;
  std::istringstream in(yaml);
  bool in_paths = false;
  std::string path;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.find_first_not_of(' ') == std::string::npos) continue;
    const std::size_t indent = line.find_first_not_of(' ');
    if (line[indent] == '#') continue;
    if (indent == 0) {
      in_paths = line.rfind("paths:", 0) == 0;
      continue;
    }
    if (!in_paths) continue;
    if (indent == 2 && line.back() == ':') {
      path = line.substr(2, line.size() - 3);
      if (path.size() >= 2 && (path.front() == '\'' || path.front() == '"')) path = path.substr(1, path.size() - 2);
    } else if (indent == 4 && line.back() == ':') {
      const std::string key = line.substr(4, line.size() - 5);
      if (kMethods.count(key) && !path.empty()) out.emplace(upper(key), path);
    }
  }
  return out;
}

// The routes registered with a literal pattern (`.Get("/x"` or `.Get(R"(/x/([^/]+))"`) in src/api.
std::set<Route> registered_literal_patterns() {
  static const std::regex call(R"re(\.(Get|Post|Put|Patch|Delete|Options)\(\s*(?:R"\((.*?)\)"|"([^"]*)"))re");
  std::set<Route> out;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(DOCPROF_SOURCE_DIR) / "src" / "api")) {
    if (entry.path().extension() != ".cpp") continue;
    const std::string text = read_text(entry.path());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), call); it != std::sregex_iterator(); ++it) {
      const auto& m = *it;
      out.emplace(upper(m[1].str()), m[2].matched ? m[2].str() : m[3].str());
    }
  }
  return out;
}

std::string diff(const std::set<Route>& expected, const std::string& expected_name, const std::set<Route>& actual,
                 const std::string& actual_name) {
  std::string out;
  for (const auto& r : expected)
    if (!actual.count(r)) out += "  in " + expected_name + " only: " + r.first + " " + r.second + "\n";
  for (const auto& r : actual)
    if (!expected.count(r)) out += "  in " + actual_name + " only: " + r.first + " " + r.second + "\n";
  return out;
}

TEST(ApiOpenApi, DocumentsExactlyTheServersRoutes) {
  const auto documented =
      documented_routes(read_text(std::filesystem::path(DOCPROF_SOURCE_DIR) / "docs" / "openapi.yaml"));
  ASSERT_FALSE(documented.empty()) << "no paths read from docs/openapi.yaml";
  std::set<Route> served;
  for (const auto& route : api::ApiServer::routes()) {
    EXPECT_TRUE(served.emplace(route.method, route.path).second) << "listed twice: " << route.method << " " << route.path;
  }
  EXPECT_EQ(documented, served) << "docs/openapi.yaml and ApiServer::routes() differ:\n"
                                << diff(documented, "docs/openapi.yaml", served, "ApiServer::routes()");
}

TEST(ApiOpenApi, RouteListMatchesTheRouteFiles) {
  const auto in_sources = registered_literal_patterns();
  ASSERT_FALSE(in_sources.empty());
  std::set<Route> listed;
  std::set<Route> listed_web;
  for (const auto& route : api::ApiServer::routes()) {
    // The web page's routes are registered from its embedded files, not with literal patterns.
    if (route.method == "GET" && api::find_web_asset(route.path) != nullptr) listed_web.emplace(route.method, route.pattern);
    else listed.emplace(route.method, route.pattern);
  }
  EXPECT_EQ(in_sources, listed) << "routes registered in src/api/*.cpp and ApiServer::routes() differ:\n"
                                << diff(in_sources, "src/api", listed, "ApiServer::routes()");
  std::set<Route> web;
  if (api::find_web_asset("/") != nullptr) web.emplace("GET", "/");
  for (const auto& asset : api::web_assets()) web.emplace("GET", std::string(asset.path));
  std::set<Route> listed_web_paths;
  for (const auto& route : api::ApiServer::routes())
    if (listed_web.count({route.method, route.pattern})) listed_web_paths.emplace(route.method, route.path);
  EXPECT_EQ(web, listed_web_paths) << diff(web, "web assets", listed_web_paths, "ApiServer::routes()");
}

// Every listed route, with its parameters filled in, reaches a handler: whatever it answers (a 404
// for an unknown course is fine), it is not the router's own "no route" 404.
TEST(ApiOpenApi, EveryListedRouteReachesAHandler) {
  test_support::ApiHarness h({false, test_support::relaxed_api_options()});
  const auto headers = test_support::ApiHarness::auth(test_support::kAdmin);
  for (const auto& route : api::ApiServer::routes()) {
    std::string path = std::regex_replace(route.path, std::regex(R"(\{[a-z_]+\})"), "unknown-id");
    if (path == "/course") path += "?courseId=unknown-id";
    if (path == "/books/search") path += "?q=valuation";
    if (path == "/courses/unknown-id/events") continue;  // a stream: covered by api_events_test
    ASSERT_TRUE(route.method == "GET" || route.method == "POST" || route.method == "PATCH" ||
                route.method == "DELETE")
        << "unexpected method " << route.method;
    auto client = h.client();
    auto res = route.method == "GET"    ? client.Get(path.c_str(), headers)
               : route.method == "POST" ? client.Post(path.c_str(), headers, "{}", "application/json")
               : route.method == "PATCH" ? client.Patch(path.c_str(), headers, "{}", "application/json")
                                         : client.Delete(path.c_str(), headers);
    ASSERT_TRUE(res) << route.method << " " << path;
    const bool router_404 = res->status == 404 && res->body.find("no route") != std::string::npos;
    EXPECT_FALSE(router_404) << route.method << " " << path << " is not routed: " << res->body;
  }
}

}  // namespace
}  // namespace docprof
