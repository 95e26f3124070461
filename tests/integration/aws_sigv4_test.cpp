// The SigV4 signer against reference values from AWS's reference signer (botocore), copied from
// ../shared/testdata/sigv4-cases.json into tests/fixtures/sigv4-cases.json (unchanged), plus
// AWS's own published "get-vanilla" example and the path-encoding rules Bedrock depends on.
//
// Two quirks of how the reference file was generated, verified by hand and asserted below:
//  * the request was signed at the generator's wall-clock time (the x-amz-date in its
//    canonical_request, 20261128T144649Z), not at the file's "amz_date" field (…T120000Z);
//  * canonical_request and string_to_sign were recomputed from the request *after* signing, so
//    they include the Authorization header botocore had added. (The Authorization header itself
//    was computed over the request without it, as SigV4 requires.)
// So each case is reproduced twice: the Authorization header from the inputs alone, and the
// file's canonical request / string to sign by canonicalising the signed request.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "adapters/llm/aws_sigv4.h"

namespace {

using docprof::adapters::llm::AwsCredentials;
using docprof::adapters::llm::sign_sigv4;
using docprof::adapters::llm::SigV4Request;
using nlohmann::json;

json load_cases() {
  std::ifstream in(std::string(DOCPROF_FIXTURES_DIR) + "/sigv4-cases.json");
  if (!in) throw std::runtime_error("tests/fixtures/sigv4-cases.json is missing");
  return json::parse(in).at("cases");
}

SigV4Request request_of(const json& c) {
  const std::string url = c.at("url").get<std::string>();
  const std::size_t host_start = url.find("://") + 3;
  const std::size_t path_start = url.find('/', host_start);
  SigV4Request r;
  r.method = c.at("method").get<std::string>();
  r.host = url.substr(host_start, path_start - host_start);
  std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (const std::size_t q = path.find('?'); q != std::string::npos) {
    r.query = path.substr(q + 1);
    path.resize(q);
  }
  r.path = path;
  for (const auto& [name, value] : c.at("headers").items()) {
    r.headers.emplace_back(name, value.get<std::string>());
  }
  r.payload = c.at("body").get<std::string>();
  r.region = c.at("region").get<std::string>();
  r.service = c.at("service").get<std::string>();
  return r;
}

AwsCredentials credentials_of(const json& c) {
  AwsCredentials creds{c.at("access_key").get<std::string>(), c.at("secret_key").get<std::string>(),
                       std::nullopt};
  if (!c.at("session_token").is_null())
    creds.session_token = c.at("session_token").get<std::string>();
  return creds;
}

// The time the reference signer really used: the x-amz-date line of its canonical request.
std::string signing_time_of(const json& c) {
  const std::string cr = c.at("canonical_request").get<std::string>();
  const std::size_t at = cr.find("\nx-amz-date:");
  return cr.substr(at + 12, 16);
}

TEST(AwsSigV4, FixtureHasFiveCases) {
  EXPECT_EQ(load_cases().size(), 5u);
}

TEST(AwsSigV4, AuthorizationHeaderMatchesReferenceByteForByte) {
  for (const json& c : load_cases()) {
    SCOPED_TRACE(c.at("url").get<std::string>());
    const auto result = sign_sigv4(request_of(c), credentials_of(c), signing_time_of(c));
    EXPECT_EQ(result.authorization, c.at("authorization").get<std::string>());
    EXPECT_EQ(result.payload_sha256, c.at("x_amz_content_sha256").get<std::string>());
  }
}

TEST(AwsSigV4, CanonicalRequestAndStringToSignMatchReferenceByteForByte) {
  for (const json& c : load_cases()) {
    SCOPED_TRACE(c.at("url").get<std::string>());
    // The reference recomputed these from the signed request: sign it as botocore left it.
    SigV4Request signed_request = request_of(c);
    signed_request.headers.emplace_back("Authorization", c.at("authorization").get<std::string>());
    const auto result = sign_sigv4(signed_request, credentials_of(c), signing_time_of(c));
    EXPECT_EQ(result.canonical_request, c.at("canonical_request").get<std::string>());
    EXPECT_EQ(result.string_to_sign, c.at("string_to_sign").get<std::string>());
  }
}

TEST(AwsSigV4, SessionTokenIsSignedAndReturnedAsHeaderToAdd) {
  for (const json& c : load_cases()) {
    const auto result = sign_sigv4(request_of(c), credentials_of(c), signing_time_of(c));
    const bool has_token = !c.at("session_token").is_null();
    EXPECT_EQ(result.canonical_request.find("x-amz-security-token:") != std::string::npos,
              has_token);
    EXPECT_EQ(result.headers_to_add.size(), has_token ? 2u : 1u);
    EXPECT_EQ(result.headers_to_add.front().first, "X-Amz-Date");
  }
}

TEST(AwsSigV4, BedrockPathSegmentsAreEncodedAgain) {
  using docprof::adapters::llm::canonical_uri;
  EXPECT_EQ(canonical_uri("/model/a-v1:0/converse"), "/model/a-v1%3A0/converse");
  EXPECT_EQ(canonical_uri("/model/a-v1%3A0/converse"), "/model/a-v1%253A0/converse");
  EXPECT_EQ(canonical_uri(""), "/");
  EXPECT_EQ(canonical_uri("/"), "/");
}

TEST(AwsSigV4, QueryIsSortedAndEncoded) {
  using docprof::adapters::llm::canonical_query;
  EXPECT_EQ(canonical_query("b=2&a=1&a=0"), "a=0&a=1&b=2");
  EXPECT_EQ(canonical_query("x=a%20b&y"), "x=a%20b&y=");
  EXPECT_EQ(canonical_query(""), "");
}

// AWS's published SigV4 test suite, "get-vanilla".
TEST(AwsSigV4, AwsGetVanillaExample) {
  SigV4Request r;
  r.method = "GET";
  r.host = "example.amazonaws.com";
  r.path = "/";
  r.region = "us-east-1";
  r.service = "service";
  const auto result = sign_sigv4(
      r, AwsCredentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", std::nullopt},
      "20150830T123600Z");
  EXPECT_EQ(result.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

}  // namespace
