// JwkSet: the public signing keys of a JSON Web Key Set (RFC 7517) — what an identity provider
// such as AWS Cognito publishes at .../.well-known/jwks.json — turned into OpenSSL keys by kid.
//
// Kept: RSA keys (kty RSA, n/e; 2048 bits at least) and P-256 EC keys (kty EC, crv P-256, x/y),
// each with a kid, and with "use" absent or "sig". Every other entry (encryption keys, other curves,
// symmetric keys, keys without a kid) is skipped, so a provider's unrelated key never breaks the
// set; an entry of a kept kind whose numbers are unusable is an error.
//
// Thread safety: immutable once parsed; share it freely.
#pragma once

#include <openssl/types.h>

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "domain/result.h"

namespace docprof::api {

struct JsonWebKey {
  enum class Type { rsa, ec_p256 };
  std::string kid;
  Type type = Type::rsa;
  std::string alg;                       // the key's own "alg" when it names one ("RS256"), else ""
  std::shared_ptr<EVP_PKEY> key = {};    // the public key
};

class JwkSet {
 public:
  // Errors (code invalid_jwks): not a JSON object with a "keys" array, a kept key that OpenSSL
  // refuses, two keys with one kid.
  static domain::Result<JwkSet> parse(std::string_view json_text);

  // The key of that kid; nullptr when the set has none.
  const JsonWebKey* find(const std::string& kid) const;
  std::size_t size() const { return keys_.size(); }

 private:
  std::map<std::string, JsonWebKey> keys_;
};

}  // namespace docprof::api
