#include "domain/course_plan_title.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

#include "domain/course_plan_words.h"
#include "domain/text.h"

namespace docprof::domain {
namespace {

using namespace words;

// --- time phrases ("in 6 hours", "over a weekend", "a 2-hour course") --------------------------

constexpr std::array<std::string_view, 17> kTimeUnits{
    "hour", "hours", "hr",   "hrs",   "h",     "minute", "minutes", "min",      "mins",
    "day",  "days",  "week", "weeks", "month", "months", "weekend", "afternoon"};
constexpr std::array<std::string_view, 18> kCountWords{
    "a",     "an",   "one", "two",    "three",  "four", "five",   "six", "seven",
    "eight", "nine", "ten", "eleven", "twelve", "half", "couple", "few", "several"};
constexpr std::array<std::string_view, 12> kTimeLeadIns{
    "in",    "within", "over",  "for",           "during",  "across",
    "about", "around", "under", "approximately", "roughly", "just"};

bool is_number(std::string_view word) {
  if (word.empty()) return false;
  bool digit = false;
  for (const char c : word) {
    if (is_ascii_digit(c)) {
      digit = true;
    } else if (c != '.' && c != '/' && c != ',') {
      return false;
    }
  }
  return digit;
}

// "6h", "2-hour", "90-minute", "1.5hrs": a count glued to its unit.
bool is_glued_duration(std::string_view word) {
  std::size_t i = 0;
  while (i < word.size() && (is_ascii_digit(word[i]) || word[i] == '.')) ++i;
  if (i == 0) {
    // "half-hour", "one-day", "two-week"
    const auto dash = word.find('-');
    return dash != std::string_view::npos && one_of(word.substr(0, dash), kCountWords) &&
           one_of(word.substr(dash + 1), kTimeUnits);
  }
  if (i == word.size()) return false;
  if (word[i] == '-') ++i;
  return one_of(word.substr(i), kTimeUnits);
}

std::vector<std::string> drop_time_phrases(const std::vector<std::string>& words) {
  std::vector<bool> drop(words.size(), false);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string w = bare(words[i]);
    std::size_t end = 0;  // one past the time phrase starting at i, 0 when none
    if (is_glued_duration(w)) {
      end = i + 1;
    } else if ((is_number(w) || one_of(w, kCountWords)) && i + 1 < words.size()) {
      std::size_t j = i + 1;
      // "a couple of hours", "a few days", "half an hour"
      while (j < words.size() && (one_of(bare(words[j]), kCountWords) || bare(words[j]) == "of"))
        ++j;
      if (j < words.size() && one_of(bare(words[j]), kTimeUnits)) end = j + 1;
    }
    if (end == 0) continue;
    std::size_t begin = i;
    while (begin > 0 && one_of(bare(words[begin - 1]), kTimeLeadIns)) --begin;
    // "a 2-hour course", "a half-hour overview": the article goes with its duration.
    if (begin == i && is_glued_duration(w) && begin > 0 &&
        (bare(words[begin - 1]) == "a" || bare(words[begin - 1]) == "an")) {
      --begin;
    }
    // A count in words is a time only after "in", "over", …: "a day in the life" is a subject.
    if (begin == i && !is_number(w) && !is_glued_duration(w)) continue;
    for (std::size_t k = begin; k < end; ++k) drop[k] = true;
    i = end - 1;
  }
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (!drop[i]) kept.push_back(words[i]);
  }
  return kept;
}

// --- leading filler ("I want to learn how to", "teach me about") -------------------------------

struct Filler {
  std::vector<std::string_view> words;
  bool verb_follows;  // the filler ends in "to": the subject starts with a verb ("value a company")
  // Filler only after other filler: "I want to study statistics", but "Study skills" is a subject.
  bool only_after_filler = false;
};

const std::vector<Filler>& fillers() {
  // Longer phrases first, so "teach me about" wins over "teach me".
  static const std::vector<Filler> all{
      {{"i", "would", "like", "to"}, true},
      {{"i", "would", "love", "to"}, true},
      {{"i", "am", "trying", "to"}, true},
      {{"i", "am", "looking", "to"}, true},
      {{"i'm", "trying", "to"}, true},
      {{"i'm", "looking", "to"}, true},
      {{"i", "want", "to"}, true},
      {{"i", "need", "to"}, true},
      {{"i", "hope", "to"}, true},
      {{"i'd", "like", "to"}, true},
      {{"i'd", "love", "to"}, true},
      {{"help", "me", "to"}, true},
      {{"be", "able", "to"}, true},
      {{"how", "to"}, true},
      {{"how", "do", "i"}, true},
      {{"how", "can", "i"}, true},
      {{"how", "should", "i"}, true},
      {{"how", "would", "i"}, true},
      {{"how", "do", "you"}, true},
      {{"how", "can", "you"}, true},
      {{"both"}, false, true},
      {{"i", "wanna"}, true},
      {{"help", "me"}, true},
      {{"i", "like", "to"}, true},
      {{"want", "to"}, true},
      {{"give", "me"}, false},
      {{"introduce", "me", "to"}, false},
      {{"an", "introduction", "to"}, false},
      {{"introduction", "to"}, false},
      {{"an", "overview", "of"}, false},
      {{"overview", "of"}, false},
      {{"a", "tour", "of"}, false},
      {{"a", "primer", "on"}, false},
      {{"explain"}, false},
      {{"teach", "me", "about"}, false},
      {{"tell", "me", "about"}, false},
      {{"teach", "me"}, false},
      {{"show", "me"}, false},
      {{"can", "you"}, false},
      {{"could", "you"}, false},
      {{"would", "you"}, false},
      {{"get", "started", "with"}, false},
      {{"get", "better", "at"}, false},
      {{"a", "crash", "course", "on"}, false},
      {{"a", "crash", "course", "in"}, false},
      {{"a", "course", "on"}, false},
      {{"a", "course", "about"}, false},
      {{"a", "course", "in"}, false},
      {{"course", "on"}, false},
      {{"course", "about"}, false},
      {{"more", "about"}, false},
      {{"all", "about"}, false},
      {{"something", "about"}, false},
      {{"about"}, false},
      {{"learn"}, false},
      {{"understand"}, false},
      {{"study"}, false, true},
      {{"master"}, false, true},
      {{"know"}, false, true},
      {{"explore"}, false, true},
      {{"learning"}, false, true},
      {{"please"}, false},
      {{"hi"}, false},
      {{"hello"}, false},
      {{"hey"}, false},
      {{"so"}, false},
      {{"ok"}, false},
      {{"okay"}, false},
  };
  return all;
}

bool starts_with_words(const std::vector<std::string>& words, std::size_t at,
                       const std::vector<std::string_view>& phrase) {
  if (words.size() - at < phrase.size()) return false;
  for (std::size_t k = 0; k < phrase.size(); ++k) {
    if (bare(words[at + k]) != phrase[k]) return false;
  }
  return true;
}

constexpr std::array<std::string_view, 24> kSmallWords{
    "a",  "an", "the",  "and",  "but", "or", "nor", "for", "of",  "in",   "on",   "at",
    "to", "by", "with", "from", "as",  "vs", "vs.", "via", "per", "into", "over", "than"};

// Capitalises the first letter of each hyphen-joined piece: "cash-flow" -> "Cash-Flow".
std::string capitalize_pieces(std::string_view word) {
  std::string out(word);
  bool start = true;
  for (char& c : out) {
    if (start && is_ascii_lower(c)) c = to_upper(c);
    if (c == '-' || c == '/') {
      start = true;
    } else if (!(c == '(' || c == '"' || c == '\'')) {
      start = false;
    }
  }
  return out;
}

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

int vowel_groups(std::string_view word) {
  int groups = 0;
  bool in_group = false;
  for (const char c : word) {
    const bool v = is_vowel(c) || c == 'y';
    if (v && !in_group) ++groups;
    in_group = v;
  }
  return groups;
}

}  // namespace

std::string gerund(std::string_view verb) {
  std::string v(verb);
  if (v.empty()) return v;
  static constexpr std::array<std::string_view, 17> kDoubling{
      "program", "begin",  "refer",  "occur", "prefer", "control", "commit", "submit", "admit",
      "permit",  "regret", "forget", "upset", "equip",  "compel",  "rebel",  "patrol"};
  if (v == "be") return "being";
  if (v.size() >= 3 && v.ends_with("ie")) return v.substr(0, v.size() - 2) + "ying";
  if (v.ends_with("ee") || v.ends_with("ye") || v.ends_with("oe")) return v + "ing";
  if (v.size() > 2 && v.back() == 'e') return v.substr(0, v.size() - 1) + "ing";
  if (one_of(v, kDoubling)) return v + v.back() + "ing";
  // One syllable ending consonant-vowel-consonant doubles: run -> running, plan -> planning.
  const std::size_t n = v.size();
  if (n >= 3 && vowel_groups(v) == 1 && !is_vowel(v[n - 1]) && v[n - 1] != 'w' && v[n - 1] != 'x' &&
      v[n - 1] != 'y' && is_vowel(v[n - 2]) && !is_vowel(v[n - 3])) {
    return v + v.back() + "ing";
  }
  return v + "ing";
}

std::string title_case(std::string_view text) {
  auto words = split_words(text);
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string& word = words[i];
    if (has_upper(word)) continue;
    const bool edge = i == 0 || i + 1 == words.size();
    if (!edge && one_of(bare(word), kSmallWords)) continue;
    word = capitalize_pieces(word);
  }
  return join_words(words);
}

namespace {

constexpr std::size_t kMaxTitle = 80;

// Words a title never has (the learner speaking about themself).
constexpr std::array<std::string_view, 12> kFirstPerson{
    "i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll", "want", "we", "our"};

// Sentences that describe the learner rather than name the subject: "I have one hour", "I know
// some C", "I'm a Java developer".
const std::vector<std::vector<std::string_view>>& context_openers() {
  static const std::vector<std::vector<std::string_view>> all{
      {"i", "have"},    {"i've"},         {"i", "know"},   {"i", "already"}, {"i'm", "a"},
      {"i'm", "an"},    {"i", "am", "a"}, {"i", "am", "an"}, {"i'm", "new"}, {"i", "am", "new"},
      {"i'm", "familiar"}, {"i", "am", "familiar"}, {"i", "work"}, {"i", "used"}, {"my"},
      {"i", "only", "have"}, {"i", "can", "spend"}, {"i", "got"}, {"i'm", "comfortable"},
      {"i", "am", "comfortable"}, {"i", "understand"}, {"i", "use"}, {"i", "did"}};
  return all;
}

// Clauses after the subject that say why or what the learner knows: cut from there.
const std::vector<std::vector<std::string_view>>& trailing_clauses() {
  static const std::vector<std::vector<std::string_view>> all{
      {"so", "i"},      {"so", "that"},  {"so", "we"},   {"in", "order", "to"}, {"because"},
      {"since", "i"},   {"as", "i"},     {"given", "that"}, {"and", "i"},       {"but", "i"},
      {"which", "i"},   {"that", "i"},   {"i"},          {"i'm"},               {"i've"},
      {"i'd"},          {"to", "help"},  {"for", "my"},  {"for", "me"},         {"with", "my"},
      {"at", "my"},     {"me"},          {"my"},         {"starting", "from"},  {"coming", "from"}};
  return all;
}

// Learners named after "for a": "Python for a Java programmer" -> "Python for Java Programmers".
constexpr std::array<std::string_view, 10> kRoles{
    "programmer", "developer", "engineer", "beginner", "student",
    "analyst",    "scientist", "manager",  "designer", "teacher"};

constexpr std::array<std::string_view, 16> kTailWords{
    "a",  "an", "the", "and", "or", "of", "for", "to", "with", "in",
    "on", "at", "by",  "from", "about", "some"};

struct RequestSubject {
  std::vector<std::string> words;   // the subject, filler and clauses removed
  std::string known;                // a name the learner already knows ("C" from "I know some C")
};

std::size_t strip_greetings(const std::vector<std::string>& words) {
  static constexpr std::array<std::string_view, 7> kGreetings{"hi",   "hello", "hey", "so",
                                                              "ok",   "okay",  "well"};
  std::size_t at = 0;
  while (at < words.size() && one_of(bare(words[at]), kGreetings)) ++at;
  return at;
}

bool starts_with_any(const std::vector<std::string>& words, std::size_t at,
                     const std::vector<std::vector<std::string_view>>& phrases) {
  for (const auto& phrase : phrases) {
    if (starts_with_words(words, at, phrase)) return true;
  }
  return false;
}

// "I know some C" -> "C"; "" when the thing known is no single name.
std::string known_name(const std::vector<std::string>& words, std::size_t at) {
  std::size_t k = at;
  while (k < words.size() && bare(words[k]) != "know") ++k;
  if (k + 1 >= words.size()) return "";
  ++k;
  static constexpr std::array<std::string_view, 4> kSkip{"some", "a", "little", "basic"};
  while (k < words.size() && one_of(bare(words[k]), kSkip)) ++k;
  if (k + 1 != words.size()) return "";
  std::string name = words[k];
  while (!name.empty() && std::string_view(".,;:!?").find(name.back()) != std::string_view::npos)
    name.pop_back();
  if (name.empty() || !is_ascii_upper(name.front())) return "";
  return name;
}

// The first position in `words` from `from` on where a request's filler starts ("and want to
// learn …" inside "I'm a Java developer and want to learn Python"); npos when none.
std::size_t filler_inside(const std::vector<std::string>& words, std::size_t from) {
  static const std::vector<std::vector<std::string_view>> kStarts{
      {"want", "to"}, {"like", "to"}, {"need", "to"}, {"teach", "me"}, {"show", "me"},
      {"learn"}, {"help", "me"}};
  for (std::size_t i = from; i < words.size(); ++i) {
    if (starts_with_any(words, i, kStarts)) return i;
  }
  return std::string::npos;
}

RequestSubject read_request(std::string_view query) {
  RequestSubject subject;
  std::vector<std::string> chosen;
  for (const auto& sentence : request_sentences(query)) {
    auto words = split_words(sentence);
    const std::size_t at = strip_greetings(words);
    if (at < words.size() && starts_with_any(words, at, context_openers())) {
      if (subject.known.empty()) subject.known = known_name(words, at);
      const std::size_t inside = filler_inside(words, at + 1);
      if (inside == std::string::npos || !chosen.empty()) continue;
      words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(inside));
      if (bare(words.front()) == "want" || bare(words.front()) == "like" ||
          bare(words.front()) == "need") {
        words.insert(words.begin(), "i");
      }
    }
    if (chosen.empty() && at < words.size()) chosen = words;
  }
  // A colon introduces the parts the learner wants covered (read_request's topics): the subject
  // ends there.
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (!chosen[i].ends_with(":")) continue;
    chosen[i].pop_back();
    chosen.resize(i + 1);
    break;
  }
  subject.words = drop_time_phrases(chosen);
  return subject;
}

// Filler before the subject, clauses after it.
std::vector<std::string> subject_words(std::vector<std::string> words) {
  std::size_t at = 0;
  bool verb_follows = false;
  for (bool stripped = true; stripped && at < words.size();) {
    stripped = false;
    for (const Filler& filler : fillers()) {
      if (filler.only_after_filler && at == 0) continue;
      if (starts_with_words(words, at, filler.words)) {
        at += filler.words.size();
        verb_follows = filler.verb_follows;
        stripped = true;
        break;
      }
    }
  }
  words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(at));
  // "How does Git branching work" -> "How Git branching works": a title, not a question.
  if (words.size() > 3 && bare(words[0]) == "how" &&
      (bare(words[1]) == "does" || bare(words[1]) == "do")) {
    const bool singular = bare(words[1]) == "does";
    words.erase(words.begin() + 1);
    std::string last = trim_trailing_punctuation(words.back());
    if (singular && !last.empty() && is_ascii_lower(last.front())) last += "s";
    words.back() = last;
  }
  // "customise my zsh": the learner's own thing right after the verb is just the thing.
  if (words.size() > 2 && (bare(words[1]) == "my" || bare(words[1]) == "our")) words.erase(words.begin() + 1);
  for (std::size_t i = 1; i < words.size(); ++i) {
    if (starts_with_any(words, i, trailing_clauses())) {
      words.resize(i);
      break;
    }
  }
  // Trailing politeness and dangling small words add nothing to a title.
  while (!words.empty() && (bare(words.back()) == "please" || bare(words.back()).empty() ||
                            one_of(bare(words.back()), kTailWords))) {
    words.pop_back();
  }
  // Whatever first-person word is left ends the subject ("statistics for my job").
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (one_of(bare(words[i]), kFirstPerson)) {
      words.resize(i);
      while (!words.empty() && one_of(bare(words.back()), kTailWords)) words.pop_back();
      break;
    }
  }
  if (words.empty()) return words;
  if (verb_follows) {
    const std::string verb = bare(words.front());
    const bool plain_word = !verb.empty() && std::all_of(verb.begin(), verb.end(), [](char c) {
      return is_ascii_lower(c);
    }) && !has_upper(words.front());
    if (plain_word) words.front() = gerund(verb);
  }
  // "for a Java programmer" -> "for Java programmers".
  for (std::size_t i = 0; i + 2 < words.size(); ++i) {
    const std::string role = bare(words.back());
    if (bare(words[i]) == "for" && (bare(words[i + 1]) == "a" || bare(words[i + 1]) == "an") &&
        one_of(role, kRoles)) {
      words.erase(words.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      words.back() = trim_trailing_punctuation(words.back()) + "s";
      break;
    }
  }
  return words;
}

// A request's subject made a noun phrase fit for a title: a question becomes what it asks about
// ("how SQL transactions work" -> "SQL transactions"; "how people lie with charts" -> nothing, the
// topics name it), an order becomes an activity ("make plots" -> "making plots"), a clause or an
// aside after the head goes ("shell scripts that run as Git hooks" -> "shell scripts"), and a long
// phrase keeps its head before its first preposition ("value investing for a defensive investor"
// -> "value investing"), unless a name follows it ("with GNU Octave").
std::vector<std::string> noun_phrase(std::vector<std::string> words) {
  static constexpr std::array<std::string_view, 7> kQuestionWords{"how", "why", "what", "when",
                                                                  "where", "which", "who"};
  static constexpr std::array<std::string_view, 12> kAuxiliaries{
      "do", "does", "did", "is", "are", "was", "were", "can", "should", "would", "could", "will"};
  static constexpr std::array<std::string_view, 40> kClauseVerbs{
      "is",     "are",    "was",      "were",      "do",     "does",  "did",   "can",
      "work",   "works",  "interact", "interacts", "shape",  "shapes", "make", "makes",
      "lie",    "lies",   "fail",     "fails",     "help",   "helps", "happen", "happens",
      "matter", "matters", "change",  "changes",   "grow",   "grows", "behave", "behaves",
      "evolve", "evolves", "differ",  "differs",   "affect", "affects", "mean", "means"};
  static constexpr std::array<std::string_view, 26> kOrders{
      "make",     "run",      "write",   "build",     "create",    "use",     "set",
      "configure", "talk",    "become",  "get",       "plot",      "compute", "manage",
      "deploy",   "install",  "design",  "implement", "analyse",   "analyze", "automate",
      "customise", "customize", "embed", "administer", "package"};
  static constexpr std::array<std::string_view, 14> kClauseWords{
      "that", "which", "who", "before", "after", "while", "because", "so", "if", "whether",
      "when", "where", "including", "exported"};
  static constexpr std::array<std::string_view, 13> kPrepositions{
      "from", "with", "on", "in", "for", "to", "into", "using", "via", "at", "by", "as", "through"};
  if (words.empty()) return words;
  const std::string first_word = bare(words.front());
  if (first_word == "why") {
    words.clear();  // a why-question asks for reasons: its topics name the course
  } else if (one_of(bare(words.front()), kQuestionWords)) {
    std::vector<std::string> question_clause;  // "how vaccines work": the question word, subject, verb
    std::size_t at = 1;
    while (at < words.size() && one_of(bare(words[at]), kAuxiliaries)) ++at;
    words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(at));
    for (std::size_t i = 1; i < words.size(); ++i) {
      if (one_of(bare(words[i]), kClauseVerbs) || one_of(bare(words[i]), kAuxiliaries)) {
        if (i == 1) {
          question_clause = {first_word, words[0], trim_trailing_punctuation(words[1])};
        }
        words.resize(i);
        break;
      }
    }
    // One common word left ("people"): the question names no subject of its own; said as a
    // title it is the question's own clause ("How Vaccines Work").
    if (words.size() == 1 && !has_upper(words.front())) words = question_clause;
    if (words.size() == 1 && one_of(bare(words.front()), kQuestionWords)) words.clear();
  } else if (one_of(bare(words.front()), kOrders) && words.size() > 1) {
    words.front() = gerund(bare(words.front()));
  }
  // "backing up and restore a server" -> "backing up and restoring a server".
  static constexpr std::array<std::string_view, 12> kMoreVerbs{
      "restore", "upload", "debug", "test", "publish", "share", "maintain", "monitor", "tune",
      "secure", "back", "optimize"};
  for (std::size_t i = 1; i + 1 < words.size(); ++i) {
    if (bare(words[i]) != "and" || !words.front().ends_with("ing")) continue;
    const std::string verb = bare(words[i + 1]);
    if ((one_of(verb, kOrders) || one_of(verb, kMoreVerbs)) && !has_upper(words[i + 1]))
      words[i + 1] = gerund(verb);
  }
  for (std::size_t i = 1; i < words.size(); ++i) {
    if (one_of(bare(words[i]), kClauseWords) || words[i - 1].ends_with(",")) {
      words.resize(i);
      break;
    }
  }
  constexpr std::size_t kLongSubject = 5;
  if (words.size() > kLongSubject) {
    for (std::size_t i = 1; i + 1 < words.size(); ++i) {
      if (!one_of(bare(words[i]), kPrepositions)) continue;
      if (words[i - 1].ends_with("ing") && i == 1) continue;  // "talking to PostgreSQL"
      // "A Day in the Life of a Forager": a head with its article needs what follows.
      if (bare(words.front()) == "a" || bare(words.front()) == "an" || bare(words.front()) == "the") break;
      std::size_t next = i + 1;
      while (next < words.size() && one_of(bare(words[next]), kTailWords)) ++next;
      if (next < words.size() && has_upper(words[next])) continue;  // "with GNU Octave"
      words.resize(i);
      break;
    }
  }
  while (!words.empty() && one_of(bare(words.back()), kTailWords)) words.pop_back();
  return words;
}

std::string fit(std::string title) {
  title = trim_trailing_punctuation(std::move(title));
  if (title.size() > kMaxTitle) {
    const auto cut = title.rfind(' ', kMaxTitle);
    title = trim_trailing_punctuation(cut == std::string::npos ? utf8_prefix(title, kMaxTitle)
                                                               : title.substr(0, cut));
    auto ws = split_words(title);
    while (!ws.empty() && one_of(bare(ws.back()), kTailWords)) ws.pop_back();
    title = join_words(ws);
  }
  return title;
}

std::string subject_of(const RequestSubject& request) {
  auto words = noun_phrase(subject_words(request.words));
  // "teach me something": no subject at all.
  static constexpr std::array<std::string_view, 6> kNothing{"something", "anything", "stuff",
                                                           "things",    "everything", "it"};
  if (words.size() == 1 && one_of(bare(words.front()), kNothing)) words.clear();
  if (words.empty()) return "";
  // "I know some C. Show me pointers and structures": the known language places a subject that
  // names no language of its own.
  const bool names_something = std::any_of(words.begin(), words.end(), [](const std::string& w) {
    return has_upper(w) || bare(w).size() == 1;
  });
  if (!request.known.empty() && !names_something && request.known.size() <= 12) {
    words.push_back("in");
    words.push_back(request.known);
  }
  // Parentheses and quotes are no part of a title.
  std::string joined;
  for (const char c : join_words(words)) {
    if (std::string_view("()[]\"`").find(c) == std::string_view::npos) joined += c;
  }
  return fit(title_case(join_words(split_words(joined))));
}

// A title's content words, by their first letters: "backing" and "backup", "restore" and
// "restoring" name the same thing for the test whether an extra adds anything.
std::vector<std::string> content_words(std::string_view text) {
  constexpr std::size_t kSameWordPrefix = 4;
  std::vector<std::string> out;
  for (const auto& w : split_words(text)) {
    const std::string b = bare(w);
    if (!b.empty() && !one_of(b, kTailWords)) out.push_back(b.substr(0, kSameWordPrefix));
  }
  return out;
}

}  // namespace

std::string course_title_from_request(std::string_view query) {
  return subject_of(read_request(query));
}

std::string course_title(std::string_view query, const std::vector<std::string>& topic_titles,
                         const std::vector<std::string>& part_titles) {
  constexpr std::size_t kMaxExtraWords = 4;
  constexpr std::size_t kMaxExtraChars = 30;
  constexpr std::size_t kMaxExtras = 3;
  const RequestSubject request = read_request(query);
  std::string subject = subject_of(request);

  // Candidates after the colon: the request's own topics name the course best; the parts when it
  // names none.
  const auto usable = [](const std::string& title, bool topic) -> std::string {
    std::string heading = clean_heading(title);
    if (heading.empty()) return "";
    if (is_generic_heading(heading)) {
      if (!topic || ascii_lower(heading).find("basic") == std::string::npos) return "";
      heading = "The Basics";
    }
    if (heading.find_first_of(",:;()") != std::string::npos) return "";
    if (heading.find("\xE2\x80") != std::string::npos) return "";  // dashes, curly quotes
    const auto ws = split_words(heading);
    if (ws.size() > kMaxExtraWords || heading.size() > kMaxExtraChars) return "";
    const bool first_person = std::any_of(ws.begin(), ws.end(), [](const std::string& w) {
      return one_of(bare(w), kFirstPerson);
    });
    return first_person ? "" : title_case(heading);
  };
  std::vector<std::string> candidates;
  for (const auto& title : topic_titles) {
    if (std::string heading = usable(title, true); !heading.empty()) candidates.push_back(heading);
  }
  const bool from_topics = candidates.size() >= 2;
  if (!from_topics) {
    candidates.clear();
    for (const auto& title : part_titles) {
      if (std::string heading = usable(title, false); !heading.empty()) candidates.push_back(heading);
    }
  }
  const auto joined = [&](const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
      out += items[i];
    }
    return out;
  };
  // A question with no subject of its own ("How do people lie with charts, averages and biased
  // samples?"), or a subject that is only the first of the listed topics ("Rust's ownership,
  // borrowing and lifetimes"): the topics are the title.
  const bool question = subject.starts_with("How ") || subject.starts_with("What ");
  if (from_topics &&
      (subject.empty() || question || ascii_lower(subject) == ascii_lower(candidates.front()))) {
    std::vector<std::string> topics;
    for (const auto& candidate : candidates) {
      if (topics.size() == kMaxExtras + 1) break;
      auto trial = topics;
      trial.push_back(candidate);
      if (joined(trial).size() <= kMaxTitle) topics = std::move(trial);
    }
    return fit(joined(topics));
  }
  if (subject.empty()) {
    if (candidates.empty()) return "";
    subject = candidates.front();
    candidates.erase(candidates.begin());
  }

  // An extra adds information when some of its words are new to the title so far.
  std::vector<std::string> covered = content_words(subject);
  std::vector<std::string> extras;
  for (const auto& candidate : candidates) {
    if (extras.size() == kMaxExtras) break;
    const auto ws = content_words(candidate);
    const bool news = std::any_of(ws.begin(), ws.end(), [&](const std::string& w) {
      return std::find(covered.begin(), covered.end(), w) == covered.end();
    });
    if (!news) continue;
    // An item with its own "and" would blur the list.
    if (candidate.find(" and ") != std::string::npos && !extras.empty()) continue;
    if (!extras.empty() && extras.back().find(" and ") != std::string::npos) continue;
    auto trial = extras;
    trial.push_back(candidate);
    if (subject.size() + 2 + joined(trial).size() > kMaxTitle) continue;
    extras = std::move(trial);
    covered.insert(covered.end(), ws.begin(), ws.end());
  }
  std::string title = extras.empty() ? subject : subject + ": " + joined(extras);

  return fit(title);
}

namespace {

bool is_roman(std::string_view word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return c == 'I' || c == 'V' || c == 'X' || c == 'L' || c == 'C';
  });
}

bool is_dash_word(std::string_view word) {
  return word == "-" || word == "\xE2\x80\x93" || word == "\xE2\x80\x94" || word == ":" ||
         word == "." || word == "--";
}

// "36.", "36.9.", "3.2", "2.1", "A.1", "IV.", "17)": a book's numbering of its headings. A plain
// number ("1984 and After") or a number glued to letters ("3D Graphics") is part of the title.
bool is_numbering(std::string_view word, bool before_dash) {
  if (word.empty()) return false;
  std::string_view w = word;
  const bool closed = w.back() == '.' || w.back() == ':' || w.back() == ')';
  if (closed) w.remove_suffix(1);
  if (w.empty()) return false;
  if (is_roman(w)) return closed && w.size() <= 5;
  bool dotted = false;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const char c = w[i];
    if (c == '.') {
      dotted = true;
    } else if (!is_ascii_digit(c) && !(i == 0 && is_ascii_upper(c) && w.size() > 1 && w[1] == '.')) {
      return false;
    }
  }
  return closed || dotted || before_dash;
}

// Removes (…) and […] asides; an aside that is the whole title only loses its brackets.
std::string drop_asides(std::string_view text) {
  std::string out;
  int depth = 0;
  for (const char c : text) {
    if (c == '(' || c == '[') {
      ++depth;
    } else if (c == ')' || c == ']') {
      depth = std::max(0, depth - 1);
    } else if (depth == 0) {
      out += c;
    }
  }
  if (join_words(split_words(out)).empty()) {
    out.clear();
    for (const char c : text) {
      if (c != '(' && c != ')' && c != '[' && c != ']') out += c;
    }
  }
  return out;
}

// Backticks and quotation marks (straight and curly); apostrophes inside a word ("don't") or
// after one ("C++'s", "users'") stay.
std::string drop_quotes(std::string_view text) {
  std::string out;
  const auto letter = [&](std::size_t i) {
    return i < text.size() && (is_ascii_lower(text[i]) || is_ascii_upper(text[i]));
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '`' || c == '"') continue;
    if (text.compare(i, 2, "\xE2\x80") == 0 && i + 2 < text.size()) {
      const auto third = static_cast<unsigned char>(text[i + 2]);
      if (third == 0x9C || third == 0x9D || third == 0x98) {
        i += 2;
        continue;
      }
      if (third == 0x99) {  // ’: an apostrophe inside a word, else a closing quote
        if (i > 0 && letter(i - 1) && letter(i + 3)) {
          out += '\'';
        }
        i += 2;
        continue;
      }
    }
    if (c == '\'') {
      const bool inside = i > 0 && letter(i - 1) && letter(i + 1);
      const bool possessive = i > 0 && text[i - 1] != ' ' && i + 1 < text.size() &&
                              text[i + 1] == 's' && !letter(i + 2);
      if (!inside && !possessive) continue;
    }
    out += c;
  }
  return out;
}

std::string trim_heading_end(std::string text) {
  for (bool changed = true; changed;) {
    changed = false;
    text = trim_trailing_punctuation(std::move(text));
    for (const std::string_view tail : {"\xE2\x80\x93", "\xE2\x80\x94", "-"}) {
      if (text.ends_with(tail)) {
        text.resize(text.size() - tail.size());
        changed = true;
      }
    }
    while (!text.empty() && text.back() == ' ') {
      text.pop_back();
      changed = true;
    }
  }
  return text;
}

}  // namespace

std::string clean_heading(std::string_view text) {
  // Headings longer than this lose a trailing " — subtitle".
  constexpr std::size_t kMaxWithSubtitle = 50;
  std::string plain = drop_quotes(drop_asides(text));
  // A FAQ's question ends at its question mark; keywords may follow ("… in Perl? GUI Tk Wx").
  if (const auto q = plain.find("? "); q != std::string::npos && q > 0) plain.resize(q);
  auto ws = split_words(plain);
  // The book's reader asks in the first person; the course addresses its learner: "How do I
  // trap signals" -> "How to trap signals", "slow my program" -> "slow your program".
  for (std::size_t i = 0; i + 2 < ws.size(); ++i) {
    const std::string w0 = ascii_lower(ws[i]);
    const std::string w1 = ascii_lower(ws[i + 1]);
    if (w0 == "how" && (w1 == "do" || w1 == "can" || w1 == "should" || w1 == "would") &&
        ws[i + 2] == "I") {
      ws[i + 1] = "to";
      ws.erase(ws.begin() + static_cast<std::ptrdiff_t>(i) + 2);
    }
  }
  for (std::size_t i = 0; i < ws.size(); ++i) {
    const std::string w = bare(ws[i]);
    const std::string tail = ws[i].substr(std::min(ws[i].size(), ws[i].find_last_not_of(".,;:!?") + 1));
    if (ws[i] == "I" || ws[i].starts_with("I'") || ws[i].starts_with("I\xE2\x80\x99")) {
      ws[i] = w == "i'm" ? "you're" : w == "i've" ? "you've" : w == "i'd" ? "you'd" : w == "i'll" ? "you'll" : "you";
      if (i + 1 < ws.size() && ascii_lower(ws[i + 1]) == "am") ws[i + 1] = "are";
      if (i > 0 && ascii_lower(ws[i - 1]) == "am") ws[i - 1] = "are";
      ws[i] += tail;
    } else if (w == "me" || w == "myself") {
      ws[i] = (w == "me" ? "you" : "yourself") + tail;
    } else if (w == "my" || w == "mine") {
      ws[i] = (w == "my" ? "your" : "yours") + tail;
    }
  }
  // Leading numbering: "Chapter 3:", "Part II:", "36.9.", "2.1 –", "IV.".
  std::size_t at = 0;
  if (ws.size() > 1) {
    const std::string first = ascii_lower(ws[0]);
    if ((first == "chapter" || first == "part" || first == "section" || first == "appendix") &&
        ws.size() > 2) {
      std::string_view number = ws[1];
      if (number.ends_with(":") || number.ends_with(".")) number.remove_suffix(1);
      const bool numbered = !number.empty() &&
                            (std::all_of(number.begin(), number.end(),
                                         [](char c) { return is_ascii_digit(c) || c == '.'; }) ||
                             is_roman(number) || (number.size() == 1 && is_ascii_upper(number[0])));
      if (numbered) at = 2;
    } else if (is_numbering(ws[0], ws.size() > 2 && is_dash_word(ws[1]))) {
      at = 1;
    } else if (ws[0].size() <= 2 && std::all_of(ws[0].begin(), ws[0].end(), is_ascii_digit) &&
               is_ascii_upper(ws[1].front())) {
      at = 1;  // "3 Basic Shell Features", "21 Diagonal and Permutation Matrices" (not "1984 and After")
    }
    while (at > 0 && at < ws.size() && is_dash_word(ws[at])) ++at;
    if (at >= ws.size()) at = 0;
  }
  ws.erase(ws.begin(), ws.begin() + static_cast<std::ptrdiff_t>(at));
  std::string out = trim_heading_end(join_words(ws));
  // "ECPG — Embedded SQL in C" stays; a long heading keeps its head.
  for (const std::string_view dash : {" \xE2\x80\x94 ", " \xE2\x80\x93 ", " - "}) {
    const auto cut = out.find(dash);
    if (cut != std::string::npos && cut > 0 && out.size() > kMaxWithSubtitle) {
      out = trim_heading_end(out.substr(0, cut));
    }
  }
  // " - " would read as the separator before a time in the outline grammar.
  for (auto pos = out.find(" - "); pos != std::string::npos; pos = out.find(" - ", pos)) {
    out.replace(pos, 3, " \xE2\x80\x93 ");
  }
  if (!out.empty()) out[0] = to_upper(out[0]);
  return out;
}

bool is_generic_heading(std::string_view title) {
  static constexpr std::array<std::string_view, 20> kGeneric{
      "introduction", "overview",   "summary",         "conclusion",    "conclusions",
      "background",   "basics",     "review",          "preliminaries", "motivation",
      "examples",     "exercises",  "discussion",      "fundamentals",  "key ideas",
      "main ideas",   "the basics", "getting started", "wrap-up",       "recap"};
  return one_of(ascii_lower(trim_trailing_punctuation(trim(title))), kGeneric);
}

}  // namespace docprof::domain
