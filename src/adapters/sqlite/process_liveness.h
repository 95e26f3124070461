// Worker identities and whether the process behind one is still alive (DESIGN.md §3, Leases).
//
// A worker id reads "<hostname>:<boot id>:<pid namespace>:<pid>:<start>:<suffix>": the kernel's boot
// id (/proc/sys/kernel/random/boot_id), the inode of this process's PID namespace (readlink
// /proc/self/ns/pid), the pid in that namespace, and the process's start time in clock ticks since
// boot (/proc/self/stat field 22). Boot id and namespace say where a pid means something; pid and
// start time name one process there for the life of the boot (a reused pid has another start).
//
// A lease can be reclaimed at once only when its holder certainly ran in this very PID namespace of
// this boot and its process is gone (no such pid, a zombie, or a newer process with that pid).
// Workers of another machine, another boot, or another PID namespace (containers sharing a host
// name, where each worker may well be pid 1) are never judged by pid: their leases only expire.
// So are ids of any other form (older releases, hand-picked test names), and any process when
// this one cannot read its own boot id or namespace, or sees a /proc of another namespace.
//
// Thread safety: stateless functions (this process's identity is computed once).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace docprof::adapters::sqlite {

struct WorkerIdentity {
  std::string host;
  std::string boot_id;        // "" when unknown
  std::string pid_namespace;  // the namespace's inode number, "" when unknown
  int pid = 0;
  std::uint64_t start_ticks = 0;
  std::string suffix;
};

// This process's identity (suffix empty).
const WorkerIdentity& this_process_identity();

// The id of `identity` in the six-part form.
std::string format_worker_id(const WorkerIdentity& identity);

// This process's worker id with the given suffix (e.g. a thread or worker-pool name).
std::string make_worker_id(std::string_view suffix);

// nullopt when the id does not have the six-part form (e.g. a hand-picked test name).
std::optional<WorkerIdentity> parse_worker_id(std::string_view worker_id);

std::string this_host_name();

// Field 22 of /proc/<pid>/stat; nullopt when the process does not exist or cannot be read.
std::optional<std::uint64_t> process_start_ticks(int pid);

// True only when the id names a process of this host, boot and PID namespace that is certainly
// gone: the pid does not exist, is a zombie, or belongs to a process that started at another time.
// Everything else (see above) is not known dead.
bool worker_known_dead(std::string_view worker_id);

}  // namespace docprof::adapters::sqlite
