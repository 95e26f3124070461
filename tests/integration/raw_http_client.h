// RawHttpConnection: a plain TCP connection to a loopback server for tests that must send what no
// well-behaved HTTP client sends — half a request head, a body without end, a header line every few
// seconds — from a chosen source address (127.0.0.x), and read whatever answer comes back.
// Every call is bounded in time (send timeout, read deadlines), so a test never hangs.
//
// Thread safety: one connection per thread.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace docprof::test_support {

// One HTTP answer as read off the wire (chunked bodies are left encoded).
struct RawResponse {
  int status = 0;
  std::string head;
  std::string body;
  bool closed = false;  // the server closed the connection after it
};

class RawHttpConnection {
 public:
  // Connects to 127.0.0.1:port from `source` (any 127.0.0.x works on Linux loopback). Throws.
  explicit RawHttpConnection(int port, const std::string& source = "127.0.0.1") {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      throw std::runtime_error("bind " + source + ": " + std::strerror(errno));
    }
    timeval tv{2, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
      const std::string why = std::strerror(errno);
      ::close(fd_);
      throw std::runtime_error("connect: " + why);
    }
  }
  ~RawHttpConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawHttpConnection(const RawHttpConnection&) = delete;
  RawHttpConnection& operator=(const RawHttpConnection&) = delete;

  // Sends all of `data`; false once the server has closed or reset the connection (or 2 s pass).
  bool send(std::string_view data) {
    while (!data.empty()) {
      const auto n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // True when something (an answer, or the close) can be read now or within `wait`.
  bool readable(std::chrono::milliseconds wait = std::chrono::milliseconds(0)) {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(wait.count())) > 0;
  }

  // Reads one answer: its head and, by Content-Length, its body (none for the answer to a HEAD:
  // `head_request`); or what came before the server closed. nullopt when nothing complete arrived
  // within `timeout`.
  std::optional<RawResponse> read_response(std::chrono::milliseconds timeout = std::chrono::seconds(5),
                                           bool head_request = false) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    RawResponse r;
    for (;;) {
      const auto head_end = buffer_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        // A 100 Continue is not the answer.
        if (buffer_.rfind("HTTP/1.1 100", 0) == 0) {
          buffer_.erase(0, head_end + 4);
          continue;
        }
        r.head = buffer_.substr(0, head_end);
        const auto length = head_request ? std::optional<std::size_t>(0) : content_length(r.head);
        if (length && buffer_.size() >= head_end + 4 + *length) {
          r.body = buffer_.substr(head_end + 4, *length);
          buffer_.erase(0, head_end + 4 + *length);
          r.status = status_of(r.head);
          return r;
        }
        if (!length && closed_) {
          r.body = buffer_.substr(head_end + 4);
          buffer_.clear();
          r.status = status_of(r.head);
          r.closed = true;
          return r;
        }
      }
      if (closed_) return std::nullopt;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !readable(left)) return std::nullopt;
      char chunk[16384];
      const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) {
        closed_ = true;
        continue;
      }
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  // True when the server closes the connection within `timeout` (what it sends first is dropped).
  bool closed_by_server(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!closed_) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !readable(left)) return false;
      char chunk[16384];
      if (::recv(fd_, chunk, sizeof chunk, 0) <= 0) closed_ = true;
    }
    return true;
  }

  int fd() const { return fd_; }

 private:
  static int status_of(const std::string& head) {
    return head.size() > 12 && head.rfind("HTTP/1.", 0) == 0 ? std::atoi(head.c_str() + 9) : 0;
  }
  static std::optional<std::size_t> content_length(const std::string& head) {
    std::string lower = head;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto at = lower.find("\r\ncontent-length:");
    if (at == std::string::npos) return std::nullopt;
    return static_cast<std::size_t>(std::strtoull(lower.c_str() + at + 17, nullptr, 10));
  }

  int fd_ = -1;
  std::string buffer_;
  bool closed_ = false;
};

// This process's resident set size in bytes (VmRSS), 0 when unknown.
inline std::size_t resident_bytes() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return static_cast<std::size_t>(std::strtoull(line.c_str() + 6, nullptr, 10)) * 1024;
  }
  return 0;
}

}  // namespace docprof::test_support
