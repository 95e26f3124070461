#include "adapters/llm/openai_model.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "adapters/llm/http_transport.h"
#include "adapters/llm/provider_errors.h"

namespace docprof::adapters::llm {
namespace {

using nlohmann::json;

std::string trim(const std::string& text) {
  return trim_http(text);
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
}

std::string OpenAiModel::name() const {
  return "openai:" + options_.model;
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

  HttpPost post;
  post.url = url;
  post.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  if (!options_.api_key.empty())
    post.headers.emplace_back("Authorization", "Bearer " + options_.api_key);
  for (const auto& header : options_.extra_headers) post.headers.push_back(header);
  post.body = body;
  post.timeout_ms = options_.timeout_ms;
  post.connect_timeout_ms = options_.connect_timeout_ms;

  HttpResult result = http_post(post);
  if (auto* failed = std::get_if<ports::ProviderError>(&result)) return *failed;
  const HttpAnswer& answer = std::get<HttpAnswer>(result);
  if (answer.status < 200 || answer.status > 299) {
    ports::ProviderError e = classify_http_status(answer.status, openai_error_message(answer.body));
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
