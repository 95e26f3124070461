#include "api/jwks_source.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>

#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

namespace docprof::api {
namespace {

constexpr std::size_t kMaxDocumentBytes = 1024 * 1024;

domain::Error unavailable(const std::string& message) { return domain::Error{"jwks_unavailable", message}; }
domain::Error bad_setting(const std::string& message) { return domain::Error{"invalid_config", message}; }

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct UrlFree {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct EasyFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

// A URL part (scheme, host) as curl parses it; "" when it has none.
std::string url_part(CURLU* url, CURLUPart part) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, 0) != CURLUE_OK || text == nullptr) return "";
  std::string out(text);
  curl_free(text);
  return out;
}

// True for a URL host that can only be this machine: an IPv4 literal in 127.0.0.0/8, the IPv6
// literal ::1, or `localhost` (which curl resolves to loopback itself, without asking DNS). A name
// that merely starts with "127." (127.0.0.1.example.com) is not one.
bool loopback_host(std::string host) {
  if (host == "localhost") return true;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

struct Download {
  std::string body;
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* download = static_cast<Download*>(user);
  const std::size_t bytes = size * count;
  if (download->body.size() + bytes > kMaxDocumentBytes) {
    download->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  download->body.append(data, bytes);
  return bytes;
}

}  // namespace

domain::Result<JwksSource> JwksSource::from_setting(const std::string& setting, const std::string& ca_file) {
  if (setting.empty()) {
    return bad_setting("auth.jwks is required with auth.mode = \"jwt\" (a JWKS file, or an https URL)");
  }
  JwksSource source;
  source.location_ = setting;
  source.ca_file_ = ca_file;
  if (!ca_file.empty() && !std::ifstream(ca_file)) {
    return bad_setting("auth.jwks_ca_file: cannot read '" + ca_file + "'");
  }
  if (setting.find("://") == std::string::npos) {  // a file
    if (!ca_file.empty()) return bad_setting("auth.jwks_ca_file is for an https auth.jwks, not a file");
    return source;
  }
  init_curl_once();
  std::unique_ptr<CURLU, UrlFree> url(curl_url());
  if (!url || curl_url_set(url.get(), CURLUPART_URL, setting.c_str(), 0) != CURLUE_OK) {
    return bad_setting("auth.jwks: not a valid URL: '" + setting + "'");
  }
  std::string scheme = url_part(url.get(), CURLUPART_SCHEME);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string host = url_part(url.get(), CURLUPART_HOST);
  if (scheme == "http" && loopback_host(host)) {
    source.plain_http_ = true;
  } else if (scheme != "https") {
    return bad_setting("auth.jwks: '" + setting +
                       "' must be an https URL (http is allowed only on a loopback host)");
  }
  source.is_url_ = true;
  return source;
}

domain::Result<std::string> JwksSource::read() const {
  if (!is_url_) {
    std::ifstream in(location_, std::ios::binary);
    if (!in) return unavailable("cannot read the JWKS file '" + location_ + "'");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  init_curl_once();
  std::unique_ptr<CURL, EasyFree> easy(curl_easy_init());
  if (!easy) return unavailable("cannot fetch " + location_ + ": curl_easy_init failed");
  Download download;
  CURL* c = easy.get();
  curl_easy_setopt(c, CURLOPT_URL, location_.c_str());
  // Only the scheme allowed at start, and no redirects: a redirect could lead to any scheme or host.
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, plain_http_ ? "http" : "https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  // Plain http stays on this machine: no proxy from the environment may carry it elsewhere.
  if (plain_http_) curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  if (!ca_file_.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, ca_file_.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &download);
  const CURLcode code = curl_easy_perform(c);
  if (download.too_large) return unavailable("the JWKS at " + location_ + " is larger than 1 MiB");
  if (code != CURLE_OK) return unavailable("cannot fetch " + location_ + ": " + curl_easy_strerror(code));
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) return unavailable("fetching " + location_ + " answered HTTP " + std::to_string(status));
  return std::move(download.body);
}

}  // namespace docprof::api
