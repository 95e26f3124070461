#include "support/loopback_port.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace docprof::test_support {

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("free_loopback_port: socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("free_loopback_port: no free loopback port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

int start_on_free_loopback_port(const std::function<void(int port)>& start) {
  for (int attempt = 0;; ++attempt) {
    const int port = free_loopback_port();
    try {
      start(port);
      return port;
    } catch (const std::runtime_error&) {
      if (attempt >= 2) throw;
    }
  }
}

}  // namespace docprof::test_support
