#include "cli/signals.h"

#include <csignal>
#include <unistd.h>

#include <atomic>

namespace docprof::cli {
namespace {

std::atomic<int> g_signals{0};

extern "C" void on_stop_signal(int signal) {
  if (g_signals.fetch_add(1) >= 1) _exit(128 + signal);  // a second signal: stop now
}

}  // namespace

void install_stop_signals() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool stop_requested() { return g_signals.load() > 0; }

}  // namespace docprof::cli
