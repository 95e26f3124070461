#include "adapters/llm/bedrock_runtime.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>
#include <vector>

#include "adapters/llm/provider_errors.h"

namespace docprof::adapters::llm {
namespace {

using nlohmann::json;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool says_daily_quota(const std::string& message) {
  const std::string text = lower(message);
  return text.find("tokens per day") != std::string::npos ||
         text.find("daily") != std::string::npos;
}

ports::ProviderError provider_error(std::string code, std::string message, bool transient,
                                    int status) {
  return ports::ProviderError{std::move(code), std::move(message), transient, status, std::nullopt};
}

}  // namespace

domain::Result<AwsEnvironment> aws_environment(
    const std::function<std::optional<std::string>(const std::string&)>& lookup) {
  auto get = [&](const std::string& name) {
    std::optional<std::string> value = lookup(name);
    return value && !value->empty() ? value : std::nullopt;
  };
  AwsEnvironment env;
  std::vector<std::string> missing;
  if (auto v = get("AWS_ACCESS_KEY_ID"))
    env.credentials.access_key_id = *v;
  else
    missing.emplace_back("AWS_ACCESS_KEY_ID");
  if (auto v = get("AWS_SECRET_ACCESS_KEY"))
    env.credentials.secret_access_key = *v;
  else
    missing.emplace_back("AWS_SECRET_ACCESS_KEY");
  env.credentials.session_token = get("AWS_SESSION_TOKEN");
  if (auto v = get("AWS_REGION"))
    env.region = *v;
  else if (auto d = get("AWS_DEFAULT_REGION"))
    env.region = *d;
  else
    missing.emplace_back("AWS_REGION");
  if (missing.empty()) return env;
  std::string names;
  for (const std::string& name : missing) names += (names.empty() ? "" : ", ") + name;
  return domain::Error{"missing_aws_credentials",
                       "the bedrock provider needs AWS credentials and a region: set " + names};
}

domain::Result<AwsEnvironment> aws_credentials_from_environment() {
  return aws_environment([](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
  });
}

std::string bedrock_default_endpoint(const std::string& region) {
  return "https://bedrock-runtime." + region + ".amazonaws.com";
}

BedrockRuntime::BedrockRuntime(BedrockConnection connection) : connection_(std::move(connection)) {
  if (connection_.region.empty())
    throw std::invalid_argument("bedrock provider: no AWS region (set AWS_REGION)");
  if (connection_.credentials.access_key_id.empty() ||
      connection_.credentials.secret_access_key.empty()) {
    throw std::invalid_argument(
        "bedrock provider: no AWS credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
  }
  endpoint_ = connection_.endpoint.empty() ? bedrock_default_endpoint(connection_.region)
                                           : connection_.endpoint;
  while (!endpoint_.empty() && endpoint_.back() == '/') endpoint_.pop_back();
  const std::size_t scheme_end = endpoint_.find("://");
  const std::string scheme =
      scheme_end == std::string::npos ? "" : lower(endpoint_.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") {
    throw std::invalid_argument("bedrock provider: the endpoint must be an http(s) URL, got \"" +
                                endpoint_ + "\"");
  }
  const std::size_t host_start = scheme_end + 3;
  const std::size_t path_start = std::min(endpoint_.find('/', host_start), endpoint_.size());
  host_ = endpoint_.substr(host_start, path_start - host_start);
  if (host_.empty() || endpoint_.find_first_of("?#") != std::string::npos) {
    throw std::invalid_argument("bedrock provider: unusable endpoint \"" + endpoint_ + "\"");
  }
  origin_ = endpoint_.substr(0, path_start);
  path_prefix_ = endpoint_.substr(path_start);
}

std::string BedrockRuntime::path_for(const std::string& model_id, const std::string& action) const {
  return path_prefix_ + "/model/" + aws_uri_encode(model_id, false) + "/" + action;
}

HttpResult BedrockRuntime::invoke(const std::string& model_id, const std::string& action,
                                  const std::string& json_body, const std::string& purpose) const {
  SigV4Request to_sign;
  to_sign.method = "POST";
  to_sign.host = host_;
  to_sign.path = path_for(model_id, action);
  to_sign.headers = {
      {"Content-Type", "application/json"}, {"Accept", "application/json"}, {"Host", host_}};
  to_sign.payload = json_body;
  to_sign.region = connection_.region;
  to_sign.service = "bedrock";
  const SigV4Result signature = sign_sigv4(to_sign, connection_.credentials,
                                           sigv4_amz_date(std::chrono::system_clock::now()));
  HttpPost post;
  post.url = origin_ + to_sign.path;
  post.headers = to_sign.headers;
  for (const auto& header : signature.headers_to_add) post.headers.push_back(header);
  post.headers.emplace_back("Authorization", signature.authorization);
  post.body = json_body;
  post.timeout_ms = connection_.timeout_ms;
  post.connect_timeout_ms = connection_.connect_timeout_ms;
  post.purpose = purpose;
  post.endpoint_setting = "the bedrock endpoint";
  return http_post(post);
}

BedrockErrorInfo bedrock_error_info(const HttpAnswer& answer) {
  BedrockErrorInfo info;
  info.type = answer.header("x-amzn-errortype");
  const json body = json::parse(answer.body, nullptr, false);
  if (body.is_object()) {
    if (info.type.empty()) {
      for (const char* key : {"__type", "code"}) {
        if (const auto t = body.find(key); t != body.end() && t->is_string()) {
          info.type = t->get<std::string>();
          break;
        }
      }
    }
    for (const char* key : {"message", "Message"}) {
      if (const auto m = body.find(key); m != body.end() && m->is_string()) {
        info.message = m->get<std::string>();
        break;
      }
    }
  } else {
    info.message = trim_http(answer.body);
    if (info.message.size() > 300) info.message = info.message.substr(0, 300) + "…";
  }
  // "ThrottlingException:http://internal.amazon.com/…" and "com.amazon.coral#ThrottlingException".
  if (const std::size_t hash = info.type.rfind('#'); hash != std::string::npos)
    info.type = info.type.substr(hash + 1);
  if (const std::size_t colon = info.type.find(':'); colon != std::string::npos)
    info.type.resize(colon);
  return info;
}

ports::ProviderError bedrock_error(const HttpAnswer& answer) {
  const BedrockErrorInfo info = bedrock_error_info(answer);
  std::string message =
      info.message.empty() ? "HTTP " + std::to_string(answer.status) : info.message;
  if (!info.type.empty()) message = info.type + ": " + message;
  const std::string& type = info.type;
  ports::ProviderError e;
  if (type == "ThrottlingException" || type == "ServiceQuotaExceededException") {
    e = says_daily_quota(info.message)
            ? provider_error("quota_exhausted", message, false, answer.status)
            : provider_error("rate_limited", message, true, answer.status);
  } else if (type == "ServiceUnavailableException" || type == "InternalServerException" ||
             type == "ModelNotReadyException") {
    e = provider_error("server_error", message, true, answer.status);
  } else if (type == "ModelTimeoutException") {
    e = provider_error("timeout", message, true, answer.status);
  } else {
    e = classify_http_status(answer.status, message);
  }
  e.retry_after_ms = answer.retry_after_ms;
  return e;
}

}  // namespace docprof::adapters::llm
