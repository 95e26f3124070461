// OpenAiTestServer: a real OpenAI-protocol chat-completions server on loopback (cpp-httplib), for
// the openai provider's tests. It answers POST /v1/chat/completions from scripted rules: the first
// rule whose `contains` text occurs in the prompt (messages[0].content) answers, handing out its
// replies in order and repeating the last one. A reply is an answer (content, finish_reason,
// usage) or a fault: any HTTP status with a JSON error body and headers (429 + Retry-After, 500,
// 401), a delay (a slow answer past the client's timeout) or a raw body (malformed JSON).
// A prompt no rule matches gets a 404 "no rule for this prompt".
//
// It also answers POST /v1/embeddings ({"model", "input": [texts…], "dimensions"?}) with one
// deterministic, not normalised vector per text (embedding_of(text, dims); dims is the request's
// "dimensions", else set_embedding_dims(), default 8), in data[] with each item's index — in
// reverse order after reverse_embedding_order(true), as a server may. Faults queued with
// fail_next_embeddings() answer the next embedding requests first. Embedding requests are logged
// apart (embedding_requests()).
//
// It records every request (headers of interest and the parsed body) and measures the requests
// in flight (current and peak), counted from the moment a request reaches the handler to the
// moment its handler returns.
//
// Thread safety: the handlers run on the server's pool (32 threads); rules, cursors and the
// request log are guarded by one mutex; in-flight counters are atomics. Configure rules before
// sending requests, or between requests.
#pragma once

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "loopback_http_server.h"

namespace docprof::test_support {

struct ScriptedReply {
  int status = 200;
  std::string content;                 // the answer's text (status 200)
  std::string finish_reason = "stop";  // "stop" | "length"
  std::int64_t prompt_tokens = 1000;
  std::int64_t completion_tokens = 100;
  std::string error_message;  // non-200: sent as {"error":{"message":…}}
  std::string raw_body;       // sent verbatim instead of JSON when not empty
  std::map<std::string, std::string> headers;
  int delay_ms = 0;  // slept before answering

  static ScriptedReply answer(std::string text, std::string finish = "stop") {
    ScriptedReply r;
    r.content = std::move(text);
    r.finish_reason = std::move(finish);
    return r;
  }
  static ScriptedReply error(int status, std::string message,
                             std::map<std::string, std::string> headers = {}) {
    ScriptedReply r;
    r.status = status;
    r.error_message = std::move(message);
    r.headers = std::move(headers);
    return r;
  }
  static ScriptedReply malformed() {
    ScriptedReply r;
    r.raw_body = "{\"choices\": [ {\"message\": ";  // cut off mid-object
    return r;
  }
  static ScriptedReply slow(std::string text, int delay) {
    ScriptedReply r = answer(std::move(text));
    r.delay_ms = delay;
    return r;
  }
};

struct RecordedRequest {
  std::string authorization;
  std::string extra_header;  // the X-Test-Header header, if sent
  nlohmann::json body;
};

class OpenAiTestServer {
 public:
  OpenAiTestServer() {
    server_.http().Post("/v1/chat/completions",
                        [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    server_.http().Post("/v1/embeddings", [this](const httplib::Request& req, httplib::Response& res) {
      handle_embeddings(req, res);
    });
    server_.start();
  }
  ~OpenAiTestServer() { server_.stop(); }
  OpenAiTestServer(const OpenAiTestServer&) = delete;
  OpenAiTestServer& operator=(const OpenAiTestServer&) = delete;

  std::string base_url() const { return server_.origin() + "/v1"; }
  int port() const { return server_.port(); }

  // Adds a rule (rules are tried in the order added).
  void on(std::string contains, std::vector<ScriptedReply> replies) {
    std::lock_guard lock(mutex_);
    rules_.push_back(Rule{std::move(contains), std::move(replies), 0, 0});
  }

  int peak_in_flight() const { return peak_.load(); }
  int in_flight() const { return in_flight_.load(); }

  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  // ---- embeddings ----
  void set_embedding_dims(int dims) {
    std::lock_guard lock(mutex_);
    embedding_dims_ = dims;
  }
  void reverse_embedding_order(bool reverse) {
    std::lock_guard lock(mutex_);
    reverse_embeddings_ = reverse;
  }
  void fail_next_embeddings(const std::vector<ScriptedReply>& replies) {
    std::lock_guard lock(mutex_);
    embedding_faults_.insert(embedding_faults_.end(), replies.begin(), replies.end());
  }
  std::vector<RecordedRequest> embedding_requests() const {
    std::lock_guard lock(mutex_);
    return embedding_requests_;
  }
  // The vector answered for `text`: positive components derived from the text's bytes.
  static std::vector<float> embedding_of(const std::string& text, int dims) {
    std::vector<float> v(static_cast<std::size_t>(dims), 1.0f);
    for (std::size_t i = 0; i < text.size(); ++i) {
      v[i % v.size()] += static_cast<float>(static_cast<unsigned char>(text[i]) % 17);
    }
    return v;
  }

  // Requests answered by the rule matching `contains` (as given to on()).
  int hits(const std::string& contains) const {
    std::lock_guard lock(mutex_);
    for (const Rule& rule : rules_) {
      if (rule.contains == contains) return rule.hits;
    }
    return 0;
  }

 private:
  struct Rule {
    std::string contains;
    std::vector<ScriptedReply> replies;
    std::size_t next;
    int hits;
  };

  void handle(const httplib::Request& req, httplib::Response& res) {
    const int now = ++in_flight_;
    int peak = peak_.load();
    while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
    }
    ScriptedReply reply;
    const nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(RecordedRequest{req.get_header_value("Authorization"),
                                          req.get_header_value("X-Test-Header"), body});
      reply = pick(body);
    }
    if (reply.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(reply.delay_ms));
    respond(reply, body, res);
    --in_flight_;
  }

  void handle_embeddings(const httplib::Request& req, httplib::Response& res) {
    const nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
    std::optional<ScriptedReply> fault;
    int dims = 0;
    bool reverse = false;
    {
      std::lock_guard lock(mutex_);
      embedding_requests_.push_back(RecordedRequest{req.get_header_value("Authorization"),
                                                    req.get_header_value("X-Test-Header"), body});
      if (!embedding_faults_.empty()) {
        fault = embedding_faults_.front();
        embedding_faults_.erase(embedding_faults_.begin());
      }
      dims = embedding_dims_;
      reverse = reverse_embeddings_;
    }
    if (fault) {
      if (fault->delay_ms > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(fault->delay_ms));
      respond(*fault, body, res);
      return;
    }
    if (!body.is_object() || !body.contains("input") || !body["input"].is_array()) {
      respond(ScriptedReply::error(400, "'input' must be an array of strings"), body, res);
      return;
    }
    if (body.contains("dimensions")) dims = body["dimensions"].get<int>();
    nlohmann::json data = nlohmann::json::array();
    const auto& input = body["input"];
    for (std::size_t k = 0; k < input.size(); ++k) {
      const std::size_t i = reverse ? input.size() - 1 - k : k;
      data.push_back({{"object", "embedding"},
                      {"index", i},
                      {"embedding", embedding_of(input[i].get<std::string>(), dims)}});
    }
    const nlohmann::json answer{{"object", "list"},
                                {"data", data},
                                {"model", body.value("model", "")},
                                {"usage", {{"prompt_tokens", 10}, {"total_tokens", 10}}}};
    res.set_content(answer.dump(), "application/json");
  }

  ScriptedReply pick(const nlohmann::json& body) {
    std::string prompt;
    if (body.is_object() && body.contains("messages") && body["messages"].is_array() &&
        !body["messages"].empty()) {
      prompt = body["messages"][0].value("content", "");
    }
    for (Rule& rule : rules_) {
      if (prompt.find(rule.contains) == std::string::npos || rule.replies.empty()) continue;
      ++rule.hits;
      const std::size_t index = std::min(rule.next, rule.replies.size() - 1);
      if (rule.next < rule.replies.size()) ++rule.next;
      return rule.replies[index];
    }
    return ScriptedReply::error(404, "no rule for this prompt");
  }

  static void respond(const ScriptedReply& reply, const nlohmann::json& request,
                      httplib::Response& res) {
    res.status = reply.status;
    for (const auto& [name, value] : reply.headers) res.set_header(name, value);
    if (!reply.raw_body.empty()) {
      res.set_content(reply.raw_body, "application/json");
      return;
    }
    if (reply.status != 200) {
      const nlohmann::json error{
          {"error", {{"message", reply.error_message}, {"type", "test_error"}}}};
      res.set_content(error.dump(), "application/json");
      return;
    }
    const nlohmann::json answer{
        {"id", "chatcmpl-test"},
        {"object", "chat.completion"},
        {"model", request.is_object() ? request.value("model", "") : ""},
        {"choices",
         nlohmann::json::array({{{"index", 0},
                                 {"message", {{"role", "assistant"}, {"content", reply.content}}},
                                 {"finish_reason", reply.finish_reason}}})},
        {"usage",
         {{"prompt_tokens", reply.prompt_tokens},
          {"completion_tokens", reply.completion_tokens},
          {"total_tokens", reply.prompt_tokens + reply.completion_tokens}}}};
    res.set_content(answer.dump(), "application/json");
  }

  LoopbackHttpServer server_{32};
  mutable std::mutex mutex_;
  std::vector<Rule> rules_;
  std::vector<RecordedRequest> requests_;
  std::vector<RecordedRequest> embedding_requests_;
  std::vector<ScriptedReply> embedding_faults_;
  int embedding_dims_ = 8;
  bool reverse_embeddings_ = false;
  std::atomic<int> in_flight_{0};
  std::atomic<int> peak_{0};
};

}  // namespace docprof::test_support
