#include "api/auth.h"

#include "util/digest.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace docprof::api {
namespace {

bool valid_user_id(const std::string& user) {
  if (user.empty() || user.size() > 128) return false;
  for (char c : user) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '@';
    if (!ok) return false;
  }
  return true;
}

bool is_hex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// Constant-time comparison of two equal-length strings.
bool same(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

Authenticator Authenticator::none() {
  Authenticator a;
  a.enabled_ = false;
  return a;
}

domain::Result<Authenticator> Authenticator::from_tokens_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return domain::Error{"invalid_config", "auth.tokens_file: cannot read '" + path + "'"};
  Authenticator a;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream fields(line);
    std::string digest, user, flag, extra;
    if (!(fields >> digest)) continue;  // blank or comment
    fields >> user >> flag >> extra;
    for (auto& c : digest) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!is_hex64(digest) || !valid_user_id(user) || (!flag.empty() && flag != "admin") ||
        !extra.empty()) {
      return domain::Error{"invalid_config", "auth.tokens_file " + path + ":" +
                                                 std::to_string(number) +
                                                 ": expected `sha256hex(token) user_id [admin]`"};
    }
    a.by_hash_[digest] = Principal{user, flag == "admin"};
  }
  return a;
}

std::optional<Principal> Authenticator::authenticate(std::string_view authorization) const {
  if (!enabled_) return Principal{"local", true};
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size()) return std::nullopt;
  std::string scheme(authorization.substr(0, kScheme.size()));
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "bearer ") return std::nullopt;
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\r')) token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  const std::string digest = util::sha256_hex(token);
  const auto it = by_hash_.lower_bound(digest);
  if (it == by_hash_.end() || !same(it->first, digest)) return std::nullopt;
  return it->second;
}

std::string generate_token() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed: no random token could be made");
  }
  return util::to_hex(bytes.data(), bytes.size());
}

domain::Result<std::string> append_token(const std::string& tokens_file, const std::string& user_id,
                                         bool admin, const std::string& token) {
  if (!valid_user_id(user_id)) {
    return domain::Error{"invalid_request",
                         "user id '" + user_id + "' must be 1-128 of [A-Za-z0-9-_.@]"};
  }
  const int fd = ::open(tokens_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0)
    return domain::Error{"io_error", "cannot open " + tokens_file + ": " + std::strerror(errno)};
  const std::string line = util::sha256_hex(token) + " " + user_id + (admin ? " admin" : "") + "\n";
  const auto written = ::write(fd, line.data(), line.size());
  const int saved = errno;
  ::close(fd);
  if (written != static_cast<ssize_t>(line.size())) {
    return domain::Error{"io_error", "cannot write " + tokens_file + ": " + std::strerror(saved)};
  }
  return line;
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

}  // namespace docprof::api
