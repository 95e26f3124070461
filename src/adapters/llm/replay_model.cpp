#include "adapters/llm/replay_model.h"

#include <chrono>
#include <thread>
#include <utility>

#include <spdlog/spdlog.h>

namespace docprof::adapters::llm {

ReplayModel::ReplayModel(std::filesystem::path cassette) : path_(std::move(cassette)) {
  for (CassetteEntry& entry : load_cassette(path_)) {
    by_task_[entry.task].push_back(std::move(entry));
    ++entry_count_;
  }
  spdlog::debug("replay cassette {}: {} entries for {} tasks", path_.string(), entry_count_,
                by_task_.size());
}

std::string ReplayModel::name() const {
  return "replay:" + path_.string();
}

ports::LlmResult ReplayModel::complete(const domain::LlmRequest& request,
                                       const ports::CallContext& /*context*/) {
  const auto found = by_task_.find(request.task);
  if (found == by_task_.end() || found->second.empty()) {
    return ports::ProviderError{
        "no_cassette_entry",
        "replay cassette " + path_.string() + " has no entry for task '" + request.task + "'",
        false, 0, std::nullopt};
  }
  const std::vector<CassetteEntry>& entries = found->second;
  std::size_t index = 0;
  {
    std::lock_guard lock(mutex_);
    std::size_t& next = next_[request.task];
    index = next < entries.size() ? next : entries.size() - 1;
    if (next < entries.size()) ++next;
  }
  const CassetteEntry& entry = entries[index];
  if (entry.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(entry.delay_ms));
  return cassette_entry_result(entry);
}

}  // namespace docprof::adapters::llm
