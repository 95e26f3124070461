#include "cli/progress_display.h"

#include <fmt/core.h>
#include <unistd.h>

#include <cstdio>

#include "views/course_views.h"

namespace docprof::cli {

ProgressDisplay::ProgressDisplay(bool quiet)
    : tty_(isatty(STDERR_FILENO) == 1), quiet_(quiet), started_(std::chrono::steady_clock::now()) {}

ProgressDisplay::~ProgressDisplay() { finish(); }

void ProgressDisplay::clear_line() {
  if (tty_ && line_shown_) {
    fmt::print(stderr, "\r\033[2K");
    line_shown_ = false;
  }
}

void ProgressDisplay::update(const ports::RunRecord& run, const std::vector<ports::HistoryEntry>& new_entries) {
  if (quiet_ && !tty_) return;
  clear_line();
  for (const auto& entry : new_entries) {
    last_history_id_ = std::max(last_history_id_, entry.history_id);
    const char* mark = entry.kind == ports::HistoryKind::note    ? "  note: "
                       : entry.kind == ports::HistoryKind::error ? "  error: "
                                                                 : "  ";
    if (entry.kind == ports::HistoryKind::complete) continue;  // the step line already said it
    if (tty_) {
      fmt::print(stderr, "{}{}{}\n", entry.kind == ports::HistoryKind::step ? "\033[2m" : "", mark + entry.message,
                 entry.kind == ports::HistoryKind::step ? "\033[0m" : "");
    } else {
      fmt::print(stderr, "{}{}\n", mark, entry.message);
    }
  }
  if (tty_ && run.status == ports::RunStatus::processing) {
    static const char* kSpinner[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_).count();
    fmt::print(stderr, "{} {} · {:02}:{:02} · {} tokens", kSpinner[spinner_++ % 10], views::status_message(run),
               elapsed / 60, elapsed % 60, run.usage.total());
    line_shown_ = true;
  }
  std::fflush(stderr);
}

void ProgressDisplay::finish() {
  clear_line();
  std::fflush(stderr);
}

}  // namespace docprof::cli
