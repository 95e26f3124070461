// LoopbackHttpServer: a cpp-httplib server on a free 127.0.0.1 port, listening on a thread of its
// own, for the test doubles of remote providers (openai_test_server.h, bedrock_test_server.h).
// Register routes on http() before start(); the destructor (or stop()) ends the listener and
// joins its thread, so an owner whose handlers use its other members stops it first.
//
// Thread safety: construct, start and stop from one thread; handlers run on the pool's threads.
#pragma once

#include <httplib.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace docprof::test_support {

class LoopbackHttpServer {
 public:
  explicit LoopbackHttpServer(int threads) {
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  }
  ~LoopbackHttpServer() { stop(); }
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  httplib::Server& http() { return server_; }

  // Binds a free loopback port and returns once the server accepts connections.
  void start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("test server: cannot bind a loopback port");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 500 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

  void stop() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  int port() const { return port_; }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace docprof::test_support
