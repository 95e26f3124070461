// Worker identities and whether the process behind one is still alive (DESIGN.md §3, Leases).
//
// A worker id reads "<hostname>:<pid>:<start>:<suffix>", where <start> is the process's start
// time in clock ticks since boot (/proc/<pid>/stat field 22). Together, pid and start name one
// process for the life of the machine: a pid reused by a newer process has another start time.
// A lease held by a worker of this host whose process is gone (or is a zombie, or is a newer
// process with the same pid) can be reclaimed at once; a lease of another host only expires.
//
// Thread safety: stateless functions (the host name and this process's id are computed once).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace docprof::adapters::sqlite {

struct WorkerIdentity {
  std::string host;
  int pid = 0;
  std::uint64_t start_ticks = 0;
  std::string suffix;
};

// This process's worker id with the given suffix (e.g. a thread or worker-pool name).
std::string make_worker_id(std::string_view suffix);

// nullopt when the id does not have the four-part form (e.g. a hand-picked test name).
std::optional<WorkerIdentity> parse_worker_id(std::string_view worker_id);

std::string this_host_name();

// Field 22 of /proc/<pid>/stat; nullopt when the process does not exist or cannot be read.
std::optional<std::uint64_t> process_start_ticks(int pid);

// True only when the id names a process of this host that is certainly gone: the pid does not
// exist, is a zombie, or belongs to a process that started at another time. Ids of other hosts,
// ids without the four-part form, and processes that cannot be inspected are not known dead.
bool worker_known_dead(std::string_view worker_id);

}  // namespace docprof::adapters::sqlite
