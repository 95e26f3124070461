// A loopback TCP port nobody listens on right now (the kernel's choice for port 0), for the
// throwaway servers of the tests (postgres_server.h, nats_server.h). Another process may take it
// before the server binds: callers retry with a new port when the start fails.
// Thread safety: stateless.
#pragma once

#include <functional>

namespace docprof::test_support {

int free_loopback_port();  // throws std::runtime_error when no socket can be bound

// Calls start(port) with a free port, again with another one when it throws std::runtime_error
// (another process took the port meanwhile), three times at most; returns the port it started on.
int start_on_free_loopback_port(const std::function<void(int port)>& start);

}  // namespace docprof::test_support
