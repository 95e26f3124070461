// ConcurrencyLimitedModel: caps the model calls in flight across all steps of a worker process,
// separately from the number of steps in flight (steps also embed, search and store).
//
// Thread safety: safe for concurrent use; blocks callers while the cap is reached.
#pragma once

#include <condition_variable>
#include <mutex>

#include "ports/language_model.h"

namespace docprof::engine {

class ConcurrencyLimitedModel final : public ports::LanguageModel {
 public:
  ConcurrencyLimitedModel(ports::LanguageModel& inner, int max_in_flight);

  ports::LlmResult complete(const domain::LlmRequest& request, const ports::CallContext& context) override;
  std::string name() const override { return inner_.name(); }

  int in_flight() const;
  int peak_in_flight() const;

 private:
  ports::LanguageModel& inner_;
  const int max_in_flight_;
  mutable std::mutex mu_;
  std::condition_variable freed_;
  int in_flight_ = 0;
  int peak_ = 0;
};

}  // namespace docprof::engine
