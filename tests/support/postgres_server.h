// PostgresServer: a throwaway PostgreSQL 15 server for the tests that need a real one (the
// PostgreSQL adapters' contract and integration tests). Started once per test process, on first
// use: initdb into a fresh temp dir, then pg_ctl start on 127.0.0.1 at a free port (unix socket in
// the same dir; fsync off: the data is thrown away). As root (CI), initdb and pg_ctl run as the
// user `postgres` through runuser, since the server refuses to run as root. Stopped and removed
// when the process exits — also when it dies without unwinding: a watchdog process started with
// the server waits on a pipe and stops the server when the test process's end of it closes.
//
// Each test takes a schema of its own (fresh_schema_url): a connection string whose search_path
// is a new, empty schema, so tests in one process never see each other's rows and need no new
// database. The binaries are found in /usr/lib/postgresql/15/bin (Debian's postgresql-15) or on
// PATH; when there is none, shared() throws std::runtime_error saying which package to install.
//
// Thread safety: shared() and fresh_schema_url() are safe from any thread; restart() must not run
// while another thread uses the server.
#pragma once

#include <memory>
#include <string>

namespace docprof::test_support {

class PostgresServer {
 public:
  static PostgresServer& shared();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  int port() const { return port_; }
  // The server's `postgres` database as the superuser (libpq key=value form).
  std::string url() const;
  // A new empty schema, and a URL whose connections use it as their search_path.
  std::string fresh_schema_url();
  // Stops the server (fast shutdown, as an operator would) and starts it again on the same port
  // and data: established connections break, new ones work.
  void restart();

 private:
  PostgresServer();
  void start();
  void run_as_server_user(const std::string& command) const;

  std::string dir_;
  std::string bin_;
  int port_ = 0;
  int watchdog_pipe_ = -1;
  int watchdog_pid_ = -1;
};

}  // namespace docprof::test_support
