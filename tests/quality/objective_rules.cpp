// Learning-objective rules of the course quality checker (see course_checker.h).
#include <algorithm>
#include <array>
#include <cctype>

#include "quality/checker_rules.h"
#include "quality/objective_verbs.h"
#include "quality/words.h"

namespace docprof::quality {

namespace {

constexpr int kMinObjectives = 2;
constexpr int kMaxObjectives = 6;
constexpr std::size_t kVarietyFrom = 6;  // a course with this many objectives ...
constexpr std::size_t kMinVerbs = 3;     // ... uses at least this many distinct verbs
constexpr std::size_t kMaxBareNounWords = 4;
// "Explain why" + a topic or title of the books is a noun phrase; so are this many words with no
// verb form. Longer ones pass: "mass and energy curve spacetime" is a clause whose verb has no
// tell-tale ending.
constexpr std::size_t kMaxShortNounPhrase = 3;

// Template tails the keyword-stub objectives ended with.
constexpr std::array<std::string_view, 6> kTemplateTails = {
    " in a worked example", " to a worked example", " to an example",
    " in an example",       " with an example",     " with a worked example"};

// Words that make "Explain why …" a clause rather than a bare noun phrase.
const std::set<std::string, std::less<>> kClauseWords = {
    "is",   "are",  "was",    "were",  "be",    "been",  "being", "has",  "have", "had",
    "do",   "does", "did",    "can",   "could", "should", "would", "will", "may",  "might",
    "must", "cannot", "matter", "work", "fail", "change", "grow",  "need"};

// Words a finished sentence does not end on (particles such as "up", "on" or "to" may end one:
// "add them up", "pass it on", "what a pointer points to").
const std::set<std::string, std::less<>> kDanglingEnds = {
    "a",    "an",  "the", "and", "or",    "but",   "nor",     "of",     "for",
    "with", "from", "into", "than", "between", "its", "their", "your", "my",
    "our",  "via", "whose", "per", "among", "during", "versus"};

// Sentence openers that, capitalised inside an objective, show a sentence pasted in ("Apply the
// idea that Therefore, returning Result is ...").
const std::set<std::string, std::less<>> kOpeners = {"therefore", "thus", "hence", "however",
                                                     "similarly", "moreover", "furthermore",
                                                     "instead", "also", "then", "like"};

// "In", "This", "Therefore" inside a sentence (one-letter words such as "A/B" or "I" aside).
bool spliced_capital(const std::string& word) {
  if (word.size() < 2 || std::isupper(static_cast<unsigned char>(word.front())) == 0) return false;
  const bool rest_lower = std::all_of(word.begin() + 1, word.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) != 0;
  });
  const std::string w = lower(word);
  return rest_lower && (is_function_word(w) || kOpeners.count(w) != 0);
}

struct ObjectiveText {
  std::string text;       // trimmed, without a final period
  std::string verb;       // first word, lower-case
  std::vector<std::string> object;  // the plain words after the verb
};

ObjectiveText parse(const std::string& objective) {
  ObjectiveText o;
  o.text = trim(objective);
  while (!o.text.empty() && (o.text.back() == '.' || o.text.back() == ' ')) o.text.pop_back();
  const std::vector<std::string> words = plain_words(o.text);
  if (!words.empty()) {
    o.verb = lower(words.front());
    o.object.assign(words.begin() + 1, words.end());
  }
  return o;
}

bool ends_with(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

// A noun fragment with no article, preposition or other function word, of a few words at most
// ("teh", "excess cash", "git repository").
bool bare_noun(const std::vector<std::string>& words) {
  if (words.empty() || words.size() > kMaxBareNounWords) return words.empty();
  return std::none_of(words.begin(), words.end(),
                      [](const std::string& w) { return is_function_word(lower(w)); });
}

// True when the words after "why" read as a clause: an auxiliary or common verb, or a third-person
// or past form after the first word ("diversification reduces risk", "the WACC matters").
bool has_verb(const std::vector<std::string>& words) {
  if (words.size() < 2) return false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string w = lower(words[i]);
    if (kClauseWords.count(w) != 0) return true;
    if (i == 0 || w.size() < 4) continue;
    const bool third_person = w.back() == 's' && !ends_with(w, "ss") && !ends_with(w, "us") &&
                              !ends_with(w, "is") && !ends_with(w, "ics");
    if (third_person || ends_with(w, "ed")) return true;
  }
  return false;
}

// Lower-case words with their apostrophes ("don't", "git's" -> "git"); curly apostrophes read as
// straight ones; capitalised words are left out (names, acronyms, the first word).
std::vector<std::string> lower_case_words(const std::string& text) {
  std::string plain;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "\xE2\x80\x99") == 0) {
      plain.push_back('\'');
      i += 2;
    } else {
      plain.push_back(text[i]);
    }
  }
  std::vector<std::string> out;
  std::string current;
  bool glued = false;  // the run touches digits or '_' ("x86", "utf8"): an identifier, no word
  const auto flush = [&] {
    while (!current.empty() && current.back() == '\'') current.pop_back();
    while (!current.empty() && current.front() == '\'') current.erase(current.begin());
    if (ends_with(current, "'s")) current.resize(current.size() - 2);
    const bool all_lower =
        !current.empty() && std::all_of(current.begin(), current.end(), [](char c) {
          return c == '\'' || std::islower(static_cast<unsigned char>(c)) != 0;
        });
    if (!glued && all_lower && current.size() >= 2) out.push_back(current);
    current.clear();
    glued = false;
  };
  for (const char c : plain) {
    if (std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '\'') {
      current.push_back(c);
    } else if (std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '_') {
      glued = true;
    } else {
      flush();
    }
  }
  flush();
  return out;
}

class ObjectiveChecker {
 public:
  ObjectiveChecker(const CheckScope& scope, Findings& out) : scope_(scope), out_(out) {}

  void run() {
    for (const auto& part : scope_.outline.parts) {
      for (const auto& section : part.sections) check_section(section);
    }
    check_course_wide();
  }

 private:
  void add(const std::string& rule, const OutlineSection& section, const std::string& objective,
           const std::string& why) {
    out_.push_back({rule, "section " + in_quotes(section.title) + ": objective " + in_quotes(objective) +
                              " " + why});
  }

  // The books whose words a section may use: the ones it reads and the label's; a section that
  // names no sources (an outline from before sources existed) may use any book of the library.
  std::set<std::string> books_of(const OutlineSection& section) const {
    if (section.sources.empty()) return scope_.lexicon.all_book_ids();
    std::set<std::string> ids = scope_.picked_book_ids;
    for (const auto& source : section.sources) ids.insert(source.book_id);
    return ids;
  }

  void check_section(const OutlineSection& section) {
    const int n = static_cast<int>(section.objectives.size());
    if (n < kMinObjectives || n > kMaxObjectives) {
      out_.push_back({"objective.count", "section " + in_quotes(section.title) + " has " +
                                             std::to_string(n) + " objectives (want " +
                                             std::to_string(kMinObjectives) + "–" +
                                             std::to_string(kMaxObjectives) + ")"});
    }
    const std::set<std::string> books = books_of(section);
    for (const auto& objective : section.objectives) check_objective(section, objective, books);
  }

  void check_objective(const OutlineSection& section, const std::string& objective,
                       const std::set<std::string>& books) {
    const ObjectiveText o = parse(objective);
    ++count_;
    if (!o.verb.empty()) verbs_.insert(o.verb);
    if (depth_verbs(scope_.label.depth).count(o.verb) != 0) ++fitting_depth_;

    const std::string key = lower(o.text);
    if (!seen_.insert(key).second) add("objective.duplicate", section, objective, "repeats an earlier objective");

    if (!is_measurable_verb(o.verb)) {
      add("objective.verb", section, objective,
          "does not start with a measurable verb (" + in_quotes(o.verb) + ")");
    }
    check_sentence(section, objective, o);
    check_object(section, objective, o, books);
    check_template(section, objective, o, books);
    for (const auto& word : lower_case_words(o.text)) {
      if (!scope_.lexicon.known(word, books))
        add("objective.noise", section, objective,
            "has the word " + in_quotes(word) + ", in neither the dictionary nor its books");
    }
  }

  void check_sentence(const OutlineSection& section, const std::string& objective,
                      const ObjectiveText& o) {
    if (o.text.empty() || std::isupper(static_cast<unsigned char>(o.text.front())) == 0) {
      add("objective.sentence", section, objective, "does not start with a capital letter");
    }
    const std::vector<std::string> words = plain_words(o.text);
    if (!words.empty() && kDanglingEnds.count(lower(words.back())) != 0) {
      add("objective.sentence", section, objective,
          "ends on " + in_quotes(words.back()) + ", an unfinished sentence");
    }
    for (std::size_t i = 1; i < words.size(); ++i) {
      if (spliced_capital(words[i])) {
        add("objective.sentence", section, objective,
            "has a capitalised " + in_quotes(words[i]) +
                " inside the sentence: text spliced into a template");
        break;
      }
    }
    for (std::size_t i = 1; i < words.size(); ++i) {
      if (lower(words[i]) == lower(words[i - 1])) {
        add("objective.sentence", section, objective, "repeats the word " + in_quotes(words[i]));
        break;
      }
    }
  }

  void check_object(const OutlineSection& section, const std::string& objective,
                    const ObjectiveText& o, const std::set<std::string>& books) {
    if (o.object.empty()) {
      add("objective.object", section, objective, "has no object");
      return;
    }
    if (o.object.size() > 1) return;
    const std::string term = lower(o.object.front());
    if (is_function_word(term) || !scope_.lexicon.in_books(term, books)) {
      add("objective.object", section, objective,
          "has a one-word object " + in_quotes(o.object.front()) +
              " that is no technical term of its books");
    }
  }

  void check_template(const OutlineSection& section, const std::string& objective,
                      const ObjectiveText& o, const std::set<std::string>& books) {
    const std::string text = lower(o.text);
    if (text.find("the idea that") != std::string::npos)
      add("objective.template", section, objective, "uses the template frame 'the idea that'");

    // "Explain why <noun phrase>" (or "Analyze why …"): "why" must open a clause.
    if (!o.object.empty() && lower(o.object.front()) == "why") {
      const std::vector<std::string> rest(o.object.begin() + 1, o.object.end());
      const auto why = text.find("why ");
      const std::string after_why = why == std::string::npos ? "" : trim(o.text.substr(why + 4));
      if (scope_.lexicon.is_book_phrase(after_why, books) ||
          (!has_verb(rest) && rest.size() <= kMaxShortNounPhrase))
        add("objective.template", section, objective,
            "is '" + o.verb + " why' with a noun phrase, not a clause");
    }

    for (const auto tail : kTemplateTails) {
      if (!ends_with(text, tail)) continue;
      std::vector<std::string> object = plain_words(o.text.substr(0, o.text.size() - tail.size()));
      if (!object.empty()) object.erase(object.begin());  // the verb
      if (object.size() >= 3 && lower(object[0]) == "the" && lower(object[1]) == "idea" &&
          lower(object[2]) == "that")
        object.erase(object.begin(), object.begin() + 3);
      if (bare_noun(object))
        add("objective.template", section, objective,
            "puts the template tail " + in_quotes(trim(tail)) + " on a bare noun");
      break;
    }
  }

  void check_course_wide() {
    if (count_ >= kVarietyFrom && verbs_.size() < kMinVerbs) {
      std::string list;
      for (const auto& v : verbs_) list += (list.empty() ? "" : ", ") + v;
      out_.push_back({"objective.variety", "the course's " + std::to_string(count_) +
                                               " objectives use only " +
                                               std::to_string(verbs_.size()) +
                                               " distinct verbs (" + list + ")"});
    }
    if (count_ > 0 && fitting_depth_ == 0) {
      out_.push_back({"objective.depth", "no objective starts with a verb of the depth " +
                                             in_quotes(scope_.label.depth)});
    }
  }

  const CheckScope& scope_;
  Findings& out_;
  std::size_t count_ = 0;
  int fitting_depth_ = 0;
  std::set<std::string> verbs_;
  std::set<std::string> seen_;
};

}  // namespace

void check_objectives(const CheckScope& scope, Findings& out) {
  ObjectiveChecker(scope, out).run();
}

}  // namespace docprof::quality
