// BedrockTestServer: a real AWS Bedrock Runtime look-alike on loopback (cpp-httplib) for the
// bedrock provider's tests. It speaks
//   POST /model/{modelId}/converse  (Converse: messages[0].content[0].text in, output.message
//                                    .content[0].text, stopReason and usage out), and
//   POST /model/{modelId}/invoke    (Titan text embeddings v1 and v2: {"inputText", "dimensions",
//                                    "normalize"} in, {"embedding", "inputTextTokenCount"} out);
// and, like AWS, checks every request's SigV4 Authorization header before anything else: it
// recomputes the signature from the request as received (raw path, the headers named in
// SignedHeaders, the body, the credential scope) with the secret it was given, and answers 403
// (UnrecognizedClientException for an unknown key or a wrong session token,
// InvalidSignatureException for a signature that does not match) otherwise.
//
// Converse answers come from scripted rules: the first rule whose `contains` text occurs in the
// prompt answers, handing out its replies in order and repeating the last one; a prompt no rule
// matches gets 400 ValidationException. A reply is an answer (text, stopReason, usage) or a fault
// (any status with an AWS error type in the x-amzn-ErrorType header or "__type" in the body, and a
// message), optionally delayed. A model id marked with exhaust_daily_quota() answers every call
// with 429 ThrottlingException "Too many tokens per day, please wait before trying again."
// Titan answers are the hashing embedder's vector of the text at the requested size (scaled by 3
// for v1, whose vectors are not normalised), so that search over them is meaningful; faults queued
// with fail_next_invokes() are answered first.
//
// Thread safety: handlers run on the server's pool (16 threads); rules, faults and the request log
// are guarded by one mutex. Configure before sending requests, or between requests.
#pragma once

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "loopback_http_server.h"
#include "adapters/embed/hashing_embedder.h"
#include "adapters/llm/aws_sigv4.h"

namespace docprof::test_support {

struct BedrockReply {
  int status = 200;
  std::string text;
  std::string stop_reason = "end_turn";
  std::int64_t input_tokens = 1000;
  std::int64_t output_tokens = 100;
  std::string error_type;     // non-200: "ThrottlingException", "ValidationException", …
  std::string error_message;  // non-200: sent as {"message": …}
  bool type_in_body = false;  // the error type as "__type" in the body instead of the header
  std::string raw_body;       // sent verbatim instead of JSON when not empty
  int delay_ms = 0;

  static BedrockReply answer(std::string text, std::string stop_reason = "end_turn") {
    BedrockReply r;
    r.text = std::move(text);
    r.stop_reason = std::move(stop_reason);
    return r;
  }
  static BedrockReply error(int status, std::string type, std::string message) {
    BedrockReply r;
    r.status = status;
    r.error_type = std::move(type);
    r.error_message = std::move(message);
    return r;
  }
  static BedrockReply throttled() {
    return error(429, "ThrottlingException", "Too many requests, please wait before trying again.");
  }
  static BedrockReply unavailable() {
    return error(503, "ServiceUnavailableException", "Bedrock is unable to process your request.");
  }
  static BedrockReply daily_quota() {
    return error(429, "ThrottlingException",
                 "Too many tokens per day, please wait before trying again.");
  }
  static BedrockReply validation(std::string message) {
    return error(400, "ValidationException", std::move(message));
  }
};

struct BedrockRecordedRequest {
  std::string action;    // "converse" | "invoke"
  std::string model_id;  // decoded from the path
  std::string target;    // the request target as received (still percent-encoded)
  std::string security_token;
  nlohmann::json body;
};

class BedrockTestServer {
 public:
  BedrockTestServer(std::string access_key, std::string secret_key, std::string region,
                    std::optional<std::string> session_token = std::nullopt)
      : access_key_(std::move(access_key)),
        secret_key_(std::move(secret_key)),
        region_(std::move(region)),
        session_token_(std::move(session_token)) {
    // (.+): cpp-httplib matches the decoded path, where an ARN's %2F is a '/' again.
    server_.http().Post(R"(/model/(.+)/(converse|invoke))",
                        [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    server_.start();
  }
  ~BedrockTestServer() { server_.stop(); }
  BedrockTestServer(const BedrockTestServer&) = delete;
  BedrockTestServer& operator=(const BedrockTestServer&) = delete;

  std::string endpoint() const { return server_.origin(); }
  int port() const { return server_.port(); }

  // Converse rules, tried in the order added.
  void on(std::string contains, std::vector<BedrockReply> replies) {
    std::lock_guard lock(mutex_);
    rules_.push_back(Rule{std::move(contains), std::move(replies), 0, 0});
  }
  void exhaust_daily_quota(const std::string& model_id) {
    std::lock_guard lock(mutex_);
    exhausted_.insert(model_id);
  }
  void fail_next_invokes(const std::vector<BedrockReply>& replies) {
    std::lock_guard lock(mutex_);
    invoke_faults_.insert(invoke_faults_.end(), replies.begin(), replies.end());
  }

  std::vector<BedrockRecordedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  int hits(const std::string& contains) const {
    std::lock_guard lock(mutex_);
    for (const Rule& rule : rules_) {
      if (rule.contains == contains) return rule.hits;
    }
    return 0;
  }
  int calls_to(const std::string& model_id) const {
    std::lock_guard lock(mutex_);
    return static_cast<int>(std::count_if(requests_.begin(), requests_.end(),
                                          [&](const auto& r) { return r.model_id == model_id; }));
  }
  int rejected_signatures() const {
    std::lock_guard lock(mutex_);
    return rejected_;
  }

 private:
  struct Rule {
    std::string contains;
    std::vector<BedrockReply> replies;
    std::size_t next;
    int hits;
  };

  void handle(const httplib::Request& req, httplib::Response& res) {
    if (auto refusal = check_signature(req)) {
      std::lock_guard lock(mutex_);
      ++rejected_;
      respond_error(*refusal, res);
      return;
    }
    const std::string model_id = req.matches[1];
    const std::string action = req.matches[2];
    const nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
    BedrockReply reply;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(BedrockRecordedRequest{
          action, model_id, req.target, req.get_header_value("X-Amz-Security-Token"), body});
      if (exhausted_.contains(model_id)) {
        reply = BedrockReply::daily_quota();
      } else if (action == "invoke" && !invoke_faults_.empty()) {
        reply = invoke_faults_.front();
        invoke_faults_.pop_front();
      } else if (action == "converse") {
        reply = pick(body);
      }
    }
    if (reply.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(reply.delay_ms));
    if (!reply.raw_body.empty()) {
      res.status = reply.status;
      res.set_content(reply.raw_body, "application/json");
    } else if (reply.status != 200) {
      respond_error(reply, res);
    } else if (action == "converse") {
      respond_converse(reply, res);
    } else {
      respond_titan(model_id, body, res);
    }
  }

  // The refusal AWS would send, or nullopt when the signature checks out.
  std::optional<BedrockReply> check_signature(const httplib::Request& req) const {
    const std::string auth = req.get_header_value("Authorization");
    const std::string amz_date = req.get_header_value("X-Amz-Date");
    const std::string prefix = "AWS4-HMAC-SHA256 Credential=";
    const auto field = [&](const std::string& name) {
      const std::size_t at = auth.find(name + "=");
      if (at == std::string::npos) return std::string();
      const std::size_t start = at + name.size() + 1;
      return auth.substr(start, auth.find(',', start) - start);
    };
    if (auth.rfind(prefix, 0) != 0 || amz_date.size() != 16) {
      return BedrockReply::error(403, "MissingAuthenticationTokenException",
                                 "Missing Authentication Token");
    }
    const std::string credential = field("Credential");
    const std::string scope = amz_date.substr(0, 8) + "/" + region_ + "/bedrock/aws4_request";
    if (credential != access_key_ + "/" + scope) {
      return BedrockReply::error(403, "UnrecognizedClientException",
                                 "The security token included in the request is invalid.");
    }
    if (session_token_ && req.get_header_value("X-Amz-Security-Token") != *session_token_) {
      return BedrockReply::error(403, "UnrecognizedClientException",
                                 "The security token included in the request is invalid.");
    }
    std::vector<std::string> signed_names;
    const std::string list = field("SignedHeaders");
    for (std::size_t start = 0; start <= list.size();) {
      std::size_t end = std::min(list.find(';', start), list.size());
      signed_names.push_back(list.substr(start, end - start));
      start = end + 1;
    }
    const bool has_required =
        std::count(signed_names.begin(), signed_names.end(), "host") == 1 &&
        std::count(signed_names.begin(), signed_names.end(), "x-amz-date") == 1 &&
        (!session_token_ ||
         std::count(signed_names.begin(), signed_names.end(), "x-amz-security-token") == 1);
    adapters::llm::SigV4Request request;
    request.method = req.method;
    request.host = req.get_header_value("Host");
    const std::size_t q = req.target.find('?');
    request.path = req.target.substr(0, q);
    request.query = q == std::string::npos ? "" : req.target.substr(q + 1);
    for (const std::string& name : signed_names) {
      request.headers.emplace_back(name, req.get_header_value(name.c_str()));
    }
    request.payload = req.body;
    request.region = region_;
    request.service = "bedrock";
    const auto expected = adapters::llm::sign_sigv4(
        request, adapters::llm::AwsCredentials{access_key_, secret_key_, std::nullopt}, amz_date);
    if (!has_required || expected.authorization != auth) {
      return BedrockReply::error(
          403, "InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided. Check "
          "your AWS Secret Access Key and signing method.");
    }
    return std::nullopt;
  }

  BedrockReply pick(const nlohmann::json& body) {
    std::string prompt;
    try {
      prompt = body.at("messages").at(0).at("content").at(0).at("text").get<std::string>();
      (void)body.at("inferenceConfig").at("maxTokens").get<int>();
    } catch (const std::exception&) {
      return BedrockReply::validation("Malformed input request, please reformat your input.");
    }
    for (Rule& rule : rules_) {
      if (prompt.find(rule.contains) == std::string::npos || rule.replies.empty()) continue;
      ++rule.hits;
      const std::size_t index = std::min(rule.next, rule.replies.size() - 1);
      if (rule.next < rule.replies.size()) ++rule.next;
      return rule.replies[index];
    }
    return BedrockReply::validation("no rule for this prompt");
  }

  static void respond_error(const BedrockReply& reply, httplib::Response& res) {
    res.status = reply.status;
    nlohmann::json body{{"message", reply.error_message}};
    if (reply.type_in_body) {
      body["__type"] = "com.amazon.bedrock#" + reply.error_type;
    } else {
      res.set_header("x-amzn-ErrorType", reply.error_type + ":http://internal.amazon.com/coral/");
    }
    res.set_content(body.dump(), "application/json");
  }

  static void respond_converse(const BedrockReply& reply, httplib::Response& res) {
    const nlohmann::json answer{
        {"output",
         {{"message",
           {{"role", "assistant"}, {"content", nlohmann::json::array({{{"text", reply.text}}})}}}}},
        {"stopReason", reply.stop_reason},
        {"usage",
         {{"inputTokens", reply.input_tokens},
          {"outputTokens", reply.output_tokens},
          {"totalTokens", reply.input_tokens + reply.output_tokens}}},
        {"metrics", {{"latencyMs", 42}}}};
    res.set_content(answer.dump(), "application/json");
  }

  static void respond_titan(const std::string& model_id, const nlohmann::json& body,
                            httplib::Response& res) {
    const bool v2 = model_id.rfind("amazon.titan-embed-text-v2", 0) == 0;
    std::string text;
    int dims = v2 ? 1024 : 1536;
    bool normalize = !v2;
    try {
      text = body.at("inputText").get<std::string>();
      if (v2) {
        dims = body.value("dimensions", 1024);
        normalize = body.value("normalize", true);
      } else if (body.contains("dimensions")) {
        throw std::runtime_error("v1 takes no dimensions");
      }
      if (text.empty() || (dims != 256 && dims != 512 && dims != 1024 && dims != 1536))
        throw std::runtime_error("bad input");
    } catch (const std::exception&) {
      respond_error(
          BedrockReply::validation("Malformed input request, please reformat your input."), res);
      return;
    }
    std::vector<float> vector = adapters::embed::HashingEmbedder(dims).embed_text(text);
    if (!v2 || !normalize) {
      for (float& x : vector) x *= 3.0f;  // Titan v1's vectors are not unit length
    }
    const nlohmann::json answer{{"embedding", vector},
                                {"inputTextTokenCount", static_cast<int>(text.size() / 4 + 1)}};
    res.set_content(answer.dump(), "application/json");
  }

  const std::string access_key_;
  const std::string secret_key_;
  const std::string region_;
  const std::optional<std::string> session_token_;
  LoopbackHttpServer server_{16};
  mutable std::mutex mutex_;
  std::vector<Rule> rules_;
  std::set<std::string> exhausted_;
  std::deque<BedrockReply> invoke_faults_;
  std::vector<BedrockRecordedRequest> requests_;
  int rejected_ = 0;
};

}  // namespace docprof::test_support
