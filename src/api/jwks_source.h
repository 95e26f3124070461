// JwksSource: where the JSON Web Key Set of `auth.jwks` comes from — a file, or a URL fetched with
// libcurl. A URL must be https (certificates verified, no redirects followed), except on a loopback
// host (127.0.0.0/8, ::1, localhost), where http is allowed too: a local identity provider or a
// test's server, where nothing travels over a network. Certificates are checked against the
// system's certificate authorities, or those of `ca_file` (PEM) for a provider with a private one.
//
// Thread safety: immutable; read() may be called from any thread.
#pragma once

#include <string>

#include "domain/result.h"

namespace docprof::api {

class JwksSource {
 public:
  // Errors (code invalid_config): an empty setting, a URL that is malformed, not http(s), or
  // http to a host that is not loopback; a ca_file that cannot be read, or given for a file.
  static domain::Result<JwksSource> from_setting(const std::string& setting, const std::string& ca_file = "");

  // The document's text. Errors (code jwks_unavailable): an unreadable file; a URL that gave no
  // answer within 10 s, an answer other than 200, or one larger than 1 MiB.
  domain::Result<std::string> read() const;

  const std::string& location() const { return location_; }
  bool is_url() const { return is_url_; }

 private:
  std::string location_;
  bool is_url_ = false;
  bool plain_http_ = false;  // a loopback http URL
  std::string ca_file_;      // "" : the system's certificate authorities
};

}  // namespace docprof::api
