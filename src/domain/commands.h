// Commands: the effects a workflow decision asks the engine to carry out, and the outcomes the
// engine reports back. A decision holds at most one effectful call (Embed, SearchBookSummaries or
// CallModel), or the CreateCourse + CreateSections pair that the engine stores in one transaction,
// or a revision's StoreRevision (issue 17).
//
// Thread safety: plain values. JSON conversion: commands_json.h.
#pragma once

#include <map>
#include <string>
#include <variant>
#include <vector>

#include "domain/book_summary.h"
#include "domain/models.h"
#include "domain/revised_rows.h"

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

// A revision's store step (issue 17): the store's commit re-reads the course's rows in its
// transaction and builds the stored rows with build_revised_rows (revised_rows.h) from them, so
// what is completed *at commit time* is re-inserted from storage.
struct StoreRevision {
  std::string course_id = {};
  std::string revision_request = {};
  Outline outline = {};                // the parsed answer
  std::vector<BookMatch> books = {};   // for resolving the answer's "Read:" lines
  RevisionRowsRequest rows = {};       // revision, hours after it, now
  int total_minutes = 0;               // of the rows built from the base (for RevisionStored)
  bool operator==(const StoreRevision&) const = default;
};

using Command = std::variant<Embed, SearchBookSummaries, CallModel, CreateCourse, CreateSections, StoreRevision>;

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
