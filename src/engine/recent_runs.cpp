#include "engine/recent_runs.h"

namespace docprof::engine {

std::optional<ports::RunRecord> RecentRuns::take(const std::string& run_id, const std::string& event_id) {
  std::lock_guard lock(mu_);
  const auto found = runs_.find(run_id);
  if (found == runs_.end()) return std::nullopt;
  std::optional<ports::RunRecord> record;
  if (found->second.emitted == event_id) record = std::move(found->second.record);
  runs_.erase(found);
  return record;
}

void RecentRuns::put(ports::RunRecord record, std::string emitted) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mu_);
  const std::uint64_t number = ++puts_;
  order_.emplace_back(record.course_id, number);
  std::string id = record.course_id;
  runs_.insert_or_assign(std::move(id), Entry{number, std::move(record), std::move(emitted)});
  // order_ also holds the places of entries taken or put again since: it is trimmed to twice the
  // capacity, and an entry goes only from its own (latest) place.
  while (runs_.size() > capacity_ || order_.size() > 2 * capacity_) {
    const auto& [oldest_id, oldest_number] = order_.front();
    const auto entry = runs_.find(oldest_id);
    if (entry != runs_.end() && entry->second.put_at == oldest_number) runs_.erase(entry);
    order_.pop_front();
  }
}

}  // namespace docprof::engine
