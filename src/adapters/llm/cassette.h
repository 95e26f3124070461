// Cassette: the JSON-lines file format shared by ReplayModel (reads) and RecordingModel (writes).
// One line per model call, matched by task:
//   {"task": "generate_course_parts", "response": "Part 1: …", "delay_ms": 0,
//    "usage": {"input_tokens": 812, "output_tokens": 96}, "finish_reason": "stop",
//    "course_id": "…"}
//   {"task": "generate_part_sections_0", "error": {"status": 429, "message": "slow down"}}
// Only "task" and one of "response" / "error" are required. An error is classified from its HTTP
// status (provider_errors.h); recordings also write the error's own "code", "transient" and
// "retry_after_ms", which then take precedence, and "status": 0 with a "code" stands for a failure
// without an HTTP answer (a timeout, a reset connection). "usage.calls" defaults to 1. Unknown keys
// are ignored; blank lines are skipped.
//
// Thread safety: pure functions over values, except load_cassette, which reads a file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "domain/models.h"
#include "ports/language_model.h"

namespace docprof::adapters::llm {

struct CassetteEntry {
  std::string task;
  std::string response;
  std::int64_t delay_ms = 0;
  std::optional<ports::ProviderError> error;  // set: the call fails with this error
  domain::TokenUsage usage{0, 0, 1};
  std::string finish_reason = "stop";  // "stop" | "length"
  std::string course_id;               // informational: the run it was recorded in
};

// Validates one parsed line; throws std::invalid_argument naming the offending key.
CassetteEntry cassette_entry_from_json(const nlohmann::json& line);
// The line a recording writes for an entry (no delay_ms unless non-zero; error or response).
nlohmann::json cassette_entry_to_json(const CassetteEntry& entry);

// Reads a whole cassette; throws std::runtime_error "<path>:<line>: <problem>" for a malformed
// line, or "<path>: cannot open cassette" for a missing or unreadable file.
std::vector<CassetteEntry> load_cassette(const std::filesystem::path& path);

// The cassette entry of a finished call, and back.
CassetteEntry cassette_entry_from_result(const std::string& task, const std::string& course_id,
                                         const ports::LlmResult& result);
ports::LlmResult cassette_entry_result(const CassetteEntry& entry);

}  // namespace docprof::adapters::llm
