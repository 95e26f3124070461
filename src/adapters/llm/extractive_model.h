// ExtractiveModel: the offline, deterministic LanguageModel (`--llm extractive`, DESIGN.md §5). It
// answers the three course prompts from their variables by planning over the library's chapters
// (domain/course_plan.h) — a real planner whose answers change with the library and the request,
// written in the prompts' output grammar (domain/outline_text.h) and parsed by the same parsers as
// any model's answer:
//
//  * courses.generate_parts: "Course title: …", the parts and their minutes, "Total: …" — the plan
//    for `query`, `target_minutes` and the depth named in `preferences`.
//  * courses.expand_part: the sections of part `part_index` (1-based), minutes summing exactly to
//    `part_minutes`. The plan is recomputed with the target read from the parts list in
//    `existing_outline`; when those parts are not the plan's (another model wrote them, or the
//    library changed since), the same material is grouped into the listed parts instead.
//  * courses.review_outline: `outline_text` with its section minutes rescaled proportionally to
//    `target_total` (domain/time_rule.h), returned whole.
//  * courses.revise_outline: `outline_text` (completed sections marked) revised as
//    `revision_request` asks — drop a part or topic, add a section or part on a topic from the
//    library's material for it, change the length (domain/revision_plan.h) — returned whole, with a
//    "Course length: …" line first when the length changed. A request the planner cannot do is a
//    permanent ProviderError "unsupported_revision".
//  * courses.repair: a permanent ProviderError "unsupported_prompt". A repair request carries only
//    the unparseable answer, not the original variables, so there is nothing to plan from — and
//    the planner's own answers always parse, so it is never asked to repair one.
//  * any other prompt: a permanent ProviderError "unknown_prompt". A missing or malformed variable
//    is a permanent "bad_request"; no material for the request a permanent "no_relevant_material".
//
// Usage reports ceil(bytes / 4) tokens in and out (what a model would roughly count), one call.
//
// Thread safety: complete() may be called concurrently (the material cache has its own mutex; the
// library and embedder ports are thread-safe by contract).
#pragma once

#include <string>

#include "adapters/llm/extractive_material.h"
#include "ports/embedder.h"
#include "ports/language_model.h"
#include "ports/library.h"

namespace docprof::adapters::llm {

class ExtractiveModel final : public ports::LanguageModel {
 public:
  // The library and embedder must outlive the model.
  ExtractiveModel(ports::Library& library, ports::Embedder& embedder, ExtractiveOptions options);

  ports::LlmResult complete(const domain::LlmRequest& request,
                            const ports::CallContext& context) override;
  std::string name() const override { return "extractive"; }

 private:
  ExtractiveMaterial material_;
};

}  // namespace docprof::adapters::llm
