// Metrics: a small in-process registry of Prometheus metrics — counters, gauges and histograms,
// each a family of series told apart by their labels — rendered in the Prometheus text exposition
// format 0.0.4 for `GET /metrics`.
//
// A family is declared once with its type and help text (declaring it again with the same type is a
// no-op, so each component declares the families it updates); updating an undeclared family or one
// of another type is a std::logic_error. Labels are kept in the order the caller gives them; a
// family's callers give the same label names in the same order. Histogram buckets are upper bounds
// ("le"); the +Inf bucket is implicit.
//
// The names of docprof's own families are below, with the component that updates each.
//
// Thread safety: every member function may be called concurrently from any thread (one mutex; an
// update is a map lookup and an addition).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace docprof::engine {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

enum class MetricType { counter, gauge, histogram };

class Metrics {
 public:
  // Throws std::invalid_argument for an invalid metric name, and std::logic_error when the family
  // exists with another type (or, for a histogram, other buckets).
  void declare_counter(const std::string& name, const std::string& help);
  void declare_gauge(const std::string& name, const std::string& help);
  // `buckets`: strictly increasing finite upper bounds.
  void declare_histogram(const std::string& name, const std::string& help, std::vector<double> buckets);

  void add(std::string_view name, const MetricLabels& labels, double amount = 1);  // counter; amount >= 0
  void set(std::string_view name, const MetricLabels& labels, double value);       // gauge
  void observe(std::string_view name, const MetricLabels& labels, double value);   // histogram

  // The current value of a counter or gauge series, or a histogram series' count; 0 when absent.
  double value(std::string_view name, const MetricLabels& labels) const;

  // Every family in name order, series in label order: "# HELP", "# TYPE", then the samples.
  std::string render() const;

  // Default buckets of docprof's latency histograms, in seconds.
  static std::vector<double> latency_buckets();

 private:
  struct Series {
    double value = 0;                    // counter, gauge
    std::vector<std::uint64_t> buckets;  // histogram: per bucket (not cumulative), +Inf last
    double sum = 0;
    std::uint64_t count = 0;
  };
  struct Family {
    MetricType type = MetricType::counter;
    std::string help;
    std::vector<double> bounds;  // histogram
    std::map<MetricLabels, Series> series;
  };

  void declare(const std::string& name, MetricType type, const std::string& help, std::vector<double> bounds);
  Series& series(std::string_view name, MetricType type, const MetricLabels& labels);  // mu_ held

  mutable std::mutex mu_;
  std::map<std::string, Family, std::less<>> families_;
};

// Content-Type of the exposition.
inline constexpr std::string_view kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

// docprof's families.
namespace metric {
// WorkerPool: every step it runs, {event_type, outcome: applied|duplicate|retry_scheduled|dropped|failed}.
inline constexpr const char* kStepDuration = "docprof_step_duration_seconds";
// MeteredModel: {provider, outcome: ok|error}; tokens {provider, direction: prompt|completion};
// errors {provider, code} (the ProviderError's code, or "exception").
inline constexpr const char* kModelCalls = "docprof_model_calls_total";
inline constexpr const char* kModelTokens = "docprof_model_tokens_total";
inline constexpr const char* kModelErrors = "docprof_model_errors_total";
// The API: {method, route (the path template, or "unmatched"), status}.
inline constexpr const char* kHttpRequests = "docprof_http_requests_total";
// Read at scrape time by the API: runs by {status}; the queue's messages by {state:
// ready|delayed|leased}; dead letters.
inline constexpr const char* kRuns = "docprof_runs";
inline constexpr const char* kQueueMessages = "docprof_queue_messages";
inline constexpr const char* kDeadLetters = "docprof_dead_letters";
}  // namespace metric

}  // namespace docprof::engine
