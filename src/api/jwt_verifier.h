// JwtVerifier: signs in a user from a JSON Web Token (RFC 7519) such as an AWS Cognito id token —
// the `auth.mode = "jwt"` of the HTTP API.
//
// A token is accepted only when all of these hold:
//   * it is three base64url parts, whose header names alg RS256 or ES256 and a kid, and no `crit`
//     extension — `none`, HS* and every other algorithm are refused whatever the key set says;
//   * the kid is a key of the JWKS (JwksCache) of the matching type (RSA for RS256, P-256 for
//     ES256; and the key's own "alg", when it names one, is the token's), and the signature over
//     `header.payload` verifies with it (OpenSSL EVP_DigestVerify; an ES256 signature is the raw
//     r||s of JWS, turned into DER with ECDSA_SIG);
//   * exp is present and not passed, and nbf (when present) is reached, both give or take
//     clock_skew_seconds;
//   * iss is `issuer`, and `audience` is the aud (a string or one of an array) or the client_id
//     (Cognito's access tokens carry that instead of aud);
//   * the user claim is a non-empty string (at most 256 bytes).
// The user is an admin when the admin claim (a string, or an array of strings such as
// cognito:groups) holds admin_group; never when admin_group is empty.
//
// Thread safety: verify() may be called from any number of threads (the key cache is thread-safe).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/auth.h"
#include "api/jwks_cache.h"
#include "domain/result.h"

namespace docprof::api {

struct JwtSettings {
  std::string issuer = {};
  std::string audience = {};
  std::int64_t clock_skew_seconds = 60;
  std::string user_claim = "sub";
  std::string admin_claim = "cognito:groups";
  std::string admin_group = {};  // empty: no token makes an admin
};

class JwtVerifier {
 public:
  // The settings' problem (code invalid_config), if any: an empty issuer, audience or user claim,
  // a negative clock skew. Checked before the key set is loaded, so that the message names it.
  static std::optional<domain::Error> check(const JwtSettings& settings);
  // Errors: check()'s, and a null key set.
  static domain::Result<std::shared_ptr<JwtVerifier>> create(JwtSettings settings,
                                                             std::shared_ptr<JwksCache> keys);

  // The principal of a token at `now_seconds` (Unix time). Errors (code unauthorized) say which
  // check failed — for the log, never for the client.
  domain::Result<Principal> verify(std::string_view token, std::int64_t now_seconds) const;

 private:
  JwtVerifier(JwtSettings settings, std::shared_ptr<JwksCache> keys);
  JwtSettings settings_;
  std::shared_ptr<JwksCache> keys_;
};

}  // namespace docprof::api
