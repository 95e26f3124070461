#include "domain/revision_plan.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "domain/section_sources.h"
#include "domain/text.h"
#include "domain/time_rule.h"

namespace docprof::domain {
namespace {

// Hours a course may have (the request rule of domain.md §8: [0.25, 100]).
constexpr int kMinCourseMinutes = 15;
constexpr int kMaxCourseMinutes = 6000;

Error refuse(std::string message) { return Error{std::string(kUnsupportedRevision), std::move(message)}; }

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

int round_to_five(double minutes) { return static_cast<int>(std::lround(minutes / 5.0)) * 5; }

// The typical length of a section not yet taken (all sections when every one is taken), for a
// section that is added: rounded to 5, within 10..90.
int added_section_minutes(const RevisionOutline& outline) {
  int sum = 0;
  int count = 0;
  int all_sum = 0;
  int all_count = 0;
  for (const auto& part : outline.parts) {
    for (const auto& section : part.sections) {
      all_sum += section.draft.minutes;
      ++all_count;
      if (section.completed) continue;
      sum += section.draft.minutes;
      ++count;
    }
  }
  if (count == 0) {
    sum = all_sum;
    count = all_count;
  }
  if (count == 0) return 30;
  return std::clamp(round_to_five(static_cast<double>(sum) / count), 10, 90);
}

// The typical length of a part, for a part that is added: rounded to 5, within 30..120.
int added_part_minutes(const RevisionOutline& outline) {
  if (outline.parts.empty()) return 60;
  return std::clamp(round_to_five(static_cast<double>(outline.total_minutes()) /
                                  static_cast<double>(outline.parts.size())),
                    30, 120);
}

void remove_empty_parts(RevisionOutline& outline) {
  std::erase_if(outline.parts, [](const RevisionPart& part) { return part.sections.empty(); });
}

Result<std::string> apply_drop(RevisionOutline& outline, const RevisionAction& action) {
  // A part named by the topic goes whole (its completed sections stay).
  if (action.scope != RevisionScope::section) {
    int dropped = 0;
    int kept = 0;
    std::vector<std::string> titles;
    for (auto& part : outline.parts) {
      if (!title_matches_topic(part.title, action.topic)) continue;
      const auto before = part.sections.size();
      std::erase_if(part.sections, [](const RevisionSection& s) { return !s.completed; });
      dropped += static_cast<int>(before - part.sections.size());
      kept += static_cast<int>(part.sections.size());
      titles.push_back(quoted(part.title));
    }
    if (!titles.empty()) {
      if (dropped == 0) {
        return refuse("every section of the part " + titles.front() +
                      " is completed, and completed sections never change");
      }
      remove_empty_parts(outline);
      std::string line = "Dropped " + std::to_string(dropped) + " section(s) of part(s) ";
      for (std::size_t i = 0; i < titles.size(); ++i) line += (i ? ", " : "") + titles[i];
      if (kept > 0) line += " (" + std::to_string(kept) + " completed section(s) kept)";
      return line;
    }
    // Learners say "part" loosely ("drop the history part"): sections named by the topic go then.
  }
  int dropped = 0;
  int completed_matches = 0;
  std::string first;
  for (auto& part : outline.parts) {
    std::erase_if(part.sections, [&](const RevisionSection& section) {
      if (!title_matches_topic(section.draft.title, action.topic)) return false;
      if (section.completed) {
        ++completed_matches;
        return false;
      }
      if (first.empty()) first = quoted(section.draft.title);
      ++dropped;
      return true;
    });
  }
  if (dropped == 0) {
    if (completed_matches > 0) {
      return refuse("the sections matching " + quoted(action.topic) +
                    " are completed, and completed sections never change");
    }
    return refuse("no part or section of the course matches " + quoted(action.topic));
  }
  remove_empty_parts(outline);
  return "Dropped " + std::to_string(dropped) + " section(s) matching " + quoted(action.topic) +
         " (first: " + first + ")";
}

Result<int> apply_resize(int target, const RevisionAction& action) {
  const int next = action.relative ? target + action.minutes : action.minutes;
  if (next < kMinCourseMinutes || next > kMaxCourseMinutes) {
    return refuse("a course takes 15 minutes to 100 hours; " + quoted(action.clause) + " asks for " +
                  std::to_string(next) + " minutes");
  }
  return next;
}

// Where a planned section's material comes from, to avoid adding material the course already reads.
std::string source_key(const SectionDraft& draft) {
  if (draft.reads.empty()) return "";
  const auto& ref = draft.reads.front();
  return ref.book_id + "|" + std::to_string(ref.chapter_number) + "|" + ascii_lower(ref.section_title);
}

// Sections of a plan for `topic` over `books` the outline does not have yet (by title or source),
// in plan order. Planned for `minutes`, then — when all of those are taken — for four times that.
std::vector<SectionDraft> fresh_material(const RevisionOutline& outline, const std::string& topic,
                                         const std::vector<PlanBook>& books, int minutes,
                                         const RevisionPlanRequest& request) {
  std::set<std::string> titles;
  std::set<std::string> sources;
  for (const auto& part : outline.parts) {
    for (const auto& section : part.sections) {
      titles.insert(ascii_lower(trim(section.draft.title)));
      if (const auto key = source_key(section.draft); !key.empty()) sources.insert(key);
    }
  }
  for (const int target : {minutes, minutes * 4}) {
    const CoursePlan plan = plan_course(PlanRequest{topic, target, request.depth, request.analyzer}, books);
    std::vector<SectionDraft> fresh;
    for (const auto& part : plan.parts) {
      for (const auto& planned : part.sections) {
        const auto key = source_key(planned.section);
        if (titles.contains(ascii_lower(trim(planned.section.title)))) continue;
        if (!key.empty() && sources.contains(key)) continue;
        fresh.push_back(planned.section);
      }
    }
    if (!fresh.empty()) return fresh;
  }
  return {};
}

// The part a section on `topic` fits best: the most content words shared with the part's title
// and section titles; ties (and no overlap at all) go to the later part.
std::size_t best_part_for(const RevisionOutline& outline, const std::string& topic, const SectionDraft& draft) {
  std::set<std::string> wanted;
  for (auto& w : content_words(topic + " " + draft.title)) wanted.insert(w);
  std::size_t best = outline.parts.size() - 1;
  int best_score = 0;
  for (std::size_t p = 0; p < outline.parts.size(); ++p) {
    std::string text = outline.parts[p].title;
    for (const auto& section : outline.parts[p].sections) text += " " + section.draft.title;
    int score = 0;
    for (const auto& w : content_words(text)) score += wanted.contains(w) ? 1 : 0;
    if (score >= best_score && score > 0) {
      best = p;
      best_score = score;
    }
  }
  return best;
}

Result<std::string> apply_add(RevisionOutline& outline, const RevisionAction& action,
                              const RevisionMaterial& material, const RevisionPlanRequest& request) {
  const auto found = material.find(action.topic);
  if (found == material.end() || found->second.empty()) {
    return refuse("the library has no material on " + quoted(action.topic));
  }
  const bool whole_part = action.scope == RevisionScope::part || outline.parts.empty();
  const int minutes = whole_part ? added_part_minutes(outline) : added_section_minutes(outline);
  std::vector<SectionDraft> fresh = fresh_material(outline, action.topic, found->second, minutes, request);
  if (fresh.empty()) {
    return refuse("the library has no material on " + quoted(action.topic) +
                  " that the course does not already use");
  }
  if (!whole_part) {
    SectionDraft section = std::move(fresh.front());
    section.minutes = minutes;
    const std::size_t p = best_part_for(outline, action.topic, section);
    const std::string line = "Added section " + quoted(section.title) + " (" + std::to_string(minutes) +
                             " minutes) to part " + quoted(outline.parts[p].title);
    outline.parts[p].sections.push_back(RevisionSection{std::move(section), false});
    return line;
  }
  // A part: the plan's sections for the part's minutes (at most one per 15 minutes of it).
  const auto most = static_cast<std::size_t>(std::max(1, minutes / 15));
  if (fresh.size() > most) fresh.resize(most);
  fresh = fit_sections(std::move(fresh), minutes);
  const CoursePlan titled = plan_course(PlanRequest{action.topic, minutes, request.depth, request.analyzer},
                                        found->second);
  RevisionPart part;
  part.title = titled.title.empty() ? trim(action.topic) : titled.title;
  for (auto& section : fresh) part.sections.push_back(RevisionSection{std::move(section), false});
  const std::string line = "Added part " + quoted(part.title) + " (" + std::to_string(part.sections.size()) +
                           " section(s), " + std::to_string(part.section_minutes()) + " minutes)";
  outline.parts.push_back(std::move(part));
  return line;
}

// Shares what the completed sections leave of the target among the others, exactly.
Result<std::string> fit_time(RevisionOutline& outline, int target) {
  const int completed = outline.completed_minutes();
  std::vector<RevisionSection*> open;
  for (auto& part : outline.parts) {
    for (auto& section : part.sections) {
      if (!section.completed) open.push_back(&section);
    }
  }
  if (completed > max_acceptable(target)) {
    return refuse("the completed sections already take " + std::to_string(completed) +
                  " minutes, more than a course of " + std::to_string(target) + " minutes can hold");
  }
  if (open.empty()) {
    if (within_tolerance(completed, target)) return std::string();
    return refuse("no section would be left to fill the course's " + std::to_string(target) +
                  " minutes; ask for a shorter course as well (\"make it N hours\")");
  }
  const int budget = target - completed;
  std::vector<int> minutes;
  for (const auto* section : open) minutes.push_back(section->draft.minutes);
  int sum = 0;
  for (const int m : minutes) sum += m;
  if (sum == budget) return std::string();
  auto rescaled = budget > 0 ? rescale_minutes(minutes, budget)
                             : Result<std::vector<int>>(Error{"rescale_impossible", "no minutes left"});
  if (!rescaled) {
    return refuse("the completed sections leave " + std::to_string(std::max(budget, 0)) +
                  " minutes, too few for the " + std::to_string(open.size()) + " section(s) not yet taken");
  }
  for (std::size_t i = 0; i < open.size(); ++i) open[i]->draft.minutes = rescaled.value()[i];
  return "Sections not yet taken rescaled from " + std::to_string(sum) + " to " + std::to_string(budget) +
         " minutes (" + std::to_string(completed) + " completed, target " + std::to_string(target) + ")";
}

Result<RevisionPlan> revise(const RevisionOutline& current, const RevisionReading& reading,
                            const RevisionMaterial* material, const RevisionPlanRequest& request) {
  RevisionPlan plan{current, request.target_minutes, {}};
  bool adds = false;
  for (const auto& action : reading.actions) {
    switch (action.kind) {
      case RevisionActionKind::resize: {
        auto next = apply_resize(plan.target_minutes, action);
        if (!next) return next.error();
        plan.changes.push_back("Length " + std::to_string(plan.target_minutes) + " -> " +
                               std::to_string(next.value()) + " minutes");
        plan.target_minutes = next.value();
        break;
      }
      case RevisionActionKind::drop: {
        auto line = apply_drop(plan.outline, action);
        if (!line) return line.error();
        plan.changes.push_back(std::move(line).value());
        break;
      }
      case RevisionActionKind::add: {
        adds = true;
        if (!material) break;
        auto line = apply_add(plan.outline, action, *material, request);
        if (!line) return line.error();
        plan.changes.push_back(std::move(line).value());
        break;
      }
    }
  }
  bool any_open = false;
  for (const auto& part : plan.outline.parts) {
    for (const auto& section : part.sections) any_open = any_open || !section.completed;
  }
  if (!material && adds && !any_open) {
    // Judged without the added material: only the completed minutes can be checked.
    if (plan.outline.completed_minutes() >= plan.target_minutes) {
      return refuse("the completed sections already take " + std::to_string(plan.outline.completed_minutes()) +
                    " minutes of the course's " + std::to_string(plan.target_minutes) + "; nothing can be added");
    }
    return plan;
  }
  auto fitted = fit_time(plan.outline, plan.target_minutes);
  if (!fitted) return fitted.error();
  if (!fitted.value().empty()) plan.changes.push_back(std::move(fitted).value());
  return plan;
}

}  // namespace

bool title_matches_topic(std::string_view title, std::string_view topic) {
  const auto wanted = content_words(topic);
  if (wanted.empty()) return false;
  const auto have = content_words(title);
  const std::set<std::string> words(have.begin(), have.end());
  return std::all_of(wanted.begin(), wanted.end(), [&](const auto& w) { return words.contains(w); });
}

Result<RevisionPlan> plan_revision(const RevisionOutline& current, const RevisionReading& reading,
                                   const RevisionMaterial& material, const RevisionPlanRequest& request) {
  return revise(current, reading, &material, request);
}

Result<RevisionPlan> check_revision(const RevisionOutline& current, const RevisionReading& reading,
                                    const RevisionPlanRequest& request) {
  return revise(current, reading, nullptr, request);
}

}  // namespace docprof::domain
