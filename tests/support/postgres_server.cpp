#include "support/postgres_server.h"
#include "support/loopback_port.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>

#include "adapters/postgres/pg_connection.h"

namespace docprof::test_support {
namespace {

std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}


std::string find_bin() {
  for (const char* dir : {"/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"}) {
    if (std::filesystem::exists(std::string(dir) + "/pg_ctl")) return dir;
  }
  if (std::system("command -v pg_ctl >/dev/null 2>&1") == 0) return "";
  throw std::runtime_error(
      "PostgresServer: no PostgreSQL server binaries (initdb, pg_ctl): install postgresql-15 "
      "(scripts/install-deps.sh)");
}

}  // namespace

PostgresServer& PostgresServer::shared() {
  static PostgresServer server;  // stopped by its destructor at exit
  return server;
}

PostgresServer::PostgresServer() : bin_(find_bin()) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/docprof-pg-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("PostgresServer: mkdtemp failed");
  dir_ = pattern;
  if (::geteuid() == 0) {
    const passwd* user = ::getpwnam("postgres");
    if (user == nullptr) throw std::runtime_error("PostgresServer: running as root needs the user postgres (postgresql-15)");
    if (::chown(dir_.c_str(), user->pw_uid, user->pw_gid) != 0) {
      throw std::runtime_error("PostgresServer: cannot hand " + dir_ + " to the user postgres");
    }
  }
  run_as_server_user(shell_quoted(bin_.empty() ? "initdb" : bin_ + "/initdb") + " -D " + shell_quoted(dir_ + "/data") +
                     " -U postgres -A trust -E UTF8 --no-locale --no-sync > " + shell_quoted(dir_ + "/initdb.log") + " 2>&1");
  port_ = start_on_free_loopback_port([this](int port) {
    port_ = port;
    start();
  });
  // The watchdog: stops the server and removes its directory when our end of the pipe closes,
  // whether this process exits normally or dies.
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("PostgresServer: pipe2 failed");
  const std::string stop = "read _; " + shell_quoted(bin_.empty() ? "pg_ctl" : bin_ + "/pg_ctl") + " -D " +
                           shell_quoted(dir_ + "/data") + " -m immediate -w stop >/dev/null 2>&1";
  const std::string as_user = ::geteuid() == 0 ? "runuser -u postgres -- sh -c " + shell_quoted(stop) : stop;
  const std::string script = as_user + "; rm -rf " + shell_quoted(dir_);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("PostgresServer: fork failed");
  if (pid == 0) {
    ::dup2(fds[0], 0);  // dup2 clears close-on-exec on the copy
    ::setsid();         // not in the test's process group: a ^C to the test leaves it to clean up
    ::execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[0]);
  watchdog_pipe_ = fds[1];
  watchdog_pid_ = pid;
}

PostgresServer::~PostgresServer() {
  if (watchdog_pipe_ >= 0) ::close(watchdog_pipe_);
  if (watchdog_pid_ > 0) {
    int status = 0;
    ::waitpid(watchdog_pid_, &status, 0);
  }
}

void PostgresServer::run_as_server_user(const std::string& command) const {
  const std::string line = ::geteuid() == 0 ? "runuser -u postgres -- sh -c " + shell_quoted(command) : command;
  if (std::system(line.c_str()) != 0) {
    throw std::runtime_error("PostgresServer: failed: " + command + " (logs in " + dir_ + ")");
  }
}

void PostgresServer::start() {
  const std::string options = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) + " -k " + dir_ +
                              " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  run_as_server_user(shell_quoted(bin_.empty() ? "pg_ctl" : bin_ + "/pg_ctl") + " -D " + shell_quoted(dir_ + "/data") +
                     " -l " + shell_quoted(dir_ + "/server.log") + " -w -t 30 -o " + shell_quoted(options) +
                     " start > /dev/null 2>&1");
}

void PostgresServer::restart() {
  run_as_server_user(shell_quoted(bin_.empty() ? "pg_ctl" : bin_ + "/pg_ctl") + " -D " + shell_quoted(dir_ + "/data") +
                     " -m fast -w stop > /dev/null 2>&1");
  start();
}

std::string PostgresServer::url() const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " user=postgres dbname=postgres connect_timeout=10";
}

std::string PostgresServer::fresh_schema_url() {
  static std::atomic<int> next{0};
  const std::string schema = "test_" + std::to_string(::getpid()) + "_" + std::to_string(next++);
  adapters::postgres::PgConnection::open(url())->exec("CREATE SCHEMA " + schema);
  return url() + " options='-c search_path=" + schema + "'";
}

}  // namespace docprof::test_support
