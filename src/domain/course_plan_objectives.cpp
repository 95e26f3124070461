#include "domain/course_plan_objectives.h"

#include <algorithm>
#include <array>
#include <cstddef>

#include "domain/course_plan_title.h"
#include "domain/course_plan_words.h"
#include "domain/heading_task.h"
#include "domain/text.h"

namespace docprof::domain {
namespace {

using namespace words;

// Words that show a phrase is a clause or a fragment of one, not a noun phrase: auxiliaries,
// finite verbs the extractors leave on topics ("gnuplot supports", "functions written") and
// pronouns.
constexpr std::array<std::string_view, 52> kClauseWords{
    "is",       "are",    "was",     "were",    "be",       "been",      "being",   "am",
    "can",      "cannot", "could",   "will",    "would",    "shall",     "should",  "may",
    "might",    "must",   "has",     "have",    "had",      "do",        "does",    "did",
    "it",       "this",   "these",   "those",   "they",     "we",        "you",     "he",
    "she",      "i",      "there",   "which",   "who",      "supports",  "written", "used",
    "called",   "given",  "defined", "based",   "described", "shown",    "provides", "allows",
    "means",    "makes",  "draws",   "following"};

// Third-person verbs the extractors leave at a phrase's end ("vertical bars corresponds").
constexpr std::array<std::string_view, 32> kVerbForms{
    "corresponds", "specifies", "yields",   "encloses", "contains",  "occurs",    "includes",
    "requires",    "refers",    "represents", "becomes", "gives",    "takes",     "says",
    "gets",        "depends",   "consists", "lets",     "needs",     "causes",    "creates",
    "produces",    "prints",    "displays", "happens",  "exists",    "appears",   "behaves",
    "foo",         "bar",       "baz",      "etc"};

// Adjectives and adverbs a noun phrase does not end on ("behavior similar").
constexpr std::array<std::string_view, 14> kBadLast{
    "similar", "different", "available", "possible", "specific", "true",  "false",
    "above",   "below",     "same",      "such",     "own",      "again", "too"};

// Words too vague to be an objective's object on their own ("Explain example").
constexpr std::array<std::string_view, 109> kGeneric{
    "example",     "examples",   "updating",    "update",   "updates",     "use",
    "uses",        "usage",      "using",       "following", "information", "section",
    "sections",    "chapter",    "chapters",    "note",     "notes",       "way",
    "ways",        "thing",      "things",      "data",     "today",       "rest",
    "long",        "short",      "version",     "versions", "help",        "download",
    "figure",      "part",       "parts",       "case",     "cases",       "point",
    "points",      "number",     "numbers",     "time",     "times",       "introduction",
    "overview",    "summary",    "details",     "detail",   "other",       "others",
    "general",     "basic",      "basics",      "simple",   "new",         "first",
    "second",      "copyright",  "programming", "system",   "systems",     "problem",
    "problems",    "question",   "questions",   "reference", "manual",     "document",
    "documentation", "text",     "content",     "contents", "result",      "results",
    "work",        "works",      "list",        "kind",     "kinds",       "form",
    "people",      "person",     "description", "purpose",  "feature",     "features",
    "support",     "item",       "random",      "someday",  "beginning",   "topics",
    "various",     "appropriate", "current",    "resulting", "corresponding", "earlier",
    "later",       "possible",   "different",   "specific", "available",   "similar",
    "preliminaries", "fundamentals", "essentials", "concepts", "miscellaneous", "background",
    "remarks"};

// Words that open advice rather than name something ("use after-tax cost of debt").
constexpr std::array<std::string_view, 40> kImperatives{
    "use",    "keep",    "adjust",   "check",   "compare", "verify", "build",  "identify",
    "avoid",  "apply",   "write",    "make",    "choose",  "treat",  "start",  "prefer",
    "let",    "consider", "remember", "always", "never",   "don't",  "see",    "note",
    // Verbs a request's topics start with ("undo mistakes", "rewrite history", "parse ASN.1
    // definitions"): a task, not a thing to explain.
    "undo",   "rewrite", "parse",    "learn",   "understand", "configure", "implement", "deploy",
    "analyze", "analyse", "create",  "modify",  "convert", "validate", "install", "remove"};

constexpr std::array<std::string_view, 30> kQuantityWords{
    "rate",     "rates",    "ratio",    "ratios",   "cost",     "costs",       "value",
    "values",   "price",    "prices",   "premium",  "yield",    "growth",      "margin",
    "margins",  "multiple", "multiples", "probability", "probabilities", "variance", "mean",
    "average",  "median",   "deviation", "interest", "flow",    "flows",       "return",
    "returns",  "beta"};

// Objects a software manual configures, implements, writes or debugs.
constexpr std::array<std::string_view, 14> kConfigureCues{
    "config",   "configuration", "option",    "options",    "setting",  "settings",   "variable",
    "variables", "server",       "parameter", "parameters", "environment", "permissions", "locale"};
constexpr std::array<std::string_view, 12> kImplementCues{
    "function", "functions", "module",  "modules",   "class",     "classes",
    "method",   "methods",   "interface", "algorithm", "iterator", "handler"};
constexpr std::array<std::string_view, 10> kWriteCues{
    "script",  "scripts",  "query",    "queries",   "test",
    "tests",   "program",  "programs", "statement", "expression"};
constexpr std::array<std::string_view, 10> kDebugCues{
    "error", "errors",   "exception", "exceptions", "failure",
    "bug",   "bugs",     "conflict",  "conflicts",  "warning"};
constexpr std::array<std::string_view, 26> kToolCues{
    "command",  "commands", "file",     "files",     "package",   "packages", "branch",
    "branches", "repository", "repositories", "shell", "table",   "tables",   "index",
    "indexes",  "key",      "keys",     "tag",       "tags",      "commit",   "commits",
    "pointer",  "pointers", "macro",    "macros",    "loop"};

// Names that keep their capital inside an objective even when a title spells every word with one.
constexpr std::array<std::string_view, 34> kProperNames{
    "git",    "python", "java",   "bash",   "lua",     "perl",   "rust",     "erlang", "linux",
    "debian", "unix",   "windows", "postgresql", "vim", "emacs", "gnuplot", "octave", "maxima",
    "zsh",    "c",      "r",      "javascript", "ruby", "haskell", "lisp",  "scheme",   "apt",
    "gnu",    "posix",  "ecpg",   "libpq",  "sql",     "unicode", "english"};

bool letters_only(std::string_view word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return is_ascii_lower(c) || is_ascii_upper(c) || c == '-' || c == '+' || c == '#';
  });
}

bool any_word_in(const std::vector<std::string>& lower_words, auto const& list) {
  return std::any_of(lower_words.begin(), lower_words.end(),
                     [&](const std::string& w) { return one_of(w, list); });
}

// "PostgreSQL", "SQL", "iPhone": a capital after the first letter marks a name or acronym.
bool has_inner_capital(std::string_view word) {
  return word.size() > 1 && std::any_of(word.begin() + 1, word.end(), is_ascii_upper);
}

enum class Kind { plain, quantity, configure, implement, write, debug, tool, name };

struct Phrase {
  std::string text;  // as the objective spells it
  Kind kind = Kind::plain;
  std::size_t words = 0;
};

class Writer {
 public:
  explicit Writer(const ObjectiveInput& in) : in_(in) {
    section_ = clean_title(in.section_title);
    chapter_ = clean_title(in.chapter_title);
    for (const auto& title : {section_, chapter_}) {
      for (const auto& w : split_words(title)) title_words_.push_back(bare(w));
    }
    // Capitalised words inside the key concepts' sentences are names ("with Git", "in Lua"), and
    // acronyms there give the spelling of a topic's lower-case word ("usb key" -> "USB key").
    for (const auto& concept_text : in.key_concepts) {
      const auto ws = split_words(concept_text);
      for (std::size_t i = 1; i < ws.size(); ++i) {
        std::string w = ws[i];
        while (!w.empty() && !letters_only(w.substr(w.size() - 1))) w.pop_back();
        while (!w.empty() && !letters_only(w.substr(0, 1))) w.erase(w.begin());
        if (w.size() > 1 && letters_only(w) && is_ascii_upper(w.front())) spellings_.push_back(w);
      }
    }
  }

  std::vector<std::string> run() {
    const int wanted = std::clamp(in_.count, 2, 6);
    // The section's subsections that name tasks or questions first: the book's own words for what
    // to learn. A slot is left for the material when there are three or more.
    from_subsections(wanted >= 3 ? wanted - 1 : wanted);
    std::vector<Phrase> phrases = material_phrases();
    // More phrases than objectives: one objective compares two that share their head noun
    // ("local variables" and "global variable"), so more of the material is named and the verbs
    // vary; unrelated phrases are never compared.
    std::size_t pair_a = phrases.size();
    std::size_t pair_b = phrases.size();
    if (static_cast<int>(phrases.size()) > wanted && wanted >= 3) {
      for (std::size_t i = 0; i < phrases.size() && pair_a == phrases.size(); ++i) {
        for (std::size_t j = i + 1; j < phrases.size(); ++j) {
          if (same_head(phrases[i], phrases[j])) {
            pair_a = i;
            pair_b = j;
            break;
          }
        }
      }
    }
    const bool pair = pair_a < phrases.size();
    const int singles_wanted = pair ? wanted - 1 : wanted;
    for (std::size_t i = 0; i < phrases.size() && size() < singles_wanted; ++i) {
      if (i != pair_a && i != pair_b) single(phrases[i], static_cast<int>(i));
    }
    if (pair && size() < wanted) paired(phrases[pair_a], phrases[pair_b]);
    // A pair that collided with `used` leaves room for its phrases alone.
    for (const std::size_t i : {pair_a, pair_b}) {
      if (i < phrases.size() && size() < wanted) single(phrases[i], static_cast<int>(i));
    }
    // Thin material: objects from the titles, then the section as a whole.
    if (size() < wanted) from_titles(wanted);
    return out_;
  }

 private:
  int size() const { return static_cast<int>(out_.size()); }

  // A title as an object: numbering, markup and asides removed (clean_heading), then lower-cased
  // except for names.
  std::string clean_title(std::string_view title) const {
    std::string heading = clean_heading(title);
    // "ECPG — Embedded SQL in C": the head names the thing.
    for (const std::string_view dash : {" \xE2\x80\x94 ", " \xE2\x80\x93 ", ": "}) {
      const auto at = heading.find(dash);
      if (at != std::string::npos && at > 0) heading.resize(at);
    }
    return heading;
  }

  // How the material spells a word inside its sentences, when that is with capitals.
  std::string spelling(std::string_view word) const {
    const std::string low = ascii_lower(word);
    std::string best;
    for (const auto& s : spellings_) {
      if (ascii_lower(s) != low) continue;
      if (has_inner_capital(s)) return s;  // "USB", "PostgreSQL" over "Usb"
      if (best.empty() && s == word) best = s;
    }
    return best;
  }

  // Lower-cases words capitalised only for title or sentence case; names and acronyms keep (or
  // get) their capitals.
  // "Quetelet's average man", "Moore's law": a capitalised word with a possessive names someone;
  // a common word that only opens a sentence ("Today's markets") does not.
  static bool is_possessive_name(const std::string& stem, const std::string& rest) {
    static constexpr std::array<std::string_view, 12> kCommon{
        "today", "tomorrow", "yesterday", "world", "year", "people", "one", "everyone", "nature", "life",
        "company", "investor"};
    return rest == "'s" && stem.size() > 1 && is_ascii_upper(stem.front()) && !one_of(ascii_lower(stem), kCommon);
  }

  std::string as_object(const std::vector<std::string>& ws) const {
    std::vector<std::string> out;
    for (const auto& w : ws) {
      const auto apostrophe = w.find('\'');
      const std::string stem = w.substr(0, apostrophe);
      const std::string rest = apostrophe == std::string::npos ? "" : w.substr(apostrophe);
      const std::string low = ascii_lower(stem);
      std::string word;
      if (has_inner_capital(stem) || is_possessive_name(stem, rest)) {
        word = stem;
      } else if (one_of(low, kProperNames)) {
        // "git" the program reads as a name in a sentence: "Git"; acronyms in capitals.
        static constexpr std::array<std::string_view, 8> kAcronyms{"sql", "apt", "gnu", "posix",
                                                                   "ecpg", "c",  "r",   "zsh"};
        word = low;
        if (one_of(low, kAcronyms)) {
          for (char& c : word) c = to_upper(c);
        } else {
          word[0] = to_upper(word[0]);
        }
        if (low == "postgresql") word = "PostgreSQL";
        if (low == "javascript") word = "JavaScript";
      } else if (const std::string known = spelling(stem); !known.empty()) {
        word = known;
      } else {
        word = low;
      }
      out.push_back(word + rest);
    }
    return join_words(out);
  }

  // A topic or key concept as an object, or "" when it is no clean noun phrase.
  std::optional<Phrase> phrase_of(std::string_view raw, bool is_concept) const {
    const std::string text = join_words(split_words(trim_trailing_punctuation(trim(raw))));
    if (text.empty()) return std::nullopt;
    // Markup, code, addresses, lists and sentence punctuation.
    if (text.find_first_of("`\"[](){}<>@/\\=|#$%^*~;:,.!?_&") != std::string::npos) {
      return std::nullopt;
    }
    if (text.find("\xE2\x80") != std::string::npos || text.find("\xC2\xA7") != std::string::npos) {
      return std::nullopt;  // curly quotes, dashes, section signs
    }
    const auto ws = split_words(text);
    if (ws.empty() || ws.size() > 6) return std::nullopt;
    std::vector<std::string> lows;
    for (const auto& w : ws) {
      // An apostrophe only as a possessive ("Git's").
      const auto apostrophe = w.find('\'');
      if (apostrophe != std::string::npos && w.substr(apostrophe) != "'s") return std::nullopt;
      const std::string low = ascii_lower(apostrophe == std::string::npos ? w : w.substr(0, apostrophe));
      if (!letters_only(low)) return std::nullopt;  // digits, "arg1", "hsv2rgb"
      if (low.size() == 1 && low != "c" && low != "r") return std::nullopt;
      if (low.front() == '-' || low.back() == '-') return std::nullopt;
      if (one_of(low, kClauseWords)) return std::nullopt;
      lows.push_back(low);
    }
    static constexpr std::array<std::string_view, 14> kEdgeFunctionWords{
        "a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "with", "by", "from", "as"};
    if (one_of(lows.back(), kEdgeFunctionWords) || one_of(lows.back(), kBadLast)) return std::nullopt;
    for (const auto& low : lows) {
      // Verb forms and adverbs: "the error occurred", "operator specifies", "previously removed".
      const bool past = low.size() > 4 && low.ends_with("ed") && !low.ends_with("eed");
      if (past || (low.size() > 4 && low.ends_with("ly")) || one_of(low, kVerbForms)) {
        return std::nullopt;
      }
    }
    if (one_of(lows.front(), kEdgeFunctionWords) && lows.front() != "the") return std::nullopt;
    if (one_of(lows.front(), kImperatives)) return std::nullopt;
    // An article after anything but a preposition shows a verb before it ("unpack the archive").
    static constexpr std::array<std::string_view, 12> kPrepositions{
        "of", "in", "on", "for", "with", "by", "from", "to", "and", "or", "versus", "as"};
    for (std::size_t i = 1; i < lows.size(); ++i) {
      const bool article_word = lows[i] == "the" || lows[i] == "a" || lows[i] == "an";
      if (article_word && !one_of(lows[i - 1], kPrepositions)) return std::nullopt;
    }
    // A key concept is a sentence: as a noun phrase it must be short and start in lower case or
    // with a name ("Free cash flow" from sentence case is fine; "Otherwise it" is not).
    if (is_concept && ws.size() > 5) return std::nullopt;
    const bool all_generic = std::all_of(lows.begin(), lows.end(), [](const std::string& w) {
      return one_of(w, kGeneric) || one_of(w, kEdgeFunctionWords);
    });
    if (all_generic) return std::nullopt;
    if (ws.size() == 1) {
      // The book's subject alone ("Describe Git", "Describe R") is no objective of a section.
      for (const auto& w : split_words(in_.book_title)) {
        if (bare(w) == bare(ws[0])) return std::nullopt;
      }
      // A single word is a term of the section when its titles use it, or a long specific word.
      const bool in_title =
          std::find(title_words_.begin(), title_words_.end(), lows[0]) != title_words_.end();
      // Otherwise only words built as nouns ("recursion", "inheritance") are safe alone.
      static constexpr std::array<std::string_view, 10> kNounEndings{
          "tion", "sion", "ism", "ity", "ness", "ance", "ence", "ogy", "ics", "ment"};
      const bool noun = lows[0].size() >= 7 && std::any_of(kNounEndings.begin(), kNounEndings.end(),
                                                           [&](std::string_view e) {
                                                             return lows[0].ends_with(e);
                                                           });
      if (!in_title && (!noun || one_of(lows[0], kGeneric))) return std::nullopt;
    }
    // Pasted prose: a capitalised common word after the first ("Tables Are", "In the").
    for (std::size_t i = 1; i < ws.size(); ++i) {
      const std::string& w = ws[i];
      const bool capitalised_common = is_ascii_upper(w.front()) && !has_inner_capital(w) &&
                                      one_of(lows[i], kEdgeFunctionWords);
      if (capitalised_common) return std::nullopt;
    }
    Phrase phrase;
    phrase.words = ws.size();
    const bool proper = std::all_of(ws.begin(), ws.end(), [](const std::string& w) {
      return is_ascii_upper(w.front()) && std::any_of(w.begin(), w.end(), is_ascii_lower);
    });
    if (proper && ws.size() >= 2) {
      phrase.text = text;
      phrase.kind = Kind::name;
      return phrase;
    }
    // Sentence and title case are undone; names and acronyms keep their capitals.
    phrase.text = as_object(ws);
    if (any_word_in(lows, kDebugCues)) {
      phrase.kind = Kind::debug;
    } else if (any_word_in(lows, kConfigureCues)) {
      phrase.kind = Kind::configure;
    } else if (any_word_in(lows, kWriteCues)) {
      phrase.kind = Kind::write;
    } else if (any_word_in(lows, kImplementCues)) {
      phrase.kind = Kind::implement;
    } else if (any_word_in(lows, kToolCues)) {
      phrase.kind = Kind::tool;
    } else if (one_of(ascii_lower(head_word(phrase.text)), kQuantityWords)) {
      // A quantity is what the phrase is about ("cost of capital", "arithmetic mean"), not a word
      // of it ("Quetelet's average man").
      phrase.kind = Kind::quantity;
    }
    return phrase;
  }

  std::vector<Phrase> material_phrases() const {
    std::vector<Phrase> multi;
    std::vector<Phrase> single_words;
    std::vector<std::string> seen;
    const auto add = [&](const std::string& raw, bool is_concept) {
      auto phrase = phrase_of(raw, is_concept);
      if (!phrase) return;
      const std::string key = ascii_lower(phrase->text);
      // "opening long bracket" after "long bracket": a near repeat names nothing new.
      for (const auto& s : seen) {
        if (s == key || (key.size() > s.size() && key.ends_with(" " + s)) ||
            (s.size() > key.size() && s.ends_with(" " + key))) {
          return;
        }
      }
      seen.push_back(key);
      (phrase->words > 1 ? multi : single_words).push_back(std::move(*phrase));
    };
    // Subsections that name things ("Metatables and Metamethods") before the statistics' topics.
    // Their Title Case is undone ("Garbage Collection" is no name); acronyms and names keep theirs.
    for (const auto& s : in_.subsections) {
      if (!heading_task(s)) add(as_object(split_words(clean_heading(s))), false);
    }
    for (const auto& t : in_.topics) add(t, false);
    for (const auto& k : in_.key_concepts) add(k, true);
    // Multi-word noun phrases say more than single terms.
    multi.insert(multi.end(), single_words.begin(), single_words.end());
    return multi;
  }

  // "a function", "an index"; plurals go without.
  static std::string article(const std::string& object) {
    if (object.empty() || plural(object)) return object;
    const std::string first = ascii_lower(split_words(object).front());
    const char c = first.front();
    const bool vowel = c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
    return (vowel ? "an " : "a ") + object;
  }

  // "the double-slit experiment": a singular countable noun phrase of several words takes "the";
  // plurals, names, mass nouns ("pattern matching", "conditional probability") and single terms
  // ("closures") go without.
  static std::string with_the(const std::string& object) {
    const auto ws = split_words(object);
    if (ws.size() < 2 || plural(object)) return object;
    const std::string first = ascii_lower(ws.front());
    if (first == "the" || first == "a" || first == "an") return object;
    // "Git's object database" names its owner; "the gambler's fallacy" does not.
    if (ws.front().ends_with("'s") && is_ascii_upper(ws.front().front())) return object;
    const std::string last = ascii_lower(head_word(object));
    static constexpr std::array<std::string_view, 8> kMassEndings{
        "ing", "ity", "ism", "ness", "ics", "ation", "ance", "ence"};
    for (const auto ending : kMassEndings) {
      if (last.ends_with(ending)) return object;
    }
    return "the " + object;
  }

  // The noun a phrase is about: the word before its first preposition ("law" in "law of large
  // numbers", "cost" in "cost of capital"), else its last word.
  static std::string head_word(const std::string& object) {
    const auto ws = split_words(object);
    static constexpr std::array<std::string_view, 11> kHeadEnds{
        "of", "for", "in", "on", "with", "to", "from", "between", "under", "over", "versus"};
    for (std::size_t i = 1; i < ws.size(); ++i) {
      if (one_of(ascii_lower(ws[i]), kHeadEnds)) return ws[i - 1];
    }
    return ws.empty() ? std::string() : ws.back();
  }

  static bool plural(const std::string& object) {
    const std::string written = head_word(object);
    if (std::none_of(written.begin(), written.end(), is_ascii_lower)) return false;  // "TRS", "API"
    const std::string last = ascii_lower(written);
    return last.ends_with("s") && !last.ends_with("ss") && !last.ends_with("us") &&
           !last.ends_with("is");
  }

  // "Explain how the sample size relates to the law of large numbers": the object in the context
  // of its section (its chapter, when the section's title says nothing alone), when that title
  // names something else and is short; "" otherwise.
  std::string related(std::string_view verb, const std::string& t, const std::string& o) const {
    const std::string& title = is_generic_heading(section_) ? chapter_ : section_;
    const auto ws = split_words(title);
    constexpr std::size_t kMaxContextWords = 6;
    // One word ("Plot") is too little context to relate anything to; a title opening with a
    // preposition ("From Company Performance to Share Prices") is no noun to relate to.
    if (ws.size() < 2 || ws.size() > kMaxContextWords || is_generic_heading(title)) return "";
    static constexpr std::array<std::string_view, 10> kOpeningPrepositions{
        "from", "to", "in", "on", "of", "for", "with", "by", "about", "beyond"};
    if (one_of(ascii_lower(ws.front()), kOpeningPrepositions)) return "";
    std::vector<std::string> title_words;
    for (const auto& w : ws) title_words.push_back(bare(w));
    for (const auto& w : split_words(o)) {
      const std::string b = bare(w);
      // Sharing a word (not a small one) means the object is the section's own subject.
      if (b.size() > 3 && std::find(title_words.begin(), title_words.end(), b) != title_words.end()) return "";
      if (b.size() > 4 && std::any_of(title_words.begin(), title_words.end(), [&](const std::string& tw) {
            return tw.size() > 4 && tw.substr(0, 5) == b.substr(0, 5);
          }))
        return "";
    }
    if (title.find_first_of(",;:?") != std::string::npos) return "";
    static constexpr std::array<std::string_view, 5> kQuestionWords{"how", "why", "what", "when", "where"};
    if (one_of(title_words.front(), kQuestionWords)) return "";
    // "valuing companies with leases", "inflation and value": no article before a gerund or a list.
    const std::string context = as_object(ws);
    const bool bare_context = title_words.front().ends_with("ing") || context.find(" and ") != std::string::npos;
    return std::string(verb) + " how " + t + (plural(o) ? " relate to " : " relates to ") +
           (bare_context ? context : with_the(context));
  }

  // The wordings for one object at the depth; the rotation picks among them. Verbs fit the
  // object: Compute only quantities, Configure/Implement/Write/Debug only software things.
  std::vector<std::string> wordings(const Phrase& p) const {
    const std::string& o = p.text;
    // Quantities read as mass nouns ("Compute free cash flow") except the countable ones ("the
    // discount rate").
    static constexpr std::array<std::string_view, 13> kCountable{
        "rate",   "ratio", "premium", "multiple",  "margin",  "yield", "price",
        "value",  "mean",  "median",  "average",   "deviation", "variance"};
    const bool countable = one_of(ascii_lower(head_word(o)), kCountable);
    // A countable quantity takes "the" even alone ("Compute the median").
    const bool lone_countable = p.kind == Kind::quantity && countable && split_words(o).size() == 1 && !plural(o);
    const std::string t = p.kind == Kind::name || (p.kind == Kind::quantity && !countable) ? o
                          : lone_countable                                                  ? "the " + o
                                                                                            : with_the(o);
    const std::string works = plural(o) ? " work" : " works";
    const bool software = p.kind == Kind::configure || p.kind == Kind::implement ||
                          p.kind == Kind::write || p.kind == Kind::tool || p.kind == Kind::debug;
    switch (in_.depth) {
      case Depth::overview:
        if (p.kind == Kind::name) {
          return {"Describe the contribution of " + o, "Identify the role of " + o};
        }
        if (p.kind == Kind::quantity) return {"Explain " + t, "Identify what drives " + t};
        if (software) {
          return {"Describe " + t, "Explain the purpose of " + t, "Outline how " + t + works};
        }
        return {"Describe " + t, "Explain " + t, "Summarize the main ideas of " + t};
      case Depth::balanced:
        switch (p.kind) {
          case Kind::name:
            return {"Explain the role of " + o, "Describe the contribution of " + o};
          case Kind::quantity:
            return {"Compute " + t, "Interpret " + t, "Explain what drives " + t};
          case Kind::configure:
          case Kind::implement:
          case Kind::write:
          case Kind::tool:
            return {"Use " + t, "Explain how " + t + works, "Explain the purpose of " + t};
          case Kind::debug:
            return {"Explain the causes of " + t, "Interpret " + t};
          case Kind::plain: {
            std::string in_context = related("Explain", t, o);
            return {"Explain " + t, "Describe " + t, in_context.empty() ? "Interpret " + t : in_context};
          }
        }
        break;
      case Depth::technical:
        switch (p.kind) {
          case Kind::name:
            return {"Analyze the role of " + o};
          case Kind::quantity:
            return {"Compute " + t, "Analyze " + t};
          case Kind::configure:
            return {"Configure " + t, "Use " + t};
          case Kind::implement:
            return {"Implement " + article(o), "Use " + t};
          case Kind::write:
            return {"Write " + article(o), "Debug " + article(o)};
          case Kind::debug:
            return {"Diagnose " + t, "Debug " + t};
          case Kind::tool:
            return {"Use " + t, "Analyze how " + t + works};
          case Kind::plain: {
            std::string in_context = related("Analyze", t, o);
            if (in_context.empty()) return {"Analyze " + t, "Apply " + t + " to a problem of your own"};
            return {"Analyze " + t, in_context, "Apply " + t + " to a problem of your own"};
          }
        }
        break;
      case Depth::expert:
        switch (p.kind) {
          case Kind::name:
            return {"Evaluate the contribution of " + o, "Critique the work of " + o};
          case Kind::quantity:
            return {"Evaluate estimates of " + t, "Justify the assumptions behind " + t};
          case Kind::configure:
          case Kind::write:
          case Kind::tool:
            return {"Optimize " + t, "Evaluate the trade-offs of " + t};
          case Kind::implement:
            return {"Design " + article(o), "Evaluate the trade-offs of " + t};
          case Kind::debug:
            return {"Evaluate strategies for handling " + t, "Justify a fix for " + t};
          case Kind::plain:
            return {"Evaluate " + t, "Justify the use of " + t};
        }
        break;
    }
    return {"Explain " + t};
  }

  std::vector<std::string> pair_wordings(const Phrase& a, const Phrase& b) const {
    const std::string x = a.kind == Kind::name ? a.text : with_the(a.text);
    const std::string y = b.kind == Kind::name ? b.text : with_the(b.text);
    switch (in_.depth) {
      case Depth::overview:
        return {"Describe how " + x + " relates to " + y, "Identify " + x + " and " + y};
      case Depth::balanced:
        return {"Compare " + x + " and " + y, "Distinguish " + x + " from " + y};
      case Depth::technical:
        return {"Use " + x + " together with " + y, "Analyze how " + x + " and " + y + " interact"};
      case Depth::expert:
        return {"Evaluate the trade-offs between " + x + " and " + y,
                "Justify a choice between " + x + " and " + y};
    }
    return {"Compare " + x + " and " + y};
  }

  // Adds the first wording (from the rotation on) that is new to the course; true when one was.
  bool add_first_new(const std::vector<std::string>& options, int offset) {
    const int n = static_cast<int>(options.size());
    for (int k = 0; k < n; ++k) {
      const int at = ((in_.rotation + offset + k) % n + n) % n;
      if (add(options[static_cast<std::size_t>(at)])) return true;
    }
    return false;
  }

  bool add(const std::string& objective) {
    const std::string key = ascii_lower(objective);
    const auto ws = split_words(key);
    for (std::size_t i = 1; i < ws.size(); ++i) {
      if (ws[i] == ws[i - 1]) return false;  // "Use option option"
    }
    if (in_.used != nullptr && in_.used->count(key) != 0) return false;
    for (const auto& o : out_) {
      if (ascii_lower(o) == key) return false;
    }
    out_.push_back(objective);
    return true;
  }

  void single(const Phrase& p, int index) { add_first_new(wordings(p), index); }

  static bool same_head(const Phrase& a, const Phrase& b) {
    if (a.kind == Kind::name || b.kind == Kind::name || a.words < 2 || b.words < 2) return false;
    const auto singular = [](std::string w) {
      w = ascii_lower(w);
      if (w.ends_with("s") && !w.ends_with("ss")) w.pop_back();
      return w;
    };
    const auto wa = split_words(a.text);
    const auto wb = split_words(b.text);
    return singular(wa.back()) == singular(wb.back()) &&
           ascii_lower(a.text).find(ascii_lower(b.text)) == std::string::npos &&
           ascii_lower(b.text).find(ascii_lower(a.text)) == std::string::npos;
  }

  bool paired(const Phrase& a, const Phrase& b) {
    if ((a.kind == Kind::name) != (b.kind == Kind::name)) return false;
    return add_first_new(pair_wordings(a, b), 0);
  }

  // Objectives from the subsection titles that name a task or a question, at most `limit`, spread
  // over the section when it has more.
  void from_subsections(int limit) {
    std::vector<HeadingTask> tasks;
    for (const auto& s : in_.subsections) {
      if (auto task = heading_task(s)) tasks.push_back(std::move(*task));
    }
    const std::size_t n = tasks.size();
    const std::size_t k = std::min(n, static_cast<std::size_t>(std::max(limit, 0)));
    for (std::size_t i = 0; i < k && size() < limit; ++i) {
      const std::string wording = task_wording(tasks[i * n / k]);
      if (!wording.empty() && add(wording)) ++subsection_tasks_;
    }
  }

  // A task in the imperative when its verb is one of the depth's ("Use interactive rebases",
  // "Configure remote-tracking branches" at technical depth); else with one of them ("Explain how
  // to fix a mistake with a new commit", "Apply the steps to …", "Evaluate approaches to …").
  // A question is explained (analysed, evaluated). "" when the heading's words cannot stand in an
  // objective (markup, code such as "read.table()").
  std::string task_wording(const HeadingTask& task) const {
    if (task.text.find_first_of("`\"[](){}<>@/=;:.?!") != std::string::npos) return "";
    if (task.kind == HeadingTask::Kind::question) {
      switch (in_.depth) {
        case Depth::overview:
        case Depth::balanced:
          return "Explain " + task.text;
        case Depth::technical:
          return "Analyze " + task.text;
        case Depth::expert:
          return "Evaluate " + task.text;
      }
    }
    const std::string lowered = ascii_lower(task.text.substr(0, 1)) + task.text.substr(1);
    const std::string verb = split_words(task.text).front();
    const auto& verbs = objective_verbs(in_.depth);
    if (in_.depth != Depth::expert && std::find(verbs.begin(), verbs.end(), verb) != verbs.end()) return task.text;
    switch (in_.depth) {
      case Depth::overview:
      case Depth::balanced:
        return "Explain how to " + lowered;
      case Depth::technical:
        return "Apply the steps to " + lowered;
      case Depth::expert:
        return task.gerund.empty() ? "Evaluate ways to " + lowered : "Evaluate approaches to " + task.gerund;
    }
    return task.text;
  }

  // "Explain when to …": a second objective for a section whose only material is its task.
  std::string when_wording(const HeadingTask& task) const {
    const std::string lowered = ascii_lower(task.text.substr(0, 1)) + task.text.substr(1);
    switch (in_.depth) {
      case Depth::overview:
      case Depth::balanced:
        return "Explain when to " + lowered;
      case Depth::technical:
        return "Analyze when to " + lowered;
      case Depth::expert:
        return "Justify when to " + lowered;
    }
    return "";
  }

  void from_titles(int wanted) {
    // A title that names a task ("Rewriting a single commit", "Fixing mistakes") is one — unless
    // the section's subsections already name its tasks — and, when that is all there is, when
    // to do it is another.
    // The chapter's title only stands in for a generic section title ("Examples"): a chapter's
    // task ("Developing with Git") is too broad for one of its sections.
    const std::string& task_title = is_generic_heading(section_) ? in_.chapter_title : in_.section_title;
    std::string when_to;  // "Explain when to …", should the section still have fewer than two
    if (size() < wanted && subsection_tasks_ == 0 && !is_generic_heading(task_title)) {
      const auto task = heading_task(clean_heading(task_title));
      if (task && !task_wording(*task).empty()) {
        add(task_wording(*task));
        if (task->kind == HeadingTask::Kind::task) when_to = when_wording(*task);
      }
    }
    std::vector<std::string> objects;
    for (const auto& title : {section_, chapter_}) {
      // A task is no thing to explain the main ideas of ("developing with Git"), nor are generic
      // words alone ("Introduction and preliminaries").
      if (title.empty() || is_generic_heading(title) || heading_task(title)) continue;
      static constexpr std::array<std::string_view, 8> kJoiners{"and", "of", "the", "a", "an", "to", "in", "for"};
      const auto title_words = split_words(ascii_lower(title));
      if (std::all_of(title_words.begin(), title_words.end(), [](const std::string& w) {
            return one_of(bare(w), kGeneric) || one_of(bare(w), kJoiners);
          })) {
        continue;
      }
      // A question or a long or marked-up title is no object ("How to strip blank space from …").
      const auto ws = split_words(title);
      static constexpr std::array<std::string_view, 9> kQuestionWords{
          "how", "what", "why", "when", "where", "which", "who", "can", "is"};
      if (ws.size() > 6 || one_of(ascii_lower(ws.front()), kQuestionWords) ||
          title.find_first_of("/\\=<>@$#&;?") != std::string::npos) {
        continue;
      }
      if (ws.size() == 1 && one_of(ascii_lower(ws.front()), kGeneric)) continue;
      const std::string object = as_object(split_words(title));
      if (std::find(objects.begin(), objects.end(), object) == objects.end())
        objects.push_back(object);
    }
    // One wording per title in turn, so section and chapter both get named before either twice.
    std::vector<std::vector<std::string>> per_title;
    for (const auto& o : objects) {
      // A title of one word ("Perlfaq1") is no subject to explain on its own.
      const bool one_word = split_words(o).size() < 2;
      switch (in_.depth) {
        // The title's subject itself first ("Explain the R environment"); frames such as "the
        // main ideas of" only when more is needed.
        case Depth::overview:
          per_title.push_back({one_word ? "Summarize the main ideas of " + o : "Describe " + with_the(o),
                             "Summarize the main ideas of " + o,
                             "Outline the key points of " + o});
          break;
        case Depth::balanced:
          per_title.push_back({one_word ? "Explain the main ideas of " + o : "Explain " + with_the(o),
                             "Describe the key points of " + o,
                             "Describe the purpose of " + o});
          break;
        case Depth::technical:
          per_title.push_back({one_word ? "Analyze the main ideas of " + o : "Analyze " + with_the(o),
                             "Apply the techniques of " + o,
                             "Apply " + o + " to a task of your own"});
          break;
        case Depth::expert:
          per_title.push_back({one_word ? "Evaluate the main ideas of " + o : "Evaluate " + with_the(o),
                             "Justify the design choices behind " + o,
                             "Critique the approach of " + o});
          break;
      }
    }
    // One wording per title; more of these frames only while the section has fewer than two.
    for (std::size_t k = 0; k < 3; ++k) {
      for (const auto& list : per_title) {
        if (size() < (k == 0 ? wanted : 2)) add(list[k]);
      }
      if (k == 0 && size() < 2 && !when_to.empty()) add(when_to);
    }
    if (size() < 2 && !when_to.empty()) add(when_to);
    // Nothing to name: the section as a whole.
    if (size() < 2 && (!section_.empty() || !chapter_.empty() || !in_.topics.empty() ||
                       !in_.key_concepts.empty())) {
      // "this section" first; then the section and chapter by name (even generic or question
      // titles, markup removed) so that sections of a course do not collide in `used`.
      std::vector<std::string> scopes{"this section"};
      for (const auto& [raw, noun] : {std::pair{in_.section_title, "the section on "},
                                      std::pair{in_.chapter_title, "the chapter on "}}) {
        std::string plain;
        for (const char c : clean_heading(raw)) {
          plain += std::string_view("/\\=<>@$#&;?:,.!\"'`").find(c) == std::string_view::npos
                       ? std::string(1, c)
                       : std::string(" ");
        }
        plain = join_words(split_words(plain));
        if (!plain.empty()) scopes.push_back(noun + as_object(split_words(plain)));
      }
      for (const auto& scope : scopes) {
        std::vector<std::string> options;
        switch (in_.depth) {
          case Depth::overview:
            options = {"Summarize the key points of " + scope,
                       "Identify the main terms of " + scope};
            break;
          case Depth::balanced:
            options = {"Explain the key points of " + scope,
                       "Apply the key points of " + scope + " in practice"};
            break;
          case Depth::technical:
            options = {"Analyze the key points of " + scope,
                       "Use the key points of " + scope + " in practice"};
            break;
          case Depth::expert:
            options = {"Evaluate the key claims of " + scope,
                       "Critique the key claims of " + scope};
            break;
        }
        for (const auto& option : options) {
          if (size() < 2) add(option);
        }
      }
    }
  }

  const ObjectiveInput& in_;
  int subsection_tasks_ = 0;  // objectives written from subsections that name tasks
  std::string section_;
  std::string chapter_;
  std::vector<std::string> title_words_;
  std::vector<std::string> spellings_;
  std::vector<std::string> out_;
};

}  // namespace

const std::vector<std::string_view>& objective_verbs(Depth depth) {
  static const std::vector<std::string_view> overview{"Identify", "Describe", "Explain",
                                                      "Summarize", "Outline"};
  static const std::vector<std::string_view> balanced{"Explain", "Use",         "Apply",
                                                      "Compare", "Interpret",   "Distinguish",
                                                      "Compute", "Describe"};
  static const std::vector<std::string_view> technical{"Configure", "Implement", "Diagnose",
                                                       "Analyze",   "Write",     "Debug",
                                                       "Use",       "Build",     "Apply",
                                                       "Compute"};
  static const std::vector<std::string_view> expert{"Design", "Evaluate", "Optimize", "Critique",
                                                    "Justify"};
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

std::vector<std::string> write_objectives(const ObjectiveInput& in) {
  return Writer(in).run();
}

std::vector<std::string> build_objectives(const std::vector<std::string>& topics,
                                          const std::vector<std::string>& key_concepts, Depth depth,
                                          int count, int rotation) {
  ObjectiveInput in;
  in.topics = topics;
  in.key_concepts = key_concepts;
  in.depth = depth;
  in.count = count;
  in.rotation = rotation;
  return write_objectives(in);
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
