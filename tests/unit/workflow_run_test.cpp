// Whole runs through the reducer chain: a clean run, at-least-once delivery, and a property-style
// test that drives randomly generated, decorated model answers and checks the invariants of every
// stored course.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "domain/time_rule.h"
#include "workflow_driver.h"
#include "workflow_test_support.h"

namespace docprof::testing {
namespace {

// Checks what must hold for every stored course; returns the number of leaf sections.
void expect_stored_course_invariants(const RunRecord& run, double hours) {
  ASSERT_TRUE(run.complete) << (run.failure ? run.failure->code + ": " + run.failure->message : "stalled");
  ASSERT_EQ(run.courses.size(), 1U) << "exactly one CreateCourse per run";
  ASSERT_EQ(run.section_sets.size(), 1U) << "exactly one CreateSections per run";
  const auto& rows = run.section_sets[0].sections;
  ASSERT_FALSE(rows.empty());
  std::map<std::string, int> child_minutes;
  int leaf_total = 0;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].order_index, static_cast<int>(i) + 1) << "order_index 1..n contiguous";
    EXPECT_TRUE(ids.insert(rows[i].section_id).second) << "section ids unique";
    if (rows[i].parent_section_id) {
      EXPECT_GT(rows[i].estimated_minutes, 0) << rows[i].title;
      child_minutes[*rows[i].parent_section_id] += rows[i].estimated_minutes;
      leaf_total += rows[i].estimated_minutes;
      EXPECT_TRUE(ids.count(*rows[i].parent_section_id)) << "a section follows its part";
    } else {
      EXPECT_TRUE(rows[i].learning_objectives.empty());
    }
  }
  for (const auto& row : rows) {
    if (!row.parent_section_id) {
      EXPECT_EQ(row.estimated_minutes, child_minutes[row.section_id]) << row.title;
    }
  }
  EXPECT_TRUE(within_tolerance(leaf_total, target_minutes(hours)))
      << leaf_total << " vs " << target_minutes(hours);
  EXPECT_EQ(run.state.phase, Phase::complete);
}

ModelScript clean_model() {
  return [](const LlmRequest& request) -> ScriptedAnswer {
    if (request.task == "generate_course_parts") {
      return answer("Part 1: Foundations - 45 minutes\nPart 2: Cash Flow Valuation - 75 minutes\nTotal: 120 minutes");
    }
    if (request.task == "generate_part_sections_0") {
      return answer(render_part(1, PartDraft{"Foundations", 45, {section("Value Creation", 20), section("ROIC", 25)}}));
    }
    if (request.task == "generate_part_sections_1") {
      return answer(render_part(2, PartDraft{"Cash Flow Valuation", 75,
                                              {section("Free Cash Flow", 40, 4), section("Discount Rates", 35)}}));
    }
    return failure("provider_error", "unexpected task " + request.task);
  };
}

TEST(WorkflowRun, ACleanRunStoresTheCourseOnce) {
  DriverOptions options;
  options.books = {valuation_book()};
  const RunRecord run = drive("course-1", valuation_request(2), clean_model(), options);
  expect_stored_course_invariants(run, 2);
  EXPECT_EQ(run.requests.size(), 3U);  // parts + two expansions, no review
  EXPECT_EQ(run.events.size(), 9U);    // CourseRequested … CourseStored
  EXPECT_EQ(run.events.back().type(), EventType::CourseStored);
  for (std::size_t i = 0; i < run.events.size(); ++i) EXPECT_EQ(run.events[i].seq, static_cast<std::int64_t>(i));
  const auto& rows = run.section_sets[0].sections;
  ASSERT_EQ(rows.size(), 6U);
  EXPECT_EQ(rows[4].title, "Free Cash Flow");
  EXPECT_EQ(rows[4].learning_objectives.size(), 4U);
  EXPECT_EQ(run.courses[0].course.title, "Foundations Course");
  EXPECT_EQ(run.state.usage.calls, 3);
}

TEST(WorkflowRun, DeliveringEveryEventTwiceChangesNothing) {
  DriverOptions options;
  options.books = {valuation_book()};
  options.deliver_twice = true;
  const RunRecord run = drive("course-1", valuation_request(2), clean_model(), options);
  expect_stored_course_invariants(run, 2);
  EXPECT_EQ(run.duplicates_seen, 8);  // every event but the last was delivered again and ignored
  EXPECT_EQ(run.requests.size(), 3U);  // no model call was repeated
}

TEST(WorkflowRun, NoBooksEndsTheRunWithNoRelevantBooks) {
  const RunRecord run = drive("course-1", valuation_request(2), clean_model(), DriverOptions{});
  ASSERT_TRUE(run.failure.has_value());
  EXPECT_EQ(run.failure->code, "no_relevant_books");
  EXPECT_TRUE(run.courses.empty());
  EXPECT_TRUE(run.requests.empty());
  EXPECT_EQ(run.state.phase, Phase::error);
}

// ---- property-style test ---------------------------------------------------------------------

class AnswerWriter {
 public:
  explicit AnswerWriter(std::uint32_t seed) : rng_(seed) {}

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  std::string duration(int minutes) {
    switch (pick(0, 6)) {
      case 0: return std::to_string(minutes) + " mins";
      case 1: return std::to_string(minutes) + " min";
      case 2:
        if (minutes >= 60 && minutes % 60 != 0) {
          return std::to_string(minutes / 60) + " hour" + (minutes >= 120 ? "s " : " ") + std::to_string(minutes % 60) +
                 " minutes";
        }
        return std::to_string(minutes) + " minutes";
      case 3:
        if (minutes % 30 == 0 && minutes >= 60) return (minutes % 60 == 0 ? std::to_string(minutes / 60) : std::to_string(minutes / 60) + ".5") + " hours";
        return std::to_string(minutes) + " minutes";
      default: return std::to_string(minutes) + " minutes";
    }
  }

  std::string separated(const std::string& title, int minutes) {
    switch (pick(0, 4)) {
      case 0: return title + " – " + duration(minutes);
      case 1: return title + " — " + duration(minutes);
      case 2: return title + " (" + duration(minutes) + ")";
      default: return title + " - " + duration(minutes);
    }
  }

  std::string part_line(int n, const PartPlan& part) {
    const std::string core = "Part " + std::to_string(n) + ": " + separated(part.title, part.minutes);
    switch (pick(0, 4)) {
      case 0: return "**" + core + "**";
      case 1: return "## " + core;
      case 2: return std::to_string(n) + ". " + core;
      default: return core;
    }
  }

  std::string section_block(int k, const SectionDraft& s) {
    std::string header;
    switch (pick(0, 5)) {
      case 0: header = "### **Section " + std::to_string(k) + ": " + separated(s.title, s.minutes) + "**"; break;
      case 1: header = "**Section " + std::to_string(k) + ": " + separated(s.title, s.minutes) + "**"; break;
      case 2: header = "### " + separated(s.title, s.minutes); break;
      default: header = "### Section " + std::to_string(k) + ": " + separated(s.title, s.minutes); break;
    }
    std::string out = header + "\n";
    if (chance(0.7)) out += chance(0.5) ? "Learning objectives:\n" : "**Learning Objectives:**\n";
    const int style = pick(0, 4);
    for (std::size_t j = 0; j < s.objectives.size(); ++j) {
      static const char* bullets[] = {"- ", "* ", "• "};
      if (style < 3) out += bullets[style];
      else if (style == 3) out += std::to_string(j + 1) + ". ";
      else out += std::to_string(j + 1) + ") ";
      out += s.objectives[j] + "\n";
    }
    return out;
  }

  std::string wrap(std::string body) {
    if (chance(0.3)) body = "Here is the structure you asked for:\n\n" + body;
    if (chance(0.3)) body += "\n\nLet me know if you would like any adjustments.";
    if (chance(0.15)) body = "```\n" + body + "\n```";
    if (chance(0.15)) {
      std::string crlf;
      for (char c : body) {
        if (c == '\n') crlf += '\r';
        crlf += c;
      }
      body = crlf;
    }
    return body;
  }

  std::mt19937 rng_;
};

struct PropertyRun {
  std::uint32_t seed;
  double hours;
};

class WorkflowProperty : public ::testing::TestWithParam<int> {};

TEST_P(WorkflowProperty, EveryStoredCourseHoldsTheInvariants) {
  const int batch = GetParam();
  int reviews = 0;
  int repairs = 0;
  int rescales = 0;
  for (int i = 0; i < 25; ++i) {
    const std::uint32_t seed = static_cast<std::uint32_t>(batch * 1000 + i);
    AnswerWriter w(seed);
    static const double hour_choices[] = {0.25, 0.5, 1, 1.1, 2, 2.5, 3, 4.1, 6, 8, 12};
    const double hours = hour_choices[w.pick(0, 10)];
    const int target = target_minutes(hours);
    std::map<std::string, int> calls_per_task;
    std::map<int, PartDraft> expanded;  // what the model produced per part (0-based)
    std::vector<PartPlan> planned;

    std::map<std::string, LlmRequest> originals;  // a repair carries other variables than its original
    ModelScript model = [&](const LlmRequest& incoming) -> ScriptedAnswer {
      if (incoming.prompt_id != "courses.repair") originals[incoming.task] = incoming;
      const LlmRequest& request = originals.at(incoming.task);
      const int call = ++calls_per_task[request.task];
      if (call == 1 && w.chance(0.08)) return answer("I'm not able to produce that right now.");  // repair path
      if (request.task == "generate_course_parts") {
        const int parts = std::max(1, std::min(6, target / 45));
        const int count = w.pick(1, parts);
        planned.clear();
        int left = target + (w.chance(0.3) ? w.pick(-target / 5, target / 5) : 0);
        for (int p = 0; p < count; ++p) {
          const int minutes = p + 1 == count ? std::max(5, left) : std::max(5, left / (count - p) + w.pick(-5, 5));
          left -= minutes;
          planned.push_back({"Module " + std::to_string(seed) + "-" + std::to_string(p + 1), minutes});
        }
        std::string text = w.chance(0.3) ? "Course title: Generated Course " + std::to_string(seed) + "\n" : "";
        for (std::size_t p = 0; p < planned.size(); ++p) text += w.part_line(static_cast<int>(p) + 1, planned[p]) + "\n";
        if (w.chance(0.6)) text += "Total: " + std::to_string(target) + " minutes\n";
        return answer(w.wrap(text));
      }
      if (request.task.rfind("generate_part_sections_", 0) == 0) {
        const int index = std::stoi(request.task.substr(23));
        const int minutes = std::stoi(request.variables.at("part_minutes"));
        const int count = std::max(1, std::min(5, minutes / 15));
        PartDraft part{request.variables.at("part_title"), minutes, {}};
        int left = minutes + (w.chance(0.25) ? w.pick(-minutes / 4, minutes / 4) : 0);
        for (int k = 0; k < count; ++k) {
          const int m = k + 1 == count ? std::max(3, left) : std::max(3, left / (count - k));
          left -= m;
          const std::string tag = std::to_string(seed) + "." + std::to_string(index + 1) + "." + std::to_string(k + 1);
          SectionDraft s{"Topic " + tag, m, {}, {}};
          for (int j = 0; j < w.pick(2, 5); ++j) s.objectives.push_back("Explain idea " + std::to_string(j) + " of topic " + tag);
          part.sections.push_back(s);
        }
        expanded[index] = part;
        std::string text = w.chance(0.8) ? "## Part " + std::to_string(index + 1) + ": " + part.title + "\n\n" : "";
        for (std::size_t k = 0; k < part.sections.size(); ++k) text += w.section_block(static_cast<int>(k) + 1, part.sections[k]) + "\n";
        if (w.chance(0.7)) text += "Total for this part: " + std::to_string(part.section_minutes()) + " minutes\n";
        return answer(w.wrap(text));
      }
      if (request.task == "review_and_adjust_outline") {
        if (w.chance(0.1)) return failure("truncated_output", "cut off");
        Outline reviewed;
        for (auto& [index, part] : expanded) reviewed.parts.push_back(part);
        const int total = reviewed.total_minutes();
        // Scale to the target, imperfectly about half of the time.
        const double factor = static_cast<double>(target) / std::max(1, total) * (w.chance(0.5) ? 1.0 : 1.2);
        for (auto& part : reviewed.parts) {
          for (auto& s : part.sections) s.minutes = std::max(1, static_cast<int>(s.minutes * factor));
        }
        std::string text;
        for (std::size_t p = 0; p < reviewed.parts.size(); ++p) {
          text += "## Part " + std::to_string(p + 1) + ": " + reviewed.parts[p].title + "\n\n";
          for (std::size_t k = 0; k < reviewed.parts[p].sections.size(); ++k) {
            text += w.section_block(static_cast<int>(k) + 1, reviewed.parts[p].sections[k]) + "\n";
          }
        }
        if (w.chance(0.5)) text += "\nChanges made:\n- Adjusted section lengths to fit the target\n";
        return answer(w.wrap(text));
      }
      return failure("provider_error", "unexpected task " + request.task);
    };

    DriverOptions options;
    options.books = {valuation_book()};
    options.deliver_twice = w.chance(0.3);
    CourseRequested request = valuation_request(hours);
    const RunRecord run = drive("course-" + std::to_string(seed), request, model, options);
    SCOPED_TRACE("seed " + std::to_string(seed) + ", hours " + std::to_string(hours));
    expect_stored_course_invariants(run, hours);
    if (::testing::Test::HasFatalFailure()) return;
    for (const auto& r : run.requests) {
      reviews += r.task == "review_and_adjust_outline" && r.prompt_id != "courses.repair" ? 1 : 0;
      repairs += r.prompt_id == "courses.repair" ? 1 : 0;
    }
    for (const auto& d : run.decisions) {
      for (const auto& note : d.notes) rescales += note.find("rescaled") != std::string::npos ? 1 : 0;
    }

    // No section carries another section's objectives: every objective names its own topic tag.
    for (const auto& row : run.section_sets[0].sections) {
      if (!row.parent_section_id) continue;
      const std::string tag = row.title.substr(row.title.find(' ') + 1);
      EXPECT_GE(row.learning_objectives.size(), 2U) << row.title;
      for (const auto& objective : row.learning_objectives) {
        EXPECT_NE(objective.find("topic " + tag), std::string::npos) << row.title << " has '" << objective << "'";
      }
    }
  }
  // The generator must have exercised the interesting paths, or the invariants prove little.
  EXPECT_GT(reviews, 0);
  EXPECT_GT(repairs, 0);
  EXPECT_GT(rescales, 0);
}

INSTANTIATE_TEST_SUITE_P(Batches, WorkflowProperty, ::testing::Range(1, 13));

}  // namespace
}  // namespace docprof::testing
