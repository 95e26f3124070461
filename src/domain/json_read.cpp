#include "domain/json_read.h"

#include <cfloat>
#include <cmath>
#include <utility>

namespace docprof::domain::json_read {

void fail(Fault fault, const std::string& path, std::string_view what) {
  throw Problem{fault, path + ": " + std::string(what)};
}

void throw_as_json_exception(const Problem& problem) {
  switch (problem.fault) {
    case Fault::missing:
      throw json::out_of_range::create(403, problem.message, nullptr);
    case Fault::wrong_type:
      throw json::type_error::create(302, problem.message, nullptr);
    case Fault::bad_value:
      break;
  }
  throw json::out_of_range::create(406, problem.message, nullptr);
}

std::string at_key(const std::string& path, std::string_view key) {
  return path == "$" ? std::string(key) : path + "." + std::string(key);
}
std::string at_index(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

std::string exception_message(const json::exception& e) {
  std::string_view what = e.what();
  if (const auto end = what.find("] "); what.starts_with("[json.exception.") && end != what.npos) {
    what.remove_prefix(end + 2);
  }
  return std::string(what);
}

std::string splice(const std::string& prefix, const std::string& inner) {
  if (inner.starts_with('$')) return prefix + inner.substr(1);
  return prefix + "." + inner;
}

std::string as_string(const json& v, const std::string& path) {
  if (!v.is_string()) fail(Fault::wrong_type, path, "expected a string");
  return v.get<std::string>();
}

double as_number(const json& v, const std::string& path) {
  if (!v.is_number()) fail(Fault::wrong_type, path, "expected a number");
  return v.get<double>();
}

bool as_boolean(const json& v, const std::string& path) {
  if (!v.is_boolean()) fail(Fault::wrong_type, path, "expected a boolean");
  return v.get<bool>();
}

std::vector<float> as_floats(const json& v, const std::string& path,
                             std::string_view out_of_range) {
  if (!v.is_array()) fail(Fault::wrong_type, path, "expected an array of numbers");
  std::vector<float> out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double d = as_number(v[i], at_index(path, i));
    if (!(std::fabs(d) <= FLT_MAX)) fail(Fault::bad_value, at_index(path, i), out_of_range);
    out.push_back(static_cast<float>(d));
  }
  return out;
}

Fields::Fields(const json& object, std::string path) : object_(object), path_(std::move(path)) {
  if (!object.is_object()) fail(Fault::wrong_type, path_, "expected an object");
}

const json& Fields::required(std::string_view key) const {
  auto it = object_.find(key);
  if (it == object_.end()) fail(Fault::missing, path(key), "missing");
  return *it;
}

const json* Fields::optional(std::string_view key) const {
  auto it = object_.find(key);
  return it == object_.end() || it->is_null() ? nullptr : &*it;
}

std::string Fields::string(std::string_view key) const {
  return as_string(required(key), path(key));
}

std::string Fields::non_empty_string(std::string_view key) const {
  const json& v = required(key);
  if (!v.is_string()) fail(Fault::wrong_type, path(key), "expected a non-empty string");
  if (v.get_ref<const std::string&>().empty()) {
    fail(Fault::bad_value, path(key), "expected a non-empty string");
  }
  return v.get<std::string>();
}

std::string Fields::string_or_empty(std::string_view key) const {
  const json* v = optional(key);
  return v ? as_string(*v, path(key)) : std::string();
}

double Fields::number(std::string_view key) const {
  return as_number(required(key), path(key));
}

bool Fields::boolean(std::string_view key) const {
  return as_boolean(required(key), path(key));
}

}  // namespace docprof::domain::json_read
