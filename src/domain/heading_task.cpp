#include "domain/heading_task.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "domain/course_plan_words.h"
#include "domain/text.h"

namespace docprof::domain {
namespace {

using words::join_words;
using words::one_of;
using words::split_words;

bool vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

// From the end: 1 = the last letter. '\0' before the start.
char back(std::string_view s, std::size_t k) {
  return k <= s.size() ? s[s.size() - k] : '\0';
}
bool consonant(char c) {
  return c >= 'a' && c <= 'z' && !vowel(c);
}

// Whether the base form of a verb whose -ing form is `stem` + "ing" ends in a silent e that the
// -ing form dropped ("configur" → "configure", "creat" → "create"; "fix", "edit", "read" keep none).
// English spelling rules by the stem's ending; errors fall on rare verbs.
bool drops_silent_e(std::string_view stem) {
  if (stem.size() < 2) return false;
  const char last = back(stem, 1);
  const char before = back(stem, 2);
  const char third = back(stem, 3);
  switch (last) {
    case 'v':
    case 'z':
    case 'u':  // continu(e), valu(e), queu(e), issu(e)
      return true;
    case 'c':  // produc(e), replac(e), balanc(e); but sync
      return !stem.ends_with("sync");
    case 'g':  // chang(e), merg(e), judg(e), manag(e); but bring, string
      return (before == 'n' && third == 'a') || before == 'r' || before == 'd' || before == 'l' ||
             before == 'a';
    case 's':  // us(e), clos(e), releas(e), pars(e), revers(e); but focus, process
      if (before == 's' || stem.ends_with("focus") || stem.ends_with("bias")) return false;
      return true;
    case 'l':  // handl(e), schedul(e), compil(e); but model, cancel, signal, control, fail
      if (consonant(before)) return before != 'l' && before != 'r' && before != 'w';
      return (before == 'u' || before == 'i') && consonant(third);
    case 't':
      if (before == 'a') return !vowel(third);  // creat(e) is an exception below; repeat, treat
      if (before == 'i') return stem.ends_with("writ") || stem.ends_with("cit") || stem.ends_with("vit") ||
                                stem.ends_with("unit") || stem.ends_with("ignit");
      if (before == 'u') {  // comput(e), execut(e); but input, output
        return consonant(third) && stem != "put" && !stem.ends_with("input") && !stem.ends_with("output");
      }
      if (before == 'o') {  // quot(e), promot(e), not(e); but reboot
        return (consonant(third) && !stem.ends_with("boot")) || stem.ends_with("quot");
      }
      if (before == 'e') return third == 'l' || stem.ends_with("compet");     // delet(e), complet(e)
      return false;
    case 'n':
      if (before == 'i') return !vowel(third);                     // defin(e), combin(e); but explain, join
      if (before == 'o' || before == 'u') return consonant(third);  // clon(e), tun(e); but own, open
      return false;
    case 'r':
      if (before == 'a' || before == 'i') {  // compar(e), requir(e), acquir(e); but clear, repair
        return consonant(third) || (before == 'i' && third == 'u');
      }
      if (before == 'u') return consonant(third);                   // configur(e), secur(e); but colour
      if (before == 'o') return consonant(third) && third != 'r' && consonant(back(stem, 4));  // stor(e), ignor(e); but monitor, mirror
      return false;
    case 'k':  // mak(e), invok(e), lik(e); but check, look, link, work, break
      return (before == 'a' || before == 'i' || before == 'o' || before == 'u') && !vowel(third) && third != '\0';
    case 'd':  // provid(e), includ(e), cod(e); but load, read, record, build, embed
      return (before == 'i' || before == 'u' || before == 'o' || before == 'a') && !vowel(third) && third != '\0';
    case 'm':  // nam(e), assum(e); but form, stream, claim
      return (before == 'a' || before == 'u' || before == 'o') && consonant(third);
    case 'p':  // typ(e), pip(e), escap(e); but help, loop, develop, group
      return (before == 'y' || before == 'i' || before == 'a') && consonant(third);
    default:
      return false;
  }
}

// Nouns that end in -ing (no gerunds): a heading opening with one names a thing.
constexpr std::array<std::string_view, 24> kIngNouns{
    "string",  "strings", "thing",   "things",   "nothing",   "something", "everything", "anything",
    "ceiling", "during",  "morning", "evening",  "sibling",   "spring",    "ring",       "king",
    "wing",    "swing",   "bring",   "offspring", "wedding",  "pudding",   "lightning",  "awning"};

bool is_gerund(std::string_view lower) {
  if (lower.size() < 5 || !lower.ends_with("ing") || one_of(lower, kIngNouns)) return false;
  const std::string_view stem = lower.substr(0, lower.size() - 3);
  bool has_vowel = false;
  for (const char c : stem) {
    if (!(c >= 'a' && c <= 'z') && c != '-') return false;
    has_vowel = has_vowel || vowel(c) || c == 'y';
  }
  return has_vowel;
}

// -ing words that name a field or act as adjectives: "Training data", "Missing values", "Working
// directory", "Floating point" name things.
constexpr std::array<std::string_view, 50> kIngModifiers{
    "missing",   "existing",  "following", "remaining",  "underlying", "corresponding", "leading",
    "pending",   "growing",   "rising",    "working",    "moving",     "upcoming",      "outstanding",
    "matching",  "trailing",  "floating",  "rounding",   "training",   "learning",      "accounting",
    "banking",   "pricing",   "networking", "threading", "streaming",  "timing",        "programming",
    "engineering", "computing", "misleading", "interesting", "surprising", "confusing", "promising",
    "challenging", "competing", "conflicting", "overlapping", "varying", "diminishing", "increasing",
    "decreasing", "emerging", "evolving", "sampling", "falling", "compounding", "operating", "spending"};

// Nouns that an -ing modifier qualifies ("Logging configuration", "Scheduling algorithms",
// "Debugging techniques"): after a gerund alone, they make the heading a thing.
constexpr std::array<std::string_view, 40> kQualifiedNouns{
    "techniques", "algorithms", "basics",    "strategies", "tools",      "methods",    "patterns",
    "concepts",   "principles", "configuration", "options", "settings",  "system",     "systems",
    "functions",  "statements", "rules",     "guidelines", "overview",   "practices",  "issues",
    "problems",   "considerations", "tips",  "utilities",  "commands",   "facilities", "mode",
    "modes",      "language",   "languages", "library",    "libraries",  "support",    "features",
    "details",    "output",     "levels",    "policies",   "blocks"};

std::string capitalised(std::string text) {
  if (!text.empty()) text[0] = words::to_upper(text[0]);
  return text;
}

// Title Case ("Structuring Deals", "Typesetting Text") undone: when every word of four letters or
// more opens with a capital, those without another capital (acronyms, names such as "iPhone")
// are lower-cased. Sentence-case headings keep their names ("using Git rebase").
std::vector<std::string> without_title_case(std::vector<std::string> ws) {
  bool title_case = true;
  int long_words = 0;
  for (const auto& w : ws) {
    if (w.size() < 4) continue;
    ++long_words;
    if (!words::is_ascii_upper(w[0])) title_case = false;
  }
  if (!title_case || long_words < 2) return ws;
  for (auto& w : ws) {
    const bool other_capital = std::any_of(w.begin() + 1, w.end(), [](char c) { return words::is_ascii_upper(c); });
    if (!other_capital) w = ascii_lower(w);
  }
  return ws;
}

// The first word lower-cased unless it is a name or an acronym ("Git", "API" keep theirs).
std::string lower_first_word(std::vector<std::string> ws) {
  if (!ws.empty() && !words::is_ascii_upper(ws[0].size() > 1 ? ws[0][1] : 'a')) ws[0] = ascii_lower(ws[0]);
  return join_words(ws);
}

std::string without_question_mark(std::string text) {
  while (!text.empty() && (text.back() == '?' || text.back() == '.' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

std::string base_of_gerund(std::string_view word) {
  const std::string lower = ascii_lower(word);
  if (lower.size() < 5 || !lower.ends_with("ing")) return lower;
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kExceptions{{
      {"being", "be"},        {"doing", "do"},          {"going", "go"},       {"seeing", "see"},
      {"adding", "add"},      {"tying", "tie"},         {"lying", "lie"},      {"dying", "die"},
      {"creating", "create"}, {"developing", "develop"}, {"visiting", "visit"}, {"editing", "edit"},
      {"limiting", "limit"},  {"exiting", "exit"},      {"auditing", "audit"}, {"inheriting", "inherit"},
      {"targeting", "target"}, {"budgeting", "budget"}, {"marketing", "market"}, {"pivoting", "pivot"},
      {"freeing", "free"},    {"agreeing", "agree"}}};
  for (const auto& [ing, base] : kExceptions) {
    if (lower == ing || (lower.ends_with(ing) && lower.size() > ing.size() && lower[lower.size() - ing.size() - 1] == '-')) {
      return lower.substr(0, lower.size() - ing.size()) + std::string(base);
    }
  }
  std::string stem = lower.substr(0, lower.size() - 3);
  const char last = back(stem, 1);
  // A doubled final consonant is the -ing form's: set(t)ing, commit(t)ing, debug(g)ing; not for
  // verbs that end doubled (install, pass, buzz, stuff).
  if (stem.size() >= 3 && last == back(stem, 2) && consonant(last) && last != 'l' && last != 's' && last != 'z' &&
      last != 'f') {
    stem.pop_back();
    return stem;
  }
  // British spelling doubles an l after e: modell(ing), cancell(ing), travell(ing); not tell, spell.
  if (stem.size() >= 6 && stem.ends_with("ell")) {
    stem.pop_back();
    return stem;
  }
  if (drops_silent_e(stem)) stem += 'e';
  return stem;
}

std::optional<HeadingTask> heading_task(std::string_view heading) {
  std::string text = trim(heading);
  // "How Git stores objects efficiently: pack files": the aside after a colon is no part of it.
  if (const auto colon = text.find(": "); colon != std::string::npos) text = trim(text.substr(0, colon));
  text = without_question_mark(std::move(text));
  std::vector<std::string> ws = without_title_case(split_words(text));
  if (ws.size() < 2) return std::nullopt;
  std::vector<std::string> lows;
  for (const auto& w : ws) lows.push_back(ascii_lower(w));

  // "How to undo a merge", "How do I undo a commit", "How can you …": a task.
  if (lows[0] == "how") {
    std::size_t rest = 0;
    if (lows[1] == "to") {
      rest = 2;
    } else if (ws.size() > 3 && one_of(lows[1], std::array<std::string_view, 4>{"do", "can", "should", "would"}) &&
               one_of(lows[2], std::array<std::string_view, 3>{"i", "you", "we"})) {
      rest = 3;
    }
    if (rest > 0) {
      if (ws.size() <= rest) return std::nullopt;
      std::vector<std::string> task(ws.begin() + static_cast<std::ptrdiff_t>(rest), ws.end());
      task[0] = ascii_lower(task[0]);
      return HeadingTask{HeadingTask::Kind::task, capitalised(join_words(task)), {}};
    }
  }
  // "How Git stores objects", "Why bisecting … can be harder", "What to do when a push fails".
  if (one_of(lows[0], std::array<std::string_view, 3>{"how", "why", "what"}) && ws.size() >= 3) {
    return HeadingTask{HeadingTask::Kind::question, lower_first_word(ws), {}};
  }

  if (!is_gerund(lows[0]) || one_of(lows[0], kIngModifiers)) return std::nullopt;
  // Gerunds joined by "or"/"and" ("Reordering or selecting from a patch series") go together.
  std::size_t object = 1;
  std::vector<std::string> verbs{base_of_gerund(lows[0])};
  std::vector<std::string> joiners;
  while (object + 1 < ws.size() && (lows[object] == "or" || lows[object] == "and") && is_gerund(lows[object + 1])) {
    joiners.push_back(lows[object]);
    verbs.push_back(base_of_gerund(lows[object + 1]));
    object += 2;
  }
  // "Padding and margins": a list of things.
  if (lows[object] == "and" || lows[object] == "or") return std::nullopt;
  const std::size_t object_words = ws.size() - object;
  // "Fixing mistakes", "Handling errors": a task; "Logging configuration", "Debugging techniques":
  // a thing.
  const bool verb_like =
      object_words >= 2 || (object_words == 1 && !one_of(lows[object], kQualifiedNouns));
  if (!verb_like) return std::nullopt;
  std::string imperative = verbs[0];
  for (std::size_t i = 1; i < verbs.size(); ++i) imperative += " " + joiners[i - 1] + " " + verbs[i];
  std::vector<std::string> rest(ws.begin() + static_cast<std::ptrdiff_t>(object), ws.end());
  // "Rewriting history and maintaining patch series": a later gerund after "and"/"or" is a verb too.
  for (std::size_t i = 1; i < rest.size(); ++i) {
    const std::string previous = ascii_lower(rest[i - 1]);
    const std::string word = ascii_lower(rest[i]);
    if ((previous == "and" || previous == "or") && is_gerund(word) && !one_of(word, kIngModifiers)) {
      rest[i] = base_of_gerund(word);
    }
  }
  std::vector<std::string> gerund_words = ws;
  gerund_words[0] = lows[0];
  return HeadingTask{HeadingTask::Kind::task, capitalised(imperative + " " + join_words(rest)),
                     join_words(gerund_words)};
}

}  // namespace docprof::domain
