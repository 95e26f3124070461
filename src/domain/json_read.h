// Path-aware readers of JSON values, shared by models_json.cpp, events_json.cpp and
// commands_json.cpp. Internal to the functional core: only .cpp files of src/domain include it,
// never a public header, which is why it includes the full <nlohmann/json.hpp> (its templates call
// json members) instead of json_fwd.hpp.
//
// Every reader checks the JSON type itself (nlohmann's get<int>() would truncate 2.5 and convert
// true) and reports a problem by throwing a Problem whose message is "<path>: <what is wrong>",
// "$" being the document itself: "$: expected an object", "parts[2].minutes: expected an integer".
// Each caller catches the Problem at its public entry point and turns it into its own error: an
// Error value (events, commands) or the nlohmann exception from_json promises
// (throw_as_json_exception).
//
// Thread safety: stateless.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

namespace docprof::domain::json_read {

using json = nlohmann::json;

// What kind of problem was found; it decides which nlohmann exception throw_as_json_exception
// raises. Callers that report an Error keep only the message.
enum class Fault { missing, wrong_type, bad_value };
struct Problem {
  Fault fault;
  std::string message;
};

// Throws Problem{fault, "<path>: <what>"}.
[[noreturn]] void fail(Fault fault, const std::string& path, std::string_view what);

// The nlohmann exception for a Problem, with the Problem's message: out_of_range 403 ("key not
// found") for a missing key, type_error 302 ("type must be ...") for a wrong JSON type, and
// out_of_range 406 for a value outside the accepted set. No diagnostics context is passed: the
// message already carries the path.
[[noreturn]] void throw_as_json_exception(const Problem& problem);

// Paths: at_key("$", "a") == "a", at_key("a", "b") == "a.b", at_index("a", 2) == "a[2]".
std::string at_key(const std::string& path, std::string_view key);
std::string at_index(const std::string& path, std::size_t i);

// nlohmann's what() is "[json.exception.<kind>.<id>] <message>"; this is the message.
std::string exception_message(const json::exception& e);

// The from_json functions of models_json.h report paths relative to the value read, "$" being that
// value; splice puts the value's own path in front: ("payload.usage", "$: x") ->
// "payload.usage: x", ("payload.usage", "calls: x") -> "payload.usage.calls: x".
std::string splice(const std::string& prefix, const std::string& inner);

// A value read by its from_json (models_json.h); its exception becomes a bad_value Problem with the
// spliced path.
template <class T>
T nested(const json& v, const std::string& path) {
  try {
    return v.get<T>();
  } catch (const json::exception& e) {
    throw Problem{Fault::bad_value, splice(path, exception_message(e))};
  }
}

// An array of values, each read by nested<T> ("expected an array" when v is not an array).
template <class T>
std::vector<T> nested_array(const json& v, const std::string& path) {
  if (!v.is_array()) fail(Fault::wrong_type, path, "expected an array");
  std::vector<T> out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out.push_back(nested<T>(v[i], at_index(path, i)));
  return out;
}

std::string as_string(const json& v, const std::string& path);  // "expected a string"
// A number, never a numeric string (the original stored hours as "2.0") and never a boolean.
double as_number(const json& v, const std::string& path);  // "expected a number"
bool as_boolean(const json& v, const std::string& path);   // "expected a boolean"

// A JSON integer (never 2.5, "2" or true) that Int can hold. Errors: "expected an integer"
// (wrong_type), "integer out of range" (bad_value).
template <class Int>
Int as_integer(const json& v, const std::string& path) {
  static_assert(std::is_signed_v<Int> && sizeof(Int) <= sizeof(std::int64_t),
                "a signed integer type of at most 64 bits");
  if (!v.is_number_integer()) fail(Fault::wrong_type, path, "expected an integer");
  // JSON text parses non-negative integers as unsigned: bring both kinds to int64 first.
  if (v.is_number_unsigned() &&
      v.get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    fail(Fault::bad_value, path, "integer out of range");
  }
  const auto s = v.get<std::int64_t>();
  if (s < std::numeric_limits<Int>::min() || s > std::numeric_limits<Int>::max()) {
    fail(Fault::bad_value, path, "integer out of range");
  }
  return static_cast<Int>(s);
}

// A JSON integer within [min, max(Int)]. Errors: "expected an integer >= <min>" (wrong_type when
// not an integer, bad_value when below min), "integer out of range" (bad_value).
template <class Int>
Int as_integer(const json& v, const std::string& path, Int min) {
  const std::string expected = "expected an integer >= " + std::to_string(min);
  if (!v.is_number_integer()) fail(Fault::wrong_type, path, expected);
  const auto s = as_integer<std::int64_t>(v, path);
  if (s < min) fail(Fault::bad_value, path, expected);
  if (s > std::numeric_limits<Int>::max()) fail(Fault::bad_value, path, "integer out of range");
  return static_cast<Int>(s);
}

// An array of numbers that a float can hold ("expected an array of numbers", then per element
// "expected a number" or `out_of_range`, whose wording the event and command formats word
// differently). The writers store each float as the double it converts to exactly, so reading it
// back and narrowing gives the same float bit for bit.
std::vector<float> as_floats(const json& v, const std::string& path, std::string_view out_of_range);

// The members of one JSON object ("expected an object" otherwise), looked up by key with the key's
// path at hand. Required members must be present ("missing"); optional ones may be missing or null,
// both meaning absent.
class Fields {
 public:
  Fields(const json& object, std::string path);

  std::string path(std::string_view key) const { return at_key(path_, key); }

  const json& required(std::string_view key) const;
  const json* optional(std::string_view key) const;  // nullptr when missing or null

  std::string string(std::string_view key) const;
  std::string non_empty_string(std::string_view key) const;  // "expected a non-empty string"
  std::string string_or_empty(std::string_view key) const;   // optional
  double number(std::string_view key) const;
  bool boolean(std::string_view key) const;
  template <class Int>
  Int integer(std::string_view key, Int min) const {
    return as_integer<Int>(required(key), path(key), min);
  }
  template <class T>
  T nested_or_default(std::string_view key) const {  // optional, read by nested<T>
    const json* v = optional(key);
    return v ? nested<T>(*v, path(key)) : T{};
  }

 private:
  const json& object_;
  std::string path_;
};

}  // namespace docprof::domain::json_read
