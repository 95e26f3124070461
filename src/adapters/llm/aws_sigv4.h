// AWS Signature Version 4 for requests to AWS services (Bedrock Runtime, DynamoDB, …), written
// here because Debian ships no AWS SDK for C++ and libcurl 7.88's CURLOPT_AWS_SIGV4 canonicalises
// Bedrock paths containing ':' wrongly (see ../shared/dependencies.md).
//
// sign_sigv4 builds, exactly as AWS does for non-S3 services:
//   * the canonical request: method, the path with every segment URI-encoded again (a path sent as
//     /model/a-v1%3A0/converse canonicalises to /model/a-v1%253A0/converse; a raw ':' becomes %3A),
//     the query sorted by encoded name then value, the headers lower-cased, trimmed (inner runs of
//     spaces folded) and sorted, the signed header list and the hex SHA-256 of the payload;
//   * the string to sign (AWS4-HMAC-SHA256, time, scope, hash of the canonical request);
//   * the Authorization header, and the headers to add to the request (host, x-amz-date,
//     x-amz-security-token when a session token is given).
// HMAC-SHA256 uses OpenSSL 3 EVP_MAC, SHA-256 uses EVP_Digest. Headers passed in are signed as
// given (the caller decides which ones go on the wire); host and x-amz-date (and the token) are
// added unless present. An "authorization" header passed in is signed like any other header.
//
// Thread safety: pure functions (OpenSSL 3 EVP objects are created per call).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace docprof::adapters::llm {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::optional<std::string> session_token;
};

struct SigV4Request {
  std::string method;  // "POST"
  std::string host;    // "bedrock-runtime.us-east-1.amazonaws.com" (with :port if not default)
  std::string path;    // as sent on the wire, possibly percent-encoded already; empty means "/"
  std::string query;   // as sent on the wire, without '?'; may be empty
  std::vector<std::pair<std::string, std::string>> headers;  // name, value: as sent
  std::string payload;
  std::string region;   // "us-east-1"
  std::string service;  // "bedrock", "dynamodb"
};

struct SigV4Result {
  std::string amz_date;           // 20261128T120000Z
  std::string canonical_request;  // exactly what was hashed
  std::string string_to_sign;
  std::string signature;       // hex
  std::string authorization;   // the Authorization header's value
  std::string payload_sha256;  // hex
  // Headers the caller must add to the request for it to match the signature (x-amz-date, and
  // x-amz-security-token with a session token); host is left to the HTTP client.
  std::vector<std::pair<std::string, std::string>> headers_to_add;
};

// The signing time as "YYYYMMDDTHHMMSSZ" (UTC).
std::string sigv4_amz_date(std::chrono::system_clock::time_point when);

// Sign at `amz_date` ("YYYYMMDDTHHMMSSZ").
SigV4Result sign_sigv4(const SigV4Request& request, const AwsCredentials& credentials,
                       const std::string& amz_date);

// Building blocks, exposed for tests.
std::string hmac_sha256(const std::string& key, const std::string& data);  // raw 32 bytes
// RFC 3986 encoding as AWS wants it: unreserved characters kept, everything else %XX (upper hex).
std::string aws_uri_encode(const std::string& text, bool keep_slash);
std::string canonical_uri(const std::string& wire_path);
std::string canonical_query(const std::string& wire_query);

}  // namespace docprof::adapters::llm
