#include "adapters/sqlite/process_liveness.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <climits>
#include <fstream>
#include <sstream>

namespace docprof::adapters::sqlite {
namespace {

struct ProcStat {
  char state = '?';
  std::uint64_t start_ticks = 0;
};

// /proc/<pid>/stat: "pid (comm) state ppid ... starttime(22) ...". comm may hold spaces and
// parentheses, so fields are counted after the last ')'.
std::optional<ProcStat> read_proc_stat(int pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  if (!file) return std::nullopt;
  std::stringstream buffer;
  buffer << file.rdbuf();
  const std::string text = buffer.str();
  const auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 1));
  ProcStat stat;
  fields >> stat.state;  // field 3
  std::string skipped;
  for (int field = 4; field < 22; ++field) fields >> skipped;
  fields >> stat.start_ticks;  // field 22
  if (!fields) return std::nullopt;
  return stat;
}

template <class Int>
std::optional<Int> parse_number(std::string_view text) {
  Int value{};
  const auto* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::string this_host_name() {
  static const std::string name = [] {
    char buffer[HOST_NAME_MAX + 1] = {};
    if (gethostname(buffer, sizeof buffer - 1) != 0) return std::string("localhost");
    return std::string(buffer);
  }();
  return name;
}

std::optional<std::uint64_t> process_start_ticks(int pid) {
  const auto stat = read_proc_stat(pid);
  if (!stat) return std::nullopt;
  return stat->start_ticks;
}

std::string make_worker_id(std::string_view suffix) {
  static const std::string prefix = [] {
    const int pid = static_cast<int>(getpid());
    return this_host_name() + ":" + std::to_string(pid) + ":" +
           std::to_string(process_start_ticks(pid).value_or(0)) + ":";
  }();
  return prefix + std::string(suffix);
}

std::optional<WorkerIdentity> parse_worker_id(std::string_view worker_id) {
  const auto first = worker_id.find(':');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = worker_id.find(':', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const auto third = worker_id.find(':', second + 1);
  if (third == std::string_view::npos) return std::nullopt;
  const auto pid = parse_number<int>(worker_id.substr(first + 1, second - first - 1));
  const auto start = parse_number<std::uint64_t>(worker_id.substr(second + 1, third - second - 1));
  if (!pid || !start || *pid <= 0 || first == 0) return std::nullopt;
  return WorkerIdentity{std::string(worker_id.substr(0, first)), *pid, *start,
                        std::string(worker_id.substr(third + 1))};
}

bool worker_known_dead(std::string_view worker_id) {
  const auto identity = parse_worker_id(worker_id);
  if (!identity || identity->host != this_host_name()) return false;
  if (kill(static_cast<pid_t>(identity->pid), 0) == -1 && errno == ESRCH) return true;
  const auto stat = read_proc_stat(identity->pid);
  if (!stat) return false;  // cannot tell (no /proc): let the lease expire
  if (stat->state == 'Z' || stat->state == 'X') return true;  // exited, not yet reaped
  return stat->start_ticks != identity->start_ticks;          // the pid now names a newer process
}

}  // namespace docprof::adapters::sqlite
