#include "adapters/llm/cassette.h"

#include <fstream>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "adapters/llm/provider_errors.h"

namespace docprof::adapters::llm {
namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& key, std::string_view problem) {
  throw std::invalid_argument("\"" + key + "\": " + std::string(problem));
}

std::string string_at(const json& object, const std::string& key, const std::string& path) {
  const json& v = object.at(key);
  if (!v.is_string()) bad(path, "expected a string");
  return v.get<std::string>();
}

std::int64_t count_at(const json& object, const std::string& key, const std::string& path) {
  const json& v = object.at(key);
  if (!v.is_number_integer() || v.get<std::int64_t>() < 0) bad(path, "expected an integer >= 0");
  return v.get<std::int64_t>();
}

ports::ProviderError error_from_json(const json& e) {
  if (!e.is_object()) bad("error", "expected an object");
  int status = 0;
  if (e.contains("status")) {
    const json& s = e.at("status");
    if (!s.is_number_integer() || s.get<std::int64_t>() < 0 || s.get<std::int64_t>() > 999) {
      bad("error.status", "expected an HTTP status code");
    }
    status = s.get<int>();
  }
  std::string message = e.contains("message") ? string_at(e, "message", "error.message") : "";
  std::optional<std::string> code;
  if (e.contains("code")) {
    code = string_at(e, "code", "error.code");
    if (code->empty()) bad("error.code", "expected a non-empty string");
  }
  if (status == 0 && !code) bad("error", "expected a \"status\" (HTTP code) or a \"code\"");

  ports::ProviderError error;
  if (status != 0) {
    error = classify_http_status(status, std::move(message));
    if (code) error.code = *code;
  } else {
    error.code = *code;
    error.message = message.empty() ? *code : std::move(message);
    error.transient = is_transient_code(*code);
  }
  if (e.contains("transient")) {
    if (!e.at("transient").is_boolean()) bad("error.transient", "expected true or false");
    error.transient = e.at("transient").get<bool>();
  }
  if (e.contains("retry_after_ms")) {
    error.retry_after_ms = count_at(e, "retry_after_ms", "error.retry_after_ms");
  }
  return error;
}

}  // namespace

CassetteEntry cassette_entry_from_json(const json& line) {
  if (!line.is_object()) throw std::invalid_argument("expected a JSON object");
  CassetteEntry entry;
  if (!line.contains("task")) bad("task", "missing");
  entry.task = string_at(line, "task", "task");
  if (entry.task.empty()) bad("task", "expected a non-empty string");

  if (line.contains("error") && !line.at("error").is_null()) {
    entry.error = error_from_json(line.at("error"));
  } else if (!line.contains("response")) {
    bad("response", "missing (an entry needs a \"response\" or an \"error\")");
  }
  if (line.contains("response")) entry.response = string_at(line, "response", "response");
  if (line.contains("delay_ms")) entry.delay_ms = count_at(line, "delay_ms", "delay_ms");
  if (line.contains("usage")) {
    const json& u = line.at("usage");
    if (!u.is_object()) bad("usage", "expected an object");
    if (u.contains("input_tokens")) {
      entry.usage.input_tokens = count_at(u, "input_tokens", "usage.input_tokens");
    }
    if (u.contains("output_tokens")) {
      entry.usage.output_tokens = count_at(u, "output_tokens", "usage.output_tokens");
    }
    if (u.contains("calls")) entry.usage.calls = count_at(u, "calls", "usage.calls");
  }
  if (line.contains("finish_reason")) {
    entry.finish_reason = string_at(line, "finish_reason", "finish_reason");
    if (entry.finish_reason != "stop" && entry.finish_reason != "length") {
      bad("finish_reason", "expected \"stop\" or \"length\"");
    }
  }
  if (line.contains("course_id")) entry.course_id = string_at(line, "course_id", "course_id");
  return entry;
}

json cassette_entry_to_json(const CassetteEntry& entry) {
  json line = json::object();
  line["task"] = entry.task;
  if (!entry.course_id.empty()) line["course_id"] = entry.course_id;
  if (entry.delay_ms != 0) line["delay_ms"] = entry.delay_ms;
  if (entry.error) {
    json e = {{"status", entry.error->http_status},
              {"code", entry.error->code},
              {"message", entry.error->message},
              {"transient", entry.error->transient}};
    if (entry.error->retry_after_ms) e["retry_after_ms"] = *entry.error->retry_after_ms;
    line["error"] = std::move(e);
    return line;
  }
  line["response"] = entry.response;
  line["finish_reason"] = entry.finish_reason;
  json usage = {{"input_tokens", entry.usage.input_tokens},
                {"output_tokens", entry.usage.output_tokens}};
  if (entry.usage.calls != 1) usage["calls"] = entry.usage.calls;
  line["usage"] = std::move(usage);
  return line;
}

std::vector<CassetteEntry> load_cassette(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot open cassette");
  std::vector<CassetteEntry> entries;
  std::string text;
  std::size_t line_number = 0;
  while (std::getline(in, text)) {
    ++line_number;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    const std::string where = path.string() + ":" + std::to_string(line_number) + ": ";
    json line;
    try {
      line = json::parse(text);
    } catch (const json::exception& e) {
      // Not only parse_error: a number beyond a double's range (1e400) is an out_of_range.
      throw std::runtime_error(where + "invalid JSON: " + e.what());
    }
    try {
      entries.push_back(cassette_entry_from_json(line));
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(where + e.what());
    }
  }
  if (in.bad()) throw std::runtime_error(path.string() + ": read error");
  return entries;
}

CassetteEntry cassette_entry_from_result(const std::string& task, const std::string& course_id,
                                         const ports::LlmResult& result) {
  CassetteEntry entry;
  entry.task = task;
  entry.course_id = course_id;
  if (const auto* error = std::get_if<ports::ProviderError>(&result)) {
    entry.error = *error;
    return entry;
  }
  const auto& outcome = std::get<domain::ModelOutcome>(result);
  entry.response = outcome.text;
  entry.usage = outcome.usage;
  entry.finish_reason = outcome.finish_reason;
  return entry;
}

ports::LlmResult cassette_entry_result(const CassetteEntry& entry) {
  if (entry.error) return *entry.error;
  return domain::ModelOutcome{entry.response, entry.usage, entry.finish_reason};
}

}  // namespace docprof::adapters::llm
