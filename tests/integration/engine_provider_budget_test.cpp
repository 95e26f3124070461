// BudgetedModel: the per-provider cap on calls in flight, requests-per-minute spacing and the
// tokens-per-minute window, against a scripted model (the one boundary tests may replace) and a
// manual steady timer. Time moves only when a test advances it; real time only bounds how long a
// test waits for its threads to reach the state it expects.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <thread>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "engine/provider_budget.h"
#include "engine/steady_timer.h"

namespace {

using namespace docprof;
using engine::BudgetedModel;
using engine::ManualSteadyTimer;
using engine::ProviderBudget;

// Polls `done` until it holds (true) or 10 s of real time pass (false).
bool eventually(const std::function<bool()>& done,
                std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return done();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// A model whose calls record their start (on the manual timer), optionally wait at a gate until the
// test lets them through, and answer with the next scripted result (or "ok" with no usage).
class ScriptedModel final : public ports::LanguageModel {
 public:
  explicit ScriptedModel(engine::SteadyTimer& timer) : timer_(timer) {}

  ports::LlmResult complete(const domain::LlmRequest&, const ports::CallContext&) override {
    std::unique_lock lock(mu_);
    starts_.push_back(timer_.now_ms());
    peak_ = std::max(peak_, ++in_flight_);
    cv_.wait(lock, [&] { return !gated_ || passes_ > 0; });
    if (gated_) --passes_;
    ports::LlmResult result = domain::ModelOutcome{"ok", {}, "stop"};
    if (!script_.empty()) {
      result = script_.front();
      script_.pop_front();
    }
    --in_flight_;
    return result;
  }
  std::string name() const override { return "scripted:test"; }

  void then(ports::LlmResult result) {
    std::lock_guard lock(mu_);
    script_.push_back(std::move(result));
  }
  void gate() {
    std::lock_guard lock(mu_);
    gated_ = true;
  }
  void let_through(int n) {
    {
      std::lock_guard lock(mu_);
      passes_ += n;
    }
    cv_.notify_all();
  }
  void open() {
    {
      std::lock_guard lock(mu_);
      gated_ = false;
    }
    cv_.notify_all();
  }
  int calls() {
    std::lock_guard lock(mu_);
    return static_cast<int>(starts_.size());
  }
  std::vector<std::int64_t> starts() {
    std::lock_guard lock(mu_);
    return starts_;
  }
  int in_flight() {
    std::lock_guard lock(mu_);
    return in_flight_;
  }
  int peak() {
    std::lock_guard lock(mu_);
    return peak_;
  }

 private:
  engine::SteadyTimer& timer_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::int64_t> starts_;
  std::deque<ports::LlmResult> script_;
  bool gated_ = false;
  int passes_ = 0;
  int in_flight_ = 0;
  int peak_ = 0;
};

domain::ModelOutcome used(std::int64_t input, std::int64_t output) {
  return domain::ModelOutcome{"ok", domain::TokenUsage{input, output, 1}, "stop"};
}

// A request estimated at `prompt_tokens` (4 chars each) + `max_tokens`.
domain::LlmRequest request(int prompt_tokens, int max_tokens) {
  domain::LlmRequest r;
  r.task = "generate_course_parts";
  r.rendered = std::string(static_cast<std::size_t>(prompt_tokens) * 4, 'x');
  r.max_tokens = max_tokens;
  return r;
}

struct Fixture {
  explicit Fixture(ProviderBudget budget)
      : model(std::make_shared<ScriptedModel>(timer)), budgeted(model, budget, timer) {}

  std::thread call(domain::LlmRequest r) {
    return std::thread([this, r] { budgeted.complete(r, ports::CallContext{"course"}); });
  }

  ManualSteadyTimer timer;
  std::shared_ptr<ScriptedModel> model;
  BudgetedModel budgeted;
};

TEST(EngineProviderBudget, EstimateIsPromptCharsOverFourPlusMaxTokens) {
  domain::LlmRequest r = request(100, 400);
  EXPECT_EQ(BudgetedModel::estimate_tokens(r), 500);
  r.rendered += "x";  // 401 chars: rounded up
  EXPECT_EQ(BudgetedModel::estimate_tokens(r), 501);
}

TEST(EngineProviderBudget, NameIsTheProvidersAndANullModelIsRefused) {
  ManualSteadyTimer timer;
  BudgetedModel budgeted(std::make_shared<ScriptedModel>(timer), ProviderBudget{}, timer);
  EXPECT_EQ(budgeted.name(), "scripted:test");
  EXPECT_THROW(BudgetedModel(nullptr, ProviderBudget{}, timer), std::invalid_argument);
}

TEST(EngineProviderBudget, CallsInFlightNeverExceedTheCapUnderSixteenThreads) {
  Fixture f(ProviderBudget{4, 0, 0});
  f.model->gate();
  constexpr int kThreads = 16;
  constexpr int kCallsEach = 3;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kCallsEach; ++i)
        f.budgeted.complete(request(10, 10), ports::CallContext{"c"});
    });
  }
  // The cap is reached, and everyone else waits for it.
  ASSERT_TRUE(eventually(
      [&] { return f.model->in_flight() == 4 && f.budgeted.stats().waiting == kThreads - 4; }));
  EXPECT_EQ(f.budgeted.stats().in_flight, 4);
  f.model->open();
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(f.model->peak(), 4) << "the provider saw more calls at once than the cap";
  const auto stats = f.budgeted.stats();
  EXPECT_EQ(stats.peak_in_flight, 4);
  EXPECT_EQ(stats.in_flight, 0);
  EXPECT_EQ(stats.waiting, 0);
  EXPECT_EQ(stats.started, kThreads * kCallsEach);
  EXPECT_EQ(f.model->calls(), kThreads * kCallsEach);
}

TEST(EngineProviderBudget, RequestStartsAreSpacedByTheRequestsPerMinuteBudget) {
  Fixture f(ProviderBudget{0, 60, 0});  // one start a second
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) threads.push_back(f.call(request(10, 10)));
  ASSERT_TRUE(eventually([&] { return f.model->calls() == 1 && f.budgeted.stats().waiting == 2; }));

  f.timer.set(999);
  EXPECT_FALSE(eventually([&] { return f.model->calls() > 1; }, std::chrono::milliseconds(30)))
      << "a second request started before its slot";
  f.timer.set(1'000);
  ASSERT_TRUE(eventually([&] { return f.model->calls() == 2; }));
  f.timer.set(1'999);
  EXPECT_FALSE(eventually([&] { return f.model->calls() > 2; }, std::chrono::milliseconds(30)));
  f.timer.set(2'000);
  ASSERT_TRUE(eventually([&] { return f.model->calls() == 3; }));
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(f.model->starts(), (std::vector<std::int64_t>{0, 1'000, 2'000}));

  // After an idle spell the next request starts at once: spacing, not a backlog.
  f.timer.set(10'000);
  f.budgeted.complete(request(10, 10), ports::CallContext{"c"});
  EXPECT_EQ(f.model->starts().back(), 10'000);
}

TEST(EngineProviderBudget, TokensAreReservedBeforeACallAndReconciledWithItsUsage) {
  Fixture f(ProviderBudget{0, 0, 1'000});
  // A: estimated 500, used 150.
  f.model->then(used(100, 50));
  f.budgeted.complete(request(100, 400), ports::CallContext{"c"});
  EXPECT_EQ(f.budgeted.stats().tokens_in_window, 150);

  // B runs (held at the gate) on its 500-token reservation: 650 in the window.
  f.model->gate();
  f.model->then(used(100, 100));
  f.model->then(used(300, 300));
  auto b = f.call(request(100, 400));
  ASSERT_TRUE(eventually([&] { return f.model->calls() == 2; }));
  EXPECT_EQ(f.budgeted.stats().tokens_in_window, 650);

  // C (500 more) does not fit until B's reservation shrinks to its real 200.
  auto c = f.call(request(100, 400));
  ASSERT_TRUE(eventually([&] { return f.budgeted.stats().waiting == 1; }));
  EXPECT_EQ(f.model->calls(), 2);
  f.model->let_through(1);  // B finishes: 150 + 200 + C's 500 fit
  ASSERT_TRUE(eventually([&] { return f.model->calls() == 3; }));
  b.join();
  EXPECT_EQ(f.budgeted.stats().tokens_in_window, 850);
  EXPECT_EQ(f.model->starts().back(), 0) << "C needed no time to pass, only B's reconciliation";
  f.model->let_through(1);
  c.join();
  EXPECT_EQ(f.budgeted.stats().tokens_in_window, 950);

  // D waits for the charges of A, B and C (all started at 0) to leave the 60 s window.
  f.model->open();
  f.model->then(used(40, 60));
  f.timer.set(10'000);
  auto d = f.call(request(100, 400));
  ASSERT_TRUE(eventually([&] { return f.budgeted.stats().waiting == 1; }));
  f.timer.set(59'999);
  EXPECT_FALSE(eventually([&] { return f.model->calls() > 3; }, std::chrono::milliseconds(30)));
  f.timer.set(60'000);
  d.join();
  EXPECT_EQ(f.model->starts().back(), 60'000);
  EXPECT_EQ(f.budgeted.stats().tokens_in_window, 100);
}

TEST(EngineProviderBudget, AFailedCallKeepsItsPromptAndAnUnmeteredAnswerIsEstimated) {
  Fixture f(ProviderBudget{0, 0, 10'000});
  f.model->then(
      ports::ProviderError{"server_error", "upstream unavailable", true, 503, std::nullopt});
  f.budgeted.complete(request(100, 400), ports::CallContext{"c"});
  EXPECT_EQ(f.budgeted.stats().tokens_in_window, 100);

  f.model->then(domain::ModelOutcome{std::string(40, 'y'), {}, "stop"});  // no usage reported
  f.budgeted.complete(request(100, 400), ports::CallContext{"c"});
  EXPECT_EQ(f.budgeted.stats().tokens_in_window, 100 + 100 + 10);
}

TEST(EngineProviderBudget, ARequestLargerThanTheWholeBudgetProceedsAloneAndKeepsItsTurn) {
  Fixture f(ProviderBudget{0, 0, 1'000});
  f.model->then(used(200, 100));
  f.budgeted.complete(request(100, 400), ports::CallContext{"c"});  // 300 in the window from t=0

  // The oversize call (5 000 estimated) is reserved as the whole budget: it waits for an empty
  // window.
  f.model->gate();
  f.model->then(used(1'000, 3'000));
  auto big = f.call(request(1'000, 4'000));
  ASSERT_TRUE(eventually([&] { return f.budgeted.stats().waiting == 1; }));
  EXPECT_EQ(f.budgeted.stats().oversize, 1);
  // A small call arriving after it would fit (300 + 200) but does not overtake it.
  auto small = f.call(request(100, 100));
  ASSERT_TRUE(eventually([&] { return f.budgeted.stats().waiting == 2; }));
  EXPECT_FALSE(eventually([&] { return f.model->calls() > 1; }, std::chrono::milliseconds(30)));

  f.timer.set(60'000);  // the first charge leaves the window: the big call runs, alone
  ASSERT_TRUE(eventually([&] { return f.model->calls() == 2; }));
  EXPECT_EQ(f.model->starts().back(), 60'000);
  EXPECT_EQ(f.budgeted.stats().tokens_in_window, 1'000);
  f.model->let_through(1);
  big.join();
  EXPECT_EQ(f.budgeted.stats().tokens_in_window, 4'000) << "reconciled to what it really used";
  EXPECT_EQ(f.budgeted.stats().waiting, 1) << "the small call waits out the big one's 4 000 tokens";

  f.model->open();
  f.timer.set(120'000);
  small.join();
  EXPECT_EQ(f.model->starts().back(), 120'000);
}

// An embeddings provider gets the same budgets: calls in flight capped, a call charged its texts.
class SlowEmbedder final : public ports::Embedder {
 public:
  ports::EmbedResult embed(std::span<const std::string> texts) override {
    {
      std::lock_guard lock(mu_);
      peak_ = std::max(peak_, ++in_flight_);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::lock_guard lock(mu_);
    --in_flight_;
    ++calls_;
    return std::vector<ports::Embedding>(texts.size(), ports::Embedding(4, 0.5f));
  }
  int dims() const override { return 4; }
  std::string model() const override { return "slow/4"; }
  double default_min_similarity() const override { return 0.3; }
  int peak() {
    std::lock_guard lock(mu_);
    return peak_;
  }
  int calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  std::mutex mu_;
  int in_flight_ = 0;
  int peak_ = 0;
  int calls_ = 0;
};

TEST(EngineProviderBudget, GuardsAnEmbedderToo) {
  auto inner = std::make_shared<SlowEmbedder>();
  engine::BudgetedEmbedder budgeted(inner, ProviderBudget{2, 0, 0});
  EXPECT_EQ(budgeted.model(), "slow/4");
  EXPECT_EQ(budgeted.dims(), 4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      const std::vector<std::string> texts{"valuation", "discounted cash flow"};
      for (int i = 0; i < 5; ++i) {
        const auto result = budgeted.embed(texts);
        ASSERT_TRUE(std::holds_alternative<std::vector<ports::Embedding>>(result));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(inner->calls(), 40);
  EXPECT_LE(inner->peak(), 2) << "the embeddings provider saw more calls at once than the cap";
  const auto stats = budgeted.stats();
  EXPECT_LE(stats.peak_in_flight, 2);
  EXPECT_EQ(stats.started, 40);
  EXPECT_EQ(stats.tokens_in_window, 40 * (3 + 5));  // ceil(9/4) + ceil(20/4) per call
  EXPECT_THROW(engine::BudgetedEmbedder(nullptr, ProviderBudget{}), std::invalid_argument);
}

}  // namespace
