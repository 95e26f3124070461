#include "domain/course_plan.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "domain/course_plan_minutes.h"
#include "domain/course_plan_objectives.h"
#include "domain/course_plan_request.h"
#include "domain/course_plan_title.h"
#include "domain/course_plan_units.h"
#include "domain/text.h"
#include "domain/time_rule.h"

namespace docprof::domain {
namespace {

using planning::Unit;

constexpr int kMaxPartMinutes = 120;
constexpr int kMinPartMinutes = 30;
constexpr int kIdealPartMinutes = 100;
constexpr int kMinSectionMinutes = 10;
constexpr int kMaxSectionMinutes = 90;
// Cut costs of the part grouping: splitting a chapter between parts reads badly; a part spanning
// two books is acceptable but a cut between them is the natural place.
constexpr double kCutInsideChapter = 0.6;
constexpr double kCutBetweenChapters = 0.05;
constexpr double kJoinAcrossBooks = 0.3;
constexpr double kPartCountDeviation = 0.3;

int ceil_div(int a, int b) {
  return (a + b - 1) / b;
}

// Minutes of study one unit of material is worth, by depth: deeper courses spend longer on each.
int minutes_per_unit(Depth depth) {
  switch (depth) {
    case Depth::overview:
      return 20;
    case Depth::balanced:
      return 25;
    case Depth::technical:
    case Depth::expert:
      return 30;
  }
  return 25;
}

// Objectives asked for by a section's length (domain.md §3: simple 2–3, moderate 3–4, complex 4–6).
int objective_count(int minutes) {
  if (minutes < 20) return 2;
  if (minutes < 35) return 3;
  if (minutes < 50) return 4;
  if (minutes < 70) return 5;
  return 6;
}

// Sections a part of `minutes` needs so that none exceeds 90 minutes.
int sections_needed(int minutes) {
  return std::max(1, ceil_div(std::min(minutes, kMaxPartMinutes), kMaxSectionMinutes));
}

bool same_chapter(const Unit& a, const Unit& b) {
  return a.book_rank == b.book_rank && a.chapter_pos == b.chapter_pos;
}

GroupingRequest grouping_request(const std::vector<Unit>& units, std::vector<double> shares,
                                 std::vector<int> min_items) {
  GroupingRequest request;
  request.shares = std::move(shares);
  request.min_items = std::move(min_items);
  request.max_items = kMaxPartMinutes / kMinSectionMinutes;
  for (std::size_t i = 0; i < units.size(); ++i) {
    request.weights.push_back(units[i].weight());
    double cut = 0.0;
    double join = 0.0;
    if (i > 0) {
      if (same_chapter(units[i - 1], units[i])) {
        cut = kCutInsideChapter;
      } else if (units[i - 1].book_rank == units[i].book_rank) {
        cut = kCutBetweenChapters;
      } else {
        join = kJoinAcrossBooks;
      }
    }
    request.cut_cost.push_back(cut);
    request.join_cost.push_back(join);
  }
  return request;
}

std::vector<std::vector<Unit>> split_groups(const std::vector<Unit>& units,
                                            const std::vector<std::size_t>& starts) {
  std::vector<std::vector<Unit>> groups;
  for (std::size_t g = 0; g < starts.size(); ++g) {
    const std::size_t end = g + 1 < starts.size() ? starts[g + 1] : units.size();
    groups.emplace_back(units.begin() + static_cast<std::ptrdiff_t>(starts[g]),
                        units.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return groups;
}

// The best grouping of the units into a number of parts within the hours guidance.
std::vector<std::vector<Unit>> group_into_parts(const std::vector<Unit>& units, int target) {
  const PartCountRange range = part_count_range(target);
  const int n = static_cast<int>(units.size());
  const int preferred = std::clamp(
      static_cast<int>(std::lround(target / double{kIdealPartMinutes})), range.min, range.max);
  std::optional<Grouping> best;
  double best_cost = 0.0;
  for (int parts = range.min; parts <= std::min(range.max, n); ++parts) {
    const int min_items = sections_needed(ceil_div(target, parts));
    if (parts * min_items > n) continue;
    auto grouping = group_items(
        grouping_request(units, std::vector<double>(static_cast<std::size_t>(parts), 1.0 / parts),
                         std::vector<int>(static_cast<std::size_t>(parts), min_items)));
    if (!grouping) continue;
    const double cost = grouping->cost + kPartCountDeviation * std::abs(parts - preferred);
    if (!best || cost < best_cost) {
      best = std::move(grouping);
      best_cost = cost;
    }
  }
  if (!best) {
    // Too little material for the guidance: as many parts as units allow, one unit at least each.
    const int best_count = std::max(1, std::min(range.min, n));
    GroupingRequest request = grouping_request(
        units, std::vector<double>(static_cast<std::size_t>(best_count), 1.0 / best_count),
        std::vector<int>(static_cast<std::size_t>(best_count), 1));
    request.max_items = 0;
    best = group_items(request);
  }
  return split_groups(units, best->starts);
}

double weight_of(const std::vector<Unit>& units) {
  double sum = 0.0;
  for (const Unit& unit : units) sum += unit.weight();
  return sum;
}

// Part minutes summing to target: by material, evened out by half so parts stay comparable.
std::vector<int> part_minutes(const std::vector<std::vector<Unit>>& groups, int target) {
  const auto count = static_cast<int>(groups.size());
  double total_weight = 0.0;
  for (const auto& group : groups) total_weight += weight_of(group);
  std::vector<double> weights;
  std::vector<int> lo;
  std::vector<int> hi;
  for (const auto& group : groups) {
    const int k = static_cast<int>(group.size());
    weights.push_back(0.5 * weight_of(group) + 0.5 * total_weight / count);
    lo.push_back(std::max(kMinSectionMinutes * k, std::min(kMinPartMinutes, target / count)));
    hi.push_back(std::min(kMaxPartMinutes, kMaxSectionMinutes * k));
  }
  if (auto minutes = allocate_minutes(target, weights, lo, hi)) return *minutes;
  // Material too thin (or too much) for the usual bounds: any positive split, still exact.
  for (std::size_t g = 0; g < groups.size(); ++g) {
    lo[g] = std::min(static_cast<int>(groups[g].size()), std::max(target / count, 1));
    hi[g] = target;
  }
  if (auto minutes = allocate_minutes(target, weights, lo, hi)) return *minutes;
  return std::vector<int>(groups.size(), 0);  // unreachable while target ≥ number of units
}

std::vector<int> section_minutes(const std::vector<Unit>& units, int minutes) {
  const int k = std::max(1, static_cast<int>(units.size()));
  std::vector<double> weights;
  for (const Unit& unit : units) weights.push_back(unit.weight());
  const int lo = std::max(1, std::min(kMinSectionMinutes, minutes / k));
  const int hi = std::max(kMaxSectionMinutes, ceil_div(minutes, k));
  auto shares = allocate_minutes(minutes, weights, std::vector<int>(units.size(), lo),
                                 std::vector<int>(units.size(), hi));
  return shares ? *shares : std::vector<int>(units.size(), minutes / k);
}

// A section's heading: its own title, qualified by its chapter when it says nothing alone, by its
// first topic when it is a piece of a split section, marked when it is a review.
std::string section_heading(const Unit& unit) {
  std::string heading = clean_heading(unit.base_title);
  if (is_generic_heading(heading)) heading = clean_heading(unit.chapter_title) + ": " + heading;
  if (unit.piece > 0) {
    if (!unit.topics.empty()) {
      heading += ": " + clean_heading(unit.topics.front());
    } else {
      heading += ", continued";
    }
  }
  if (unit.review) heading = "Review: " + heading;
  return heading;
}

// Makes `title` unique among `taken` (case-insensitive): qualified by `qualifier`, then numbered.
// With `alone`, a qualifier that says something by itself replaces the title instead ("Shell
// Parameters" for the second part of "Basic Shell Features").
std::string unique_title(std::string title, const std::string& qualifier,
                         std::set<std::string>& taken, bool alone = false) {
  if (taken.insert(ascii_lower(title)).second) return title;
  if (alone && !qualifier.empty() && !is_generic_heading(qualifier) &&
      taken.insert(ascii_lower(qualifier)).second) {
    return qualifier;
  }
  // "Classes: Inheritance", not "Classes (Inheritance)": an aside in brackets reads as debris.
  if (!qualifier.empty() && ascii_lower(qualifier) != ascii_lower(title)) {
    std::string qualified = title + ": " + qualifier;
    if (taken.insert(ascii_lower(qualified)).second) return qualified;
  }
  for (int n = 2;; ++n) {
    std::string numbered = title + ", Part " + std::to_string(n);
    if (taken.insert(ascii_lower(numbered)).second) return numbered;
  }
}

// A requested topic as a heading: "the basics" -> "The Basics", "germs" -> "Germs".
std::string topic_heading(const std::string& topic) {
  return ascii_lower(topic) == "the basics" ? std::string("The Basics") : title_case(clean_heading(topic));
}

// A section forced in for topics its title does not mention at all says which ("How food production leads
// to power: Germs and Guns"), so the learner sees where each requested topic is taught.
std::string with_served_topics(std::string heading, const Unit& unit, const TermAnalyzer* analyzer) {
  if (analyzer == nullptr || unit.request_topics.empty() || unit.review || !unit.names_topics) return heading;
  const std::set<std::string> named = term_set(*analyzer, heading);
  const std::string book = " " + ascii_lower(unit.book_title) + " ";
  std::vector<std::string> missing;
  for (const auto& topic : unit.request_topics) {
    if (ascii_lower(topic) == "the basics") continue;
    const std::set<std::string> wanted = term_set(*analyzer, topic);
    // A topic the book's title names ("gnuplot" in the gnuplot manual) is what all of it teaches.
    if (book.find(" " + ascii_lower(topic) + " ") != std::string::npos) continue;
    const bool in_title = std::any_of(wanted.begin(), wanted.end(), [&](const std::string& t) { return named.contains(t); });
    if (!in_title) missing.push_back(topic_heading(topic));
  }
  if (missing.empty() || missing.size() > 2) return heading;
  std::string added = missing.front();
  if (missing.size() == 2) added += " and " + missing.back();
  constexpr std::size_t kMaxQualified = 90;
  if (heading.size() + 2 + added.size() > kMaxQualified) return heading;
  return heading + ": " + added;
}

// A part is named after its material: its chapters' titles joined ("Valuation by Parts, Leases
// and Inflation") when they are few and short enough, else its most relevant chapter (by material
// × relevance; the earliest among equals).
std::string part_heading(const std::vector<Unit>& group) {
  constexpr std::size_t kMaxJoinedTitle = 60;
  // A part whose units serve topics the request names (a third of them at least) is named after them ("The Basics", "Germs
  // and Guns"): the learner sees where each of their topics is taught.
  std::vector<std::string> served;
  std::size_t serving = 0;
  for (const Unit& unit : group) {
    if (unit.request_topics.empty() || !unit.names_topics) continue;
    ++serving;
    for (const auto& topic : unit.request_topics) {
      const std::string name = topic_heading(topic);
      if (std::find(served.begin(), served.end(), name) == served.end()) served.push_back(name);
    }
  }
  if (!served.empty() && 3 * serving >= group.size() && served.size() <= 3) {
    std::string joined = served.front();
    for (std::size_t i = 1; i < served.size(); ++i) {
      joined += (i + 1 == served.size() ? " and " : ", ") + served[i];
    }
    if (joined.size() <= kMaxJoinedTitle && !joined.empty()) return joined;
  }
  std::vector<std::pair<const Unit*, double>> chapters;  // first unit of each chapter, its weight
  for (const Unit& unit : group) {
    if (chapters.empty() || !same_chapter(*chapters.back().first, unit)) {
      chapters.emplace_back(&unit, 0.0);
    }
    chapters.back().second += unit.weight() * std::max(unit.chapter_score, 1e-6);
  }
  if (chapters.empty()) return "Part";
  std::vector<std::string> titles;
  bool joinable = true;
  std::size_t length = 0;
  for (const auto& chapter : chapters) {
    titles.push_back(clean_heading(chapter.first->chapter_title));
    const std::string& t = titles.back();
    // A title with its own "and" or punctuation would make the list ambiguous.
    joinable = joinable && t.find(" and ") == std::string::npos &&
               t.find_first_of(",:;?!") == std::string::npos;
    length += t.size() + 2;
  }
  if (joinable && titles.size() <= 3 && length + 3 <= kMaxJoinedTitle) {
    std::string joined = titles.front();
    for (std::size_t i = 1; i < titles.size(); ++i) {
      std::string title = titles[i];
      // "The Order in Chaos and the Well-Chosen Average": an article inside a title is small.
      for (const std::string_view article : {"The ", "A ", "An "}) {
        if (title.starts_with(article)) title[0] = static_cast<char>(title[0] - 'A' + 'a');
      }
      joined += (i + 1 == titles.size() ? " and " : ", ") + title;
    }
    return joined;
  }
  const auto dominant =
      std::max_element(chapters.begin(), chapters.end(),
                       [](const auto& x, const auto& y) { return x.second < y.second; });
  return clean_heading(dominant->first->chapter_title);
}

struct Assembly {
  const PlanRequest& request;
  std::set<std::string> section_titles;
  std::set<std::string> part_titles;
  int rotation = 0;
  std::set<std::string> objectives_used;  // lower-cased: no objective twice in a course

  PlannedPart part(const std::vector<Unit>& group, int minutes, std::string title) {
    PlannedPart part;
    if (title.empty()) {
      const std::string qualifier =
          group.empty() ? std::string() : clean_heading(group.front().base_title);
      title = unique_title(part_heading(group), qualifier, part_titles, true);
    }
    part.title = std::move(title);
    const std::vector<int> shares = section_minutes(group, minutes);
    for (std::size_t i = 0; i < group.size(); ++i) {
      const Unit& unit = group[i];
      PlannedSection planned;
      planned.source = unit.source;
      planned.section.title = unique_title(with_served_topics(section_heading(unit), unit, request.analyzer),
                                           clean_heading(unit.chapter_title), section_titles);
      planned.section.minutes = shares[i];
      // The request's own words for what this section serves come first among its topics.
      std::vector<std::string> topics = unit.topics;
      topics.insert(topics.begin(), unit.request_topics.begin(), unit.request_topics.end());
      ObjectiveInput input;
      input.section_title = unit.base_title;
      input.chapter_title = unit.chapter_title;
      input.book_title = unit.book_title;
      input.topics = std::move(topics);
      input.key_concepts = unit.key_concepts;
      input.subsections = unit.subsections;
      input.depth = request.depth;
      input.count = objective_count(shares[i]);
      input.rotation = rotation++;
      input.used = &objectives_used;
      planned.section.objectives = write_objectives(input);
      // Material with no usable phrase at all (titles only, or noise): the section's own heading.
      const std::string heading = planned.section.title;
      const auto& verbs = objective_verbs(request.depth);
      for (std::size_t k = 0; planned.section.objectives.size() < 2 && k < 2; ++k) {
        std::string objective = std::string(verbs[k % verbs.size()]) +
                                (k == 0 ? " the main ideas of " : " the essentials of ") + heading;
        if (!objectives_used.contains(ascii_lower(objective))) planned.section.objectives.push_back(objective);
      }
      for (const auto& objective : planned.section.objectives) objectives_used.insert(ascii_lower(objective));
      planned.section.reads.push_back(ReadingRef{unit.source.book_id, unit.source.chapter_number,
                                                 unit.source.section_index > 0 ? unit.base_title : ""});
      part.minutes += shares[i];
      part.sections.push_back(std::move(planned));
    }
    return part;
  }
};

std::string course_title(const PlanRequest& request, const std::vector<PlannedPart>& parts,
                         const std::vector<CourseNote>& notes) {
  std::vector<std::string> part_titles;
  for (const auto& part : parts) part_titles.push_back(part.title);
  // One named topic is the subject itself ("how to value a company"); several are worth listing,
  // but only those the course covers.
  std::vector<std::string> topics;
  for (const auto& topic : read_request(request.query).topics) {
    const bool uncovered = std::any_of(notes.begin(), notes.end(), [&](const CourseNote& note) {
      return note.kind == "uncovered_topic" && note.topic == topic;
    });
    if (!uncovered) topics.push_back(topic);
  }
  if (topics.size() < 2) topics.clear();
  std::string title = domain::course_title(request.query, topics, part_titles);
  if (!title.empty() || parts.empty()) return title;
  // domain.md §6: the first part's title, plus " Course" when short and without a colon.
  title = parts.front().title;
  if (title.size() < 50 && title.find(':') == std::string::npos) title += " Course";
  return title;
}

// How many units a course of `target` minutes wants, and needs at the least.
std::pair<std::size_t, std::size_t> unit_counts(int target, Depth depth,
                                                const std::vector<int>& fixed_part_minutes) {
  int needed = ceil_div(target, kMaxSectionMinutes);
  if (fixed_part_minutes.empty()) {
    const PartCountRange range = part_count_range(target);
    int fewest = 0;
    for (int parts = range.min; parts <= range.max; ++parts) {
      const int n = parts * sections_needed(ceil_div(target, parts));
      fewest = fewest == 0 ? n : std::min(fewest, n);
    }
    needed = std::max(needed, fewest);
  } else {
    int sum = 0;
    for (const int m : fixed_part_minutes) sum += sections_needed(m);
    needed = std::max(needed, sum);
  }
  const int most = std::max(1, target / kMinSectionMinutes);
  needed = std::min(needed, most);
  const int wanted = std::clamp(
      static_cast<int>(std::lround(target / double(minutes_per_unit(depth)))), needed, most);
  return {static_cast<std::size_t>(wanted), static_cast<std::size_t>(needed)};
}

}  // namespace

std::vector<PartPlan> CoursePlan::part_plans() const {
  std::vector<PartPlan> plans;
  for (const auto& part : parts) plans.push_back({part.title, part.minutes});
  return plans;
}

PartDraft CoursePlan::part_draft(std::size_t index) const {
  PartDraft draft;
  if (index >= parts.size()) return draft;
  draft.title = parts[index].title;
  draft.minutes = parts[index].minutes;
  for (const auto& planned : parts[index].sections) draft.sections.push_back(planned.section);
  return draft;
}

Outline CoursePlan::outline() const {
  Outline outline;
  for (std::size_t i = 0; i < parts.size(); ++i) outline.parts.push_back(part_draft(i));
  return outline;
}

int CoursePlan::total_minutes() const {
  int total = 0;
  for (const auto& part : parts) total += part.minutes;
  return total;
}

void analyse_plan_books(std::vector<PlanBook>& books, const TermAnalyzer& analyzer) {
  const auto sorted_terms = [&](const std::string& text, std::set<std::string>& into) {
    for (const auto& t : term_set(analyzer, text)) into.insert(t);
  };
  for (auto& book : books) {
    for (auto& chapter : book.chapters) {
      std::set<std::string> title;
      sorted_terms(chapter.title, title);
      chapter.title_terms.assign(title.begin(), title.end());
      for (auto& section : chapter.sections) {
        std::set<std::string> terms;
        sorted_terms(section.title, terms);
        for (const auto& topic : section.topics) sorted_terms(topic, terms);
        section.terms.assign(terms.begin(), terms.end());
      }
    }
  }
}

PartCountRange part_count_range(int target_minutes) {
  // The 120-minute cap wins over the count guidance (3 parts cannot hold 8 hours).
  const int at_least = ceil_div(std::max(target_minutes, 1), kMaxPartMinutes);
  if (target_minutes > 600) return {at_least, at_least + 2};
  if (target_minutes < 120) return {1, 1};
  if (target_minutes < 240) return {2, 3};
  return {std::max(3, at_least), 5};
}

CoursePlan plan_course(const PlanRequest& request, const std::vector<PlanBook>& books) {
  CoursePlan plan;
  const int target = request.target_minutes;
  const auto [wanted, needed] = unit_counts(target, request.depth, {});
  std::vector<Unit> candidates = planning::candidate_units(books);
  if (request.analyzer != nullptr) planning::apply_request(candidates, request.query, *request.analyzer, plan.notes);
  std::vector<Unit> units =
      target > 0 ? planning::select_units(std::move(candidates), wanted, needed) : std::vector<Unit>{};
  if (!units.empty()) {
    const auto groups = group_into_parts(units, target);
    const std::vector<int> minutes = part_minutes(groups, target);
    Assembly assembly{request, {}, {}, 0, {}};
    for (std::size_t g = 0; g < groups.size(); ++g) {
      plan.parts.push_back(assembly.part(groups[g], minutes[g], ""));
    }
  }
  plan.title = course_title(request, plan.parts, plan.notes);
  return plan;
}

CoursePlan plan_course_for_parts(const PlanRequest& request, const std::vector<PlanBook>& books,
                                 const std::vector<PartPlan>& parts) {
  CoursePlan plan;
  std::vector<int> fixed;
  int target = 0;
  for (const auto& part : parts) {
    fixed.push_back(std::max(part.minutes, 1));
    target += fixed.back();
  }
  const auto [wanted, needed] = unit_counts(target, request.depth, fixed);
  std::vector<Unit> candidates = planning::candidate_units(books);
  if (request.analyzer != nullptr) planning::apply_request(candidates, request.query, *request.analyzer, plan.notes);
  std::vector<Unit> units =
      parts.empty() ? std::vector<Unit>{} : planning::select_units(std::move(candidates), wanted, needed);
  if (!units.empty()) {
    units = planning::pad_with_reviews(std::move(units), parts.size());
    std::vector<double> shares;
    std::vector<int> min_items;
    for (const int m : fixed) {
      shares.push_back(static_cast<double>(m) / target);
      min_items.push_back(sections_needed(m));
    }
    // The parts are given: however much material each must hold, it holds.
    GroupingRequest grouping_input = grouping_request(units, shares, min_items);
    grouping_input.max_items = 0;
    auto grouping = group_items(grouping_input);
    if (!grouping) {
      grouping_input.min_items.assign(parts.size(), 1);
      grouping = group_items(grouping_input);
    }
    const auto groups = split_groups(units, grouping->starts);
    Assembly assembly{request, {}, {}, 0, {}};
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const std::string title =
          trim(parts[g].title).empty() ? "Part " + std::to_string(g + 1) : parts[g].title;
      assembly.part_titles.insert(ascii_lower(title));
      plan.parts.push_back(
          assembly.part(groups[g], std::max(fixed[g], static_cast<int>(groups[g].size())), title));
    }
  }
  plan.title = course_title(request, plan.parts, plan.notes);
  return plan;
}

std::vector<SectionDraft> fit_sections(std::vector<SectionDraft> sections, int minutes) {
  if (sections.empty() || minutes <= 0) return sections;
  int sum = 0;
  for (const auto& section : sections) sum += section.minutes;
  if (sum == minutes) return sections;
  const auto keep = static_cast<std::size_t>(std::max(1, minutes / 5));
  if (sections.size() > keep) sections.resize(keep);
  std::vector<int> current;
  for (const auto& section : sections) current.push_back(section.minutes);
  auto rescaled = rescale_minutes(current, minutes);
  if (!rescaled) return sections;  // unreachable: at most `minutes` sections remain
  for (std::size_t i = 0; i < sections.size(); ++i) sections[i].minutes = rescaled.value()[i];
  return sections;
}

}  // namespace docprof::domain
