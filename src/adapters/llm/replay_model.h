// ReplayModel: a LanguageModel that answers from a cassette (cassette.h), so tests and demos run
// real model output offline. Entries are matched by request.task; each instance hands out a task's
// entries in file order and keeps reusing the task's last entry once they run out (so a cassette
// with a bad answer then a good one exercises a repair). An entry's delay_ms is slept before it is
// answered; an error entry comes back as its ProviderError. A task with no entry at all is a
// permanent error "no_cassette_entry" naming the task and the cassette.
//
// The cassette is read once, at construction; a missing or malformed file throws
// std::runtime_error (with the line number of a bad line).
//
// Thread safety: complete() may be called concurrently; a mutex guards the per-task cursors
// (the sleep happens outside it).
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/llm/cassette.h"
#include "ports/language_model.h"

namespace docprof::adapters::llm {

class ReplayModel final : public ports::LanguageModel {
 public:
  explicit ReplayModel(std::filesystem::path cassette);

  ports::LlmResult complete(const domain::LlmRequest& request,
                            const ports::CallContext& context) override;
  std::string name() const override;  // "replay:<path>"

  // Number of entries read from the cassette.
  std::size_t entry_count() const { return entry_count_; }

 private:
  std::filesystem::path path_;
  std::map<std::string, std::vector<CassetteEntry>> by_task_;  // immutable after construction
  std::size_t entry_count_ = 0;

  std::mutex mutex_;
  std::map<std::string, std::size_t> next_;  // per task: index of the entry to hand out next
};

}  // namespace docprof::adapters::llm
