// The web page of `docprof serve` (issue 5): static HTML/CSS/JS from web/, embedded into the binary
// at build time (cmake/EmbedFiles.cmake generates web_assets()) and served at `/` (and
// `/index.html`), `/app.js`, `/style.css` — no front-end build step, no file read at run time.
// The page authenticates its API calls itself (a bearer token in the browser's session storage), so
// its files are served without authentication, with a Content-Security-Policy that allows only the
// server's own origin (no inline script or style) and `Cache-Control: no-cache`.
//
// Thread safety: the assets are immutable static data; the handlers are stateless.
#pragma once

#include <span>
#include <string_view>

namespace docprof::api {

class Router;

// One embedded file: its URL path ("/index.html"), its Content-Type, and its bytes.
struct WebAsset {
  std::string_view path;
  std::string_view content_type;
  std::string_view body;
};

// Every embedded file, sorted by path (defined in the generated source).
std::span<const WebAsset> web_assets();

// The asset served at a URL path ("/" is "/index.html"); nullptr when there is none.
const WebAsset* find_web_asset(std::string_view path);

// The Content-Security-Policy the page is served with.
std::string_view web_content_security_policy();

// Registers GET (and HEAD) routes for `/` and every embedded file.
void register_web_routes(Router& server);

}  // namespace docprof::api
