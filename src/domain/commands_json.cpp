#include "domain/commands_json.h"

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/json_read.h"
#include "domain/models_json.h"

namespace docprof::domain {
namespace {

using nlohmann::json;

using json_read::as_number;
using json_read::as_string;
using json_read::at_index;
using json_read::exception_message;
using json_read::fail;
using json_read::Fault;
using json_read::Fields;
using json_read::nested;

// Commands are read back from logs, the run history and cassettes (hand-edited at times), so every
// field is checked (json_read.h) and a problem names its path: "<path>: <what is wrong>", "$" being
// the document. command_from_json turns a json_read::Problem into Error{"invalid_command", ...};
// from_json(LlmRequest) into the nlohmann exception models_json.h documents for from_json.

std::vector<std::string> as_strings(const json& v, const std::string& path) {
  if (!v.is_array()) fail(Fault::wrong_type, path, "expected an array of strings");
  std::vector<std::string> out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out.push_back(as_string(v[i], at_index(path, i)));
  return out;
}

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
  if (const json* m = f.optional("max_tokens"))
    r.max_tokens = json_read::as_integer<int>(*m, f.path("max_tokens"), 1);
  return r;
}

constexpr std::array<std::string_view, std::variant_size_v<Command>> kCommandNames{
    "Embed", "SearchBookSummaries", "CallModel", "CreateCourse", "CreateSections",
    "StoreRevision", "ParseDocument", "StoreBook"};

Command read_command(const json& v) {
  const Fields f(v, "$");
  const std::string name = f.string("command");
  if (name == "Embed") return Embed{as_strings(f.required("texts"), f.path("texts"))};
  if (name == "SearchBookSummaries") {
    SearchBookSummaries s;
    if (const json* q = f.optional("query")) s.query = as_string(*q, f.path("query"));
    // Floats are written as the doubles they convert to exactly, so narrowing back is lossless.
    s.embedding =
        json_read::as_floats(f.required("embedding"), f.path("embedding"), "out of float range");
    if (const json* m = f.optional("embedding_model")) {
      s.embedding_model = as_string(*m, f.path("embedding_model"));
    }
    s.top_k = f.integer<int>("top_k", 1);
    s.min_similarity = f.number("min_similarity");
    return s;
  }
  if (name == "CallModel")
    return CallModel{read_llm_request(f.required("request"), f.path("request"))};
  if (name == "CreateCourse")
    return CreateCourse{nested<Course>(f.required("course"), f.path("course"))};
  if (name == "CreateSections") {
    CreateSections c;
    c.course_id = f.string("course_id");
    c.sections = json_read::nested_array<CourseSection>(f.required("sections"), f.path("sections"));
    return c;
  }
  if (name == "StoreRevision") {
    StoreRevision c;
    c.course_id = f.string("course_id");
    c.revision_request = f.string("revision_request");
    c.outline = nested<Outline>(f.required("outline"), f.path("outline"));
    c.books = json_read::nested_array<BookMatch>(f.required("books"), f.path("books"));
    c.rows.revision = f.integer<int>("revision", 1);
    c.rows.hours = f.number("hours");
    c.rows.now_ms = f.integer<std::int64_t>("now_ms", 0);
    c.total_minutes = f.integer<int>("total_minutes", 0);
    return c;
  }
  if (name == "ParseDocument") {
    return ParseDocument{f.string("path"), f.string("book_id"), f.string("title"), f.string("author")};
  }
  if (name == "StoreBook") {
    StoreBook c;
    c.book_id = f.string("book_id");
    c.summary = nested<BookSummary>(f.required("summary"), f.path("summary"));
    c.outline = nested<DocumentOutline>(f.required("outline"), f.path("outline"));
    c.source_path = f.string("source_path");
    c.format = f.string("format");
    c.sha256 = f.string("sha256");
    c.pages = f.integer<int>("pages", 0);
    c.words = f.integer<int>("words", 0);
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
  return json{{"query", c.query},
              {"embedding", c.embedding},
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
json fields_of(const StoreRevision& c) {
  return json{{"course_id", c.course_id},   {"revision_request", c.revision_request},
              {"outline", c.outline},       {"books", c.books},
              {"revision", c.rows.revision}, {"hours", c.rows.hours},
              {"now_ms", c.rows.now_ms},    {"total_minutes", c.total_minutes}};
}

json fields_of(const ParseDocument& c) {
  return json{{"path", c.path}, {"book_id", c.book_id}, {"title", c.title}, {"author", c.author}};
}
json fields_of(const StoreBook& c) {
  return json{{"book_id", c.book_id}, {"summary", c.summary}, {"outline", c.outline},
              {"source_path", c.source_path}, {"format", c.format}, {"sha256", c.sha256},
              {"pages", c.pages}, {"words", c.words}};
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
  } catch (const json_read::Problem& p) {
    json_read::throw_as_json_exception(p);
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
  } catch (const json_read::Problem& p) {
    return Error{"invalid_command", p.message};
  } catch (const json::exception& e) {  // a safety net: every access above is checked first
    return Error{"invalid_command", "$: " + exception_message(e)};
  }
}

}  // namespace docprof::domain
