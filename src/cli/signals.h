// Process signals for long-running commands: SIGINT and SIGTERM set a flag that the command's loop
// polls to stop gracefully (a second signal exits at once).
// Thread safety: install once from main; stop_requested() from any thread.
#pragma once

namespace docprof::cli {

void install_stop_signals();
bool stop_requested();

}  // namespace docprof::cli
