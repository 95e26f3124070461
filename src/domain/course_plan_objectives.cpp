#include "domain/course_plan_objectives.h"

#include <algorithm>
#include <array>
#include <cstddef>

#include "domain/course_plan_words.h"
#include "domain/text.h"

namespace docprof::domain {
namespace {

using namespace words;

// Verbs that open a key concept written as advice ("use after-tax cost of debt").
constexpr std::array<std::string_view, 56> kImperatives{
    "use",       "keep",       "adjust",  "check",       "compare",   "verify",    "build",
    "identify",  "watch",      "judge",   "avoid",       "apply",     "write",     "make",
    "choose",    "treat",      "start",   "separate",    "prefer",    "let",       "consider",
    "look",      "think",      "ask",     "define",      "read",      "beware",    "never",
    "always",    "do",         "don't",   "simplify",    "automate",  "remove",    "add",
    "subtract",  "include",    "exclude", "convert",     "divide",    "multiply",  "reconcile",
    "normalize", "capitalize", "begin",   "distinguish", "deduct",    "diversify", "invest",
    "insist",    "favor",      "pay",     "remember",    "recognize", "seek",      "tie"};

// Words that open both advice and statements ("value each business separately", "value creation
// means …"): such a key concept is quoted as a principle rather than guessed at.
constexpr std::array<std::string_view, 22> kVerbOrNoun{
    "value",    "forecast", "test",   "model", "project", "plan",     "set",   "report",
    "estimate", "measure",  "match",  "link",  "split",   "document", "price", "cost",
    "return",   "discount", "weight", "focus", "scale",   "change"};

constexpr std::array<std::string_view, 27> kQuantityWords{
    "rate",      "rates",       "ratio",    "ratios", "return",   "returns", "cost",
    "costs",     "value",       "values",   "price",  "prices",   "premium", "premiums",
    "beta",      "betas",       "yield",    "growth", "margin",   "margins", "multiple",
    "multiples", "probability", "variance", "spread", "interest", "flow"};

enum class PhraseKind { topic, name, formula, rule, principle, claim };

// "Jakob Bernoulli", "Sapiens": every word capitalised (acronyms aside: "CAPM" is a topic). A topic
// named after someone ("Black-Scholes model") ends in a lower-case word and stays a topic.
bool is_proper_name(std::string_view phrase) {
  const auto words = split_words(phrase);
  if (words.empty()) return false;
  bool all_caps_everywhere = true;
  for (const auto& word : words) {
    if (!is_ascii_upper(word.front())) return false;
    if (std::any_of(word.begin(), word.end(), is_ascii_lower)) all_caps_everywhere = false;
  }
  return !all_caps_everywhere;
}

PhraseKind kind_of_statement(std::string_view statement) {
  if (statement.find(" = ") != std::string_view::npos) return PhraseKind::formula;
  const auto words = split_words(statement);
  if (!words.empty() && one_of(bare(words.front()), kImperatives)) return PhraseKind::rule;
  if (!words.empty() && one_of(bare(words.front()), kVerbOrNoun)) {
    // "value is …", "cost of debt rises …": the first word is the subject of a statement.
    static constexpr std::array<std::string_view, 16> kStatementSecond{
        "is",  "are",   "was",  "were",   "of",   "can",   "cannot", "could",
        "may", "might", "must", "should", "will", "would", "has",    "have"};
    const bool is_subject = words.size() > 1 && one_of(bare(words[1]), kStatementSecond);
    return is_subject ? PhraseKind::claim : PhraseKind::principle;
  }
  return PhraseKind::claim;
}

bool is_quantity(std::string_view topic) {
  for (const auto& word : split_words(topic)) {
    if (one_of(bare(word), kQuantityWords)) return true;
  }
  return false;
}

// The objective for one phrase; `variant` picks between the depth's wordings.
std::string objective_for(std::string_view phrase, PhraseKind kind, Depth depth, int variant) {
  const std::string p(phrase);
  const bool second = variant % 2 == 1;
  switch (kind) {
    case PhraseKind::topic:
      switch (depth) {
        case Depth::overview:
          return (second ? "Explain " : "Describe ") + p;
        case Depth::balanced:
          return second ? "Apply " + p + " in a worked example" : "Explain " + p;
        case Depth::technical:
          if (variant % 3 == 1) return "Apply " + p + " in a worked example";
          if (variant % 3 == 2 && is_quantity(p)) return "Compute " + p + " for a worked example";
          return "Analyze " + p;
        case Depth::expert:
          return second ? "Design an approach that applies " + p
                        : "Evaluate the strengths and limits of " + p;
      }
      break;
    case PhraseKind::name:
      switch (depth) {
        case Depth::overview:
          return (second ? "Explain the role of " : "Describe the contribution of ") + p;
        case Depth::balanced:
          return "Explain the role of " + p;
        case Depth::technical:
          return "Analyze the role of " + p;
        case Depth::expert:
          return "Evaluate the role of " + p;
      }
      break;
    case PhraseKind::formula:
      switch (depth) {
        case Depth::overview:
          return "Explain the relation " + p;
        case Depth::balanced:
          return "Apply the relation " + p;
        case Depth::technical:
          return "Compute results with the relation " + p;
        case Depth::expert:
          return "Evaluate when the relation " + p + " holds";
      }
      break;
    case PhraseKind::rule:
      switch (depth) {
        case Depth::overview:
          return "Explain the rule to " + p;
        case Depth::balanced:
          return (second ? "Apply the rule to " : "Explain the rule to ") + p;
        case Depth::technical:
          return "Apply the rule to " + p;
        case Depth::expert:
          return "Evaluate when to " + p;
      }
      break;
    case PhraseKind::principle:
      switch (depth) {
        case Depth::overview:
          return "Explain the principle: " + p;
        case Depth::balanced:
          return (second ? "Apply the principle: " : "Explain the principle: ") + p;
        case Depth::technical:
          return "Apply the principle: " + p;
        case Depth::expert:
          return "Evaluate the principle: " + p;
      }
      break;
    case PhraseKind::claim:
      switch (depth) {
        case Depth::overview:
          return (second ? "Describe the evidence that " : "Explain why ") + p;
        case Depth::balanced:
          return second ? "Apply the idea that " + p + " to an example" : "Explain why " + p;
        case Depth::technical:
          return "Analyze why " + p;
        case Depth::expert:
          return "Evaluate the claim that " + p;
      }
      break;
  }
  return "Explain " + p;
}

std::string clean_phrase(std::string_view phrase) {
  std::string out = trim_trailing_punctuation(trim(phrase));
  // Collapse inner white space: a phrase becomes one objective line.
  return join_words(split_words(out));
}

}  // namespace

const std::vector<std::string_view>& objective_verbs(Depth depth) {
  static const std::vector<std::string_view> overview{"Describe", "Explain"};
  static const std::vector<std::string_view> balanced{"Explain", "Apply"};
  static const std::vector<std::string_view> technical{"Apply", "Compute", "Analyze"};
  static const std::vector<std::string_view> expert{"Evaluate", "Design"};
  switch (depth) {
    case Depth::overview:
      return overview;
    case Depth::balanced:
      return balanced;
    case Depth::technical:
      return technical;
    case Depth::expert:
      return expert;
  }
  return balanced;
}

std::vector<std::string> build_objectives(const std::vector<std::string>& topics,
                                          const std::vector<std::string>& key_concepts, Depth depth,
                                          int count, int rotation) {
  struct Phrase {
    std::string text;
    PhraseKind kind;
  };
  std::vector<Phrase> phrases;
  std::vector<std::string> seen;
  const auto add = [&](const std::string& raw, bool is_topic) {
    std::string text = clean_phrase(raw);
    const std::string key = ascii_lower(text);
    if (text.empty() || std::find(seen.begin(), seen.end(), key) != seen.end()) return;
    seen.push_back(key);
    const PhraseKind kind = !is_topic              ? kind_of_statement(text)
                            : is_proper_name(text) ? PhraseKind::name
                                                   : PhraseKind::topic;
    phrases.push_back({text, kind});
  };
  // Alternate topics and key concepts: each objective names a different facet of the material.
  for (std::size_t i = 0; i < std::max(topics.size(), key_concepts.size()); ++i) {
    if (i < topics.size()) add(topics[i], true);
    if (i < key_concepts.size()) add(key_concepts[i], false);
  }
  if (phrases.empty()) return {};

  const int wanted = std::clamp(count, 2, 6);
  std::vector<std::string> objectives;
  const auto push = [&](std::string objective) {
    if (std::find(objectives.begin(), objectives.end(), objective) == objectives.end())
      objectives.push_back(std::move(objective));
  };
  for (std::size_t k = 0; k < phrases.size() && static_cast<int>(objectives.size()) < wanted; ++k) {
    push(objective_for(phrases[k].text, phrases[k].kind, depth, static_cast<int>(k) + rotation));
  }
  // Thin material (one phrase): its other wording, then a plain one, so there are always two.
  for (std::size_t k = 0; objectives.size() < 2; ++k) {
    const Phrase& phrase = phrases[k % phrases.size()];
    if (k < phrases.size()) {
      push(objective_for(phrase.text, phrase.kind, depth, static_cast<int>(k) + rotation + 1));
    } else {
      push(std::string(objective_verbs(depth).front()) + " the main ideas of " + phrase.text);
      if (objectives.size() < 2) {
        push(std::string(objective_verbs(depth).back()) + " a worked example of " + phrase.text);
      }
    }
  }
  return objectives;
}

std::optional<Depth> depth_from_preferences_text(std::string_view preferences) {
  // The first line that starts with "Depth:" (after a list marker): the learner's notes come later
  // and may mention depth in their own words.
  std::size_t start = 0;
  while (start <= preferences.size()) {
    const std::size_t end = std::min(preferences.find('\n', start), preferences.size());
    std::string line = ascii_lower(trim(preferences.substr(start, end - start)));
    if (line.starts_with("- ")) line = trim(line.substr(2));
    if (line.starts_with("depth:")) {
      std::size_t begin = 6;
      while (begin < line.size() && line[begin] == ' ') ++begin;
      std::size_t word_end = begin;
      while (word_end < line.size() && is_ascii_lower(line[word_end])) ++word_end;
      auto depth = parse_depth(std::string_view(line).substr(begin, word_end - begin));
      if (!depth) return std::nullopt;
      return depth.value();
    }
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace docprof::domain
