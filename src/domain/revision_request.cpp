#include "domain/revision_request.h"

#include <array>
#include <cctype>
#include <optional>
#include <set>

#include "domain/line_grammar.h"
#include "domain/text.h"

namespace docprof::domain {
namespace {

using Words = std::vector<std::string>;

Words split_words(std::string_view text) {
  Words words;
  std::string word;
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == ',' || c == '\n' || c == '\r') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::string join(const Words& words, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to && i < words.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += words[i];
  }
  return out;
}

// The verbs (one or more words) that start each kind of clause, longest first where one is a
// prefix of another. "cut" is both a drop ("cut the history part") and a resize ("cut it to 2
// hours"): a clause with a duration and nothing else is a resize.
struct Verb {
  std::string_view words;
  RevisionActionKind kind;
};
constexpr std::array kVerbs = {
    Verb{"put in", RevisionActionKind::add},        Verb{"add", RevisionActionKind::add},
    Verb{"include", RevisionActionKind::add},       Verb{"insert", RevisionActionKind::add},
    Verb{"append", RevisionActionKind::add},        Verb{"cover", RevisionActionKind::add},
    Verb{"leave out", RevisionActionKind::drop},    Verb{"take out", RevisionActionKind::drop},
    Verb{"get rid of", RevisionActionKind::drop},   Verb{"cut out", RevisionActionKind::drop},
    Verb{"drop", RevisionActionKind::drop},         Verb{"remove", RevisionActionKind::drop},
    Verb{"skip", RevisionActionKind::drop},         Verb{"delete", RevisionActionKind::drop},
    Verb{"omit", RevisionActionKind::drop},         Verb{"exclude", RevisionActionKind::drop},
    Verb{"cut", RevisionActionKind::drop},          Verb{"make", RevisionActionKind::resize},
    Verb{"shorten", RevisionActionKind::resize},    Verb{"extend", RevisionActionKind::resize},
    Verb{"lengthen", RevisionActionKind::resize},   Verb{"change", RevisionActionKind::resize},
    Verb{"set", RevisionActionKind::resize},        Verb{"reduce", RevisionActionKind::resize},
    Verb{"trim", RevisionActionKind::resize},       Verb{"expand", RevisionActionKind::resize},
    Verb{"increase", RevisionActionKind::resize},   Verb{"decrease", RevisionActionKind::resize},
};

// Politeness and connectives before a clause's verb: "please also add …", "and then drop …".
const std::set<std::string, std::less<>>& lead_words() {
  static const std::set<std::string, std::less<>> words = {
      "please", "also", "then", "and", "could", "can", "would", "you", "kindly", "just", "now", "finally"};
  return words;
}

std::optional<Verb> verb_at(const Words& words, std::size_t at) {
  for (const Verb& verb : kVerbs) {
    const Words verb_words = split_words(verb.words);
    if (at + verb_words.size() > words.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < verb_words.size(); ++i) same = same && words[at + i] == verb_words[i];
    if (same) return verb;
  }
  return std::nullopt;
}

std::size_t skip_lead(const Words& words, std::size_t at) {
  while (at < words.size() && lead_words().contains(words[at])) ++at;
  return at;
}

// Sentences: split at ';', '!', '?', new lines, and at '.' that ends a sentence (not "1.5").
std::vector<std::string> sentences(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool decimal_point = c == '.' && i > 0 && i + 1 < text.size() &&
                               std::isdigit(static_cast<unsigned char>(text[i - 1])) &&
                               std::isdigit(static_cast<unsigned char>(text[i + 1]));
    if ((c == '.' && !decimal_point) || c == ';' || c == '!' || c == '?' || c == '\n') {
      out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  out.push_back(current);
  return out;
}

// A sentence's clauses: a new clause starts where "and" / "then" / "also" / a comma is followed by
// one of the verbs ("add a section on taxes and drop the history part").
std::vector<Words> clauses(const std::string& sentence) {
  // Keep commas as words so that a clause may start after one.
  std::string spaced;
  for (const char c : sentence) {
    if (c == ',') {
      spaced += " , ";
    } else {
      spaced += c;
    }
  }
  Words with_commas;
  {
    std::string word;
    for (const char c : spaced) {
      if (c == ' ' || c == '\t' || c == '\r') {
        if (!word.empty()) with_commas.push_back(std::move(word));
        word.clear();
      } else {
        word += c;
      }
    }
    if (!word.empty()) with_commas.push_back(std::move(word));
  }
  std::vector<Words> out;
  Words current;
  for (std::size_t i = 0; i < with_commas.size(); ++i) {
    const std::string& word = with_commas[i];
    const bool joiner = word == "," || word == "and" || word == "then" || word == "also";
    if (joiner && !current.empty()) {
      const std::size_t next = skip_lead(with_commas, i + 1);
      if (next < with_commas.size() && with_commas[next] != "," && verb_at(with_commas, next)) {
        out.push_back(std::move(current));
        current.clear();
        i = next - 1;
        continue;
      }
    }
    if (word != ",") current.push_back(word);
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

bool is_any_of(std::string_view word, std::initializer_list<std::string_view> options) {
  for (const auto option : options) {
    if (word == option) return true;
  }
  return false;
}

// Words that may surround a length without changing what is asked ("make the whole course about
// 3 hours long").
bool resize_filler(std::string_view word) {
  return is_any_of(word, {"it", "the", "course", "this", "whole", "total", "length", "duration",
                          "to", "down", "up", "by", "long", "longer", "shorter", "in", "about",
                          "around", "roughly", "approximately", "only", "instead", "overall",
                          "please", "now", "of", "a", "an", "more", "less", "just", "so", "that",
                          "lasts", "takes", "last", "take", "total", "its", "whole", "time"});
}

std::string spelled_out_hours(std::string text) {
  // "half an hour" / "an hour and a half" / "an hour": the grammar reads digits only.
  const std::array<std::pair<std::string_view, std::string_view>, 4> phrases = {{
      {"an hour and a half", "90 minutes"},
      {"half an hour", "30 minutes"},
      {"an hour", "1 hour"},
      {"one hour", "1 hour"},
  }};
  for (const auto& [phrase, replacement] : phrases) {
    for (auto at = text.find(phrase); at != std::string::npos; at = text.find(phrase, at)) {
      text.replace(at, phrase.size(), replacement);
      at += replacement.size();
    }
  }
  return text;
}

// "make it 3 hours", "shorten it to 90 minutes", "make it 30 minutes longer", "extend it by an
// hour": nullopt unless the clause states one length and nothing else.
std::optional<RevisionAction> read_resize(const Words& words, std::size_t after_verb, std::string_view verb) {
  const std::string rest = spelled_out_hours(join(words, after_verb, words.size()));
  const auto durations = grammar::find_durations(rest);
  if (durations.size() != 1 || durations.front().minutes <= 0) return std::nullopt;
  const auto& duration = durations.front();
  const std::string outside = rest.substr(0, duration.begin) + " " + rest.substr(duration.end);
  const Words left = split_words(outside);
  for (const auto& word : left) {
    if (!resize_filler(word)) return std::nullopt;
  }
  auto has = [&](std::string_view w) {
    for (const auto& word : left) {
      if (word == w) return true;
    }
    return false;
  };
  RevisionAction action;
  action.kind = RevisionActionKind::resize;
  action.minutes = duration.minutes;
  const bool grows = has("longer") || has("more") ||
                     (has("by") && is_any_of(verb, {"extend", "lengthen", "expand", "increase"}));
  const bool shrinks = has("shorter") || has("less") ||
                       (has("by") && is_any_of(verb, {"shorten", "reduce", "trim", "decrease", "cut"}));
  if (grows == shrinks && (grows || has("by"))) return std::nullopt;  // "by" with no direction
  if (grows || shrinks) {
    action.relative = true;
    action.minutes = grows ? duration.minutes : -duration.minutes;
  }
  return action;
}

// The topic of an add or drop clause, and whether it names a part or a section: "a section on
// tax implications" -> (section, "tax implications"); "the history part" -> (part, "history");
// "the part about X" -> (part, "X"); "X" -> (any, "X").
std::optional<std::pair<RevisionScope, std::string>> read_topic(Words words) {
  auto is_determiner = [](std::string_view w) {
    return is_any_of(w, {"the", "a", "an", "one", "another", "some", "any", "all", "more", "new",
                         "extra", "short", "brief", "whole", "that", "this", "my"});
  };
  auto scope_of = [](std::string_view w) -> std::optional<RevisionScope> {
    if (is_any_of(w, {"part", "parts", "module", "modules", "unit", "units"})) return RevisionScope::part;
    if (is_any_of(w, {"section", "sections", "lesson", "lessons", "chapter", "chapters"})) {
      return RevisionScope::section;
    }
    if (is_any_of(w, {"topic", "topics", "material", "stuff", "bit", "bits", "content"})) {
      return RevisionScope::any;
    }
    return std::nullopt;
  };
  // Trailing words that say nothing about the topic.
  while (!words.empty() && is_any_of(words.back(), {"too", "please", "also", "well", "as", "again",
                                                    "instead", "entirely", "completely"})) {
    words.pop_back();
  }
  std::size_t at = 0;
  while (at < words.size() && is_determiner(words[at])) ++at;
  RevisionScope scope = RevisionScope::any;
  if (at < words.size()) {
    if (const auto named = scope_of(words[at])) {
      // "a section on X", "the part about X", "sections covering X"
      if (at + 1 < words.size() &&
          is_any_of(words[at + 1], {"on", "about", "covering", "for", "of", "explaining", "regarding",
                                    "discussing", "that", "which", "dealing", "introducing"})) {
        scope = *named;
        at += 2;
        while (at < words.size() && is_any_of(words[at], {"covers", "explains", "with", "the", "covering"})) ++at;
      }
    }
  }
  // "the history part", "the tax section"
  if (scope == RevisionScope::any && words.size() > at + 1) {
    if (const auto named = scope_of(words.back())) {
      scope = *named;
      words.pop_back();
    }
  }
  // "add more on X", "drop anything about X"
  if (scope == RevisionScope::any) {
    while (at < words.size() && is_any_of(words[at], {"on", "about", "of"})) ++at;
  }
  std::string topic = join(words, at, words.size());
  topic = trim(topic);
  if (topic.empty()) return std::nullopt;
  return std::make_pair(scope, topic);
}

std::optional<RevisionAction> read_clause(const Words& words) {
  const std::size_t start = skip_lead(words, 0);
  const auto verb = verb_at(words, start);
  if (!verb) return std::nullopt;
  const std::size_t after = start + split_words(verb->words).size();
  if (verb->kind == RevisionActionKind::resize || verb->words == "cut") {
    if (auto resize = read_resize(words, after, verb->words)) return resize;
    if (verb->kind == RevisionActionKind::resize) return std::nullopt;
  }
  const auto topic = read_topic(Words(words.begin() + static_cast<std::ptrdiff_t>(after), words.end()));
  if (!topic) return std::nullopt;
  RevisionAction action;
  action.kind = verb->kind;
  action.scope = topic->first;
  action.topic = topic->second;
  return action;
}

// Verbs that are nouns too ("change management", "set theory", "cover letters", "cut flowers"): a
// clause they seem to begin may be the end of the previous clause's topic.
bool starts_with_noun_verb(const Words& clause) {
  const std::size_t start = skip_lead(clause, 0);
  return start < clause.size() &&
         is_any_of(clause[start], {"change", "set", "cover", "cut", "increase", "decrease", "trim", "skip", "drop"});
}

Error unsupported(const std::string& clause) {
  return Error{std::string(kUnsupportedRevision),
               "the offline planner cannot do \"" + utf8_prefix(clause, 100) +
                   "\": it can add a section or part on a topic (\"add a section on tax implications\"), drop a "
                   "part or section (\"drop the history part\") and change the length (\"make it 3 hours\")"};
}

}  // namespace

Result<RevisionReading> read_revision_request(std::string_view request) {
  const std::string text = ascii_lower(trim(request));
  if (text.empty()) return Error{"invalid_request", "the revision request is empty"};
  RevisionReading reading;
  for (const auto& sentence : sentences(text)) {
    std::optional<Words> previous;  // the sentence's last clause read, for a topic split wrongly
    for (const auto& clause : clauses(sentence)) {
      auto action = read_clause(clause);
      if (!action && previous && !reading.actions.empty() && starts_with_noun_verb(clause)) {
        // "add a section on risk and change management": "change" began no clause after all.
        Words joined = *previous;
        joined.push_back("and");
        joined.insert(joined.end(), clause.begin(), clause.end());
        if (auto rejoined = read_clause(joined);
            rejoined && rejoined->kind != RevisionActionKind::resize) {
          rejoined->clause = join(joined, 0, joined.size());
          reading.actions.back() = std::move(*rejoined);
          previous = std::move(joined);
          continue;
        }
      }
      if (!action) return unsupported(join(clause, 0, clause.size()));
      action->clause = join(clause, 0, clause.size());
      reading.actions.push_back(std::move(*action));
      previous = clause;
    }
  }
  if (reading.actions.empty()) return unsupported(text);
  return reading;
}

}  // namespace docprof::domain
