// CircuitBreakerModel / CircuitBreakerEmbedder: closed → open after N transient failures in a row,
// circuit_open refusals carrying the cooldown left, the half-open probe, doubled cooldowns, and
// permanent errors that do not trip — against scripted providers and a manual steady timer. Last,
// a whole course through the engine and a real SQLite file while the provider fails for a burst.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "engine/circuit_breaker.h"
#include "engine/steady_timer.h"
#include "integration/engine_harness.h"

namespace {

using namespace docprof;
using engine::CircuitBreakerModel;
using engine::CircuitBreakerOptions;
using engine::CircuitState;
using engine::ManualSteadyTimer;

ports::ProviderError unavailable() {
  return ports::ProviderError{"server_error", "upstream unavailable", true, 503, std::nullopt};
}
ports::ProviderError unauthorized() {
  return ports::ProviderError{"unauthorized", "invalid api key", false, 401, std::nullopt};
}

// Answers with the next scripted result ("ok" once the script is empty); a scripted nullopt
// throws. With the gate closed, calls wait inside until the test lets them through.
class ScriptedModel final : public ports::LanguageModel {
 public:
  ports::LlmResult complete(const domain::LlmRequest&, const ports::CallContext&) override {
    std::unique_lock lock(mu_);
    ++calls_;
    ++in_flight_;
    cv_.wait(lock, [&] { return !gated_ || passes_ > 0; });
    if (gated_) --passes_;
    --in_flight_;
    if (script_.empty()) return domain::ModelOutcome{"ok", {}, "stop"};
    auto next = script_.front();
    script_.pop_front();
    if (!next) throw std::runtime_error("the provider adapter threw");
    return *next;
  }
  std::string name() const override { return "openai:gpt-4o-mini"; }

  void then(std::optional<ports::LlmResult> result, int times = 1) {
    std::lock_guard lock(mu_);
    for (int i = 0; i < times; ++i) script_.push_back(result);
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
  int calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }
  int in_flight() {
    std::lock_guard lock(mu_);
    return in_flight_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::optional<ports::LlmResult>> script_;
  bool gated_ = false;
  int passes_ = 0;
  int calls_ = 0;
  int in_flight_ = 0;
};

struct Fixture {
  explicit Fixture(CircuitBreakerOptions options = {})
      : model(std::make_shared<ScriptedModel>()), breaker(model, options, timer) {}

  ports::LlmResult call() {
    domain::LlmRequest request;
    request.task = "generate_course_parts";
    return breaker.complete(request, ports::CallContext{"course"});
  }

  ManualSteadyTimer timer;
  std::shared_ptr<ScriptedModel> model;
  CircuitBreakerModel breaker;
};

const ports::ProviderError* error_of(const ports::LlmResult& result) {
  return std::get_if<ports::ProviderError>(&result);
}

bool refused(const ports::LlmResult& result) {
  const auto* error = error_of(result);
  return error != nullptr && error->code == "circuit_open";
}

TEST(EngineCircuitBreaker, OpensAfterFiveTransientFailuresInARowAndSaysWhy) {
  Fixture f;
  f.model->then(unavailable(), 5);
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(refused(f.call()));
  EXPECT_EQ(f.breaker.state(), CircuitState::closed);
  EXPECT_EQ(f.breaker.breaker().consecutive_failures(), 4);
  const auto fifth = f.call();
  ASSERT_NE(error_of(fifth), nullptr);
  EXPECT_EQ(error_of(fifth)->code, "server_error")
      << "the failure that trips is returned as it was";
  EXPECT_EQ(f.breaker.state(), CircuitState::open);
  EXPECT_EQ(f.breaker.trips(), 1);

  const auto refusal = f.call();
  ASSERT_TRUE(refused(refusal));
  EXPECT_EQ(f.model->calls(), 5) << "an open circuit does not call the provider";
  const auto& error = *error_of(refusal);
  EXPECT_TRUE(error.transient);
  EXPECT_EQ(error.http_status, 0);
  EXPECT_EQ(error.retry_after_ms, 30'000);
  EXPECT_EQ(error.message,
            "openai:gpt-4o-mini is failing (5 calls in a row; last: 503 upstream unavailable); "
            "not calling it for 30 s");

  f.timer.advance(10'500);
  const auto later = f.call();
  ASSERT_TRUE(refused(later));
  EXPECT_EQ(error_of(later)->retry_after_ms, 19'500) << "the cooldown left";
  EXPECT_NE(error_of(later)->message.find("not calling it for 20 s"), std::string::npos);
  EXPECT_EQ(f.model->calls(), 5);
}

TEST(EngineCircuitBreaker, ASuccessfulProbeClosesTheCircuitAndResetsTheCooldown) {
  Fixture f;
  f.model->then(unavailable(), 5);
  for (int i = 0; i < 5; ++i) f.call();
  ASSERT_EQ(f.breaker.state(), CircuitState::open);
  f.timer.advance(30'000);

  const auto probe = f.call();  // the script is empty: the provider answers
  EXPECT_EQ(error_of(probe), nullptr);
  EXPECT_EQ(f.model->calls(), 6);
  EXPECT_EQ(f.breaker.state(), CircuitState::closed);
  EXPECT_EQ(f.breaker.breaker().consecutive_failures(), 0);
  EXPECT_FALSE(refused(f.call()));

  // A new trip starts again from the first cooldown.
  f.model->then(unavailable(), 5);
  for (int i = 0; i < 5; ++i) f.call();
  EXPECT_EQ(f.breaker.trips(), 2);
  EXPECT_EQ(error_of(f.call())->retry_after_ms, 30'000);
}

TEST(EngineCircuitBreaker, AFailedProbeReopensWithTheCooldownDoubledUpToTheCap) {
  Fixture f(CircuitBreakerOptions{2, 1'000, 3'000, 1'000});
  f.model->then(unavailable(), 5);
  f.call();
  f.call();
  ASSERT_EQ(f.breaker.state(), CircuitState::open);
  EXPECT_EQ(error_of(f.call())->retry_after_ms, 1'000);

  f.timer.advance(1'000);
  EXPECT_EQ(error_of(f.call())->code, "server_error") << "the probe reached the provider";
  EXPECT_EQ(f.breaker.state(), CircuitState::open);
  EXPECT_EQ(f.breaker.trips(), 2);
  const auto doubled = f.call();
  EXPECT_EQ(error_of(doubled)->retry_after_ms, 2'000);
  EXPECT_NE(error_of(doubled)->message.find("(3 calls in a row; last: 503 upstream unavailable)"),
            std::string::npos)
      << error_of(doubled)->message;

  f.timer.advance(2'000);
  f.call();  // probe fails: 4 000 capped to 3 000
  EXPECT_EQ(error_of(f.call())->retry_after_ms, 3'000);
  f.timer.advance(3'000);
  f.call();  // fails again: stays at the cap
  EXPECT_EQ(error_of(f.call())->retry_after_ms, 3'000);
  EXPECT_EQ(f.model->calls(), 5);

  f.timer.advance(3'000);
  EXPECT_EQ(error_of(f.call()), nullptr);
  EXPECT_EQ(f.breaker.state(), CircuitState::closed);
  EXPECT_EQ(f.breaker.breaker().current_cooldown_ms(), 1'000);
}

TEST(EngineCircuitBreaker, OnlyOneProbeRunsAtATime) {
  Fixture f(CircuitBreakerOptions{1, 1'000, 8'000, 250});
  f.model->then(unavailable());
  f.call();
  f.timer.advance(1'000);

  f.model->gate();
  std::thread probe([&] { EXPECT_EQ(error_of(f.call()), nullptr); });
  ASSERT_TRUE(test_support::wait_until([&] { return f.model->in_flight() == 1; }));
  EXPECT_EQ(f.breaker.state(), CircuitState::half_open);
  const auto meanwhile = f.call();
  ASSERT_TRUE(refused(meanwhile));
  EXPECT_EQ(error_of(meanwhile)->retry_after_ms, 250);
  EXPECT_NE(error_of(meanwhile)->message.find("a trial call is checking whether it has recovered"),
            std::string::npos)
      << error_of(meanwhile)->message;
  EXPECT_EQ(f.model->calls(), 2);

  f.model->let_through(1);
  probe.join();
  EXPECT_EQ(f.breaker.state(), CircuitState::closed);
}

TEST(EngineCircuitBreaker, PermanentErrorsDoNotTripIt) {
  Fixture f(CircuitBreakerOptions{3, 1'000, 8'000, 1'000});
  f.model->then(unauthorized(), 10);
  for (int i = 0; i < 10; ++i) {
    const auto result = f.call();
    ASSERT_NE(error_of(result), nullptr);
    EXPECT_EQ(error_of(result)->code, "unauthorized") << "passed through unchanged";
  }
  EXPECT_EQ(f.model->calls(), 10);
  EXPECT_EQ(f.breaker.state(), CircuitState::closed);

  // A permanent error is an answer: it ends a run of transient failures.
  f.model->then(unavailable(), 2);
  f.model->then(unauthorized());
  f.model->then(unavailable(), 2);
  for (int i = 0; i < 5; ++i) f.call();
  EXPECT_EQ(f.breaker.state(), CircuitState::closed);
  EXPECT_EQ(f.breaker.breaker().consecutive_failures(), 2);
  EXPECT_EQ(f.breaker.trips(), 0);
}

TEST(EngineCircuitBreaker, AnExceptionCountsAsNeitherAndFreesTheProbe) {
  Fixture f(CircuitBreakerOptions{1, 1'000, 8'000, 1'000});
  f.model->then(unavailable());
  f.model->then(std::nullopt);  // the probe throws
  f.call();
  f.timer.advance(1'000);
  EXPECT_THROW(f.call(), std::runtime_error);
  EXPECT_EQ(f.breaker.state(), CircuitState::half_open);
  EXPECT_EQ(error_of(f.call()), nullptr) << "the next call is the probe";
  EXPECT_EQ(f.breaker.state(), CircuitState::closed);
}

class FailingEmbedder final : public ports::Embedder {
 public:
  ports::EmbedResult embed(std::span<const std::string>) override {
    ++calls;
    return unavailable();
  }
  int dims() const override { return 1536; }
  std::string model() const override { return "bedrock:amazon.titan-embed-text-v1/1536"; }
  double default_min_similarity() const override { return 0.3; }
  int calls = 0;
};

TEST(EngineCircuitBreaker, GuardsAnEmbedderToo) {
  ManualSteadyTimer timer;
  auto inner = std::make_shared<FailingEmbedder>();
  engine::CircuitBreakerEmbedder embedder(inner, CircuitBreakerOptions{3, 5'000, 60'000, 1'000},
                                          timer);
  const std::vector<std::string> texts{"valuation"};
  for (int i = 0; i < 3; ++i) embedder.embed(texts);
  const auto refusal = embedder.embed(texts);
  const auto* error = std::get_if<ports::ProviderError>(&refusal);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->code, "circuit_open");
  EXPECT_EQ(error->retry_after_ms, 5'000);
  EXPECT_EQ(error->message.rfind(
                "bedrock:amazon.titan-embed-text-v1/1536 is failing (3 calls in a row", 0),
            0U)
      << error->message;
  EXPECT_EQ(inner->calls, 3);
  EXPECT_EQ(embedder.dims(), 1536);
  EXPECT_EQ(embedder.trips(), 1);
}

// ---- a whole course through the engine --------------------------------------------------------

// The provider is down for its first `failures` calls (503), then answers from the cassette.
class BurstOfFailures final : public ports::LanguageModel {
 public:
  BurstOfFailures(std::shared_ptr<ports::LanguageModel> inner, int failures)
      : inner_(std::move(inner)), left_(failures) {}
  ports::LlmResult complete(const domain::LlmRequest& request,
                            const ports::CallContext& context) override {
    ++calls;
    if (left_.fetch_sub(1) > 0) return unavailable();
    return inner_->complete(request, context);
  }
  std::string name() const override { return inner_->name(); }

  std::atomic<int> calls{0};

 private:
  std::shared_ptr<ports::LanguageModel> inner_;
  std::atomic<int> left_;
};

TEST(EngineCircuitBreaker, RunsRideThroughAnOutageAndTheirHistoryTellsOfTheOpenCircuit) {
  auto settings = test_support::fast_engine_settings();
  settings.max_deliveries = 10;
  test_support::EngineHarness h(settings);
  auto replay =
      std::make_shared<adapters::llm::ReplayModel>(h.cassette(test_support::valuation_lines()));
  auto provider = std::make_shared<BurstOfFailures>(replay, 3);
  // Three failures trip the breaker; its 500 ms cooldown is far longer than the queue's retry
  // backoff (≤ 50 ms here), so the retries that follow meet the open circuit.
  CircuitBreakerModel breaker(provider, CircuitBreakerOptions{3, 500, 2'000, 50});
  auto runner = h.runner(breaker);
  const std::vector<std::string> ids{h.request("user-1"), h.request("user-2")};

  engine::WorkerPool pool(*runner, h.stores.queue, h.stores.runs, h.clock, settings, "pool",
                          /*drain=*/true);
  pool.start();
  ASSERT_TRUE(pool.wait());

  EXPECT_GE(breaker.trips(), 1);
  EXPECT_EQ(breaker.state(), CircuitState::closed) << "the probe after the outage closed it";
  EXPECT_EQ(provider->calls.load(), 3 + 2 * test_support::kModelCallsPerRun)
      << "calls refused by the open circuit must not reach the provider";
  // What the user reads in `docprof events`: the provider, why, and how long docprof waits.
  const std::string why = replay->name() +
                          " is failing (3 calls in a row; last: 503 upstream unavailable); "
                          "not calling it for ";
  int told = 0;
  std::string histories;
  for (const auto& id : ids) {
    const auto run = h.service.run(id);
    EXPECT_EQ(run->status, ports::RunStatus::complete)
        << id << ": " << (run->error ? run->error->message : "");
    EXPECT_EQ(h.course_rows(id), test_support::kRowsPerCourse) << id;
    const auto history = h.history(id);
    if (test_support::has_message(history, why)) ++told;
    for (const auto& entry : history) histories += "\n  " + entry.type + ": " + entry.message;
  }
  EXPECT_GE(told, 1) << "no run's history mentions the open circuit:" << histories;
  EXPECT_EQ(h.stored_courses(), 2);
  EXPECT_TRUE(h.stores.dead_letters.list().empty());
  EXPECT_EQ(pool.stats().errors, 0);
}

}  // namespace
