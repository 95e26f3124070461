#include "adapters/llm/http_transport.h"

#include <curl/curl.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <mutex>

#include "domain/saturating.h"

namespace docprof::adapters::llm {
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlFree {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

struct Collected {
  HttpAnswer answer;
  std::optional<std::int64_t> retry_after;     // Retry-After, in ms
  std::optional<std::int64_t> retry_after_ms;  // retry-after-ms
};

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<Collected*>(user)->answer.body.append(data, size * count);
  return size * count;
}

// Collects headers; a status line (a new response, e.g. after "100 Continue") starts afresh.
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* collected = static_cast<Collected*>(user);
  const std::string line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    collected->answer.headers.clear();
    collected->retry_after.reset();
    collected->retry_after_ms.reset();
    return size * count;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string::npos) return size * count;
  const std::string name = lower(trim_http(line.substr(0, colon)));
  const std::string value = trim_http(line.substr(colon + 1));
  collected->answer.headers[name] = value;
  char* end = nullptr;
  const double number = std::strtod(value.c_str(), &end);
  const bool numeric =
      !value.empty() && end != nullptr && *end == '\0' && number >= 0 && std::isfinite(number);
  if (!numeric) return size * count;  // an HTTP date in Retry-After is ignored
  // Saturating: a huge value asks for a wait longer than any limit, never a negative one.
  if (name == "retry-after-ms") collected->retry_after_ms = domain::saturating_millis(number);
  if (name == "retry-after") {
    collected->retry_after = domain::saturating_millis_from_seconds(number);
  }
  return size * count;
}

ports::ProviderError transport_error(std::string code, std::string message, bool transient) {
  return ports::ProviderError{std::move(code), std::move(message), transient, 0, std::nullopt};
}

}  // namespace

std::string HttpAnswer::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::string trim_http(const std::string& text) {
  const std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return "";
  const std::size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(start, end - start + 1);
}

HttpResult http_post(const HttpPost& request) {
  global_init_once();
  const std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (!curl) return transport_error("connection_error", "libcurl could not create a handle", true);
  curl_slist* raw_headers = nullptr;
  for (const auto& [name, value] : request.headers) {
    raw_headers = curl_slist_append(raw_headers, (name + ": " + value).c_str());
  }
  const std::unique_ptr<curl_slist, SlistFree> headers(raw_headers);

  Collected collected;
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &collected);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &collected);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout_ms));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout_ms));

  const CURLcode code = curl_easy_perform(h);
  if (code != CURLE_OK) {
    const std::string what = std::string(curl_easy_strerror(code)) + " (" + request.url + ")";
    if (code == CURLE_OPERATION_TIMEDOUT) {
      return transport_error("timeout", request.purpose + " timed out: " + what, true);
    }
    if (code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL) {
      return transport_error("invalid_endpoint",
                             "unusable " + request.endpoint_setting + ": " + what, false);
    }
    return transport_error("connection_error", request.purpose + " failed: " + what, true);
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  collected.answer.status = static_cast<int>(status);
  collected.answer.retry_after_ms =
      collected.retry_after_ms ? collected.retry_after_ms : collected.retry_after;
  return std::move(collected.answer);
}

}  // namespace docprof::adapters::llm
