// NatsServer: a throwaway `nats-server -js` for the tests of the NATS JetStream bus. Started once
// per test process, on first use (shared()), on 127.0.0.1 at a free port with its JetStream store in
// a fresh temp dir; stopped and removed when the process exits. The server is a child process that
// the kernel kills when the test process dies (PR_SET_PDEATHSIG), so a crashed test leaves no
// server behind (only its temp dir). Each test takes a stream of its own (fresh_names), so tests
// in one process never see each other's events.
//
// When nats-server is not installed, shared() throws std::runtime_error naming the package.
//
// Thread safety: shared() and fresh_names() are safe from any thread; restart() must not run while
// another thread starts or stops the server.
#pragma once

#include <string>

namespace docprof::test_support {

class NatsServer {
 public:
  static NatsServer& shared();
  // A server of its own (for tests that restart or kill it), stopped by the destructor.
  NatsServer();
  ~NatsServer();
  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;

  int port() const { return port_; }
  std::string url() const;  // nats://127.0.0.1:PORT
  const std::string& store_dir() const { return dir_; }
  // A stream name and subject prefix no other test of this process uses ("T3_4711", "t3_4711").
  struct Names {
    std::string stream;
    std::string subject_prefix;
  };
  static Names fresh_names();
  // Stops the server (SIGTERM, as an operator would) and starts it again on the same port and store.
  void restart();
  void stop();
  void start();

 private:
  std::string dir_;
  int port_ = 0;
  int pid_ = -1;
};

}  // namespace docprof::test_support
