#include "domain/events_json.h"

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

// Events come from queues and brokers, so every field is checked explicitly and a problem becomes
// Error{"invalid_event", "<path>: <what is wrong>"}. Readers throw a Problem, caught at the two
// public entry points; nothing escapes as an exception.
struct Problem {
  std::string message;
};

[[noreturn]] void fail(const std::string& path, std::string_view what) {
  throw Problem{path + ": " + std::string(what)};
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

// The from_json of models_json.h reports paths relative to the value read, "$" being that value;
// put the value's own path in front: "$: x" -> "payload.usage: x", "calls: x" ->
// "payload.usage.calls: x".
std::string splice(const std::string& prefix, const std::string& inner) {
  if (inner.starts_with('$')) return prefix + inner.substr(1);
  return prefix + "." + inner;
}

template <class T>
T nested(const json& v, const std::string& path) {
  try {
    return v.get<T>();
  } catch (const json::exception& e) {
    throw Problem{splice(path, exception_message(e))};
  }
}

std::string as_string(const json& v, const std::string& path) {
  if (!v.is_string()) fail(path, "expected a string");
  return v.get<std::string>();
}

// A JSON integer (never 2.5, "2" or true) within [min, max(Int)].
template <class Int>
Int as_integer(const json& v, const std::string& path, Int min) {
  const std::string expected = "expected an integer >= " + std::to_string(min);
  if (!v.is_number_integer()) fail(path, expected);
  // JSON text parses non-negative integers as unsigned: bring both kinds to int64 first.
  if (v.is_number_unsigned() &&
      v.get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    fail(path, "integer out of range");
  }
  const auto s = v.get<std::int64_t>();
  if (s < static_cast<std::int64_t>(min)) fail(path, expected);
  if (s > static_cast<std::int64_t>(std::numeric_limits<Int>::max())) {
    fail(path, "integer out of range");
  }
  return static_cast<Int>(s);
}

// Each element must be a number that a float can hold; the writer stores each float as the double
// it converts to exactly, so reading it back and narrowing gives the same float bit for bit.
std::vector<float> as_floats(const json& v, const std::string& path) {
  if (!v.is_array()) fail(path, "expected an array of numbers");
  std::vector<float> out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    const json& x = v[i];
    if (!x.is_number()) fail(at_index(path, i), "expected a number");
    const auto d = x.get<double>();
    if (!(std::fabs(d) <= FLT_MAX)) fail(at_index(path, i), "number out of float range");
    out.push_back(static_cast<float>(d));
  }
  return out;
}

// The members of one JSON object. Required members must be present; optional ones may be missing
// or null and then take the default.
class Fields {
 public:
  Fields(const json& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object.is_object()) fail(path_, "expected an object");
  }

  std::string path(std::string_view key) const { return at_key(path_, key); }

  const json& required(std::string_view key) const {
    auto it = object_.find(key);
    if (it == object_.end()) fail(path(key), "missing");
    return *it;
  }
  const json* optional(std::string_view key) const {
    auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }

  std::string string(std::string_view key) const { return as_string(required(key), path(key)); }
  std::string non_empty_string(std::string_view key) const {
    const json& v = required(key);
    if (!v.is_string() || v.get_ref<const std::string&>().empty()) {
      fail(path(key), "expected a non-empty string");
    }
    return v.get<std::string>();
  }
  std::string string_or_empty(std::string_view key) const {
    const json* v = optional(key);
    return v ? as_string(*v, path(key)) : std::string();
  }
  template <class Int>
  Int integer(std::string_view key, Int min) const {
    return as_integer<Int>(required(key), path(key), min);
  }
  double number(std::string_view key) const {
    const json& v = required(key);
    if (!v.is_number()) fail(path(key), "expected a number");
    return v.get<double>();
  }
  bool boolean(std::string_view key) const {
    const json& v = required(key);
    if (!v.is_boolean()) fail(path(key), "expected a boolean");
    return v.get<bool>();
  }
  template <class T>
  T nested_or_default(std::string_view key) const {
    const json* v = optional(key);
    return v ? nested<T>(*v, path(key)) : T{};
  }

 private:
  const json& object_;
  std::string path_;
};

// Field policy: what the next step needs is required; metadata (usage, the embedder's name, the
// review note and text of an OutlineReviewed{reviewed: false}) defaults when missing.
EventPayload read_payload(EventType type, const json& v, const std::string& path) {
  const Fields f(v, path);
  switch (type) {
    case EventType::CourseRequested:
      return CourseRequested{f.string("query"), f.number("hours"),
                             f.nested_or_default<Preferences>("preferences"), f.string("user_id")};
    case EventType::EmbeddingGenerated:
      return EmbeddingGenerated{as_floats(f.required("embedding"), f.path("embedding")),
                                f.string_or_empty("model"),
                                f.nested_or_default<TokenUsage>("usage")};
    case EventType::BookSummariesFound: {
      const json& books = f.required("books");
      if (!books.is_array()) fail(f.path("books"), "expected an array");
      BookSummariesFound p;
      for (std::size_t i = 0; i < books.size(); ++i) {
        p.books.push_back(nested<BookMatch>(books[i], at_index(f.path("books"), i)));
      }
      return p;
    }
    case EventType::PartsGenerated:
      return PartsGenerated{f.string("parts_text"), f.nested_or_default<TokenUsage>("usage")};
    case EventType::PartSectionsGenerated:
      return PartSectionsGenerated{f.string("sections_text"), f.integer<int>("part_index", 0),
                                   f.nested_or_default<TokenUsage>("usage")};
    case EventType::AllPartsComplete:
      return AllPartsComplete{};
    case EventType::OutlineReviewed:
      return OutlineReviewed{f.boolean("reviewed"), f.string_or_empty("reviewed_outline_text"),
                             f.string_or_empty("note"), f.nested_or_default<TokenUsage>("usage")};
    case EventType::CourseStored:
      return CourseStored{f.non_empty_string("course_id"), f.string("title"),
                          f.integer<int>("total_minutes", 0)};
    case EventType::CourseFailed:
      // phase is kept as text: it is informational and must not make a failure unrecordable.
      return CourseFailed{f.non_empty_string("code"), f.string("message"), f.string("phase")};
  }
  fail("type", "unknown event type");
}

json fields_of(const CourseRequested& p) {
  return json{{"query", p.query},
              {"hours", p.hours},
              {"preferences", p.preferences},
              {"user_id", p.user_id}};
}
json fields_of(const EmbeddingGenerated& p) {
  return json{{"embedding", p.embedding}, {"model", p.model}, {"usage", p.usage}};
}
json fields_of(const BookSummariesFound& p) {
  json j = json::object();
  j["books"] = p.books;
  return j;
}
json fields_of(const PartsGenerated& p) {
  return json{{"parts_text", p.parts_text}, {"usage", p.usage}};
}
json fields_of(const PartSectionsGenerated& p) {
  return json{{"sections_text", p.sections_text}, {"part_index", p.part_index}, {"usage", p.usage}};
}
json fields_of(const AllPartsComplete&) {
  return json::object();
}
json fields_of(const OutlineReviewed& p) {
  return json{{"reviewed", p.reviewed},
              {"reviewed_outline_text", p.reviewed_outline_text},
              {"note", p.note},
              {"usage", p.usage}};
}
json fields_of(const CourseStored& p) {
  return json{{"course_id", p.course_id}, {"title", p.title}, {"total_minutes", p.total_minutes}};
}
json fields_of(const CourseFailed& p) {
  return json{{"code", p.code}, {"message", p.message}, {"phase", p.phase}};
}

}  // namespace

json payload_to_json(const EventPayload& payload) {
  return std::visit([](const auto& p) { return fields_of(p); }, payload);
}

void to_json(json& j, const Envelope& e) {
  j = json{{"event_id", e.event_id},
           {"course_id", e.course_id},
           {"seq", e.seq},
           {"type", std::string(to_string(e.type()))},
           {"occurred_at", e.occurred_at},
           {"attempt", e.attempt},
           {"payload", payload_to_json(e.payload)}};
}

Result<EventPayload> payload_from_json(EventType type, const json& j) {
  try {
    return read_payload(type, j, "payload");
  } catch (const Problem& p) {
    return Error{"invalid_event", p.message};
  } catch (const json::exception& e) {  // a safety net: every access above is checked first
    return Error{"invalid_event", "payload: " + exception_message(e)};
  }
}

Result<Envelope> envelope_from_json(const json& j) {
  try {
    const Fields f(j, "$");
    Envelope e;
    e.event_id = f.non_empty_string("event_id");
    e.course_id = f.non_empty_string("course_id");
    e.seq = f.integer<std::int64_t>("seq", 0);
    const auto type = parse_event_type(f.string("type"));
    if (!type) fail(f.path("type"), type.error().message);
    e.occurred_at = f.string("occurred_at");
    e.attempt = f.integer<int>("attempt", 1);
    e.payload = read_payload(*type, f.required("payload"), f.path("payload"));
    return e;
  } catch (const Problem& p) {
    return Error{"invalid_event", p.message};
  } catch (const json::exception& e) {  // a safety net: every access above is checked first
    return Error{"invalid_event", "$: " + exception_message(e)};
  }
}

}  // namespace docprof::domain
