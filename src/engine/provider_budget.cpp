#include "engine/provider_budget.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace docprof::engine {

namespace {

std::int64_t chars_to_tokens(std::size_t chars) {
  return static_cast<std::int64_t>((chars + 3) / 4);
}

}  // namespace

BudgetedModel::BudgetedModel(std::shared_ptr<ports::LanguageModel> inner, ProviderBudget budget,
                             SteadyTimer& timer)
    : inner_(std::move(inner)), gate_(budget, timer) {
  if (!inner_) throw std::invalid_argument("BudgetedModel: no inner model");
}

std::int64_t BudgetedModel::estimate_tokens(const domain::LlmRequest& request) {
  return chars_to_tokens(request.rendered.size()) + std::max(0, request.max_tokens);
}

ports::LlmResult BudgetedModel::complete(const domain::LlmRequest& request,
                                         const ports::CallContext& context) {
  const std::int64_t prompt_tokens = chars_to_tokens(request.rendered.size());
  const std::uint64_t id = gate_.admit(estimate_tokens(request));
  ports::LlmResult result;
  try {
    result = inner_->complete(request, context);
  } catch (...) {
    gate_.settle(id, prompt_tokens);
    throw;
  }
  std::int64_t actual = prompt_tokens;  // a failed call: the provider may have read the prompt
  if (const auto* outcome = std::get_if<domain::ModelOutcome>(&result)) {
    actual = outcome->usage.total() > 0 ? outcome->usage.total()
                                        : prompt_tokens + chars_to_tokens(outcome->text.size());
  }
  gate_.settle(id, actual);
  return result;
}

BudgetedEmbedder::BudgetedEmbedder(std::shared_ptr<ports::Embedder> inner, ProviderBudget budget,
                                   SteadyTimer& timer)
    : inner_(std::move(inner)), gate_(budget, timer) {
  if (!inner_) throw std::invalid_argument("BudgetedEmbedder: no inner embedder");
}

ports::EmbedResult BudgetedEmbedder::embed(std::span<const std::string> texts) {
  std::int64_t tokens = 0;
  for (const auto& text : texts) tokens += chars_to_tokens(text.size());
  const std::uint64_t id = gate_.admit(tokens);
  try {
    auto result = inner_->embed(texts);
    gate_.settle(id, tokens);
    return result;
  } catch (...) {
    gate_.settle(id, tokens);
    throw;
  }
}

ProviderBudgetGate::ProviderBudgetGate(ProviderBudget budget, SteadyTimer& timer)
    : budget_(budget), timer_(timer) {}

std::uint64_t ProviderBudgetGate::admit(std::int64_t estimate) {
  std::unique_lock lock(mu_);
  const std::uint64_t ticket = next_ticket_++;
  std::int64_t reservation = estimate;
  if (budget_.tokens_per_minute > 0 && estimate > budget_.tokens_per_minute) {
    reservation = budget_.tokens_per_minute;  // the whole budget: it runs alone
    ++stats_.oversize;
  }
  ++stats_.waiting;
  std::int64_t now = 0;
  for (;;) {
    now = timer_.now_ms();
    std::int64_t deadline = SteadyTimer::kForever;
    bool ready = ticket == serving_;
    if (ready) {
      expire(now);
      if (budget_.max_in_flight > 0 && stats_.in_flight >= budget_.max_in_flight) ready = false;
      if (budget_.requests_per_minute > 0 && any_start_ && now < next_start_ms_) {
        ready = false;
        deadline = std::min(deadline, next_start_ms_);
      }
      if (budget_.tokens_per_minute > 0 && charged() + reservation > budget_.tokens_per_minute) {
        ready = false;
        deadline = std::min(deadline, next_expiry());
      }
    }
    if (ready) break;
    timer_.wait_until(changed_, lock, deadline);
  }
  --stats_.waiting;
  ++serving_;
  ++stats_.in_flight;
  ++stats_.started;
  stats_.peak_in_flight = std::max(stats_.peak_in_flight, stats_.in_flight);
  if (budget_.requests_per_minute > 0) {
    const std::int64_t interval =
        (kWindowMs + budget_.requests_per_minute - 1) / budget_.requests_per_minute;
    next_start_ms_ = now + interval;
    any_start_ = true;
  }
  const std::uint64_t id = next_charge_id_++;
  charges_.push_back(Charge{id, now, reservation, true});
  lock.unlock();
  changed_.notify_all();  // the next in line may go now
  return id;
}

void ProviderBudgetGate::settle(std::uint64_t id, std::int64_t tokens) {
  {
    std::lock_guard lock(mu_);
    for (auto& charge : charges_) {
      if (charge.id == id) {
        charge.tokens = tokens;
        charge.running = false;
        break;
      }
    }
    --stats_.in_flight;
  }
  changed_.notify_all();
}

void ProviderBudgetGate::expire(std::int64_t now) {
  std::erase_if(charges_, [&](const Charge& charge) {
    return !charge.running && charge.started_ms + kWindowMs <= now;
  });
}

std::int64_t ProviderBudgetGate::charged() const {
  std::int64_t sum = 0;
  for (const auto& charge : charges_) sum += charge.tokens;
  return sum;
}

std::int64_t ProviderBudgetGate::next_expiry() const {
  std::int64_t earliest = SteadyTimer::kForever;
  for (const auto& charge : charges_) {
    if (!charge.running) earliest = std::min(earliest, charge.started_ms + kWindowMs);
  }
  return earliest;
}

BudgetStats ProviderBudgetGate::stats() {
  std::lock_guard lock(mu_);
  expire(timer_.now_ms());
  BudgetStats out = stats_;
  out.tokens_in_window = charged();
  return out;
}

}  // namespace docprof::engine
