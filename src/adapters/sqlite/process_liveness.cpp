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

// The first line of a small file, trimmed; "" when it cannot be read.
std::string read_first_line(const char* path) {
  std::ifstream file(path);
  std::string line;
  if (!file || !std::getline(file, line)) return "";
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ' || line.back() == '\r')) line.pop_back();
  return line;
}

// The inode of this process's PID namespace: readlink /proc/self/ns/pid gives "pid:[4026531836]".
std::string read_pid_namespace() {
  char buffer[128] = {};
  const ssize_t n = readlink("/proc/self/ns/pid", buffer, sizeof buffer - 1);
  if (n <= 0) return "";
  const std::string_view link(buffer, static_cast<std::size_t>(n));
  const auto open = link.find('[');
  const auto close = link.find(']');
  if (open == std::string_view::npos || close == std::string_view::npos || close <= open + 1) return "";
  const std::string_view inode = link.substr(open + 1, close - open - 1);
  if (!parse_number<std::uint64_t>(inode)) return "";
  return std::string(inode);
}

// True when /proc shows this process under the pid it has in its own namespace: the /proc mounted
// here belongs to our PID namespace, so /proc/<pid> of a peer means that peer.
bool proc_is_ours() {
  char buffer[32] = {};
  const ssize_t n = readlink("/proc/self", buffer, sizeof buffer - 1);
  if (n <= 0) return false;
  return std::string_view(buffer, static_cast<std::size_t>(n)) == std::to_string(getpid());
}

// A boot id or namespace inode: no ':' (the separator) and not empty.
bool plain_field(std::string_view text) { return !text.empty() && text.find(':') == std::string_view::npos; }

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

const WorkerIdentity& this_process_identity() {
  static const WorkerIdentity identity = [] {
    WorkerIdentity self;
    self.host = this_host_name();
    self.boot_id = read_first_line("/proc/sys/kernel/random/boot_id");
    if (!plain_field(self.boot_id)) self.boot_id.clear();
    self.pid_namespace = read_pid_namespace();
    self.pid = static_cast<int>(getpid());
    self.start_ticks = proc_is_ours() ? process_start_ticks(self.pid).value_or(0) : 0;
    return self;
  }();
  return identity;
}

std::string format_worker_id(const WorkerIdentity& identity) {
  // Unknown parts are written as "-": such an id is never judged by pid (see worker_known_dead).
  auto part = [](const std::string& text) { return text.empty() ? std::string("-") : text; };
  return identity.host + ":" + part(identity.boot_id) + ":" + part(identity.pid_namespace) + ":" +
         std::to_string(identity.pid) + ":" + std::to_string(identity.start_ticks) + ":" + identity.suffix;
}

std::string make_worker_id(std::string_view suffix) {
  static const std::string prefix = format_worker_id(this_process_identity());
  return prefix + std::string(suffix);
}

std::optional<WorkerIdentity> parse_worker_id(std::string_view worker_id) {
  std::string_view parts[5];
  std::size_t from = 0;
  for (auto& part : parts) {
    const auto colon = worker_id.find(':', from);
    if (colon == std::string_view::npos) return std::nullopt;
    part = worker_id.substr(from, colon - from);
    from = colon + 1;
  }
  const auto pid = parse_number<int>(parts[3]);
  const auto start = parse_number<std::uint64_t>(parts[4]);
  if (parts[0].empty() || parts[1].empty() || parts[2].empty() || !pid || !start || *pid <= 0) return std::nullopt;
  auto known = [](std::string_view text) { return text == "-" ? std::string() : std::string(text); };
  return WorkerIdentity{std::string(parts[0]), known(parts[1]), known(parts[2]), *pid, *start,
                        std::string(worker_id.substr(from))};
}

bool worker_known_dead(std::string_view worker_id) {
  const auto identity = parse_worker_id(worker_id);
  if (!identity) return false;
  const WorkerIdentity& self = this_process_identity();
  // Only a worker of this host, this boot and this PID namespace can be judged by its pid.
  if (self.boot_id.empty() || self.pid_namespace.empty() || self.start_ticks == 0) return false;
  if (identity->host != self.host || identity->boot_id != self.boot_id ||
      identity->pid_namespace != self.pid_namespace) {
    return false;
  }
  if (kill(static_cast<pid_t>(identity->pid), 0) == -1 && errno == ESRCH) return true;
  const auto stat = read_proc_stat(identity->pid);
  if (!stat) return false;  // cannot tell (no /proc): let the lease expire
  if (stat->state == 'Z' || stat->state == 'X') return true;  // exited, not yet reaped
  return stat->start_ticks != identity->start_ticks;          // the pid now names a newer process
}

}  // namespace docprof::adapters::sqlite
