// Process harness for the end-to-end tests: runs a program (fork/exec with an argv and an
// environment), captures its stdout and stderr, and kills it when it outlives a timeout; starts a
// program in the background (output to files) so a test can SIGKILL it; and gives each test a
// temporary directory that is removed with everything in it.
//
// Children run in a process group of their own, in the directory the caller names (so a stray
// ./docprof.toml of the developer's working directory is never read), with the parent's
// environment minus every DOCPROF_* variable, plus the variables the test sets.
//
// Thread safety: call from the test's main thread. Everything a child needs between fork and exec
// is prepared before the fork (only async-signal-safe calls run in the child).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "integration/temp_dir.h"

extern char** environ;

namespace docprof::e2e {

namespace fs = std::filesystem;
using Environment = std::map<std::string, std::string>;
using Millis = std::chrono::milliseconds;

// A fresh directory for one test, removed with everything in it (tests/integration/temp_dir.h);
// construct it with "docprof-e2e" to name it docprof-e2e-XXXXXX.
using test_support::TempDir;

struct ProcessResult {
  int exit_code = -1;  // -1 when the process did not exit normally
  int signal = 0;      // the terminating signal, 0 when it exited
  bool timed_out = false;
  std::string out;
  std::string err;
  Millis elapsed{0};
};

inline std::string describe(const ProcessResult& r) {
  std::ostringstream s;
  s << "exit " << r.exit_code;
  if (r.signal != 0) s << ", signal " << r.signal;
  if (r.timed_out) s << ", TIMED OUT";
  s << " after " << r.elapsed.count() << " ms\n--- stdout ---\n"
    << r.out.substr(0, 4000) << "\n--- stderr ---\n"
    << r.err.substr(0, 4000);
  return s.str();
}

// A loopback port nobody listens on right now (the kernel's choice for port 0).
inline int free_loopback_port() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    throw std::runtime_error("cannot bind a loopback port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

namespace detail {

// argv / envp as the exec call wants them; owns the strings.
class ExecArgs {
 public:
  ExecArgs(const std::vector<std::string>& argv, const Environment& overrides) : args_(argv) {
    Environment env;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
      const std::string entry(*e);
      const auto eq = entry.find('=');
      if (eq == std::string::npos) continue;
      const std::string name = entry.substr(0, eq);
      if (name.rfind("DOCPROF_", 0) == 0) continue;  // the test decides every DOCPROF_ setting
      env[name] = entry.substr(eq + 1);
    }
    for (const auto& [name, value] : overrides) env[name] = value;
    for (const auto& [name, value] : env) env_.push_back(name + "=" + value);
    for (auto& a : args_) argv_.push_back(a.data());
    argv_.push_back(nullptr);
    for (auto& e : env_) envp_.push_back(e.data());
    envp_.push_back(nullptr);
  }
  char* const* argv() { return argv_.data(); }
  char* const* envp() { return envp_.data(); }

 private:
  std::vector<std::string> args_;
  std::vector<std::string> env_;
  std::vector<char*> argv_;
  std::vector<char*> envp_;
};

// In the child, after fork: only async-signal-safe calls.
[[noreturn]] inline void exec_child(ExecArgs& args, const char* cwd, int in_fd, int out_fd,
                                    int err_fd) {
  setpgid(0, 0);
  if (in_fd >= 0) dup2(in_fd, STDIN_FILENO);
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  if (cwd != nullptr && chdir(cwd) != 0) _exit(126);
  execve(args.argv()[0], args.argv(), args.envp());
  _exit(127);
}

inline void wait_for_exit(pid_t pid, ProcessResult& result) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
}

}  // namespace detail

// Runs argv[0] (a path) to completion; kills its process group once `timeout` has passed.
inline ProcessResult run_process(const std::vector<std::string>& argv, const Environment& env,
                                 const fs::path& cwd, Millis timeout) {
  detail::ExecArgs args(argv, env);
  const std::string dir = cwd.string();
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  const int null_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const auto started = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) detail::exec_child(args, dir.c_str(), null_in, out_pipe[1], err_pipe[1]);
  setpgid(pid, pid);  // also from the parent, so a kill right away reaches the group
  close(null_in);
  close(out_pipe[1]);
  close(err_pipe[1]);

  ProcessResult result;
  std::string* sinks[2] = {&result.out, &result.err};
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  const auto deadline = started + timeout;
  char buffer[65536];
  while (open_fds > 0) {
    const auto left =
        std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      result.timed_out = true;
      kill(-pid, SIGKILL);
      break;
    }
    const int ready = poll(fds, 2, static_cast<int>(left));
    if (ready < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& fd : fds) {
    if (fd.fd >= 0) close(fd.fd);
  }
  detail::wait_for_exit(pid, result);
  result.elapsed = std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - started);
  return result;
}

// A program running in the background, its stdout and stderr going to files. The destructor
// SIGKILLs it (and its process group) if it still runs.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const Environment& env,
                    const fs::path& cwd, const fs::path& stdout_file, const fs::path& stderr_file)
      : stdout_file_(stdout_file), stderr_file_(stderr_file) {
    detail::ExecArgs args(argv, env);
    const std::string dir = cwd.string();
    const int out_fd = open(stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const int err_fd = open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const int null_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out_fd < 0 || err_fd < 0)
      throw std::runtime_error("cannot open the output files of a background process");
    started_ = std::chrono::steady_clock::now();
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) detail::exec_child(args, dir.c_str(), null_in, out_fd, err_fd);
    setpgid(pid_, pid_);
    close(out_fd);
    close(err_fd);
    close(null_in);
  }
  ~BackgroundProcess() {
    if (!finished_) {
      kill(-pid_, SIGKILL);
      wait();
    }
  }
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }

  // True while the process has not exited (reaps it once it has).
  bool running() {
    if (finished_) return false;
    int status = 0;
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      finish(status);
      return false;
    }
    return true;
  }

  void send(int signal_number) {
    if (!finished_) kill(pid_, signal_number);
  }

  // SIGKILL, then reap: the process is certainly gone when this returns.
  ProcessResult kill_now() {
    if (!finished_) kill(-pid_, SIGKILL);
    return wait();
  }

  // Waits for the exit (at most `timeout`; then SIGKILLs it and reports timed_out).
  ProcessResult wait(Millis timeout = Millis(600000)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
      if (std::chrono::steady_clock::now() >= deadline) {
        result_.timed_out = true;
        kill(-pid_, SIGKILL);
        int status = 0;
        while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        finish(status);
        break;
      }
      std::this_thread::sleep_for(Millis(20));
    }
    result_.out = slurp(stdout_file_);
    result_.err = slurp(stderr_file_);
    return result_;
  }

 private:
  static std::string slurp(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  void finish(int status) {
    finished_ = true;
    if (WIFEXITED(status)) result_.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result_.signal = WTERMSIG(status);
    result_.elapsed =
        std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - started_);
  }

  fs::path stdout_file_;
  fs::path stderr_file_;
  pid_t pid_ = -1;
  bool finished_ = false;
  std::chrono::steady_clock::time_point started_;
  ProcessResult result_;
};

}  // namespace docprof::e2e
