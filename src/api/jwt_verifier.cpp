#include "api/jwt_verifier.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "util/base64url.h"

namespace docprof::api {
namespace {

using nlohmann::json;

domain::Error refused(const std::string& why) { return domain::Error{"unauthorized", why}; }

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};

// A JWS ES256 signature (r||s, 32 bytes each) as the DER ECDSA-Sig-Value OpenSSL verifies;
// "" when it is not 64 bytes.
std::string es256_signature_to_der(const std::string& raw) {
  if (raw.size() != 64) return "";
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  std::unique_ptr<ECDSA_SIG, EcdsaSigFree> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(bytes, 32, nullptr);
  BIGNUM* s = BN_bin2bn(bytes + 32, 32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return "";
  }
  unsigned char* der = nullptr;
  const int size = i2d_ECDSA_SIG(sig.get(), &der);
  if (size <= 0) return "";
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return out;
}

// SHA-256 signature check of `signed_part` with `key` (RSA PKCS#1 v1.5, or ECDSA with a DER
// signature).
bool signature_verifies(EVP_PKEY* key, std::string_view signed_part, const std::string& signature) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
}

// A JSON object from a base64url part; discarded json when it is not one.
json decode_part(std::string_view part) {
  const auto bytes = util::decode_base64url(part);
  if (!bytes) return json(json::value_t::discarded);
  json value = json::parse(*bytes, nullptr, false);
  if (!value.is_object()) return json(json::value_t::discarded);
  return value;
}

// A NumericDate claim as whole seconds; nullopt when absent or not a finite number.
std::optional<std::int64_t> numeric_date(const json& claims, const char* name) {
  if (!claims.contains(name) || !claims[name].is_number()) return std::nullopt;
  const double value = claims[name].get<double>();
  if (!std::isfinite(value) || std::fabs(value) > 1e15) return std::nullopt;
  return static_cast<std::int64_t>(std::floor(value));
}

bool string_or_array_holds(const json& claims, const std::string& name, const std::string& wanted) {
  if (!claims.contains(name)) return false;
  const json& value = claims[name];
  if (value.is_string()) return value.get<std::string>() == wanted;
  if (!value.is_array()) return false;
  for (const json& item : value) {
    if (item.is_string() && item.get<std::string>() == wanted) return true;
  }
  return false;
}

}  // namespace

JwtVerifier::JwtVerifier(JwtSettings settings, std::shared_ptr<JwksCache> keys)
    : settings_(std::move(settings)), keys_(std::move(keys)) {}

std::optional<domain::Error> JwtVerifier::check(const JwtSettings& settings) {
  const auto bad = [](const std::string& message) { return domain::Error{"invalid_config", message}; };
  // Without an issuer and an audience any token the provider signs — for any pool or app — would do.
  if (settings.issuer.empty()) return bad("auth.issuer is required with auth.mode = \"jwt\"");
  if (settings.audience.empty()) {
    return bad("auth.audience is required with auth.mode = \"jwt\" (the app client id tokens are issued to)");
  }
  if (settings.user_claim.empty()) return bad("auth.user_claim must not be empty");
  if (settings.clock_skew_seconds < 0) return bad("auth.clock_skew_seconds must not be negative");
  return std::nullopt;
}

domain::Result<std::shared_ptr<JwtVerifier>> JwtVerifier::create(JwtSettings settings,
                                                                 std::shared_ptr<JwksCache> keys) {
  if (auto problem = check(settings)) return *problem;
  if (!keys) return domain::Error{"invalid_config", "jwt: no key set"};
  return std::shared_ptr<JwtVerifier>(new JwtVerifier(std::move(settings), std::move(keys)));
}

domain::Result<Principal> JwtVerifier::verify(std::string_view token, std::int64_t now_seconds) const {
  const auto first_dot = token.find('.');
  const auto second_dot = first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != std::string_view::npos) {
    return refused("not a JWS compact token (three parts)");
  }
  const json header = decode_part(token.substr(0, first_dot));
  if (header.is_discarded()) return refused("the header is not base64url JSON");
  const std::string alg = header.contains("alg") && header["alg"].is_string() ? header["alg"].get<std::string>() : "";
  if (alg != "RS256" && alg != "ES256") return refused("algorithm '" + alg + "' is not accepted (RS256, ES256)");
  // RFC 7515 §4.1.11: extensions marked critical must be understood; this verifier knows none.
  if (header.contains("crit")) return refused("the header names critical extensions (crit)");
  if (!header.contains("kid") || !header["kid"].is_string()) return refused("the header has no kid");
  const std::string kid = header["kid"].get<std::string>();

  const auto key = keys_->find(kid);
  if (!key) return refused("no key with kid '" + kid + "'");
  const auto wanted_type = alg == "RS256" ? JsonWebKey::Type::rsa : JsonWebKey::Type::ec_p256;
  if (key->type != wanted_type || (!key->alg.empty() && key->alg != alg)) {
    return refused("key '" + kid + "' is not a key for " + alg);
  }
  const auto signature = util::decode_base64url(token.substr(second_dot + 1));
  if (!signature) return refused("the signature is not base64url");
  const std::string checked = alg == "ES256" ? es256_signature_to_der(*signature) : *signature;
  if (checked.empty() || !signature_verifies(key->key.get(), token.substr(0, second_dot), checked)) {
    return refused("bad signature");
  }

  const json claims = decode_part(token.substr(first_dot + 1, second_dot - first_dot - 1));
  if (claims.is_discarded()) return refused("the payload is not base64url JSON");
  const auto exp = numeric_date(claims, "exp");
  if (!exp) return refused("no exp");
  if (now_seconds > *exp + settings_.clock_skew_seconds) return refused("expired");
  if (claims.contains("nbf")) {
    const auto nbf = numeric_date(claims, "nbf");
    if (!nbf) return refused("nbf is not a number");
    if (now_seconds + settings_.clock_skew_seconds < *nbf) return refused("not valid yet (nbf)");
  }
  if (!claims.contains("iss") || !claims["iss"].is_string() || claims["iss"].get<std::string>() != settings_.issuer) {
    return refused("wrong issuer");
  }
  const bool audience_ok =
      string_or_array_holds(claims, "aud", settings_.audience) ||
      (claims.contains("client_id") && claims["client_id"].is_string() &&
       claims["client_id"].get<std::string>() == settings_.audience);
  if (!audience_ok) return refused("wrong audience");
  if (!claims.contains(settings_.user_claim) || !claims[settings_.user_claim].is_string()) {
    return refused("no '" + settings_.user_claim + "' claim");
  }
  Principal principal;
  principal.user_id = claims[settings_.user_claim].get<std::string>();
  if (principal.user_id.empty() || principal.user_id.size() > 256) {
    return refused("the '" + settings_.user_claim + "' claim is empty or too long");
  }
  principal.admin = !settings_.admin_group.empty() &&
                    string_or_array_holds(claims, settings_.admin_claim, settings_.admin_group);
  return principal;
}

}  // namespace docprof::api
