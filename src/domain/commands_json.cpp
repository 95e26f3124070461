#include "domain/commands_json.h"

#include <array>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/models_json.h"

namespace docprof::domain {
namespace {

using nlohmann::json;

// Commands are read back from logs, the run history and cassettes (hand-edited at times), so every
// field is checked and a problem names its path: "<path>: <what is wrong>", "$" being the document.
// command_from_json turns a Problem into Error{"invalid_command", ...}; from_json(LlmRequest) into
// the nlohmann exception models_json.h documents for from_json.
enum class Fault { missing, wrong_type, bad_value };
struct Problem {
  Fault fault;
  std::string message;
};

[[noreturn]] void fail(Fault fault, const std::string& path, std::string_view what) {
  throw Problem{fault, path + ": " + std::string(what)};
}

std::string at_key(const std::string& path, std::string_view key) {
  return path == "$" ? std::string(key) : path + "." + std::string(key);
}
std::string at_index(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// nlohmann's what() is "[json.exception.<kind>.<id>] <message>"; keep the message.
std::string exception_message(const json::exception& e) {
  std::string_view what = e.what();
  if (const auto end = what.find("] "); what.starts_with("[json.exception.") && end != what.npos) {
    what.remove_prefix(end + 2);
  }
  return std::string(what);
}

// models_json's from_json reports paths relative to the value read ("$" = that value).
std::string splice(const std::string& prefix, const std::string& inner) {
  if (inner.starts_with('$')) return prefix + inner.substr(1);
  return prefix + "." + inner;
}

template <class T>
T nested(const json& v, const std::string& path) {
  try {
    return v.get<T>();
  } catch (const json::exception& e) {
    throw Problem{Fault::bad_value, splice(path, exception_message(e))};
  }
}

std::string as_string(const json& v, const std::string& path) {
  if (!v.is_string()) fail(Fault::wrong_type, path, "expected a string");
  return v.get<std::string>();
}

int as_int(const json& v, const std::string& path, int min) {
  const std::string expected = "expected an integer >= " + std::to_string(min);
  if (!v.is_number_integer()) fail(Fault::wrong_type, path, expected);
  // JSON text parses non-negative integers as unsigned: bring both kinds to int64 first.
  if (v.is_number_unsigned() &&
      v.get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    fail(Fault::bad_value, path, "integer out of range");
  }
  const auto s = v.get<std::int64_t>();
  if (s < min) fail(Fault::bad_value, path, expected);
  if (s > std::numeric_limits<int>::max()) fail(Fault::bad_value, path, "integer out of range");
  return static_cast<int>(s);
}

double as_number(const json& v, const std::string& path) {
  if (!v.is_number()) fail(Fault::wrong_type, path, "expected a number");
  return v.get<double>();
}

std::vector<std::string> as_strings(const json& v, const std::string& path) {
  if (!v.is_array()) fail(Fault::wrong_type, path, "expected an array of strings");
  std::vector<std::string> out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out.push_back(as_string(v[i], at_index(path, i)));
  return out;
}

// Floats are written as the doubles they convert to exactly, so narrowing back is lossless.
std::vector<float> as_floats(const json& v, const std::string& path) {
  if (!v.is_array()) fail(Fault::wrong_type, path, "expected an array of numbers");
  std::vector<float> out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double d = as_number(v[i], at_index(path, i));
    if (!(std::fabs(d) <= FLT_MAX)) fail(Fault::bad_value, at_index(path, i), "out of float range");
    out.push_back(static_cast<float>(d));
  }
  return out;
}

// The members of one JSON object; optional members may be missing or null.
class Fields {
 public:
  Fields(const json& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object.is_object()) fail(Fault::wrong_type, path_, "expected an object");
  }

  std::string path(std::string_view key) const { return at_key(path_, key); }

  const json& required(std::string_view key) const {
    auto it = object_.find(key);
    if (it == object_.end()) fail(Fault::missing, path(key), "missing");
    return *it;
  }
  const json* optional(std::string_view key) const {
    auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  std::string string(std::string_view key) const { return as_string(required(key), path(key)); }

 private:
  const json& object_;
  std::string path_;
};

// prompt_id and task identify the request; the rest defaults as in commands.h so that a
// hand-written cassette entry can stay short.
LlmRequest read_llm_request(const json& v, const std::string& path) {
  const Fields f(v, path);
  LlmRequest r;
  r.prompt_id = f.string("prompt_id");
  r.task = f.string("task");
  if (const json* vars = f.optional("variables")) {
    const Fields variables(*vars, f.path("variables"));
    for (const auto& [name, value] : vars->items()) {
      r.variables[name] = as_string(value, variables.path(name));
    }
  }
  if (const json* rendered = f.optional("rendered"))
    r.rendered = as_string(*rendered, f.path("rendered"));
  if (const json* t = f.optional("temperature"))
    r.temperature = as_number(*t, f.path("temperature"));
  if (const json* m = f.optional("max_tokens")) r.max_tokens = as_int(*m, f.path("max_tokens"), 1);
  return r;
}

constexpr std::array<std::string_view, std::variant_size_v<Command>> kCommandNames{
    "Embed", "SearchBookSummaries", "CallModel", "CreateCourse", "CreateSections"};

Command read_command(const json& v) {
  const Fields f(v, "$");
  const std::string name = f.string("command");
  if (name == "Embed") return Embed{as_strings(f.required("texts"), f.path("texts"))};
  if (name == "SearchBookSummaries") {
    SearchBookSummaries s;
    s.embedding = as_floats(f.required("embedding"), f.path("embedding"));
    if (const json* m = f.optional("embedding_model")) {
      s.embedding_model = as_string(*m, f.path("embedding_model"));
    }
    s.top_k = as_int(f.required("top_k"), f.path("top_k"), 1);
    s.min_similarity = as_number(f.required("min_similarity"), f.path("min_similarity"));
    return s;
  }
  if (name == "CallModel")
    return CallModel{read_llm_request(f.required("request"), f.path("request"))};
  if (name == "CreateCourse")
    return CreateCourse{nested<Course>(f.required("course"), f.path("course"))};
  if (name == "CreateSections") {
    CreateSections c;
    c.course_id = f.string("course_id");
    const json& sections = f.required("sections");
    if (!sections.is_array()) fail(Fault::wrong_type, f.path("sections"), "expected an array");
    for (std::size_t i = 0; i < sections.size(); ++i) {
      c.sections.push_back(nested<CourseSection>(sections[i], at_index(f.path("sections"), i)));
    }
    return c;
  }
  std::string accepted;
  for (const auto n : kCommandNames) accepted += (accepted.empty() ? "" : ", ") + std::string(n);
  fail(Fault::bad_value, f.path("command"),
       "unknown command '" + name + "' (expected one of: " + accepted + ")");
}

json fields_of(const Embed& c) {
  return json{{"texts", c.texts}};
}
json fields_of(const SearchBookSummaries& c) {
  return json{{"embedding", c.embedding},
              {"embedding_model", c.embedding_model},
              {"top_k", c.top_k},
              {"min_similarity", c.min_similarity}};
}
json fields_of(const CallModel& c) {
  return json{{"request", c.request}};
}
json fields_of(const CreateCourse& c) {
  return json{{"course", c.course}};
}
json fields_of(const CreateSections& c) {
  return json{{"course_id", c.course_id}, {"sections", c.sections}};
}

}  // namespace

void to_json(json& j, const LlmRequest& r) {
  j = json{{"prompt_id", r.prompt_id},     {"task", r.task},
           {"variables", r.variables},     {"rendered", r.rendered},
           {"temperature", r.temperature}, {"max_tokens", r.max_tokens}};
}

// Throws nlohmann exceptions like the other from_json functions: out_of_range 403 for a missing
// key, type_error 302 for a wrong type, out_of_range 406 for a value outside its range.
void from_json(const json& j, LlmRequest& r) {
  try {
    r = read_llm_request(j, "$");
  } catch (const Problem& p) {
    switch (p.fault) {
      case Fault::missing:
        throw json::out_of_range::create(403, p.message, nullptr);
      case Fault::wrong_type:
        throw json::type_error::create(302, p.message, nullptr);
      case Fault::bad_value:
        break;
    }
    throw json::out_of_range::create(406, p.message, nullptr);
  }
}

json command_to_json(const Command& command) {
  json j = std::visit([](const auto& c) { return fields_of(c); }, command);
  j["command"] = std::string(kCommandNames[command.index()]);
  return j;
}

Result<Command> command_from_json(const json& j) {
  try {
    return read_command(j);
  } catch (const Problem& p) {
    return Error{"invalid_command", p.message};
  } catch (const json::exception& e) {  // a safety net: every access above is checked first
    return Error{"invalid_command", "$: " + exception_message(e)};
  }
}

}  // namespace docprof::domain
