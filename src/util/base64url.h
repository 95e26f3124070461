// Base64url (RFC 4648 §5) without padding, as JSON Web Tokens and JSON Web Keys write their parts.
// Thread safety: stateless functions, safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace docprof::util {

// The bytes of unpadded base64url text; nullopt for any other character (padding, '+', '/',
// spaces), a length no encoding produces (1 mod 4), or non-zero bits left over in the last
// character — so that each byte string has exactly one accepted spelling.
std::optional<std::string> decode_base64url(std::string_view text);
// Unpadded base64url of `bytes`.
std::string encode_base64url(std::string_view bytes);

}  // namespace docprof::util
