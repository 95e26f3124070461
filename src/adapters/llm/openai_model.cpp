#include "adapters/llm/openai_model.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <thread>

#include "adapters/llm/provider_errors.h"

namespace docprof::adapters::llm {
namespace {

using nlohmann::json;

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

struct Answer {
  std::string body;
  std::optional<std::int64_t> retry_after_ms;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<Answer*>(user)->body.append(data, size * count);
  return size * count;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string trim(const std::string& text) {
  const std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return "";
  const std::size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(start, end - start + 1);
}

// Retry-After in seconds (possibly fractional), or OpenAI's retry-after-ms; an HTTP date is
// ignored.
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  const std::string line(data, size * count);
  const std::size_t colon = line.find(':');
  if (colon != std::string::npos) {
    const std::string name = lower(trim(line.substr(0, colon)));
    const std::string value = trim(line.substr(colon + 1));
    char* end = nullptr;
    const double number = std::strtod(value.c_str(), &end);
    const bool numeric =
        !value.empty() && end != nullptr && *end == '\0' && number >= 0 && std::isfinite(number);
    auto* answer = static_cast<Answer*>(user);
    if (name == "retry-after-ms" && numeric) {
      answer->retry_after_ms = static_cast<std::int64_t>(number);
    } else if (name == "retry-after" && numeric && !answer->retry_after_ms) {
      answer->retry_after_ms = static_cast<std::int64_t>(number * 1000);
    }
  }
  return size * count;
}

ports::ProviderError error(std::string code, std::string message, bool transient) {
  return ports::ProviderError{std::move(code), std::move(message), transient, 0, std::nullopt};
}

}  // namespace

std::string openai_error_message(const std::string& body) {
  const json parsed = json::parse(body, nullptr, false);
  if (parsed.is_object()) {
    if (const auto e = parsed.find("error"); e != parsed.end()) {
      if (e->is_string()) return e->get<std::string>();
      if (e->is_object()) {
        if (const auto m = e->find("message"); m != e->end() && m->is_string())
          return m->get<std::string>();
      }
    }
    if (const auto m = parsed.find("message"); m != parsed.end() && m->is_string())
      return m->get<std::string>();
    if (const auto m = parsed.find("detail"); m != parsed.end() && m->is_string())
      return m->get<std::string>();
  }
  std::string text = trim(body);
  if (text.size() > 300) text = text.substr(0, 300) + "…";
  return text;
}

std::vector<std::pair<std::string, std::string>> parse_header_list(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    const std::string item = trim(text.substr(start, end - start));
    start = end + 1;
    if (item.empty()) continue;
    const std::size_t colon = item.find(':');
    if (colon == std::string::npos || trim(item.substr(0, colon)).empty()) {
      throw std::invalid_argument("llm.extra_headers: expected \"Name: value\", got \"" + item +
                                  "\"");
    }
    out.emplace_back(trim(item.substr(0, colon)), trim(item.substr(colon + 1)));
  }
  return out;
}

OpenAiModel::OpenAiModel(OpenAiOptions options) : options_(std::move(options)) {
  if (options_.base_url.empty())
    throw std::invalid_argument("openai provider: llm.base_url is not set");
  if (options_.model.empty()) throw std::invalid_argument("openai provider: llm.model is not set");
  global_init_once();
}

std::string OpenAiModel::name() const {
  return "openai:" + options_.model;
}

void OpenAiModel::acquire_slot() {
  std::unique_lock lock(mutex_);
  if (options_.max_in_flight > 0) {
    slot_freed_.wait(lock, [this] { return in_flight_ < options_.max_in_flight; });
  }
  ++in_flight_;
  if (options_.requests_per_minute > 0) {
    const auto now = std::chrono::steady_clock::now();
    const auto start = std::max(now, next_start_);
    next_start_ = start + std::chrono::microseconds(60'000'000 / options_.requests_per_minute);
    lock.unlock();
    std::this_thread::sleep_until(start);
  }
}

void OpenAiModel::release_slot() {
  {
    std::lock_guard lock(mutex_);
    --in_flight_;
  }
  slot_freed_.notify_one();
}

ports::LlmResult OpenAiModel::complete(const domain::LlmRequest& request,
                                       const ports::CallContext& /*context*/) {
  ports::LlmResult first = post_once(request, request.max_tokens);
  auto* outcome = std::get_if<domain::ModelOutcome>(&first);
  if (outcome == nullptr || outcome->finish_reason != "length") return first;
  // Truncated: ask once more with room to finish.
  ports::LlmResult second = post_once(request, request.max_tokens * 2);
  if (auto* again = std::get_if<domain::ModelOutcome>(&second)) {
    again->usage += outcome->usage;  // both calls were paid for
  }
  return second;
}

ports::LlmResult OpenAiModel::post_once(const domain::LlmRequest& request, int max_tokens) {
  const json payload = {
      {"model", options_.model},
      {"messages", json::array({{{"role", "user"}, {"content", request.rendered}}})},
      {"temperature", request.temperature},
      {"max_tokens", max_tokens}};
  const std::string body = payload.dump();
  std::string url = options_.base_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += "/chat/completions";

  const std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (!curl) return error("connection_error", "libcurl could not create a handle", true);
  curl_slist* raw_headers = nullptr;
  raw_headers = curl_slist_append(raw_headers, "Content-Type: application/json");
  raw_headers = curl_slist_append(raw_headers, "Accept: application/json");
  if (!options_.api_key.empty()) {
    raw_headers =
        curl_slist_append(raw_headers, ("Authorization: Bearer " + options_.api_key).c_str());
  }
  for (const auto& [name, value] : options_.extra_headers) {
    raw_headers = curl_slist_append(raw_headers, (name + ": " + value).c_str());
  }
  const std::unique_ptr<curl_slist, SlistFree> headers(raw_headers);

  Answer answer;
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &answer);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_ms));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_ms));

  acquire_slot();
  const CURLcode code = curl_easy_perform(h);
  release_slot();

  if (code != CURLE_OK) {
    const std::string what = std::string(curl_easy_strerror(code)) + " (" + url + ")";
    if (code == CURLE_OPERATION_TIMEDOUT)
      return error("timeout", "model call timed out: " + what, true);
    if (code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL) {
      return error("invalid_endpoint", "unusable llm.base_url: " + what, false);
    }
    return error("connection_error", "model call failed: " + what, true);
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) {
    ports::ProviderError e =
        classify_http_status(static_cast<int>(status), openai_error_message(answer.body));
    e.retry_after_ms = answer.retry_after_ms;
    return e;
  }

  const json parsed = json::parse(answer.body, nullptr, false);
  try {
    if (parsed.is_discarded()) throw std::runtime_error("not JSON");
    const json& choice = parsed.at("choices").at(0);
    domain::ModelOutcome outcome;
    outcome.text = choice.at("message").at("content").get<std::string>();
    const auto reason = choice.find("finish_reason");
    outcome.finish_reason =
        reason != choice.end() && reason->is_string() ? reason->get<std::string>() : "stop";
    if (const auto usage = parsed.find("usage"); usage != parsed.end() && usage->is_object()) {
      outcome.usage.input_tokens = usage->value("prompt_tokens", std::int64_t{0});
      outcome.usage.output_tokens = usage->value("completion_tokens", std::int64_t{0});
    }
    outcome.usage.calls = 1;
    return outcome;
  } catch (const std::exception& e) {
    std::string sample = answer.body.substr(0, 200);
    return error("bad_response",
                 "the model server's answer is not a chat completion (" + std::string(e.what()) +
                     "): " + sample,
                 true);
  }
}

}  // namespace docprof::adapters::llm
