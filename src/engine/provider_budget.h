// BudgetedModel, BudgetedEmbedder: the per-provider budgets of a worker process (issue 6, item 3),
// as decorators around any LanguageModel or Embedder. Build one per provider and share it between every step of the process.
// Each call waits, in arrival order, until all three budgets allow it, then runs:
//
//   max_in_flight        at most this many calls inside the provider at once.
//   requests_per_minute  request starts spaced evenly, at least 60 000 / rpm ms apart (the first
//                        after an idle spell starts at once). Spacing rather than a sliding window:
//                        it never bursts, which is what providers that also meter per second want.
//   tokens_per_minute    a sliding 60 s window of token charges. Before a call it reserves an
//                        estimate, ceil(prompt chars / 4) + max_tokens; after it, the charge is
//                        reconciled to the usage the provider reported (input + output tokens;
//                        when it reported none, the estimate of prompt and answer at 4 chars a
//                        token). A failed call keeps only its prompt estimate (the provider may
//                        have read it). A charge counts for 60 s from its call's start, and for as
//                        long as the call runs. A call waits until charges + its estimate fit the
//                        budget. An estimate larger than the whole budget is reserved as the whole
//                        budget: such a call proceeds alone, once the window is empty, rather than
//                        never.
//
// A zero (or negative) budget is no budget. Callers wait without limit, on the SteadyTimer (so
// tests drive time by hand); arrival order is kept, so a large request is not starved by small
// ones.
//
// Thread safety: complete(), embed() and stats() may be called concurrently from any number of
// threads.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "engine/steady_timer.h"
#include "ports/embedder.h"
#include "ports/language_model.h"

namespace docprof::engine {

struct ProviderBudget {
  int max_in_flight = 0;
  int requests_per_minute = 0;
  std::int64_t tokens_per_minute = 0;
};

struct BudgetStats {
  int in_flight = 0;
  int peak_in_flight = 0;
  int waiting = 0;                    // callers blocked on a budget right now
  std::int64_t started = 0;           // calls handed to the provider
  std::int64_t tokens_in_window = 0;  // charges (reserved or reconciled) counting right now
  std::int64_t oversize = 0;          // calls whose estimate exceeded the whole token budget
};

// The admission control behind both decorators: a caller admits an estimate (blocking until the
// budgets allow it) and settles the charge when its call is over.
class ProviderBudgetGate {
 public:
  static constexpr std::int64_t kWindowMs = 60'000;

  explicit ProviderBudgetGate(ProviderBudget budget, SteadyTimer& timer = system_steady_timer());

  std::uint64_t admit(std::int64_t estimate);          // blocks; returns the charge id
  void settle(std::uint64_t id, std::int64_t tokens);  // reconciles the charge, frees the slot
  BudgetStats stats();

 private:
  struct Charge {
    std::uint64_t id = 0;
    std::int64_t started_ms = 0;
    std::int64_t tokens = 0;
    bool running = true;
  };

  void expire(std::int64_t now);         // requires mu_
  std::int64_t charged() const;          // requires mu_
  std::int64_t next_expiry() const;      // requires mu_; kForever if none

  const ProviderBudget budget_;
  SteadyTimer& timer_;

  std::mutex mu_;
  std::condition_variable changed_;
  std::uint64_t next_ticket_ = 0;   // arrival order
  std::uint64_t serving_ = 0;       // the ticket allowed to start next
  std::int64_t next_start_ms_ = 0;  // earliest start of the next request (rpm)
  bool any_start_ = false;
  std::uint64_t next_charge_id_ = 1;
  std::deque<Charge> charges_;  // by start time
  BudgetStats stats_;
};

class BudgetedModel final : public ports::LanguageModel {
 public:
  static constexpr std::int64_t kWindowMs = ProviderBudgetGate::kWindowMs;

  // Throws std::invalid_argument for a null inner model.
  BudgetedModel(std::shared_ptr<ports::LanguageModel> inner, ProviderBudget budget,
                SteadyTimer& timer = system_steady_timer());

  ports::LlmResult complete(const domain::LlmRequest& request,
                            const ports::CallContext& context) override;
  std::string name() const override { return inner_->name(); }

  BudgetStats stats() { return gate_.stats(); }
  // The reservation a request makes before its call: ceil(rendered chars / 4) + max_tokens.
  static std::int64_t estimate_tokens(const domain::LlmRequest& request);

 private:
  std::shared_ptr<ports::LanguageModel> inner_;
  ProviderBudgetGate gate_;
};

// The same budgets for an embeddings provider: a call (one batch of texts) reserves and is charged
// ceil(chars / 4) of all its texts (embedding answers are not metered per call here).
class BudgetedEmbedder final : public ports::Embedder {
 public:
  // Throws std::invalid_argument for a null inner embedder.
  BudgetedEmbedder(std::shared_ptr<ports::Embedder> inner, ProviderBudget budget,
                   SteadyTimer& timer = system_steady_timer());

  ports::EmbedResult embed(std::span<const std::string> texts) override;
  int dims() const override { return inner_->dims(); }
  std::string model() const override { return inner_->model(); }
  double default_min_similarity() const override { return inner_->default_min_similarity(); }

  BudgetStats stats() { return gate_.stats(); }

 private:
  std::shared_ptr<ports::Embedder> inner_;
  ProviderBudgetGate gate_;
};

}  // namespace docprof::engine
