// JWT sign-in (auth.mode = "jwt"): keys generated here by OpenSSL, a key set in a file or served
// over loopback HTTP, and the verifier's every refusal — expired, not yet valid, wrong issuer or
// audience, wrong signature, unknown kid, alg none, HS256 signed with the public key — plus the
// key cache's refresh limit and a whole request through the API server.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "api/jwks.h"
#include "api/jwks_cache.h"
#include "api/jwks_source.h"
#include "api/jwt_verifier.h"
#include "integration/api_harness.h"
#include "integration/jwt_test_keys.h"
#include "integration/loopback_http_server.h"
#include "integration/temp_dir.h"
#include "util/base64url.h"

namespace docprof::test_support {
namespace {

using nlohmann::json;
using Kind = TestSigningKey::Kind;

constexpr std::int64_t kNow = 1'800'000'000;
const std::string kIssuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Test";
const std::string kAudience = "web-client-id";

// One RSA and one EC key for all the tests of this file (RSA generation takes a while).
const TestSigningKey& rsa_key() {
  static const TestSigningKey key(Kind::rs256, "rsa-1");
  return key;
}
const TestSigningKey& ec_key() {
  static const TestSigningKey key(Kind::es256, "ec-1");
  return key;
}

json claims(std::int64_t now = kNow) {
  return {{"sub", "user-1234"},    {"iss", kIssuer},        {"aud", kAudience},
          {"exp", now + 3600},     {"iat", now},            {"token_use", "id"},
          {"cognito:groups", json::array({"learners"})}};
}

void write_file(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

api::JwtSettings settings() {
  api::JwtSettings s;
  s.issuer = kIssuer;
  s.audience = kAudience;
  s.admin_group = "admins";
  return s;
}

std::shared_ptr<api::JwtVerifier> verifier_for(const std::string& jwks_path) {
  auto source = api::JwksSource::from_setting(jwks_path);
  if (!source) throw std::runtime_error(source.error().message);
  auto cache = api::JwksCache::open(std::move(source).value());
  if (!cache) throw std::runtime_error(cache.error().message);
  auto verifier = api::JwtVerifier::create(settings(), std::move(cache).value());
  if (!verifier) throw std::runtime_error(verifier.error().message);
  return std::move(verifier).value();
}

class JwtVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir_.file("jwks.json"), jwks_document({&rsa_key(), &ec_key()}));
    verifier_ = verifier_for(dir_.file("jwks.json"));
  }
  bool accepted(const std::string& token) const { return verifier_->verify(token, kNow).ok(); }
  std::string refusal(const std::string& token) const {
    const auto result = verifier_->verify(token, kNow);
    return result ? "accepted" : result.error().message;
  }

  TempDir dir_{"api-jwt"};
  std::shared_ptr<api::JwtVerifier> verifier_;
};

TEST(Base64Url, RoundTripsAndAcceptsOnlyTheCanonicalUnpaddedSpelling) {
  for (const std::string& bytes :
       std::vector<std::string>{"", "f", "fo", "foo", "foob", std::string("\xff\xfe\x00\x01", 4)}) {
    EXPECT_EQ(util::decode_base64url(util::encode_base64url(bytes)), bytes);
  }
  EXPECT_EQ(util::encode_base64url("\xfb\xff"), "-_8");
  EXPECT_FALSE(util::decode_base64url("Zm9v="));  // padding
  EXPECT_FALSE(util::decode_base64url("Zm+v"));   // the other alphabet
  EXPECT_FALSE(util::decode_base64url("Zm9vY"));  // a length no encoding has
  EXPECT_FALSE(util::decode_base64url("Zh"));     // stray bits: "Zg" is the spelling of "f"
}

TEST_F(JwtVerifierTest, ValidRs256AndEs256TokensSignInTheUserOfTheSubClaim) {
  for (const TestSigningKey* key : {&rsa_key(), &ec_key()}) {
    const auto principal = verifier_->verify(key->sign(claims()), kNow);
    ASSERT_TRUE(principal.ok()) << key->alg() << ": " << principal.error().message;
    EXPECT_EQ(principal->user_id, "user-1234");
    EXPECT_FALSE(principal->admin);
  }
}

TEST_F(JwtVerifierTest, AdminsAreTheMembersOfTheAdminGroupAndClientIdStandsForAud) {
  auto c = claims();
  c["cognito:groups"] = json::array({"learners", "admins"});
  const auto admin = verifier_->verify(rsa_key().sign(c), kNow);
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  EXPECT_TRUE(admin->admin);
  // A Cognito access token: no aud, the app client in client_id.
  auto access = claims();
  access.erase("aud");
  access["client_id"] = kAudience;
  EXPECT_TRUE(accepted(ec_key().sign(access))) << refusal(ec_key().sign(access));
  auto listed = claims();
  listed["aud"] = json::array({"other-app", kAudience});
  EXPECT_TRUE(accepted(rsa_key().sign(listed)));
}

TEST_F(JwtVerifierTest, TimeIsCheckedWithTheClockSkew) {
  EXPECT_EQ(refusal(rsa_key().sign(claims(kNow - 3600 - 61))), "expired");
  EXPECT_TRUE(accepted(rsa_key().sign(claims(kNow - 3600 - 30)))) << "within the 60 s skew";
  auto early = claims();
  early["nbf"] = kNow + 120;
  EXPECT_EQ(refusal(ec_key().sign(early)), "not valid yet (nbf)");
  early["nbf"] = kNow + 30;
  EXPECT_TRUE(accepted(ec_key().sign(early))) << "within the 60 s skew";
  auto no_exp = claims();
  no_exp.erase("exp");
  EXPECT_EQ(refusal(rsa_key().sign(no_exp)), "no exp");
}

TEST_F(JwtVerifierTest, WrongIssuerAudienceOrUserClaimIsRefused) {
  auto c = claims();
  c["iss"] = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other";
  EXPECT_EQ(refusal(rsa_key().sign(c)), "wrong issuer");
  c = claims();
  c["aud"] = "another-app";
  EXPECT_EQ(refusal(rsa_key().sign(c)), "wrong audience");
  c = claims();
  c.erase("sub");
  EXPECT_EQ(refusal(ec_key().sign(c)), "no 'sub' claim");
}

TEST_F(JwtVerifierTest, WrongSignatureUnknownKidAndForgedAlgorithmsAreRefused) {
  // Signed by another key under a known kid.
  const TestSigningKey impostor(Kind::es256, ec_key().kid());
  EXPECT_EQ(refusal(impostor.sign(claims())), "bad signature");
  // A changed payload under the original signature.
  std::string token = rsa_key().sign(claims());
  const auto dot1 = token.find('.');
  const auto dot2 = token.find('.', dot1 + 1);
  auto elevated = claims();
  elevated["cognito:groups"] = json::array({"admins"});
  token.replace(dot1 + 1, dot2 - dot1 - 1, util::encode_base64url(elevated.dump()));
  EXPECT_EQ(refusal(token), "bad signature");
  // Unknown kid.
  const TestSigningKey stranger(Kind::es256, "unknown-kid");
  EXPECT_EQ(refusal(stranger.sign(claims())), "no key with kid 'unknown-kid'");
  // alg none, with and without a signature part.
  const std::string unsigned_part = util::encode_base64url(json{{"alg", "none"}, {"kid", "rsa-1"}}.dump()) + "." +
                                    util::encode_base64url(claims().dump());
  EXPECT_FALSE(accepted(unsigned_part + "."));
  EXPECT_FALSE(accepted(unsigned_part));
  EXPECT_EQ(refusal(unsigned_part + "."), "algorithm 'none' is not accepted (RS256, ES256)");
  // HS256 keyed with the RSA public key (algorithm confusion).
  EXPECT_EQ(refusal(hs256_token(claims(), rsa_key().kid(), rsa_key().public_pem())),
            "algorithm 'HS256' is not accepted (RS256, ES256)");
  // RS256 named in the header of an EC key's kid.
  EXPECT_EQ(refusal(ec_key().sign(claims(), {{"alg", "RS256"}, {"kid", ec_key().kid()}})),
            "key 'ec-1' is not a key for RS256");
  EXPECT_EQ(refusal(rsa_key().sign(claims(), {{"alg", "RS256"}, {"kid", "rsa-1"}, {"crit", {"exp"}}})),
            "the header names critical extensions (crit)");
  for (const std::string garbage : {"", "abc", "a.b", "a.b.c.d", "!!.??.**"}) {
    EXPECT_FALSE(accepted(garbage)) << garbage;
  }
}

TEST(JwtConfiguration, BadSettingsAreClearErrors) {
  TempDir dir("api-jwt");
  EXPECT_FALSE(api::JwksSource::from_setting("").ok());
  EXPECT_TRUE(api::JwksSource::from_setting("https://cognito-idp.example/.well-known/jwks.json").ok());
  EXPECT_TRUE(api::JwksSource::from_setting("http://127.0.0.1:9/jwks.json").ok());
  EXPECT_TRUE(api::JwksSource::from_setting("http://localhost:9/jwks.json").ok());
  const auto remote_http = api::JwksSource::from_setting("http://idp.example/jwks.json");
  ASSERT_FALSE(remote_http.ok());
  EXPECT_NE(remote_http.error().message.find("https"), std::string::npos) << remote_http.error().message;
  EXPECT_FALSE(api::JwksSource::from_setting("ftp://idp.example/jwks.json").ok());
  EXPECT_TRUE(api::JwksSource::from_setting("http://[::1]:9/jwks.json").ok());
  EXPECT_FALSE(api::JwksSource::from_setting("http://127.0.0.1.idp.example/jwks.json").ok())
      << "a name that starts like a loopback address is no loopback host";
  EXPECT_FALSE(api::JwksSource::from_setting("http://localhost.idp.example/jwks.json").ok());

  const auto missing = api::JwksCache::open(*api::JwksSource::from_setting(dir.file("missing.json")));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("missing.json"), std::string::npos) << missing.error().message;
  write_file(dir.file("bad.json"), "{\"keys\": 3}");
  EXPECT_FALSE(api::JwksCache::open(*api::JwksSource::from_setting(dir.file("bad.json"))).ok());
  write_file(dir.file("symmetric.json"), R"({"keys": [{"kty": "oct", "kid": "h", "k": "c2VjcmV0"}]})");
  EXPECT_FALSE(api::JwksCache::open(*api::JwksSource::from_setting(dir.file("symmetric.json"))).ok())
      << "no usable signing key";

  write_file(dir.file("jwks.json"), jwks_document({&ec_key()}));
  auto cache = api::JwksCache::open(*api::JwksSource::from_setting(dir.file("jwks.json")));
  ASSERT_TRUE(cache.ok());
  auto no_issuer = settings();
  no_issuer.issuer.clear();
  EXPECT_FALSE(api::JwtVerifier::create(no_issuer, *cache).ok());
  auto no_audience = settings();
  no_audience.audience.clear();
  EXPECT_FALSE(api::JwtVerifier::create(no_audience, *cache).ok());
}

TEST(JwksCache, AnUnknownKidRefreshesTheKeysAtMostOncePerMinute) {
  TempDir dir("api-jwt");
  const std::string path = dir.file("jwks.json");
  write_file(path, jwks_document({&rsa_key()}));
  auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  api::JwksCacheOptions options;
  options.now = [&now] { return now; };
  auto opened = api::JwksCache::open(*api::JwksSource::from_setting(path), options);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto cache = std::move(opened).value();
  EXPECT_EQ(cache->fetch_count(), 1u);

  write_file(path, jwks_document({&rsa_key(), &ec_key()}));  // the provider rotates in a key
  now += std::chrono::seconds(30);
  EXPECT_EQ(cache->find("ec-1"), nullptr) << "the start's load was 30 s ago: no refresh yet";
  EXPECT_EQ(cache->fetch_count(), 1u);
  now += std::chrono::seconds(31);
  ASSERT_NE(cache->find("ec-1"), nullptr);
  EXPECT_EQ(cache->fetch_count(), 2u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(cache->find("made-up-" + std::to_string(i)), nullptr);
  EXPECT_EQ(cache->fetch_count(), 2u) << "made-up kids do not make it fetch again within the minute";
  EXPECT_NE(cache->find("rsa-1"), nullptr);
  EXPECT_EQ(cache->fetch_count(), 2u) << "a known kid needs no fetch";
}

TEST(JwksCache, TheKeySetIsFetchedOverLoopbackHttp) {
  LoopbackHttpServer idp(2);
  std::atomic<int> requests{0};
  idp.http().Get("/.well-known/jwks.json", [&](const httplib::Request&, httplib::Response& res) {
    ++requests;
    res.set_content(jwks_document({&rsa_key(), &ec_key()}), "application/json");
  });
  idp.http().Get("/broken.json", [](const httplib::Request&, httplib::Response& res) {
    res.status = 500;
    res.set_content("oops", "text/plain");
  });
  idp.start();
  auto source = api::JwksSource::from_setting(idp.origin() + "/.well-known/jwks.json");
  ASSERT_TRUE(source.ok()) << source.error().message;
  EXPECT_TRUE(source->is_url());
  auto cache = api::JwksCache::open(std::move(source).value());
  ASSERT_TRUE(cache.ok()) << cache.error().message;
  auto verifier = api::JwtVerifier::create(settings(), std::move(cache).value());
  ASSERT_TRUE(verifier.ok());
  EXPECT_TRUE((*verifier)->verify(ec_key().sign(claims()), kNow).ok());
  EXPECT_TRUE((*verifier)->verify(rsa_key().sign(claims()), kNow).ok());
  EXPECT_EQ(requests.load(), 1);

  const auto broken = api::JwksCache::open(*api::JwksSource::from_setting(idp.origin() + "/broken.json"));
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find("500"), std::string::npos) << broken.error().message;
}

TEST(JwksCache, AnHttpsKeySetIsFetchedOnlyOverACertificateThatVerifies) {
  TempDir dir("api-jwt");
  write_self_signed_certificate(dir.file("cert.pem"), dir.file("key.pem"));
  httplib::SSLServer idp(dir.file("cert.pem").c_str(), dir.file("key.pem").c_str());
  ASSERT_TRUE(idp.is_valid());
  std::atomic<int> served{0};
  idp.Get("/jwks.json", [&](const httplib::Request&, httplib::Response& res) {
    ++served;
    res.set_content(jwks_document({&ec_key()}), "application/json");
  });
  const int port = idp.bind_to_any_port("127.0.0.1");
  std::thread listener([&] { idp.listen_after_bind(); });
  for (int i = 0; i < 500 && !idp.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const std::string url = "https://127.0.0.1:" + std::to_string(port) + "/jwks.json";
  const auto untrusted = api::JwksCache::open(*api::JwksSource::from_setting(url));
  EXPECT_EQ(served.load(), 0) << "the key set was handed over a connection that did not verify";
  // With the certificate as auth.jwks_ca_file, the same server is trusted.
  const auto trusted = api::JwksCache::open(*api::JwksSource::from_setting(url, dir.file("cert.pem")));
  idp.stop();
  listener.join();
  ASSERT_FALSE(untrusted.ok()) << "a self-signed certificate was trusted";
  EXPECT_EQ(untrusted.error().code, "jwks_unavailable");
  EXPECT_NE(untrusted.error().message.find("certificate"), std::string::npos) << untrusted.error().message;
  ASSERT_TRUE(trusted.ok()) << trusted.error().message;
  EXPECT_NE((*trusted)->find(ec_key().kid()), nullptr);
  EXPECT_EQ(served.load(), 1);
  EXPECT_FALSE(api::JwksSource::from_setting(url, dir.file("no-such-ca.pem")).ok());
  EXPECT_FALSE(api::JwksSource::from_setting(dir.file("jwks.json"), dir.file("cert.pem")).ok())
      << "a CA file for a key set file";
}

TEST(ApiJwt, TheServerSignsInJwtBearersAndRefusesOthersWith401) {
  TempDir dir("api-jwt");
  write_file(dir.file("jwks.json"), jwks_document({&rsa_key(), &ec_key()}));
  ApiHarnessOptions options{false, relaxed_api_options()};
  options.auth = api::Authenticator::jwt(verifier_for(dir.file("jwks.json")));
  ApiHarness h(options);
  const auto real_now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  const std::string token = ec_key().sign(claims(real_now));
  auto created = h.client().Post("/courses", ApiHarness::auth(token),
                                 json{{"query", kValuationQuery}, {"hours", 2}}.dump(), "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 202) << created->body;
  const std::string course_id = json::parse(created->body).at("course_id");
  EXPECT_EQ(h.engine.stores.runs.load(course_id)->user_id, "user-1234");
  auto listed = h.client().Get("/courses", ApiHarness::auth(rsa_key().sign(claims(real_now))));
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->status, 200);
  EXPECT_EQ(json::parse(listed->body).size(), 1u);

  for (const std::string& bad : {ec_key().sign(claims(real_now - 7200)), std::string("alice-token")}) {
    auto refused = h.client().Get("/courses", ApiHarness::auth(bad));
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401);
    EXPECT_EQ(json::parse(refused->body).at("error_code"), "unauthorized");
    EXPECT_FALSE(refused->get_header_value("WWW-Authenticate").empty());
  }
}

}  // namespace
}  // namespace docprof::test_support
