// StreamSlots: the per-user cap on open event streams (server.max_streams_per_user). A stream holds
// a Slot for its whole life; acquire() refuses once the user holds `per_user` of them.
//
// Thread safety: safe for concurrent use; a Slot may be released on any thread.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace docprof::api {

class StreamSlots {
 public:
  // One open stream of a user; releases its slot when destroyed.
  class Slot {
   public:
    Slot(std::shared_ptr<StreamSlots> owner, std::string user) : owner_(std::move(owner)), user_(std::move(user)) {}
    ~Slot() { owner_->release(user_); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    std::shared_ptr<StreamSlots> owner_;
    std::string user_;
  };

  // per_user 0: no cap.
  explicit StreamSlots(std::size_t per_user) : per_user_(per_user) {}

  // A slot for one more stream of the user; nullptr when the user is at the cap.
  static std::unique_ptr<Slot> acquire(const std::shared_ptr<StreamSlots>& slots, const std::string& user) {
    {
      std::lock_guard lock(slots->mu_);
      std::size_t& open = slots->open_[user];
      if (slots->per_user_ > 0 && open >= slots->per_user_) return nullptr;
      ++open;
    }
    return std::make_unique<Slot>(slots, user);
  }

  std::size_t open(const std::string& user) const {
    std::lock_guard lock(mu_);
    const auto it = open_.find(user);
    return it == open_.end() ? 0 : it->second;
  }
  std::size_t per_user() const { return per_user_; }

 private:
  void release(const std::string& user) {
    std::lock_guard lock(mu_);
    if (auto it = open_.find(user); it != open_.end() && --it->second == 0) open_.erase(it);
  }

  std::size_t per_user_;
  mutable std::mutex mu_;
  std::map<std::string, std::size_t> open_;
};

}  // namespace docprof::api
