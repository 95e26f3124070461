// Title rules of the course quality checker (see course_checker.h).
#include <algorithm>
#include <cctype>
#include <regex>
#include <utility>

#include "quality/checker_rules.h"
#include "quality/words.h"

namespace docprof::quality {

namespace {

constexpr std::size_t kMaxCourseTitle = 80;       // characters (code points)
constexpr std::size_t kMinRequestChunk = 4;       // words copied from the request in a row

// A title that copies the request reads as a fragment of it, not as a name, when the copy opens
// with a question word or an order ("How Do People Lie…", "Make Plots…", "Teach Me…"), or holds a
// clause or time word ("…That Run as Git Hooks…", "…So I Can…", "A Half-Hour Overview…"). The
// request's own noun phrases ("Basic Physics: Atoms, Energy Conservation and Gravitation") are a
// fine name.
const std::set<std::string, std::less<>> kFragmentOpeners = {
    "how", "why", "what", "when", "where", "which", "who", "do", "does", "can", "make", "run",
    "write", "build", "teach", "show", "help", "learn", "give", "tell", "explain", "want", "to",
    "get", "become", "understand", "use", "talk"};
const std::set<std::string, std::less<>> kClauseWords = {
    "that", "so", "because", "before", "after", "while", "whether", "is", "are", "am", "was",
    "were", "be", "do", "does", "did", "i", "me", "my", "can", "will", "they", "it", "hour",
    "hours", "half-hour", "minutes", "day", "days", "week", "weeks", "know", "want", "need"};
// A title cut short ends in a word that needs another after it.
const std::set<std::string, std::less<>> kDanglingEnds = {
    "a", "an", "the", "and", "or", "of", "to", "with", "for", "in", "on", "from", "by", "as",
    "they", "are", "is", "be", "that", "which", "some"};

const std::set<std::string, std::less<>> kFirstPerson = {"i",    "me",   "my",   "mine", "myself",
                                                         "i'm",  "i've", "i'd",  "i'll", "want"};

// UTF-8 code points of `text`.
std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Curly apostrophes and quotes as straight ones (one byte each), so positions compare simply.
std::string straighten(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "\xE2\x80") == 0 && i + 2 < text.size()) {
      const auto third = static_cast<unsigned char>(text[i + 2]);
      if (third == 0x98 || third == 0x99) {
        out.push_back('\'');
        i += 2;
        continue;
      }
      if (third == 0x9C || third == 0x9D) {
        out.push_back('"');
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::vector<std::string> first_person_words(const std::string& title) {
  std::vector<std::string> found;
  for (const auto& word : plain_words(straighten(title))) {
    if (kFirstPerson.count(lower(word)) != 0) found.push_back(word);
  }
  return found;
}

// The longest run of consecutive title words that occurs, in a row, in the request: where it
// starts in the title and how long it is.
std::pair<std::size_t, std::size_t> longest_request_run(const std::vector<std::string>& title,
                                                        const std::vector<std::string>& request) {
  std::size_t best = 0;
  std::size_t best_at = 0;
  for (std::size_t t = 0; t < title.size(); ++t) {
    for (std::size_t r = 0; r < request.size(); ++r) {
      std::size_t n = 0;
      while (t + n < title.size() && r + n < request.size() && title[t + n] == request[r + n]) ++n;
      if (n > best) {
        best = n;
        best_at = t;
      }
    }
  }
  return {best_at, best};
}

// Why a copied run of title words reads as a fragment of the request; "" when it does not.
std::string fragment_reason(const std::vector<std::string>& words, std::size_t at, std::size_t run) {
  if (at == 0 && kFragmentOpeners.count(words.front()) != 0)
    return "opens with " + in_quotes(words.front());
  for (std::size_t i = at; i < at + run; ++i) {
    if (kClauseWords.count(words[i]) != 0) return "holds the clause word " + in_quotes(words[i]);
  }
  return "";
}

std::vector<std::string> lower_words(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& w : plain_words(straighten(text))) out.push_back(lower(w));
  return out;
}

// A raw heading's number: "Chapter 3: …", "10.3. …", "2.2: …", "13. …", "4 – …" ("3D Graphics",
// "1984 and After" are no headings).
bool numbered_heading(const std::string& title) {
  static const std::regex heading(
      "^\\s*((chapter|part|section)\\s+\\d+|\\d+(\\.\\d+)+[.:)]?\\s|\\d+[.:)]\\s|"
      "\\d+\\s+(-|\xE2\x80\x93|\xE2\x80\x94)\\s|\\d{1,2}\\s+[A-Z])",
      std::regex::icase);
  return std::regex_search(title, heading);
}

// Markup debris and asides in a part or section title; empty when clean.
std::vector<std::string> debris(const std::string& title) {
  std::vector<std::string> found;
  const std::string t = straighten(title);
  const auto letter = [&](std::size_t i) {
    return i < t.size() && std::isalpha(static_cast<unsigned char>(t[i])) != 0;
  };
  if (t.find('`') != std::string::npos) found.push_back("a backtick");
  if (t.find('"') != std::string::npos) found.push_back("a quotation mark");
  for (std::size_t i = 0; i < t.size(); ++i) {
    const bool inside_word = i > 0 && letter(i - 1) && letter(i + 1);
    const bool possessive = i > 0 && t[i - 1] != ' ' && i + 1 < t.size() && t[i + 1] == 's' &&
                            !letter(i + 2);  // "C++'s"
    if (t[i] == '\'' && !inside_word && !possessive) {
      found.push_back("a single quotation mark");
      break;
    }
  }
  if (t.find_first_of("()[]") != std::string::npos) found.push_back("a parenthesised aside");
  if (numbered_heading(t)) found.push_back("the book's chapter number");
  const std::string trimmed = trim(title);
  if (!trimmed.empty() && std::string_view(".,;:!?-").find(trimmed.back()) != std::string::npos)
    found.push_back("trailing punctuation " + in_quotes(std::string(1, trimmed.back())));
  const auto ends = [&](std::string_view tail) {
    return trimmed.size() >= tail.size() &&
           trimmed.compare(trimmed.size() - tail.size(), tail.size(), tail) == 0;
  };
  if (ends("\xE2\x80\x93") || ends("\xE2\x80\x94")) found.push_back("a trailing dash");
  return found;
}

void check_course_title(const CheckScope& scope, Findings& out) {
  const std::string& title = scope.outline.title;
  for (const auto& word : first_person_words(title))
    out.push_back({"title.first_person",
                   "course title " + in_quotes(title) + " has the first-person word " + in_quotes(word)});

  std::vector<std::string> words = lower_words(title);
  if (!words.empty() && words.back() == "course") words.pop_back();
  const auto [at, run] = longest_request_run(words, lower_words(scope.outline.query));
  if (run >= kMinRequestChunk) {
    const std::string reason = fragment_reason(words, at, run);
    if (!reason.empty())
      out.push_back({"title.request_fragment", "course title " + in_quotes(title) + " copies " +
                                                   std::to_string(run) +
                                                   " consecutive words of the request and " + reason});
  }
  if (!words.empty() && kDanglingEnds.count(words.back()) != 0)
    out.push_back({"title.dangling", "course title " + in_quotes(title) + " ends in " +
                                         in_quotes(words.back()) + ", as if cut short"});
  if (code_points(title) > kMaxCourseTitle)
    out.push_back({"title.length", "course title " + in_quotes(title) + " is longer than " +
                                       std::to_string(kMaxCourseTitle) + " characters"});
  if (trim(title).empty()) out.push_back({"title.empty", "the course has no title"});
}

void check_title(const std::string& what, const std::string& title, Findings& out) {
  if (trim(title).empty()) {
    out.push_back({"title.empty", "a " + what + " has no title"});
    return;
  }
  for (const auto& word : first_person_words(title))
    out.push_back({"title.first_person",
                   what + " title " + in_quotes(title) + " has the first-person word " + in_quotes(word)});
  for (const auto& item : debris(title))
    out.push_back({"title.debris", what + " title " + in_quotes(title) + " has " + item});
}

}  // namespace

void check_titles(const CheckScope& scope, Findings& out) {
  check_course_title(scope, out);
  std::set<std::string> section_titles;
  for (const auto& part : scope.outline.parts) {
    check_title("part", part.title, out);
    for (const auto& section : part.sections) {
      check_title("section", section.title, out);
      if (!section_titles.insert(lower(trim(section.title))).second)
        out.push_back({"title.duplicate",
                       "two sections are titled " + in_quotes(section.title)});
    }
  }
}

}  // namespace docprof::quality
