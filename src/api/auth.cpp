#include "api/auth.h"

#include "api/jwt_verifier.h"
#include "util/digest.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
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

// The tokens of one version of the file. Errors (code invalid_config): unreadable file; a
// malformed line too when `strict`, otherwise it is skipped with a warning naming it.
domain::Result<std::map<std::string, Principal>> read_tokens(const std::string& path, bool strict) {
  std::ifstream in(path);
  if (!in) return domain::Error{"invalid_config", "auth.tokens_file: cannot read '" + path + "'"};
  std::map<std::string, Principal> by_hash;
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
      const std::string problem = "auth.tokens_file " + path + ":" + std::to_string(number) +
                                  ": expected `sha256hex(token) user_id [admin]`";
      if (strict) return domain::Error{"invalid_config", problem};
      spdlog::warn("auth: {}; the line is skipped", problem);
      continue;
    }
    by_hash[digest] = Principal{user, flag == "admin"};
  }
  return by_hash;
}

// What identifies a version of the file: its modification time and size.
std::pair<std::filesystem::file_time_type, std::uintmax_t> file_version(const std::string& path) {
  std::error_code ec;
  const auto time = std::filesystem::last_write_time(path, ec);
  const auto size = std::filesystem::file_size(path, ec);
  return {ec ? std::filesystem::file_time_type{} : time, ec ? 0 : size};
}

}  // namespace

struct Authenticator::TokenTable {
  std::string path;
  std::mutex mu;
  std::map<std::string, Principal> by_hash;  // sha256 hex -> principal
  std::pair<std::filesystem::file_time_type, std::uintmax_t> version;
  std::chrono::steady_clock::time_point checked;
  bool unreadable = false;  // the last read failed: retried every second, logged once

  // Reads the file again when it changed (looked at no more than once a second). Requires mu.
  // Fails closed: a malformed line is skipped (with a warning naming it), and a file that is gone
  // or unreadable leaves no valid token at all — never the tokens loaded before.
  void refresh() {
    const auto now = std::chrono::steady_clock::now();
    if (now - checked < std::chrono::seconds(1)) return;
    checked = now;
    const auto current = file_version(path);
    if (current == version && !unreadable) return;
    version = current;
    auto tokens = read_tokens(path, false);
    if (!tokens) {
      if (!unreadable) {
        spdlog::error("auth: {}; every request is refused (401) until the file can be read again",
                      tokens.error().message);
      }
      unreadable = true;
      by_hash.clear();
      return;
    }
    unreadable = false;
    spdlog::info("auth: {} re-read ({} token(s))", path, tokens->size());
    by_hash = std::move(tokens).value();
  }
};

Authenticator Authenticator::none() {
  Authenticator a;
  a.enabled_ = false;
  return a;
}

domain::Result<Authenticator> Authenticator::from_tokens_file(const std::string& path) {
  auto table = std::make_shared<TokenTable>();
  table->path = path;
  table->version = file_version(path);
  auto tokens = read_tokens(path, true);
  if (!tokens) return tokens.error();
  table->by_hash = std::move(tokens).value();
  table->checked = std::chrono::steady_clock::now();
  Authenticator a;
  a.table_ = std::move(table);
  return a;
}

Authenticator Authenticator::jwt(std::shared_ptr<const JwtVerifier> verifier) {
  Authenticator a;
  a.jwt_ = std::move(verifier);
  return a;
}

std::size_t Authenticator::token_count() const {
  if (!table_) return 0;
  std::lock_guard lock(table_->mu);
  return table_->by_hash.size();
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
  if (jwt_) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    auto principal = jwt_->verify(token, now);
    if (!principal) {
      spdlog::info("auth: token refused: {}", principal.error().message);
      return std::nullopt;
    }
    return std::move(principal).value();
  }
  if (!table_) return std::nullopt;
  const std::string digest = util::sha256_hex(token);
  std::lock_guard lock(table_->mu);
  table_->refresh();
  const auto it = table_->by_hash.lower_bound(digest);
  if (it == table_->by_hash.end() || !same(it->first, digest)) return std::nullopt;
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
