#include "support/nats_server.h"
#include "support/loopback_port.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace docprof::test_support {
namespace {


bool accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

std::string find_binary() {
  for (const char* path : {"/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"}) {
    if (std::filesystem::exists(path)) return path;
  }
  throw std::runtime_error("NatsServer: no nats-server: install nats-server (scripts/install-deps.sh)");
}

}  // namespace

NatsServer& NatsServer::shared() {
  static NatsServer server;
  return server;
}

NatsServer::NatsServer() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/docprof-nats-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("NatsServer: mkdtemp failed");
  dir_ = pattern;
  port_ = start_on_free_loopback_port([this](int port) {
    port_ = port;
    start();
  });
}

NatsServer::~NatsServer() {
  stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string NatsServer::url() const { return "nats://127.0.0.1:" + std::to_string(port_); }

NatsServer::Names NatsServer::fresh_names() {
  static std::atomic<int> next{0};
  const std::string id = std::to_string(::getpid()) + "_" + std::to_string(next++);
  return Names{"T" + id, "t" + id};
}

void NatsServer::start() {
  const std::string binary = find_binary();
  const std::string port = std::to_string(port_);
  const std::string log = dir_ + "/server.log";
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("NatsServer: fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // dies with the test process
    if (::getppid() != parent) ::_exit(1);
    ::setpgid(0, 0);  // not in the test's process group: a test that kills its group spares it
    ::execl(binary.c_str(), "nats-server", "-js", "-a", "127.0.0.1", "-p", port.c_str(), "-sd",
            (dir_ + "/store").c_str(), "-l", log.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  pid_ = pid;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!accepts(port_)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("NatsServer: nats-server exited at start (log: " + log + ")");
    }
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("NatsServer: no answer on port " + port);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void NatsServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

void NatsServer::restart() {
  stop();
  start();
}

}  // namespace docprof::test_support
