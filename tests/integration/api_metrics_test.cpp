// GET /metrics over real HTTP on loopback: a course runs to completion through the API's workers,
// then the exposition is parsed line by line (HELP/TYPE lines, sample and label syntax, histogram
// buckets) and checked for what the run must have left: runs by status, the step latency histogram
// by event type, the model calls of the provider, the queue gauges and the request counter. Also the
// access rule (open on loopback, admin token otherwise), and the registry and MeteredModel alone.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/metered_model.h"
#include "engine/metrics.h"
#include "integration/api_harness.h"

namespace docprof {
namespace {

using test_support::ApiHarness;
using Labels = std::map<std::string, std::string>;

struct Sample {
  std::string name;
  Labels labels;
  double value = 0;
};

// A strict reader of the text exposition format 0.0.4, as far as docprof writes it.
struct Exposition {
  std::map<std::string, std::string> types;  // family -> counter|gauge|histogram|…
  std::map<std::string, std::string> help;
  std::vector<Sample> samples;
  std::vector<std::string> problems;

  static bool name_char(char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
           (!first && c >= '0' && c <= '9');
  }

  static std::optional<double> number(const std::string& text) {
    if (text == "+Inf") return INFINITY;
    if (text == "-Inf") return -INFINITY;
    if (text == "NaN") return NAN;
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) return std::nullopt;
    return v;
  }

  // The family a sample belongs to (a histogram's _bucket/_sum/_count go to their family).
  std::string family_of(const std::string& sample) const {
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string s = suffix;
      if (sample.size() > s.size() && sample.compare(sample.size() - s.size(), s.size(), s) == 0) {
        const std::string base = sample.substr(0, sample.size() - s.size());
        if (types.count(base) && types.at(base) == "histogram") return base;
      }
    }
    return sample;
  }

  void problem(int line_no, const std::string& line, const std::string& what) {
    problems.push_back("line " + std::to_string(line_no) + " `" + line + "`: " + what);
  }

  explicit Exposition(const std::string& text) {
    std::istringstream in(text);
    int line_no = 0;
    std::set<std::string> families_with_samples;
    for (std::string line; std::getline(in, line);) {
      ++line_no;
      if (line.empty()) continue;
      if (line[0] == '#') {
        std::istringstream words(line);
        std::string hash, keyword, name;
        words >> hash >> keyword >> name;
        if (keyword != "HELP" && keyword != "TYPE") continue;  // a plain comment
        if (name.empty() || !name_char(name[0], true)) problem(line_no, line, "bad metric name");
        std::string rest;
        std::getline(words, rest);
        if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
        if (keyword == "HELP") {
          if (help.count(name)) problem(line_no, line, "second HELP for " + name);
          help[name] = rest;
        } else {
          static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary",
                                                       "untyped"};
          if (!kTypes.count(rest)) problem(line_no, line, "unknown type " + rest);
          if (types.count(name)) problem(line_no, line, "second TYPE for " + name);
          if (families_with_samples.count(name)) problem(line_no, line, "TYPE after samples");
          types[name] = rest;
        }
        continue;
      }
      Sample sample;
      std::size_t i = 0;
      while (i < line.size() && name_char(line[i], i == 0)) ++i;
      sample.name = line.substr(0, i);
      if (sample.name.empty()) {
        problem(line_no, line, "no metric name");
        continue;
      }
      if (i < line.size() && line[i] == '{') {
        ++i;
        bool ok = true;
        while (ok && i < line.size() && line[i] != '}') {
          std::size_t start = i;
          while (i < line.size() && name_char(line[i], i == start) && line[i] != ':') ++i;
          const std::string label = line.substr(start, i - start);
          if (label.empty() || i + 1 >= line.size() || line[i] != '=' || line[i + 1] != '"') {
            ok = false;
            break;
          }
          i += 2;
          std::string value;
          while (i < line.size() && line[i] != '"') {
            if (line[i] == '\\') {
              if (i + 1 >= line.size()) {
                ok = false;
                break;
              }
              const char e = line[i + 1];
              if (e == 'n') value += '\n';
              else if (e == '\\' || e == '"') value += e;
              else ok = false;
              i += 2;
            } else {
              value += line[i++];
            }
          }
          if (!ok || i >= line.size()) {
            ok = false;
            break;
          }
          ++i;  // closing quote
          if (sample.labels.count(label)) ok = false;
          sample.labels[label] = value;
          if (i < line.size() && line[i] == ',') ++i;
        }
        if (!ok || i >= line.size() || line[i] != '}') {
          problem(line_no, line, "bad label set");
          continue;
        }
        ++i;
      }
      if (i >= line.size() || line[i] != ' ') {
        problem(line_no, line, "no space before the value");
        continue;
      }
      const std::string value_text = line.substr(i + 1);
      const auto value = number(value_text);  // docprof writes no timestamps
      if (!value) {
        problem(line_no, line, "bad value `" + value_text + "`");
        continue;
      }
      sample.value = *value;
      const std::string family = family_of(sample.name);
      if (!types.count(family)) problem(line_no, line, "sample before the TYPE of " + family);
      families_with_samples.insert(family);
      samples.push_back(std::move(sample));
    }
  }

  // The samples of `name` whose labels include `subset`.
  std::vector<Sample> find(const std::string& name, const Labels& subset = {}) const {
    std::vector<Sample> out;
    for (const auto& s : samples) {
      if (s.name != name) continue;
      bool match = true;
      for (const auto& [k, v] : subset) match = match && s.labels.count(k) && s.labels.at(k) == v;
      if (match) out.push_back(s);
    }
    return out;
  }

  double total(const std::string& name, const Labels& subset = {}) const {
    double sum = 0;
    for (const auto& s : find(name, subset)) sum += s.value;
    return sum;
  }

  // Checks every histogram: per series, le ascending and ending with +Inf, cumulative counts
  // non-decreasing, +Inf bucket == _count, a _sum present. Returns the problems found.
  std::vector<std::string> check_histograms() const {
    std::vector<std::string> out;
    for (const auto& [family, type] : types) {
      if (type != "histogram") continue;
      std::map<Labels, std::vector<std::pair<double, double>>> buckets;  // series -> (le, count)
      for (const auto& s : find(family + "_bucket")) {
        Labels series = s.labels;
        if (!series.count("le")) {
          out.push_back(family + ": a bucket without le");
          continue;
        }
        const auto le = number(series.at("le"));
        series.erase("le");
        if (!le) out.push_back(family + ": bad le " + s.labels.at("le"));
        else buckets[series].emplace_back(*le, s.value);
      }
      for (const auto& [series, list] : buckets) {
        for (std::size_t i = 1; i < list.size(); ++i) {
          if (!(list[i].first > list[i - 1].first)) out.push_back(family + ": le not ascending");
          if (list[i].second < list[i - 1].second) out.push_back(family + ": counts not cumulative");
        }
        if (list.empty() || !std::isinf(list.back().first)) {
          out.push_back(family + ": no +Inf bucket");
          continue;
        }
        const auto count = find(family + "_count", series);
        const auto sum = find(family + "_sum", series);
        if (count.size() != 1 || sum.size() != 1) {
          out.push_back(family + ": _count/_sum missing for a series");
          continue;
        }
        if (count.front().value != list.back().second)
          out.push_back(family + ": +Inf bucket != _count");
      }
    }
    return out;
  }
};

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

TEST(ApiMetrics, ExpositionAfterACompletedCourse) {
  ApiHarness h;
  const std::string id = h.create_course(test_support::kAlice);
  ASSERT_EQ(h.wait_finished(id), "complete");
  // The run is complete in the store a moment before its worker observes the last step.
  ASSERT_TRUE(test_support::wait_until([&] {
    return h.metrics.value(engine::metric::kStepDuration,
                           {{"event_type", "CourseStored"}, {"outcome", "applied"}}) >= 1;
  }));

  auto res = h.client().Get("/metrics");  // loopback: no token needed
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u)
      << res->get_header_value("Content-Type");

  const Exposition e(res->body);
  ASSERT_TRUE(e.problems.empty()) << joined(e.problems) << "\n" << res->body;
  const auto histogram_problems = e.check_histograms();
  EXPECT_TRUE(histogram_problems.empty()) << joined(histogram_problems) << "\n" << res->body;
  for (const auto& [family, type] : e.types)
    EXPECT_TRUE(e.help.count(family)) << family << " has no HELP";

  // Runs by status.
  EXPECT_EQ(e.types.at("docprof_runs"), "gauge");
  EXPECT_GE(e.total("docprof_runs", {{"status", "complete"}}), 1);
  EXPECT_EQ(e.find("docprof_runs").size(), 3u);

  // The step latency histogram has the run's event types.
  EXPECT_EQ(e.types.at("docprof_step_duration_seconds"), "histogram");
  std::set<std::string> event_types;
  for (const auto& s : e.find("docprof_step_duration_seconds_count", {{"outcome", "applied"}})) {
    if (s.value > 0) event_types.insert(s.labels.at("event_type"));
  }
  for (const char* type : {"CourseRequested", "EmbeddingGenerated", "BookSummariesFound",
                           "PartsGenerated", "AllPartsComplete", "CourseStored"}) {
    EXPECT_TRUE(event_types.count(type)) << type << " not observed\n" << res->body;
  }
  EXPECT_GT(e.total("docprof_step_duration_seconds_sum"), 0);

  // Model calls of the provider (the offline planner), with token counters per direction.
  EXPECT_EQ(e.types.at("docprof_model_calls_total"), "counter");
  EXPECT_GE(e.total("docprof_model_calls_total", {{"provider", "extractive"}, {"outcome", "ok"}}), 2);
  EXPECT_EQ(e.find("docprof_model_tokens_total", {{"provider", "extractive"}, {"direction", "prompt"}}).size(), 1u);
  EXPECT_EQ(e.find("docprof_model_tokens_total", {{"provider", "extractive"}, {"direction", "completion"}}).size(),
            1u);
  EXPECT_EQ(e.total("docprof_model_errors_total"), 0);
  EXPECT_EQ(e.types.at("docprof_model_errors_total"), "counter");

  // The queue: every state present, nothing left, no dead letter.
  for (const char* state : {"ready", "delayed", "leased"})
    EXPECT_EQ(e.find("docprof_queue_messages", {{"state", state}}).size(), 1u) << state;
  EXPECT_EQ(e.total("docprof_queue_messages", {{"state", "ready"}}), 0);
  ASSERT_EQ(e.find("docprof_dead_letters").size(), 1u);
  EXPECT_EQ(e.total("docprof_dead_letters"), 0) << res->body;

  // Requests by route template.
  EXPECT_GE(e.total("docprof_http_requests_total",
                    {{"method", "POST"}, {"route", "/courses"}, {"status", "202"}}),
            1);
}

TEST(ApiMetrics, CountsRequestsByRouteTemplate) {
  ApiHarness h;
  // An unknown course id and an unknown route: labelled by template, and "unmatched".
  auto status = h.client().Get("/courses/no-such-course/status", ApiHarness::auth(test_support::kAlice));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, 404);
  auto unknown = h.client().Get("/no/such/route");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);

  auto res = h.client().Get("/metrics");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  const Exposition e(res->body);
  ASSERT_TRUE(e.problems.empty()) << joined(e.problems);
  EXPECT_EQ(e.total("docprof_http_requests_total",
                    {{"method", "GET"}, {"route", "/courses/{course_id}/status"}, {"status", "404"}}),
            1);
  EXPECT_EQ(e.total("docprof_http_requests_total",
                    {{"method", "GET"}, {"route", "unmatched"}, {"status", "404"}}),
            1);
  // No course yet: every status is reported, at zero.
  EXPECT_EQ(e.total("docprof_runs"), 0);
  EXPECT_EQ(e.find("docprof_runs").size(), 3u);
}

TEST(ApiMetrics, NeedsAnAdminTokenWhenNotOnLoopback) {
  ApiHarness h;
  auto auth = api::Authenticator::from_tokens_file(h.engine.dir.file("tokens.txt"));
  ASSERT_TRUE(auth);
  api::ApiServer server(api::ApiServices{h.engine.service, h.engine.stores.runs, h.engine.stores.courses,
                                         h.engine.library_service, h.engine.clock},
                        std::move(auth).value(), test_support::relaxed_api_options());
  const int port = server.bind("0.0.0.0", 0);  // every interface: not loopback
  std::thread thread([&server] { server.run(); });
  httplib::Client client("127.0.0.1", port);
  ASSERT_TRUE(test_support::wait_until([&] { return static_cast<bool>(client.Get("/healthz")); }));

  auto anonymous = client.Get("/metrics");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_FALSE(anonymous->get_header_value("WWW-Authenticate").empty());
  auto user = client.Get("/metrics", ApiHarness::auth(test_support::kAlice));
  ASSERT_TRUE(user);
  EXPECT_EQ(user->status, 403);
  EXPECT_EQ(nlohmann::json::parse(user->body).at("error_code"), "forbidden");
  auto admin = client.Get("/metrics", ApiHarness::auth(test_support::kAdmin));
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->status, 200);
  // Without a registry or a queue: only the run gauges, still a valid exposition.
  const Exposition e(admin->body);
  EXPECT_TRUE(e.problems.empty()) << joined(e.problems);
  EXPECT_EQ(e.find("docprof_runs").size(), 3u);
  EXPECT_TRUE(e.find("docprof_queue_messages").empty());

  server.stop();
  thread.join();
}

TEST(Metrics, RendersEscapedLabelsAndCumulativeBuckets) {
  engine::Metrics m;
  m.declare_counter("t_total", "A counter.\nSecond line with a \\ backslash.");
  m.declare_gauge("t_gauge", "A gauge.");
  m.declare_histogram("t_seconds", "A histogram.", {0.1, 1, 10});
  m.declare_counter("t_total", "A counter.\nSecond line with a \\ backslash.");  // again: a no-op
  EXPECT_THROW(m.declare_gauge("t_total", "x"), std::logic_error);
  EXPECT_THROW(m.declare_histogram("t_seconds", "x", {1, 2}), std::logic_error);
  EXPECT_THROW(m.declare_gauge("bad-name", "x"), std::invalid_argument);
  EXPECT_THROW(m.declare_histogram("t_bad", "x", {1, 1}), std::invalid_argument);
  EXPECT_THROW(m.add("t_undeclared", {}), std::logic_error);
  EXPECT_THROW(m.set("t_total", {}, 1), std::logic_error);
  EXPECT_THROW(m.add("t_total", {}, -1), std::invalid_argument);
  EXPECT_THROW(m.observe("t_seconds", {{"le", "1"}}, 1), std::invalid_argument);

  m.add("t_total", {{"path", "a\"b\\c\nd"}});
  m.add("t_total", {{"path", "a\"b\\c\nd"}}, 2.5);
  m.set("t_gauge", {}, -3);
  for (double v : {0.05, 0.1, 0.5, 5.0, 100.0}) m.observe("t_seconds", {{"kind", "x"}}, v);
  EXPECT_EQ(m.value("t_total", {{"path", "a\"b\\c\nd"}}), 3.5);
  EXPECT_EQ(m.value("t_seconds", {{"kind", "x"}}), 5);

  const std::string text = m.render();
  EXPECT_NE(text.find("# HELP t_total A counter.\\nSecond line with a \\\\ backslash.\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("t_total{path=\"a\\\"b\\\\c\\nd\"} 3.5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("t_gauge -3\n"), std::string::npos) << text;
  // le is inclusive: 0.1 falls in the 0.1 bucket.
  EXPECT_NE(text.find("t_seconds_bucket{kind=\"x\",le=\"0.1\"} 2\n"
                      "t_seconds_bucket{kind=\"x\",le=\"1\"} 3\n"
                      "t_seconds_bucket{kind=\"x\",le=\"10\"} 4\n"
                      "t_seconds_bucket{kind=\"x\",le=\"+Inf\"} 5\n"
                      "t_seconds_sum{kind=\"x\"} 105.65\n"
                      "t_seconds_count{kind=\"x\"} 5\n"),
            std::string::npos)
      << text;
  const Exposition e(text);
  EXPECT_TRUE(e.problems.empty()) << joined(e.problems);
  EXPECT_TRUE(e.check_histograms().empty()) << joined(e.check_histograms());
  ASSERT_EQ(e.find("t_total").size(), 1u);
  EXPECT_EQ(e.find("t_total").front().labels.at("path"), "a\"b\\c\nd");
}

TEST(Metrics, MeteredModelCountsCallsTokensAndErrorsByProvider) {
  test_support::EngineHarness h;
  const auto cassette = h.cassette({test_support::answer_line(test_support::kPartsTask, test_support::kPartsAnswer),
                                    test_support::error_line(test_support::kPart0Task, 401, "bad key")});
  adapters::llm::ReplayModel replay(cassette);
  engine::Metrics metrics;
  engine::MeteredModel metered(replay, metrics);
  EXPECT_EQ(metered.provider(), "replay");
  EXPECT_EQ(metered.name(), replay.name());
  EXPECT_EQ(engine::MeteredModel::provider_of("openai:gpt-4o-mini"), "openai");
  EXPECT_EQ(engine::MeteredModel::provider_of("extractive+faults"), "extractive");

  domain::LlmRequest request;
  request.task = test_support::kPartsTask;
  const auto ok = metered.complete(request, {"c1"});
  ASSERT_TRUE(std::holds_alternative<domain::ModelOutcome>(ok));
  request.task = test_support::kPart0Task;
  const auto failed = metered.complete(request, {"c1"});
  ASSERT_TRUE(std::holds_alternative<ports::ProviderError>(failed));
  const std::string code = std::get<ports::ProviderError>(failed).code;

  EXPECT_EQ(metrics.value(engine::metric::kModelCalls, {{"provider", "replay"}, {"outcome", "ok"}}), 1);
  EXPECT_EQ(metrics.value(engine::metric::kModelCalls, {{"provider", "replay"}, {"outcome", "error"}}), 1);
  EXPECT_EQ(metrics.value(engine::metric::kModelTokens, {{"provider", "replay"}, {"direction", "prompt"}}), 1000);
  EXPECT_EQ(metrics.value(engine::metric::kModelTokens, {{"provider", "replay"}, {"direction", "completion"}}),
            100);
  EXPECT_EQ(metrics.value(engine::metric::kModelErrors, {{"provider", "replay"}, {"code", code}}), 1);
}

}  // namespace
}  // namespace docprof
