// FaultInjectingModel: the seeded share and mix of injected faults, determinism per seed, what
// each fault looks like to the engine, option validation and concurrent use.
#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/llm/fault_injecting_model.h"
#include "domain/outline_parser.h"

namespace {

using docprof::adapters::llm::FaultCounts;
using docprof::adapters::llm::FaultInjectingModel;
using docprof::adapters::llm::FaultMix;
using docprof::adapters::llm::FaultOptions;
using docprof::domain::LlmRequest;
using docprof::domain::ModelOutcome;
using docprof::ports::CallContext;
using docprof::ports::LanguageModel;
using docprof::ports::LlmResult;
using docprof::ports::ProviderError;

// The model being wrapped: answers "answer to <task>" and counts its calls.
class CountingModel final : public LanguageModel {
 public:
  LlmResult complete(const LlmRequest& request, const CallContext&) override {
    ++calls;
    return ModelOutcome{"answer to " + request.task, {10, 5, 1}, "stop"};
  }
  std::string name() const override { return "counting"; }
  std::atomic<int> calls{0};
};

LlmRequest request(const std::string& task = "generate_course_parts") {
  LlmRequest r;
  r.task = task;
  r.rendered = std::string(400, 'x');
  return r;
}

// One letter per call: '.' passed, 'R' 429, 'S' 500, 'T' timeout, 'G' garbage.
std::string trace(FaultInjectingModel& model, int calls) {
  std::string out;
  for (int i = 0; i < calls; ++i) {
    const LlmResult result = model.complete(request(), {});
    if (const auto* e = std::get_if<ProviderError>(&result)) {
      out += e->code == "rate_limited" ? 'R' : e->code == "server_error" ? 'S' : 'T';
    } else {
      out += std::get<ModelOutcome>(result).text.starts_with("answer to") ? '.' : 'G';
    }
  }
  return out;
}

FaultOptions only(double rate, FaultMix mix, std::uint64_t seed = 7) {
  FaultOptions o;
  o.rate = rate;
  o.seed = seed;
  o.mix = mix;
  return o;
}

TEST(FaultInjectingModel, RateZeroPassesEverythingThrough) {
  auto inner = std::make_shared<CountingModel>();
  FaultInjectingModel model(inner, only(0.0, {}));
  EXPECT_EQ(trace(model, 200), std::string(200, '.'));
  EXPECT_EQ(inner->calls, 200);
  EXPECT_EQ(model.counts().passed, 200);
}

TEST(FaultInjectingModel, RateOneNeverReachesTheInnerModel) {
  auto inner = std::make_shared<CountingModel>();
  FaultInjectingModel model(inner, only(1.0, {}));
  const std::string t = trace(model, 200);
  EXPECT_EQ(t.find('.'), std::string::npos) << t;
  EXPECT_EQ(inner->calls, 0);
  // every kind shows up with the default, even mix
  for (const char kind : {'R', 'S', 'T', 'G'}) EXPECT_NE(t.find(kind), std::string::npos) << kind;
}

TEST(FaultInjectingModel, SameSeedSameFaultsDifferentSeedDifferentFaults) {
  FaultInjectingModel a(std::make_shared<CountingModel>(), only(0.3, {}, 42));
  FaultInjectingModel b(std::make_shared<CountingModel>(), only(0.3, {}, 42));
  FaultInjectingModel c(std::make_shared<CountingModel>(), only(0.3, {}, 43));
  const std::string ta = trace(a, 300);
  EXPECT_EQ(ta, trace(b, 300));
  EXPECT_NE(ta, trace(c, 300));
}

TEST(FaultInjectingModel, TheSequenceForASeedIsPinned) {
  // std::mt19937_64 is specified bit for bit, and the mapping to [0, 1) and to a kind is our own,
  // so this sequence is the same with every standard library and on every machine.
  FaultInjectingModel model(std::make_shared<CountingModel>(), only(0.5, {}, 1));
  EXPECT_EQ(trace(model, 24), "RRGT.T.SS.STSRR...TR..RG");
}

TEST(FaultInjectingModel, FaultShareFollowsTheRate) {
  FaultInjectingModel model(std::make_shared<CountingModel>(), only(0.25, {}, 3));
  const std::string t = trace(model, 4000);
  const double share = 1.0 - static_cast<double>(std::count(t.begin(), t.end(), '.')) / 4000.0;
  EXPECT_NEAR(share, 0.25, 0.03);
}

TEST(FaultInjectingModel, MixWeightsShapeTheKinds) {
  FaultInjectingModel model(std::make_shared<CountingModel>(), only(1.0, {3.0, 1.0, 0.0, 0.0}, 5));
  const std::string t = trace(model, 4000);
  const auto rate_limited = std::count(t.begin(), t.end(), 'R');
  const auto server = std::count(t.begin(), t.end(), 'S');
  EXPECT_EQ(rate_limited + server, 4000);
  EXPECT_NEAR(static_cast<double>(rate_limited) / 4000.0, 0.75, 0.03);
}

TEST(FaultInjectingModel, RateLimitedIsA429WithRetryAfter) {
  FaultOptions o = only(1.0, {1.0, 0.0, 0.0, 0.0});
  o.retry_after_ms = 2500;
  FaultInjectingModel model(std::make_shared<CountingModel>(), o);
  const ProviderError e = std::get<ProviderError>(model.complete(request(), {}));
  EXPECT_EQ(e.code, "rate_limited");
  EXPECT_EQ(e.http_status, 429);
  EXPECT_TRUE(e.transient);
  EXPECT_EQ(e.retry_after_ms, 2500);
  EXPECT_NE(e.message.find("injected"), std::string::npos);
}

TEST(FaultInjectingModel, ServerErrorIsATransient500) {
  FaultInjectingModel model(std::make_shared<CountingModel>(), only(1.0, {0.0, 1.0, 0.0, 0.0}));
  const ProviderError e = std::get<ProviderError>(model.complete(request(), {}));
  EXPECT_EQ(e.code, "server_error");
  EXPECT_EQ(e.http_status, 500);
  EXPECT_TRUE(e.transient);
  EXPECT_FALSE(e.retry_after_ms.has_value());
}

TEST(FaultInjectingModel, TimeoutIsTransientWithoutHttpStatus) {
  FaultInjectingModel model(std::make_shared<CountingModel>(), only(1.0, {0.0, 0.0, 1.0, 0.0}));
  const ProviderError e = std::get<ProviderError>(model.complete(request(), {}));
  EXPECT_EQ(e.code, "timeout");
  EXPECT_EQ(e.http_status, 0);
  EXPECT_TRUE(e.transient);
}

TEST(FaultInjectingModel, GarbageIsAnAnswerNoParserAccepts) {
  auto inner = std::make_shared<CountingModel>();
  FaultInjectingModel model(inner, only(1.0, {0.0, 0.0, 0.0, 1.0}, 11));
  for (int i = 0; i < 40; ++i) {
    const ModelOutcome out = std::get<ModelOutcome>(model.complete(request(), {}));
    EXPECT_FALSE(out.text.empty());
    EXPECT_EQ(out.finish_reason, "stop");
    EXPECT_EQ(out.usage.calls, 1);
    EXPECT_EQ(out.usage.input_tokens, 100);  // 400 characters of prompt
    EXPECT_FALSE(docprof::domain::parse_parts(out.text).ok()) << out.text;
    EXPECT_FALSE(docprof::domain::parse_sections(out.text).ok()) << out.text;
  }
  EXPECT_EQ(inner->calls, 0);
  EXPECT_EQ(model.counts().garbage, 40);
}

TEST(FaultInjectingModel, CountsAddUp) {
  FaultInjectingModel model(std::make_shared<CountingModel>(), only(0.4, {}, 9));
  const std::string t = trace(model, 500);
  const FaultCounts c = model.counts();
  EXPECT_EQ(c.calls, 500);
  EXPECT_EQ(c.passed + c.rate_limited + c.server_error + c.timeout + c.garbage, 500);
  EXPECT_EQ(c.passed, std::count(t.begin(), t.end(), '.'));
  EXPECT_EQ(c.garbage, std::count(t.begin(), t.end(), 'G'));
  EXPECT_EQ(c.timeout, std::count(t.begin(), t.end(), 'T'));
}

TEST(FaultInjectingModel, NameShowsTheWrappedModel) {
  FaultInjectingModel model(std::make_shared<CountingModel>(), only(0.1, {}));
  EXPECT_EQ(model.name(), "counting+faults");
}

TEST(FaultInjectingModel, RejectsInvalidOptions) {
  auto inner = std::make_shared<CountingModel>();
  EXPECT_THROW(FaultInjectingModel(nullptr, only(0.1, {})), std::invalid_argument);
  EXPECT_THROW(FaultInjectingModel(inner, only(-0.1, {})), std::invalid_argument);
  EXPECT_THROW(FaultInjectingModel(inner, only(1.5, {})), std::invalid_argument);
  EXPECT_THROW(FaultInjectingModel(inner, only(std::nan(""), {})), std::invalid_argument);
  EXPECT_THROW(FaultInjectingModel(inner, only(0.1, {-1.0, 1.0, 1.0, 1.0})), std::invalid_argument);
  EXPECT_THROW(FaultInjectingModel(inner, only(0.1, {0.0, 0.0, 0.0, 0.0})), std::invalid_argument);
  FaultOptions negative_retry = only(0.1, {});
  negative_retry.retry_after_ms = -1;
  EXPECT_THROW(FaultInjectingModel(inner, negative_retry), std::invalid_argument);
  EXPECT_NO_THROW(FaultInjectingModel(inner, only(0.0, {0.0, 0.0, 0.0, 0.0})));
}

TEST(FaultInjectingModel, ConcurrentCallersShareOneSequence) {
  auto inner = std::make_shared<CountingModel>();
  FaultInjectingModel model(inner, only(0.3, {}, 13));
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 250; ++i) (void)model.complete(request(), {});
    });
  }
  for (std::thread& th : threads) th.join();
  const FaultCounts c = model.counts();
  EXPECT_EQ(c.calls, 2000);
  EXPECT_EQ(c.passed, inner->calls.load());
  // The multiset of outcomes is the single-threaded one: only the interleaving differs.
  FaultInjectingModel single(std::make_shared<CountingModel>(), only(0.3, {}, 13));
  (void)trace(single, 2000);
  const FaultCounts s = single.counts();
  EXPECT_EQ(c.passed, s.passed);
  EXPECT_EQ(c.rate_limited, s.rate_limited);
  EXPECT_EQ(c.garbage, s.garbage);
}

}  // namespace
