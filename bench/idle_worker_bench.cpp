// The idle cost of a worker process (issue 11, defect 6): a real `docprof worker` with 16 step
// threads on an empty, migrated database, left idle; the CPU time it uses (user + system, from
// /proc/<pid>/stat) over a 10-second window after a 1-second warm-up. The goal is at most 0.05 s of
// CPU per 10 s (one lease transaction per worker.poll_ms, whatever the concurrency).
//
// Printed: CPU seconds per 10 s of the idle worker, and the settings it ran with.
// Run: build/bench/idle_worker_bench [--seconds 10] [--concurrency 16] [--poll-ms 200]
// Nothing here asserts on time.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Options {
  int seconds = 10;
  int concurrency = 16;
  int poll_ms = 200;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (flag == "--seconds") o.seconds = value;
    else if (flag == "--concurrency") o.concurrency = value;
    else if (flag == "--poll-ms") o.poll_ms = value;
    else throw std::invalid_argument("unknown option " + flag);
  }
  if (o.seconds < 1 || o.concurrency < 1 || o.poll_ms < 1) throw std::invalid_argument("values must be >= 1");
  return o;
}

// Spawns argv with `env` added to this environment; stdout and stderr to /dev/null.
pid_t spawn(const std::vector<std::string>& args, const std::vector<std::string>& env, const fs::path& cwd) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
    if (chdir(cwd.c_str()) != 0) _exit(126);
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int run_to_end(const std::vector<std::string>& args, const fs::path& cwd) {
  const pid_t pid = spawn(args, {}, cwd);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// utime + stime of a process, in seconds.
double cpu_seconds(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::stringstream buffer;
  buffer << file.rdbuf();
  const std::string text = buffer.str();
  const auto close = text.rfind(')');
  if (close == std::string::npos) throw std::runtime_error("cannot read /proc/" + std::to_string(pid) + "/stat");
  std::istringstream fields(text.substr(close + 1));
  std::string skipped;
  for (int field = 3; field < 14; ++field) fields >> skipped;
  unsigned long long utime = 0;
  unsigned long long stime = 0;
  fields >> utime >> stime;  // fields 14 and 15
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    char templ[] = "/tmp/docprof-idle-bench-XXXXXX";
    if (mkdtemp(templ) == nullptr) throw std::runtime_error("mkdtemp failed");
    const fs::path dir(templ);
    const std::string db = (dir / "idle.db").string();
    if (run_to_end({DOCPROF_BINARY, "--db", db, "migrate"}, dir) != 0) throw std::runtime_error("migrate failed");

    const pid_t worker = spawn({DOCPROF_BINARY, "--db", db, "worker", "--concurrency", std::to_string(o.concurrency)},
                               {"DOCPROF_WORKER_POLL_MS=" + std::to_string(o.poll_ms)}, dir);
    std::this_thread::sleep_for(std::chrono::seconds(1));  // start-up and migrations checked
    const double before = cpu_seconds(worker);
    std::this_thread::sleep_for(std::chrono::seconds(o.seconds));
    const double after = cpu_seconds(worker);
    kill(worker, SIGTERM);
    int status = 0;
    waitpid(worker, &status, 0);
    fs::remove_all(dir);

    const double per_10s = (after - before) * 10.0 / o.seconds;
    std::printf("idle docprof worker: %d threads, worker.poll_ms %d, measured over %d s\n", o.concurrency, o.poll_ms,
                o.seconds);
    std::printf("CPU: %.3f s per 10 s (goal: at most 0.050 s; clock tick %.3f s)\n", per_10s,
                1.0 / static_cast<double>(sysconf(_SC_CLK_TCK)));
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "idle_worker_bench: %s\n", e.what());
    return 1;
  }
}
