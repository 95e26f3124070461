#include "api/jwks.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <nlohmann/json.hpp>

#include "util/base64url.h"

namespace docprof::api {
namespace {

using nlohmann::json;

domain::Error invalid(const std::string& message) { return domain::Error{"invalid_jwks", message}; }

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct CtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};

// A base64url member of a key; nullopt when absent, not a string or not base64url.
std::optional<std::string> member_bytes(const json& jwk, const char* name) {
  if (!jwk.contains(name) || !jwk[name].is_string()) return std::nullopt;
  return util::decode_base64url(jwk[name].get<std::string>());
}

// Builds a public key of `type` ("RSA" or "EC") from its parameters, and checks it
// (EVP_PKEY_public_check: an EC point on the curve, a sane RSA modulus).
domain::Result<std::shared_ptr<EVP_PKEY>> key_from_params(const char* type, const OSSL_PARAM* params,
                                                          const std::string& kid) {
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, const_cast<OSSL_PARAM*>(params)) != 1) {
    return invalid("key '" + kid + "': OpenSSL refuses its numbers");
  }
  std::shared_ptr<EVP_PKEY> key(raw, EVP_PKEY_free);
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    return invalid("key '" + kid + "': not a valid public key");
  }
  return key;
}

domain::Result<std::shared_ptr<EVP_PKEY>> rsa_key(const json& jwk, const std::string& kid) {
  const auto n = member_bytes(jwk, "n");
  const auto e = member_bytes(jwk, "e");
  if (!n || !e || n->empty() || e->empty()) return invalid("RSA key '" + kid + "': n and e must be base64url");
  std::unique_ptr<BIGNUM, BnFree> bn_n(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()), static_cast<int>(n->size()), nullptr));
  std::unique_ptr<BIGNUM, BnFree> bn_e(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()), static_cast<int>(e->size()), nullptr));
  if (!bn_n || !bn_e) return invalid("RSA key '" + kid + "': out of memory");
  if (BN_num_bits(bn_n.get()) < 2048) return invalid("RSA key '" + kid + "': shorter than 2048 bits");
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> build(OSSL_PARAM_BLD_new());
  if (!build || OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return invalid("RSA key '" + kid + "': out of memory");
  }
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(build.get()));
  if (!params) return invalid("RSA key '" + kid + "': out of memory");
  return key_from_params("RSA", params.get(), kid);
}

domain::Result<std::shared_ptr<EVP_PKEY>> ec_p256_key(const json& jwk, const std::string& kid) {
  const auto x = member_bytes(jwk, "x");
  const auto y = member_bytes(jwk, "y");
  if (!x || !y || x->size() != 32 || y->size() != 32) {
    return invalid("EC key '" + kid + "': x and y must be 32 bytes of base64url each");
  }
  // The uncompressed point: 0x04 || x || y.
  std::string point(1, '\x04');
  point.append(*x);
  point.append(*y);
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> build(OSSL_PARAM_BLD_new());
  if (!build ||
      OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
    return invalid("EC key '" + kid + "': out of memory");
  }
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(build.get()));
  if (!params) return invalid("EC key '" + kid + "': out of memory");
  return key_from_params("EC", params.get(), kid);
}

std::string string_member(const json& jwk, const char* name) {
  return jwk.contains(name) && jwk[name].is_string() ? jwk[name].get<std::string>() : std::string();
}

}  // namespace

domain::Result<JwkSet> JwkSet::parse(std::string_view json_text) {
  const json document = json::parse(json_text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) return invalid("the JWKS is not a JSON object");
  if (!document.contains("keys") || !document["keys"].is_array()) return invalid("the JWKS has no \"keys\" array");
  JwkSet set;
  for (const json& jwk : document["keys"]) {
    if (!jwk.is_object()) continue;
    const std::string kid = string_member(jwk, "kid");
    const std::string kty = string_member(jwk, "kty");
    const std::string use = string_member(jwk, "use");
    if (kid.empty() || (!use.empty() && use != "sig")) continue;
    JsonWebKey key;
    key.kid = kid;
    key.alg = string_member(jwk, "alg");
    if (kty == "RSA") {
      auto made = rsa_key(jwk, kid);
      if (!made) return made.error();
      key.type = JsonWebKey::Type::rsa;
      key.key = std::move(made).value();
    } else if (kty == "EC" && string_member(jwk, "crv") == "P-256") {
      auto made = ec_p256_key(jwk, kid);
      if (!made) return made.error();
      key.type = JsonWebKey::Type::ec_p256;
      key.key = std::move(made).value();
    } else {
      continue;  // a kind of key no accepted algorithm uses
    }
    if (!set.keys_.emplace(kid, std::move(key)).second) return invalid("two keys have the kid '" + kid + "'");
  }
  return set;
}

const JsonWebKey* JwkSet::find(const std::string& kid) const {
  const auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace docprof::api
