#include "engine/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace docprof::engine {
namespace {

bool valid_name(std::string_view name, bool colon_allowed) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon_allowed && c == ':');
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

// The shortest text that reads back as the same double; +Inf, -Inf and NaN as Prometheus spells them.
std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc()) return "NaN";
  return std::string(buffer, end);
}

void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (quote && c == '"') out += "\\\"";
    else out += c;
  }
}

// `{a="x",b="y"}` (with an extra last label when given), or nothing without labels.
std::string label_text(const MetricLabels& labels, std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (labels.empty() && extra_name.empty()) return "";
  std::string out = "{";
  bool first = true;
  auto one = [&](std::string_view name, std::string_view value) {
    if (!first) out += ',';
    first = false;
    out += name;
    out += "=\"";
    append_escaped(out, value, true);
    out += '"';
  };
  for (const auto& [name, value] : labels) one(name, value);
  if (!extra_name.empty()) one(extra_name, extra_value);
  out += '}';
  return out;
}

std::string_view type_name(MetricType type) {
  switch (type) {
    case MetricType::counter:
      return "counter";
    case MetricType::gauge:
      return "gauge";
    case MetricType::histogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace

void Metrics::declare_counter(const std::string& name, const std::string& help) {
  declare(name, MetricType::counter, help, {});
}

void Metrics::declare_gauge(const std::string& name, const std::string& help) {
  declare(name, MetricType::gauge, help, {});
}

void Metrics::declare_histogram(const std::string& name, const std::string& help, std::vector<double> buckets) {
  if (buckets.empty()) throw std::invalid_argument("histogram " + name + ": no buckets");
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    if (!std::isfinite(buckets[i]) || (i > 0 && buckets[i] <= buckets[i - 1]))
      throw std::invalid_argument("histogram " + name + ": buckets must be finite and strictly increasing");
  }
  declare(name, MetricType::histogram, help, std::move(buckets));
}

void Metrics::declare(const std::string& name, MetricType type, const std::string& help, std::vector<double> bounds) {
  if (!valid_name(name, true)) throw std::invalid_argument("invalid metric name '" + name + "'");
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it != families_.end()) {
    if (it->second.type != type || it->second.bounds != bounds)
      throw std::logic_error("metric " + name + " is already declared differently");
    return;
  }
  Family family;
  family.type = type;
  family.help = help;
  family.bounds = std::move(bounds);
  families_.emplace(name, std::move(family));
}

Metrics::Series& Metrics::series(std::string_view name, MetricType type, const MetricLabels& labels) {
  auto it = families_.find(name);
  if (it == families_.end()) throw std::logic_error("metric " + std::string(name) + " is not declared");
  Family& family = it->second;
  if (family.type != type)
    throw std::logic_error("metric " + std::string(name) + " is a " + std::string(type_name(family.type)));
  auto found = family.series.find(labels);
  if (found != family.series.end()) return found->second;
  for (const auto& [label, value] : labels) {
    if (!valid_name(label, false) || label.rfind("__", 0) == 0 ||
        (type == MetricType::histogram && label == "le"))
      throw std::invalid_argument("metric " + std::string(name) + ": invalid label name '" + label + "'");
  }
  Series fresh;
  if (type == MetricType::histogram) fresh.buckets.assign(family.bounds.size() + 1, 0);
  return family.series.emplace(labels, std::move(fresh)).first->second;
}

void Metrics::add(std::string_view name, const MetricLabels& labels, double amount) {
  if (!(amount >= 0)) throw std::invalid_argument("counter " + std::string(name) + ": negative increment");
  std::lock_guard lock(mu_);
  series(name, MetricType::counter, labels).value += amount;
}

void Metrics::set(std::string_view name, const MetricLabels& labels, double value) {
  std::lock_guard lock(mu_);
  series(name, MetricType::gauge, labels).value = value;
}

void Metrics::observe(std::string_view name, const MetricLabels& labels, double value) {
  std::lock_guard lock(mu_);
  Series& s = series(name, MetricType::histogram, labels);
  const auto& bounds = families_.find(name)->second.bounds;
  const auto bucket = std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin();  // first le >= value
  ++s.buckets[static_cast<std::size_t>(bucket)];
  s.sum += value;
  ++s.count;
}

double Metrics::value(std::string_view name, const MetricLabels& labels) const {
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end()) return 0;
  auto found = it->second.series.find(labels);
  if (found == it->second.series.end()) return 0;
  return it->second.type == MetricType::histogram ? static_cast<double>(found->second.count) : found->second.value;
}

std::string Metrics::render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, family] : families_) {
    out += "# HELP " + name + " ";
    append_escaped(out, family.help, false);
    out += "\n# TYPE " + name + " ";
    out += type_name(family.type);
    out += '\n';
    for (const auto& [labels, s] : family.series) {
      if (family.type != MetricType::histogram) {
        out += name + label_text(labels) + " " + format_value(s.value) + "\n";
        continue;
      }
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i <= family.bounds.size(); ++i) {
        cumulative += s.buckets[i];
        const std::string le =
            i < family.bounds.size() ? format_value(family.bounds[i]) : std::string("+Inf");
        out += name + "_bucket" + label_text(labels, "le", le) + " " + std::to_string(cumulative) + "\n";
      }
      out += name + "_sum" + label_text(labels) + " " + format_value(s.sum) + "\n";
      out += name + "_count" + label_text(labels) + " " + std::to_string(s.count) + "\n";
    }
  }
  return out;
}

std::vector<double> Metrics::latency_buckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

}  // namespace docprof::engine
