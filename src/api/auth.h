// Authentication of API requests: `Authorization: Bearer <token>`, checked against a tokens file of
// lines `sha256hex(token) user_id [admin]` (plain tokens are never stored); or a signed JSON Web
// Token from an identity provider such as AWS Cognito (mode "jwt", jwt_verifier.h); or mode "none"
// where every request is the local single user `local` (allowed only on a loopback address: see
// is_loopback).
//
// Also the helpers of `docprof auth add-token`: a fresh random token and the line that records it.
//
// The tokens file is read again when it changes (its modification time or size, looked at no more
// than once a second), so `docprof auth add-token` and removing a line take effect without a
// restart. Reloads fail closed: a malformed line is skipped with a warning naming it, and a file
// that is gone or unreadable means no valid token (every request 401, a loud log line) — never the
// tokens loaded before. At start (from_tokens_file) both are errors.
//
// Thread safety: safe for concurrent use; copies share one token table.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "domain/result.h"

namespace docprof::api {

class JwtVerifier;

struct Principal {
  std::string user_id;
  bool admin = false;
};

class Authenticator {
 public:
  // Every request is user "local" (an admin).
  static Authenticator none();
  // Reads the tokens file. Errors (code invalid_config): unreadable file, malformed line.
  static domain::Result<Authenticator> from_tokens_file(const std::string& path);
  // Bearer tokens are JWTs checked by `verifier`.
  static Authenticator jwt(std::shared_ptr<const JwtVerifier> verifier);

  // The principal of an Authorization header value; nullopt when missing or wrong.
  std::optional<Principal> authenticate(std::string_view authorization) const;
  bool enabled() const { return enabled_; }
  std::size_t token_count() const;

  struct TokenTable;  // the file's tokens and what identifies its version (auth.cpp)

 private:
  bool enabled_ = true;
  std::shared_ptr<TokenTable> table_;
  std::shared_ptr<const JwtVerifier> jwt_;
};

// 32 random bytes (OpenSSL RAND_bytes) as 64 hex characters. Throws std::runtime_error on failure.
std::string generate_token();
// Appends `sha256hex(token) user [admin]` to the tokens file (created with mode 0600). Errors:
// invalid_request (bad user id), io_error.
domain::Result<std::string> append_token(const std::string& tokens_file, const std::string& user_id,
                                         bool admin, const std::string& token);

// True for 127.0.0.0/8, ::1 and "localhost" written as such — a first check of a host name only:
// the server decides on the address its socket is bound to (ApiServer::listening_on_loopback).
bool is_loopback(const std::string& host);

}  // namespace docprof::api
