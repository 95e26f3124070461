// Commands: the effects a workflow decision asks the engine to carry out, and the outcomes the
// engine reports back. A decision holds at most one effectful call (Embed, SearchBookSummaries or
// CallModel), or the CreateCourse + CreateSections pair that the engine stores in one transaction.
//
// Thread safety: plain values. JSON conversion: commands_json.h.
#pragma once

#include <map>
#include <string>
#include <variant>
#include <vector>

#include "domain/book_summary.h"
#include "domain/models.h"

namespace docprof::domain {

struct Embed {
  std::vector<std::string> texts;
  bool operator==(const Embed&) const = default;
};

struct SearchBookSummaries {
  std::string query;  // the learner's words, for the lexical side of the search
  std::vector<float> embedding;
  std::string embedding_model;
  int top_k = 10;
  double min_similarity = 0.0;
  bool operator==(const SearchBookSummaries&) const = default;
};

// One logical model request: which prompt, its variables, the rendered text and sampling settings.
struct LlmRequest {
  std::string prompt_id;  // "courses.generate_parts", ...
  std::string task;       // "generate_course_parts", "generate_part_sections_<i>", ...
  std::map<std::string, std::string> variables;
  std::string rendered;
  double temperature = 0.7;
  int max_tokens = 2000;
  bool operator==(const LlmRequest&) const = default;
};

struct CallModel {
  LlmRequest request;
  bool operator==(const CallModel&) const = default;
};

struct CreateCourse {
  Course course;
  bool operator==(const CreateCourse&) const = default;
};

struct CreateSections {
  std::string course_id;
  std::vector<CourseSection> sections;  // parts and sections, by order_index
  bool operator==(const CreateSections&) const = default;
};

using Command = std::variant<Embed, SearchBookSummaries, CallModel, CreateCourse, CreateSections>;

// What the engine reports after running a decision's commands.
struct EmbedOutcome {
  std::vector<float> embedding;
  std::string model;
  TokenUsage usage;
};
struct SearchOutcome {
  std::vector<BookMatch> books;
};
struct ModelOutcome {
  std::string text;
  TokenUsage usage;
  std::string finish_reason = "stop";  // "stop" | "length"
};
struct StoreOutcome {};
using CommandOutcome = std::variant<EmbedOutcome, SearchOutcome, ModelOutcome, StoreOutcome>;

}  // namespace docprof::domain
