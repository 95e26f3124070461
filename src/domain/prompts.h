// The prompt templates of the course workflow (domain.md §3) and the computation of their
// variables. Rendering is strict: every placeholder needs a value and every value a placeholder.
//
// Thread safety: stateless; the templates are immutable.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "domain/book_views.h"
#include "domain/commands.h"
#include "domain/models.h"
#include "domain/result.h"

namespace docprof::domain {

inline constexpr std::string_view kGeneratePartsPrompt = "courses.generate_parts";
inline constexpr std::string_view kExpandPartPrompt = "courses.expand_part";
inline constexpr std::string_view kReviewOutlinePrompt = "courses.review_outline";
inline constexpr std::string_view kReviseOutlinePrompt = "courses.revise_outline";
inline constexpr std::string_view kRepairPrompt = "courses.repair";
// An ingestion run's summaries (issue 14; requests built by ingest_summaries.h).
inline constexpr std::string_view kSummarizeChapterPrompt = "books.summarize_chapter";
inline constexpr std::string_view kSummarizeBookPrompt = "books.summarize_book";

inline constexpr std::string_view kGeneratePartsTask = "generate_course_parts";
inline constexpr std::string_view kReviewTask = "review_and_adjust_outline";
inline constexpr std::string_view kReviseOutlineTask = "revise_outline";
std::string expand_part_task(int part_index);  // "generate_part_sections_<i>", i 0-based

struct PromptSpec {
  std::string_view id;
  double temperature;
  int max_tokens;
  std::vector<std::string_view> variables;  // every placeholder of the template, sorted
  std::string_view format_spec;             // the output grammar, quoted in repair prompts
};
// The spec of a known prompt id; throws std::invalid_argument for an unknown id (programmer error).
const PromptSpec& prompt_spec(std::string_view prompt_id);

using PromptVariables = std::map<std::string, std::string>;
// Fills {name} placeholders. Errors ("prompt_error"): unknown prompt id, a placeholder with no
// value, a value with no placeholder.
Result<std::string> render_prompt(std::string_view prompt_id, const PromptVariables& variables);

// Variable computations.
std::string parts_count_guidance(double hours);  // "1 part", "2-3 parts", "3-5 parts", "<n>-<n+2> parts"
std::string parts_guidance(double hours);        // one sentence of advice matching the count
std::string preferences_text(const Preferences& preferences);
std::string remaining_parts_text(const std::vector<PartPlan>& parts, int after_index);  // or "None"
// The parts list plus the sections of the parts expanded so far, in the output grammar.
std::string existing_outline_text(const std::vector<PartPlan>& parts, const Outline& outline);

struct PromptSettings {
  int context_budget_tokens = 6000;
  // Where a run's source context is read from (book_views.h); null: worked out here.
  const BookViews* book_views = nullptr;
};

// Complete requests for each step (variables computed from the run state, rendered).
Result<LlmRequest> generate_parts_request(const RunState& state, const PromptSettings& settings);
Result<LlmRequest> expand_part_request(const RunState& state, int part_index, const PromptSettings& settings);
// max_tokens = max(4000, ceil(1.5 × estimate_tokens(outline_text))).
Result<LlmRequest> review_outline_request(const RunState& state, const PromptSettings& settings);
// A revision of a stored course (issue 17): the stored outline as render_revision_outline writes it
// (completed sections marked), what the completed sections take, and the learner's request.
struct RevisionPromptInput {
  std::string query;  // the course's original request
  double hours = 0.0;  // the course's length before the revision
  Preferences preferences = {};
  std::string revision_request = {};
  std::string outline_text = {};
  int completed_minutes = 0;
  std::vector<BookMatch> books = {};  // the library's material for the course and the request
};
// courses.revise_outline, task revise_outline; max_tokens as the review's.
Result<LlmRequest> revise_outline_request(const RevisionPromptInput& input, const PromptSettings& settings);

// A request for a prompt: rendered from `variables`, its spec's temperature, `max_tokens`.
// Errors ("prompt_error") as render_prompt's.
Result<LlmRequest> make_prompt_request(std::string_view prompt_id, std::string task, PromptVariables variables,
                                       int max_tokens);

// A repair of `original`'s unparseable answer: same task and max_tokens, prompt courses.repair with
// original_prompt_id, format_spec, parse_error and previous_answer (its first 2,000 characters).
Result<LlmRequest> repair_request(const LlmRequest& original, std::string_view parse_error,
                                  std::string_view previous_answer);

}  // namespace docprof::domain
