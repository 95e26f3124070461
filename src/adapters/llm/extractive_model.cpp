#include "adapters/llm/extractive_model.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <set>
#include <utility>
#include <variant>

#include "domain/course_plan.h"
#include "domain/course_plan_objectives.h"
#include "domain/outline_parser.h"
#include "domain/outline_text.h"
#include "domain/prompts.h"
#include "domain/revision_outline.h"
#include "domain/revision_plan.h"
#include "domain/text.h"
#include "domain/time_rule.h"

namespace docprof::adapters::llm {
namespace {

using Answer = std::variant<std::string, ports::ProviderError>;
using domain::PlanRequest;

ports::ProviderError permanent(std::string code, std::string message) {
  return ports::ProviderError{std::move(code), std::move(message), false, 0, {}};
}

// The variables of a request, read with errors that name the prompt and the variable.
class Variables {
 public:
  explicit Variables(const domain::LlmRequest& request) : request_(request) {}

  std::optional<std::string> text(const std::string& name) const {
    const auto it = request_.variables.find(name);
    if (it == request_.variables.end()) return std::nullopt;
    return it->second;
  }
  std::optional<int> integer(const std::string& name) const {
    const auto value = text(name);
    if (!value) return std::nullopt;
    const std::string trimmed = domain::trim(*value);
    int parsed = 0;
    const auto [end, error] =
        std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), parsed);
    if (error != std::errc() || end != trimmed.data() + trimmed.size()) return std::nullopt;
    return parsed;
  }
  ports::ProviderError missing(const std::string& name, std::string_view expected) const {
    return permanent("bad_request", "extractive model: " + request_.prompt_id +
                                        " needs variable '" + name + "' (" + std::string(expected) +
                                        ")");
  }
  // Depth as the `preferences` text names it; balanced when it names none.
  domain::Depth depth() const {
    const auto preferences = text("preferences");
    if (!preferences) return domain::Depth::balanced;
    return domain::depth_from_preferences_text(*preferences).value_or(domain::Depth::balanced);
  }

 private:
  const domain::LlmRequest& request_;
};

ports::ProviderError no_material(const std::string& query) {
  return permanent("no_relevant_material", "extractive model: the library has no material for \"" +
                                               domain::utf8_prefix(query, 100) + "\"");
}

// The parts list at the head of `existing_outline` (up to its first blank line): the parts the
// run is expanding, as the parts step stored them.
std::vector<domain::PartPlan> listed_parts(const std::string& existing_outline) {
  const auto blank = existing_outline.find("\n\n");
  auto parsed = domain::parse_parts(existing_outline.substr(0, blank));
  return parsed ? parsed->parts : std::vector<domain::PartPlan>{};
}

// Titles of the sections already written for earlier parts (after the parts list).
std::set<std::string> earlier_section_titles(const std::string& existing_outline) {
  std::set<std::string> titles;
  const auto blank = existing_outline.find("\n\n");
  if (blank == std::string::npos) return titles;
  auto outline = domain::parse_outline(existing_outline.substr(blank + 2));
  if (!outline) return titles;
  for (const auto& part : outline->parts) {
    for (const auto& section : part.sections) titles.insert(domain::ascii_lower(section.title));
  }
  return titles;
}

bool same_minutes(const std::vector<domain::PartPlan>& a, const std::vector<domain::PartPlan>& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(),
                    [](const auto& x, const auto& y) { return x.minutes == y.minutes; });
}

Answer generate_parts(const Variables& vars, ExtractiveMaterial& material) {
  const auto query = vars.text("query");
  if (!query) return vars.missing("query", "the learner's request");
  std::optional<int> target = vars.integer("target_minutes");
  if (!target) {
    // Hours as the prompt writes them ("6", "2.5") when target_minutes is absent.
    const auto hours = vars.text("hours");
    double parsed = 0.0;
    if (hours &&
        std::from_chars(hours->data(), hours->data() + hours->size(), parsed).ec == std::errc()) {
      target = domain::target_minutes(parsed);
    }
  }
  if (!target || *target <= 0) return vars.missing("target_minutes", "a positive whole number");

  auto books = material.material_for(*query);
  if (auto* error = std::get_if<ports::ProviderError>(&books)) return std::move(*error);
  const domain::CoursePlan plan =
      domain::plan_course(PlanRequest{*query, *target, vars.depth(), material.analyzer()},
                          std::get<std::vector<domain::PlanBook>>(books));
  if (plan.parts.empty()) return no_material(*query);
  std::string answer = "Course title: " + plan.title + "\n";
  for (const auto& note : plan.notes) answer += domain::render_note(note) + "\n";
  return answer + domain::render_parts_list(plan.part_plans());
}

Answer expand_part(const Variables& vars, ExtractiveMaterial& material) {
  const auto query = vars.text("query");
  if (!query) return vars.missing("query", "the learner's request");
  const auto part_number = vars.integer("part_index");
  if (!part_number || *part_number < 1) return vars.missing("part_index", "1-based part number");
  const auto part_minutes = vars.integer("part_minutes");
  if (!part_minutes || *part_minutes <= 0) {
    return vars.missing("part_minutes", "a positive whole number");
  }
  const std::string part_title = domain::trim(vars.text("part_title").value_or(""));
  const std::string existing = vars.text("existing_outline").value_or("");

  auto found = material.material_for(*query);
  if (auto* error = std::get_if<ports::ProviderError>(&found)) return std::move(*error);
  const auto& books = std::get<std::vector<domain::PlanBook>>(found);

  std::vector<domain::PartPlan> parts = listed_parts(existing);
  auto index = static_cast<std::size_t>(*part_number - 1);
  if (index >= parts.size()) {
    // No usable parts list: plan this one part on its own.
    parts = {domain::PartPlan{part_title, *part_minutes}};
    index = 0;
  }
  int target = 0;
  for (const auto& part : parts) target += part.minutes;
  const PlanRequest request{*query, target, vars.depth(), material.analyzer()};
  domain::CoursePlan plan = domain::plan_course(request, books);
  if (!same_minutes(plan.part_plans(), parts)) {
    plan = domain::plan_course_for_parts(request, books, parts);
  }
  if (index >= plan.parts.size()) return no_material(*query);

  domain::PartDraft part = plan.part_draft(index);
  part.title = part_title.empty() ? part.title : part_title;
  part.minutes = *part_minutes;
  part.sections = domain::fit_sections(std::move(part.sections), *part_minutes);
  // Parts written by someone else may already use a title this plan gives.
  const std::set<std::string> taken = earlier_section_titles(existing);
  for (auto& section : part.sections) {
    if (taken.contains(domain::ascii_lower(section.title)))
      section.title += ": " + part.title;
  }
  return domain::render_part(*part_number, part);
}

Answer review_outline(const Variables& vars) {
  const auto outline_text = vars.text("outline_text");
  if (!outline_text) return vars.missing("outline_text", "the outline to review");
  const auto target = vars.integer("target_total");
  if (!target || *target <= 0) return vars.missing("target_total", "a positive whole number");
  auto parsed = domain::parse_outline(*outline_text);
  if (!parsed) {
    return permanent("bad_request", "extractive model: cannot read the outline to review: " +
                                        parsed.error().message);
  }
  domain::Outline outline = std::move(parsed).value();
  std::vector<int> minutes;
  for (const auto& part : outline.parts) {
    for (const auto& section : part.sections) minutes.push_back(section.minutes);
  }
  auto rescaled = domain::rescale_minutes(minutes, *target);
  if (!rescaled) {
    return permanent("bad_request", "extractive model: " + rescaled.error().message);
  }
  std::size_t k = 0;
  for (auto& part : outline.parts) {
    for (auto& section : part.sections) section.minutes = rescaled.value()[k++];
    part.minutes = part.section_minutes();
  }
  return domain::render_outline(outline);
}

// A revision (issue 17): the request read as the planner's actions, applied to the outline with
// the library's material for each added topic. A request it cannot do is a permanent
// "unsupported_revision" (the service refuses such requests before a run starts; this is the
// same judgement, reached again if one gets here).
Answer revise_outline(const Variables& vars, ExtractiveMaterial& material) {
  const auto request_text = vars.text("revision_request");
  if (!request_text) return vars.missing("revision_request", "the learner's revision request");
  const auto outline_text = vars.text("outline_text");
  if (!outline_text) return vars.missing("outline_text", "the outline to revise");
  const auto target = vars.integer("target_total");
  if (!target || *target <= 0) return vars.missing("target_total", "a positive whole number");
  auto reading = domain::read_revision_request(*request_text);
  if (!reading) return permanent(reading.error().code, "extractive model: " + reading.error().message);
  auto outline = domain::parse_revision_outline(*outline_text);
  if (!outline) {
    return permanent("bad_request", "extractive model: cannot read the outline to revise: " +
                                        outline.error().message);
  }
  domain::RevisionMaterial found;
  for (const auto& action : reading->actions) {
    if (action.kind != domain::RevisionActionKind::add || found.contains(action.topic)) continue;
    auto books = material.material_for(action.topic);
    if (auto* error = std::get_if<ports::ProviderError>(&books)) return std::move(*error);
    found.emplace(action.topic, std::get<std::vector<domain::PlanBook>>(std::move(books)));
  }
  auto plan = domain::plan_revision(
      outline.value(), reading.value(), found,
      domain::RevisionPlanRequest{*target, vars.depth(), material.analyzer()});
  if (!plan) return permanent(plan.error().code, "extractive model: " + plan.error().message);
  std::string answer;
  if (plan->target_minutes != *target) {
    answer = "Course length: " + std::to_string(plan->target_minutes) + " minutes\n\n";
  }
  return answer + domain::render_revision_outline(plan->outline);
}

std::int64_t tokens_for(std::size_t bytes) {
  return static_cast<std::int64_t>((bytes + 3) / 4);
}

}  // namespace

ExtractiveModel::ExtractiveModel(ports::Library& library, ports::Embedder& embedder,
                                 ExtractiveOptions options)
    : material_(library, embedder, options) {}

ports::LlmResult ExtractiveModel::complete(const domain::LlmRequest& request,
                                           const ports::CallContext& /*context*/) {
  const Variables vars(request);
  Answer answer;
  if (request.prompt_id == domain::kGeneratePartsPrompt) {
    answer = generate_parts(vars, material_);
  } else if (request.prompt_id == domain::kExpandPartPrompt) {
    answer = expand_part(vars, material_);
  } else if (request.prompt_id == domain::kReviewOutlinePrompt) {
    answer = review_outline(vars);
  } else if (request.prompt_id == domain::kReviseOutlinePrompt) {
    answer = revise_outline(vars, material_);
  } else if (request.prompt_id == domain::kRepairPrompt) {
    return permanent("unsupported_prompt",
                     "extractive model: repairs are not supported (a repair request lacks the "
                     "original request's variables; the planner's own answers always parse)");
  } else if (request.prompt_id == domain::kSummarizeChapterPrompt || request.prompt_id == domain::kSummarizeBookPrompt) {
    // An ingestion run whose summarizer is a model reached a worker running the offline planner.
    return permanent("unsupported_prompt",
                     "extractive model: it writes no book summaries (" + request.prompt_id +
                         "); this ingestion run's summaries are by a model: run its worker with that model "
                         "(--llm, as ingest.summarizer names it), then `docprof dlq replay` the run");
  } else {
    return permanent("unknown_prompt",
                     "extractive model: unknown prompt id '" + request.prompt_id + "'");
  }
  if (auto* error = std::get_if<ports::ProviderError>(&answer)) return std::move(*error);

  domain::ModelOutcome outcome;
  outcome.text = std::move(std::get<std::string>(answer));
  std::size_t input_bytes = request.rendered.size();
  if (input_bytes == 0) {
    for (const auto& [name, value] : request.variables) input_bytes += name.size() + value.size();
  }
  outcome.usage.input_tokens = tokens_for(input_bytes);
  outcome.usage.output_tokens = tokens_for(outcome.text.size());
  outcome.usage.calls = 1;
  outcome.finish_reason = "stop";
  return outcome;
}

}  // namespace docprof::adapters::llm
