#include "domain/prompts.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include "domain/outline_text.h"
#include "domain/prompt_templates.h"
#include "domain/source_context.h"
#include "domain/text.h"
#include "domain/time_rule.h"

namespace docprof::domain {
namespace {

// The run's source context, from the caller's BookViews when it keeps them.
std::string source_context_of(const BookList& books, const PromptSettings& settings) {
  const BookViews& views = settings.book_views != nullptr ? *settings.book_views : direct_book_views();
  return *views.source_context(books, settings.context_budget_tokens);
}

// Repairs ask for the same content in a fixed grammar: little room for invention helps.
constexpr double kRepairTemperature = 0.2;
constexpr std::size_t kRepairAnswerCodePoints = 2000;
constexpr int kReviewMinTokens = 4000;

const std::array<PromptSpec, 7>& specs() {
  static const std::array<PromptSpec, 7> all{{
      {kGeneratePartsPrompt,
       0.7,
       2000,
       {"hours", "parts_count_guidance", "parts_guidance", "preferences", "query",
        "summaries_context", "target_minutes"},
       find_prompt_template(kGeneratePartsPrompt)->format_spec},
      {kExpandPartPrompt,
       0.7,
       3000,
       {"book_summaries_context", "existing_outline", "part_index", "part_minutes", "part_title",
        "preferences", "query", "remaining_text"},
       find_prompt_template(kExpandPartPrompt)->format_spec},
      {kReviewOutlinePrompt,
       0.7,
       kReviewMinTokens,
       {"book_summaries_context", "current_total", "hours", "max_acceptable", "min_acceptable",
        "outline_text", "preferences", "query", "target_total", "variance_percent"},
       find_prompt_template(kReviewOutlinePrompt)->format_spec},
      {kReviseOutlinePrompt,
       0.7,
       kReviewMinTokens,
       {"book_summaries_context", "completed_minutes", "hours", "max_acceptable", "min_acceptable",
        "outline_text", "preferences", "query", "revision_request", "target_total"},
       find_prompt_template(kReviseOutlinePrompt)->format_spec},
      {kRepairPrompt,
       kRepairTemperature,
       2000,  // a repair takes the max_tokens of the request it repairs
       {"format_spec", "original_prompt_id", "parse_error", "previous_answer"},
       find_prompt_template(kRepairPrompt)->format_spec},
      {kSummarizeChapterPrompt,
       0.3,
       1500,
       {"book_title", "chapter_number", "chapter_text", "chapter_title", "part_note", "section_titles"},
       find_prompt_template(kSummarizeChapterPrompt)->format_spec},
      {kSummarizeBookPrompt,
       0.3,
       800,
       {"author", "book_title", "chapter_summaries"},
       find_prompt_template(kSummarizeBookPrompt)->format_spec},
  }};
  return all;
}

const PromptSpec* find_spec(std::string_view prompt_id) {
  for (const auto& spec : specs()) {
    if (spec.id == prompt_id) return &spec;
  }
  return nullptr;
}

std::string join_names(const std::vector<std::string>& names, std::string_view open,
                       std::string_view close) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += ", ";
    out += std::string(open) + name + std::string(close);
  }
  return out;
}

// Hours as a person writes them: "6", "2.5", "0.25" (at most four decimals, no trailing zeros).
std::string format_hours(double hours) {
  return format_double_trimmed(hours, 4);
}

std::string_view depth_meaning(Depth depth) {
  switch (depth) {
    case Depth::overview:
      return "a broad survey of the key ideas; objectives mostly ask the learner to describe and "
             "explain";
    case Depth::balanced:
      return "concepts together with their practical use; objectives mix explaining with applying";
    case Depth::technical:
      return "methods, calculations and worked procedures; objectives ask the learner to apply, "
             "compute and "
             "analyze";
    case Depth::expert:
      return "advanced material for someone with solid prior knowledge; objectives ask the learner "
             "to "
             "evaluate, critique and design";
  }
  return "";
}

std::string_view pace_meaning(Pace pace) {
  switch (pace) {
    case Pace::quick:
      return "cover the essentials briskly, favouring fewer, denser sections";
    case Pace::moderate:
      return "a steady pace with room for examples";
    case Pace::thorough:
      return "take time for worked examples, practice and review";
  }
  return "";
}

// Sections already written for the parts before `part_index` (a repeated expansion of a part must
// not see its own earlier attempt as "earlier parts").
Outline outline_before(const Outline& outline, int part_index) {
  Outline earlier;
  const auto count =
      std::min(outline.parts.size(), static_cast<std::size_t>(std::max(part_index, 0)));
  earlier.parts.assign(outline.parts.begin(),
                       outline.parts.begin() + static_cast<std::ptrdiff_t>(count));
  return earlier;
}

Result<LlmRequest> make_request(std::string_view prompt_id, std::string task,
                                PromptVariables variables, int max_tokens) {
  auto rendered = render_prompt(prompt_id, variables);
  if (!rendered) return rendered.error();
  LlmRequest request;
  request.prompt_id = std::string(prompt_id);
  request.task = std::move(task);
  request.variables = std::move(variables);
  request.rendered = std::move(rendered).value();
  request.temperature = prompt_spec(prompt_id).temperature;
  request.max_tokens = max_tokens;
  return request;
}

// Replaces every occurrence of `from` in `text` by `to` (single pass, left to right).
std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  std::size_t pos = 0;
  for (std::size_t hit = text.find(from); hit != std::string_view::npos;
       hit = text.find(from, pos)) {
    out.append(text.substr(pos, hit - pos));
    out.append(to);
    pos = hit + from.size();
  }
  out.append(text.substr(pos));
  return out;
}

std::string value_or(const PromptVariables& variables, const std::string& name,
                     std::string_view fallback) {
  const auto it = variables.find(name);
  return it == variables.end() ? std::string(fallback) : it->second;
}

}  // namespace

Result<LlmRequest> make_prompt_request(std::string_view prompt_id, std::string task, PromptVariables variables,
                                       int max_tokens) {
  return make_request(prompt_id, std::move(task), std::move(variables), max_tokens);
}

std::string expand_part_task(int part_index) {
  return "generate_part_sections_" + std::to_string(part_index);
}

const PromptSpec& prompt_spec(std::string_view prompt_id) {
  const PromptSpec* spec = find_spec(prompt_id);
  if (spec == nullptr)
    throw std::invalid_argument("unknown prompt id '" + std::string(prompt_id) + "'");
  return *spec;
}

Result<std::string> render_prompt(std::string_view prompt_id, const PromptVariables& variables) {
  const PromptTemplate* found = find_prompt_template(prompt_id);
  if (found == nullptr)
    return Error{"prompt_error", "unknown prompt id '" + std::string(prompt_id) + "'"};
  Substitution result = substitute(found->text, variables);
  const std::string where = "prompt " + std::string(prompt_id) + ": ";
  if (!result.missing.empty()) {
    return Error{"prompt_error",
                 where + "no value for placeholder " + join_names(result.missing, "{", "}")};
  }
  if (!result.unused.empty()) {
    return Error{"prompt_error",
                 where + "no placeholder for variable " + join_names(result.unused, "'", "'")};
  }
  return std::move(result.text);
}

std::string parts_count_guidance(double hours) {
  const int target = target_minutes(hours);
  // No part may exceed 120 minutes, so a long course needs at least ceil(target / 120) parts.
  if (target > 600) {
    const int n = (target + 119) / 120;
    return std::to_string(n) + "-" + std::to_string(n + 2) + " parts";
  }
  if (hours < 2.0) return "1 part";
  if (hours < 4.0) return "2-3 parts";
  return "3-5 parts";
}

std::string parts_guidance(double hours) {
  const int target = target_minutes(hours);
  if (target > 600) {
    const int n = (target + 119) / 120;
    return "A course this long needs at least " + std::to_string(n) +
           " parts so that no part exceeds 120 minutes; use " + std::to_string(n) + " to " +
           std::to_string(n + 2) + " parts.";
  }
  if (hours < 2.0) {
    // Below 30 minutes the usual part length cannot be met; say so rather than ask the impossible.
    if (target < 30) {
      return "A course this short should be a single part of " + std::to_string(target) +
             " minutes, even though that is under the usual 30-minute minimum.";
    }
    return "A short course should normally be a single part.";
  }
  if (hours < 4.0) return "A course of a few hours should normally have two or three parts.";
  return "A course of this length should normally have three to five parts.";
}

std::string preferences_text(const Preferences& preferences) {
  std::string out = "Learner preferences:\n";
  out += "- Depth: " + std::string(to_string(preferences.depth)) + " (" +
         std::string(depth_meaning(preferences.depth)) + ")\n";
  out += "- Pace: " + std::string(to_string(preferences.pace)) + " (" +
         std::string(pace_meaning(preferences.pace)) + ")\n";
  const std::string style = trim(preferences.presentation_style);
  out += "- Presentation style: " + (style.empty() ? std::string("conversational") : style);
  const std::string notes = trim(preferences.additional_notes);
  if (!notes.empty()) out += "\n- Additional notes: " + notes;
  return out;
}

std::string remaining_parts_text(const std::vector<PartPlan>& parts, int after_index) {
  std::string out;
  for (std::size_t j = 0; j < parts.size(); ++j) {
    if (static_cast<long long>(j) <= after_index) continue;
    if (!out.empty()) out += "\n";
    out += "Part " + std::to_string(j + 1) + ": " + parts[j].title + " - " +
           std::to_string(parts[j].minutes) + " minutes";
  }
  return out.empty() ? std::string("None") : out;
}

std::string existing_outline_text(const std::vector<PartPlan>& parts, const Outline& outline) {
  std::string out = render_parts_list(parts);
  for (std::size_t k = 0; k < outline.parts.size(); ++k) {
    out += "\n\n" + render_part(static_cast<int>(k) + 1, outline.parts[k]);
  }
  return out;
}

Result<LlmRequest> generate_parts_request(const RunState& state, const PromptSettings& settings) {
  PromptVariables variables{
      {"query", state.query},
      {"hours", format_hours(state.hours)},
      {"target_minutes", std::to_string(target_minutes(state.hours))},
      {"summaries_context", source_context_of(state.books, settings)},
      {"parts_guidance", parts_guidance(state.hours)},
      {"parts_count_guidance", parts_count_guidance(state.hours)},
      {"preferences", preferences_text(state.preferences)},
  };
  const PromptSpec& spec = prompt_spec(kGeneratePartsPrompt);
  return make_request(kGeneratePartsPrompt, std::string(kGeneratePartsTask), std::move(variables),
                      spec.max_tokens);
}

Result<LlmRequest> expand_part_request(const RunState& state, int part_index,
                                       const PromptSettings& settings) {
  if (part_index < 0 || static_cast<std::size_t>(part_index) >= state.parts.size()) {
    return Error{"prompt_error", "part index " + std::to_string(part_index) +
                                     " is out of range (the plan has " +
                                     std::to_string(state.parts.size()) + " parts)"};
  }
  const PartPlan& part = state.parts[static_cast<std::size_t>(part_index)];
  PromptVariables variables{
      {"query", state.query},
      {"book_summaries_context", source_context_of(state.books, settings)},
      {"existing_outline",
       existing_outline_text(state.parts, outline_before(state.outline, part_index))},
      {"remaining_text", remaining_parts_text(state.parts, part_index)},
      {"part_index", std::to_string(part_index + 1)},
      {"part_title", part.title},
      {"part_minutes", std::to_string(part.minutes)},
      {"preferences", preferences_text(state.preferences)},
  };
  const PromptSpec& spec = prompt_spec(kExpandPartPrompt);
  return make_request(kExpandPartPrompt, expand_part_task(part_index), std::move(variables),
                      spec.max_tokens);
}

Result<LlmRequest> review_outline_request(const RunState& state, const PromptSettings& settings) {
  const int target = target_minutes(state.hours);
  const int total = state.outline.total_minutes();
  std::string outline = render_outline(state.outline);
  // The answer repeats the whole outline: a fixed 4000 would truncate a long one.
  const int outline_tokens = estimate_tokens(outline);
  const int max_tokens = std::max(kReviewMinTokens, (3 * outline_tokens + 1) / 2);
  PromptVariables variables{
      {"query", state.query},
      {"hours", format_hours(state.hours)},
      {"target_total", std::to_string(target)},
      {"book_summaries_context", source_context_of(state.books, settings)},
      {"outline_text", std::move(outline)},
      {"current_total", std::to_string(total)},
      {"variance_percent", variance_percent(total, target)},
      {"min_acceptable", std::to_string(min_acceptable(target))},
      {"max_acceptable", std::to_string(max_acceptable(target))},
      {"preferences", preferences_text(state.preferences)},
  };
  return make_request(kReviewOutlinePrompt, std::string(kReviewTask), std::move(variables),
                      max_tokens);
}

Result<LlmRequest> revise_outline_request(const RevisionPromptInput& input, const PromptSettings& settings) {
  const int target = target_minutes(input.hours);
  // The answer repeats the whole outline, as the review's does.
  const int max_tokens = std::max(kReviewMinTokens, (3 * estimate_tokens(input.outline_text) + 1) / 2);
  PromptVariables variables{
      {"query", input.query},
      {"hours", format_hours(input.hours)},
      {"target_total", std::to_string(target)},
      {"revision_request", input.revision_request},
      {"outline_text", input.outline_text},
      {"completed_minutes", std::to_string(input.completed_minutes)},
      {"min_acceptable", std::to_string(min_acceptable(target))},
      {"max_acceptable", std::to_string(max_acceptable(target))},
      {"book_summaries_context", build_source_context(input.books, settings.context_budget_tokens)},
      {"preferences", preferences_text(input.preferences)},
  };
  return make_request(kReviseOutlinePrompt, std::string(kReviseOutlineTask), std::move(variables),
                      max_tokens);
}

Result<LlmRequest> repair_request(const LlmRequest& original, std::string_view parse_error,
                                  std::string_view previous_answer) {
  // A repair of a repair still names the first prompt and its grammar.
  std::string root_id = original.prompt_id;
  std::string format_spec;
  if (original.prompt_id == kRepairPrompt) {
    root_id = value_or(original.variables, "original_prompt_id", "");
    format_spec = value_or(original.variables, "format_spec", "");
  }
  const PromptSpec* root = find_spec(root_id);
  if (root == nullptr || root->id == kRepairPrompt) {
    return Error{"prompt_error", "cannot repair an answer to unknown prompt id '" + root_id + "'"};
  }
  if (format_spec.empty()) {
    format_spec = std::string(root->format_spec);
    // The part grammar is generic; the repair names the part it is about.
    if (root->id == kExpandPartPrompt) {
      format_spec =
          replace_all(format_spec, "<n>", value_or(original.variables, "part_index", "<n>"));
      format_spec = replace_all(format_spec, "<part title>",
                                value_or(original.variables, "part_title", "<part title>"));
    }
  }
  PromptVariables variables{
      {"original_prompt_id", root_id},
      {"format_spec", std::move(format_spec)},
      {"parse_error", std::string(parse_error)},
      {"previous_answer", utf8_prefix(previous_answer, kRepairAnswerCodePoints)},
  };
  return make_request(kRepairPrompt, original.task, std::move(variables), original.max_tokens);
}

}  // namespace docprof::domain
