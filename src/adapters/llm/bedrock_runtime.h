// BedrockRuntime: the signed HTTP calls to AWS Bedrock Runtime shared by BedrockModel (Converse)
// and BedrockEmbedder (InvokeModel), and how Bedrock's errors are classified.
//
// invoke(model_id, action, body) POSTs {endpoint}/model/{model id}/{action} with a JSON body,
// signed with our SigV4 signer (service "bedrock", the connection's region, a session token when
// one is set). The model id is URI-encoded as one path segment on the wire ("…-v1:0" is sent as
// "…-v1%3A0", an ARN's '/' as %2F), and the signer canonicalises that wire path as AWS does
// (encoding it once more: "%253A"); the Host header is sent explicitly so that what is signed is
// exactly what is sent. The endpoint defaults to https://bedrock-runtime.{region}.amazonaws.com
// and may be any http(s) URL (tests on loopback, VPC endpoints), with or without a path prefix.
//
// bedrock_error classifies a non-2xx answer by AWS's error type (the x-amzn-ErrorType header, or
// "__type" in the body) and HTTP status, with AWS's own message ("<Type>: <message>"):
//   ThrottlingException, ServiceQuotaExceededException          -> rate_limited   (transient)
//     ... whose message says the daily token quota is spent (/tokens per day|daily/i)
//                                                               -> quota_exhausted (permanent)
//   ServiceUnavailableException, InternalServerException, ModelNotReadyException
//                                                               -> server_error   (transient)
//   ModelTimeoutException                                       -> timeout        (transient)
//   anything else by status (classify_http_status): 429/408/409/5xx transient; 400 (e.g.
//   ValidationException), 403 (AccessDenied, UnrecognizedClient, InvalidSignature), 404
//   (ResourceNotFound) and other 4xx permanent.
//
// Thread safety: a BedrockRuntime is immutable after construction; invoke() may be called
// concurrently from many threads (each call signs and sends on its own libcurl handle).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "adapters/llm/aws_sigv4.h"
#include "adapters/llm/http_transport.h"
#include "domain/result.h"
#include "ports/provider_error.h"

namespace docprof::adapters::llm {

struct BedrockConnection {
  std::string region;    // "us-east-1"; required
  std::string endpoint;  // "" = https://bedrock-runtime.{region}.amazonaws.com
  AwsCredentials credentials;
  std::int64_t timeout_ms = 120000;  // whole request
  std::int64_t connect_timeout_ms = 10000;
};

// Credentials and region as the AWS tools read them from the environment.
struct AwsEnvironment {
  AwsCredentials credentials;
  std::string region;
};

// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (optional) and AWS_REGION (or
// AWS_DEFAULT_REGION) read through `lookup` (empty values count as unset). Error
// "missing_aws_credentials" naming every missing variable.
domain::Result<AwsEnvironment> aws_environment(
    const std::function<std::optional<std::string>(const std::string&)>& lookup);
// The same from the process environment (getenv).
domain::Result<AwsEnvironment> aws_credentials_from_environment();

std::string bedrock_default_endpoint(const std::string& region);

class BedrockRuntime {
 public:
  // Throws std::invalid_argument for a missing region or credentials or an endpoint that is not
  // an http(s) URL.
  explicit BedrockRuntime(BedrockConnection connection);

  // The answer whatever its status, or a transport error (timeout, connection_error). `purpose`
  // words transport errors ("model call", "embedding call").
  HttpResult invoke(const std::string& model_id, const std::string& action,
                    const std::string& json_body, const std::string& purpose) const;

  // The wire path of a model action: <prefix>/model/<encoded id>/<action>.
  std::string path_for(const std::string& model_id, const std::string& action) const;
  const std::string& endpoint() const { return endpoint_; }

 private:
  BedrockConnection connection_;
  std::string endpoint_;     // scheme://host[:port][/prefix], no trailing '/'
  std::string origin_;       // scheme://host[:port]
  std::string host_;         // host[:port], as sent in the Host header and signed
  std::string path_prefix_;  // "" or "/prefix"
};

// AWS's error type ("ThrottlingException") and message of a failed answer.
struct BedrockErrorInfo {
  std::string type;
  std::string message;
};
BedrockErrorInfo bedrock_error_info(const HttpAnswer& answer);

// The ProviderError for a non-2xx answer (see the table above).
ports::ProviderError bedrock_error(const HttpAnswer& answer);

}  // namespace docprof::adapters::llm
