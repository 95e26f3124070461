// The web page routes (api/web_page.h): `/` and every embedded file of web/, with their headers.
#include "api/web_page.h"

#include "api/router.h"

#include <string>
#include <vector>

namespace docprof::api {
namespace {

// An exact-match route pattern for a path (the Router matches patterns as regexes).
std::string exact_pattern(std::string_view path) {
  std::string out;
  for (char c : path) {
    if (std::string_view(".+*?^$()[]{}|\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

void serve_asset(const WebAsset& asset, Response& res) {
  res.status = 200;
  res.set_header("Cache-Control", "no-cache");
  res.set_header("Content-Security-Policy", std::string(web_content_security_policy()));
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_content(std::string(asset.body), std::string(asset.content_type));
}

}  // namespace

const WebAsset* find_web_asset(std::string_view path) {
  if (path == "/") path = "/index.html";
  for (const auto& asset : web_assets())
    if (asset.path == path) return &asset;
  return nullptr;
}

std::string_view web_content_security_policy() {
  return "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
         "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
}

void register_web_routes(Router& server) {
  std::vector<std::string_view> paths{"/"};
  for (const auto& asset : web_assets()) paths.push_back(asset.path);
  for (const std::string_view path : paths) {
    const WebAsset* asset = find_web_asset(path);
    if (asset == nullptr) continue;  // no index.html embedded: `/` stays unrouted
    server.Get(exact_pattern(path), [asset](const Request&, Response& res) {
      serve_asset(*asset, res);
    });
  }
}

}  // namespace docprof::api
