#include "support/memory_run_store.h"

#include <algorithm>
#include <stdexcept>

namespace docprof::test_support {

MemoryRunStore::MemoryRunStore(ports::CourseRepository* courses) : courses_(courses) {}

bool MemoryRunStore::create(const ports::RunRecord& record, const domain::Envelope& first_event,
                            const ports::HistoryEntry& entry) {
  std::lock_guard lock(mu_);
  if (runs_.contains(record.course_id)) return false;
  Run run{record, next_created_order_++};
  if (!run.record.outbox) run.record.outbox = first_event;  // no queue to enqueue it in: see the header
  runs_.emplace(record.course_id, std::move(run));
  ports::HistoryEntry first = entry;
  first.course_id = record.course_id;
  first.history_id = next_history_id_++;
  first.revision = record.revision;
  history_[record.course_id].push_back(std::move(first));
  return true;
}

std::optional<ports::RunRecord> MemoryRunStore::load(const std::string& course_id) {
  std::lock_guard lock(mu_);
  const auto it = runs_.find(course_id);
  if (it == runs_.end()) return std::nullopt;
  return it->second.record;
}

ports::CommitResult MemoryRunStore::commit(const ports::StepCommit& commit) {
  std::lock_guard lock(mu_);
  const auto it = runs_.find(commit.record.course_id);
  if (it == runs_.end() || it->second.record.version != commit.expected_version) {
    return ports::CommitResult::lost_race;
  }
  // The course first: if storing it throws, nothing of the commit is written.
  if (commit.course) {
    if (courses_ != nullptr) {
      courses_->store(commit.course->course, commit.course->sections);
    } else {
      stored_courses_[commit.record.course_id] = *commit.course;
    }
  }
  // A revision's store step: the rows built from the course as stored now (throws, writing
  // nothing, when they cannot be built).
  if (commit.revision) {
    const std::string& course_id = commit.revision->store.course_id;
    std::optional<ports::StoredCourse> stored;
    if (courses_ != nullptr) {
      stored = courses_->get(course_id);
    } else if (auto found = stored_courses_.find(course_id); found != stored_courses_.end()) {
      stored = found->second;
    }
    if (!stored) throw std::runtime_error("course " + course_id + " to revise no longer exists");
    const ports::StoredCourse revised = ports::revised_course(*commit.revision, *stored);
    if (courses_ != nullptr) {
      courses_->store(revised.course, revised.sections);
    } else {
      stored_courses_[course_id] = revised;
    }
  }
  ports::RunRecord& record = it->second.record;
  record = commit.record;
  record.version = commit.expected_version + 1;
  if (commit.next_event) record.outbox = commit.next_event;
  auto& entries = history_[record.course_id];
  for (const auto& entry : commit.history) {
    ports::HistoryEntry appended = entry;
    appended.course_id = record.course_id;
    appended.history_id = next_history_id_++;
    appended.revision = record.revision;
    entries.push_back(std::move(appended));
  }
  if (commit.dead_letter) {
    ports::DeadLetter letter = *commit.dead_letter;
    letter.id = "dl-" + std::to_string(next_dead_letter_id_++);
    if (letter.course_id.empty()) letter.course_id = letter.event.course_id;
    dead_letters_.push_back(std::move(letter));
  }
  if (commit.consumed_dead_letter_id) {
    std::erase_if(dead_letters_,
                  [&](const ports::DeadLetter& letter) { return letter.id == *commit.consumed_dead_letter_id; });
  }
  if (crash_after_next_commit_) {
    crash_after_next_commit_ = false;
    throw std::runtime_error("MemoryRunStore: simulated crash right after a commit");
  }
  return ports::CommitResult::committed;
}

void MemoryRunStore::clear_outbox(const std::string& course_id, const std::string& event_id) {
  std::lock_guard lock(mu_);
  const auto it = runs_.find(course_id);
  if (it == runs_.end()) return;
  auto& outbox = it->second.record.outbox;
  if (outbox && outbox->event_id == event_id) outbox.reset();
}

std::vector<ports::HistoryEntry> MemoryRunStore::history(const std::string& course_id, std::int64_t after_id) {
  std::lock_guard lock(mu_);
  std::vector<ports::HistoryEntry> entries;
  const auto it = history_.find(course_id);
  if (it == history_.end()) return entries;
  for (const auto& entry : it->second) {
    if (entry.history_id > after_id) entries.push_back(entry);
  }
  return entries;
}

template <class Keep>
std::vector<ports::RunRecord> MemoryRunStore::newest_first(domain::RunKind kind, Keep keep) const {
  std::vector<const Run*> chosen;
  for (const auto& [id, run] : runs_) {
    if (run.record.kind == kind && keep(run.record)) chosen.push_back(&run);
  }
  std::sort(chosen.begin(), chosen.end(), [](const Run* a, const Run* b) {
    if (a->record.created_at_ms != b->record.created_at_ms) return a->record.created_at_ms > b->record.created_at_ms;
    return a->created_order > b->created_order;
  });
  std::vector<ports::RunRecord> records;
  records.reserve(chosen.size());
  for (const Run* run : chosen) {
    records.push_back(run->record);
    records.back().state.reset();
  }
  return records;
}

std::vector<ports::RunRecord> MemoryRunStore::list_runs(const std::string& user_id) {
  std::lock_guard lock(mu_);
  return newest_first(domain::RunKind::course,
                      [&](const ports::RunRecord& record) { return record.user_id == user_id; });
}

std::vector<ports::RunRecord> MemoryRunStore::list_ingest_runs(const std::string& user_id) {
  std::lock_guard lock(mu_);
  return newest_first(domain::RunKind::ingest,
                      [&](const ports::RunRecord& record) { return user_id.empty() || record.user_id == user_id; });
}

ports::RunCounts MemoryRunStore::count_runs() {
  std::lock_guard lock(mu_);
  ports::RunCounts counts;
  for (const auto& [id, run] : runs_) {
    if (run.record.kind != domain::RunKind::course) continue;
    switch (run.record.status) {
      case ports::RunStatus::processing:
        ++counts.processing;
        break;
      case ports::RunStatus::complete:
        ++counts.complete;
        break;
      case ports::RunStatus::error:
        ++counts.error;
        break;
    }
  }
  return counts;
}

bool MemoryRunStore::remove(const std::string& course_id) {
  std::lock_guard lock(mu_);
  const bool had_run = runs_.erase(course_id) > 0;
  history_.erase(course_id);
  std::erase_if(dead_letters_, [&](const ports::DeadLetter& letter) { return letter.course_id == course_id; });
  return had_run;
}

int MemoryRunStore::expire_states(std::int64_t now_ms, std::int64_t /*state_ttl_ms*/) {
  std::lock_guard lock(mu_);
  int changed = 0;
  for (auto& [id, run] : runs_) {
    ports::RunRecord& record = run.record;
    // A processing run may have its event queued, delayed or leased: only the queue knows (header).
    if (!record.state || record.expires_at_ms > now_ms || record.status == ports::RunStatus::processing) continue;
    record.state.reset();
    ++record.version;
    ++changed;
  }
  return changed;
}

std::vector<ports::DeadLetter> MemoryRunStore::list() {
  std::lock_guard lock(mu_);
  return dead_letters_;
}

std::optional<ports::DeadLetter> MemoryRunStore::get(const std::string& id) {
  std::lock_guard lock(mu_);
  for (const auto& letter : dead_letters_) {
    if (letter.id == id) return letter;
  }
  return std::nullopt;
}

std::int64_t MemoryRunStore::count() {
  std::lock_guard lock(mu_);
  return static_cast<std::int64_t>(dead_letters_.size());
}

void MemoryRunStore::bury(const ports::DeadLetter& letter) {
  std::lock_guard lock(mu_);
  std::erase_if(dead_letters_, [&](const ports::DeadLetter& l) { return l.event.event_id == letter.event.event_id; });
  ports::DeadLetter kept = letter;
  kept.id = "dl-" + std::to_string(next_dead_letter_id_++);
  if (kept.course_id.empty()) kept.course_id = kept.event.course_id;
  dead_letters_.push_back(std::move(kept));
}

std::vector<domain::Envelope> MemoryRunStore::unpublished(std::int64_t updated_before_ms) {
  std::lock_guard lock(mu_);
  std::vector<domain::Envelope> events;
  for (const auto& [id, run] : runs_) {
    if (run.record.outbox && run.record.updated_at_ms <= updated_before_ms) events.push_back(*run.record.outbox);
  }
  return events;
}

std::map<std::string, ports::StoredCourse> MemoryRunStore::stored_courses() const {
  std::lock_guard lock(mu_);
  return stored_courses_;
}

void MemoryRunStore::crash_after_next_commit() {
  std::lock_guard lock(mu_);
  crash_after_next_commit_ = true;
}

}  // namespace docprof::test_support
