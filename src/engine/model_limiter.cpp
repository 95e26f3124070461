#include "engine/model_limiter.h"

#include <algorithm>

namespace docprof::engine {

ConcurrencyLimitedModel::ConcurrencyLimitedModel(ports::LanguageModel& inner, int max_in_flight)
    : inner_(inner), max_in_flight_(std::max(1, max_in_flight)) {}

ports::LlmResult ConcurrencyLimitedModel::complete(const domain::LlmRequest& request,
                                                   const ports::CallContext& context) {
  {
    std::unique_lock lock(mu_);
    freed_.wait(lock, [&] { return in_flight_ < max_in_flight_; });
    ++in_flight_;
    peak_ = std::max(peak_, in_flight_);
  }
  struct Release {
    ConcurrencyLimitedModel* self;
    ~Release() {
      {
        std::lock_guard lock(self->mu_);
        --self->in_flight_;
      }
      self->freed_.notify_one();
    }
  } release{this};
  return inner_.complete(request, context);
}

int ConcurrencyLimitedModel::in_flight() const {
  std::lock_guard lock(mu_);
  return in_flight_;
}

int ConcurrencyLimitedModel::peak_in_flight() const {
  std::lock_guard lock(mu_);
  return peak_;
}

}  // namespace docprof::engine
