// ProgressDisplay: shows a run being generated. On a terminal, each history message as a line and
// a live status line beneath (phase, part i of N, elapsed time, tokens); elsewhere, the history
// messages only, one per line. Writes to stderr so stdout stays clean for the result.
//
// Thread safety: one thread drives it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "ports/run_store.h"

namespace docprof::cli {

class ProgressDisplay {
 public:
  // quiet: show nothing unless stderr is a terminal.
  explicit ProgressDisplay(bool quiet);
  ~ProgressDisplay();

  // Shows the history entries after the last one shown, and refreshes the status line.
  void update(const ports::RunRecord& run, const std::vector<ports::HistoryEntry>& new_entries);
  void finish();
  std::int64_t last_history_id() const { return last_history_id_; }

 private:
  void clear_line();

  bool tty_;
  bool quiet_;
  bool line_shown_ = false;
  int spinner_ = 0;
  std::int64_t last_history_id_ = 0;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace docprof::cli
