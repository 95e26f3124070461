#include "domain/course_plan_request.h"

#include <algorithm>
#include <array>

#include "domain/course_plan_words.h"
#include "domain/text.h"

namespace docprof::domain {
namespace {

using namespace words;

// Words that carry no topic of their own when they make up a whole piece of a request.
constexpr std::array<std::string_view, 63> kFiller{
    "i",       "me",        "my",       "want",     "to",     "learn",     "learning", "teach",
    "show",    "help",      "how",      "the",      "a",      "an",        "some",     "and",
    "of",      "in",        "on",       "about",    "for",    "with",      "please",   "course",
    "become",  "better",    "get",      "good",     "at",     "can",       "so",       "that",
    "explain", "explained", "simply",   "basics",   "basic",  "need",      "would",    "like",
    "know",    "understand", "study",   "master",   "hours",  "hour",      "minutes",  "quick",
    "intro",   "introduction", "have",  "one",      "two",    "three",     "is",       "are",
    "do",      "does",      "why",      "what",     "be",     "it",        "its"};

bool is_filler(std::string_view word) {
  return one_of(bare(word), kFiller);
}

bool has_content(const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(), [](const std::string& w) {
    const std::string b = bare(w);
    // One capital letter is a language's name (C, R), not noise.
    const bool letter_name = b.size() == 1 && w.find_first_of("CDFJR") != std::string::npos;
    return (b.size() > 1 || letter_name) && !is_filler(b);
  });
}

constexpr std::array<std::string_view, 14> kTimeUnits{"hour", "hours", "hr", "hrs", "h", "minute", "minutes",
                                                      "min", "mins", "day", "days", "week", "weeks", "weekend"};
constexpr std::array<std::string_view, 14> kCounts{"a", "an", "one", "two", "three", "four", "five", "six",
                                                   "seven", "eight", "ten", "twelve", "half", "few"};

bool is_count(std::string_view word) {
  if (one_of(word, kCounts)) return true;
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) { return is_ascii_digit(c) || c == '.'; });
}

// "in 6 hours", "within two days", "a 2-hour", "over a weekend": no topic.
std::string drop_time_phrases(const std::string& sentence) {
  std::vector<std::string> words = split_words(sentence);
  std::vector<bool> drop(words.size(), false);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string b = bare(words[i]);
    std::size_t unit = words.size();
    if (one_of(b, kTimeUnits) && i > 0 && is_count(bare(words[i - 1]))) unit = i;
    const auto dash = b.find('-');
    if (dash != std::string::npos && is_count(b.substr(0, dash)) && one_of(b.substr(dash + 1), kTimeUnits)) unit = i;
    if (unit == words.size()) continue;
    std::size_t begin = unit;
    while (begin > 0 && (is_count(bare(words[begin - 1])) || bare(words[begin - 1]) == "in" ||
                         bare(words[begin - 1]) == "within" || bare(words[begin - 1]) == "over")) {
      --begin;
    }
    for (std::size_t k = begin; k <= unit; ++k) drop[k] = true;
  }
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (!drop[i]) kept.push_back(words[i]);
  }
  return join_words(kept);
}

// Lower-cases and splits the query into sentences.
std::vector<std::string> sentences_of(std::string_view query) {
  std::vector<std::string> out;
  std::string current;
  for (const char c : query) {
    if (c == '.' || c == '?' || c == '!' || c == ';' || c == '\n') {
      if (!trim(current).empty()) out.push_back(trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!trim(current).empty()) out.push_back(trim(current));
  return out;
}

// "I already know some statistics", "I know some Python and want to learn C", "for a Java
// programmer", "I'm familiar with SQL": the subject the learner already knows, and the sentence
// without that clause.
std::string take_prior_knowledge(std::string sentence, std::vector<std::string>& prior) {
  const std::string lower = ascii_lower(sentence);
  static constexpr std::array<std::string_view, 9> kLeads{
      "i already know some ", "i already know ",         "i know some ",
      "i know ",              "i'm familiar with ",      "i am familiar with ",
      "i have experience with ", "i've used ",            "i already use "};
  for (const auto lead : kLeads) {
    const auto at = lower.find(lead);
    if (at == std::string::npos) continue;
    const std::size_t begin = at + lead.size();
    // The subject runs to the next clause: " and ", ",", " but ".
    std::size_t end = lower.size();
    for (const std::string_view stop : {" and ", ",", " but ", " so "}) {
      const auto p = lower.find(stop, begin);
      if (p != std::string::npos) end = std::min(end, p);
    }
    std::string subject = trim(sentence.substr(begin, end - begin));
    if (!subject.empty() && has_content(split_words(subject))) prior.push_back(subject);
    sentence = trim(sentence.substr(0, at) + " " + sentence.substr(end));
    return sentence;
  }
  // "Python for a Java programmer", "C++ for C programmers"
  for (const std::string_view lead : {" for a ", " for an ", " for "}) {
    const auto at = lower.find(lead);
    if (at == std::string::npos) continue;
    const std::size_t begin = at + lead.size();
    const auto programmer = lower.find(" programmer", begin);
    if (programmer == std::string::npos || programmer - begin > 20) continue;
    std::string subject = trim(sentence.substr(begin, programmer - begin));
    if (!subject.empty()) prior.push_back(subject);
    std::size_t end = programmer + std::string_view(" programmer").size();
    if (end < lower.size() && lower[end] == 's') ++end;
    sentence = trim(sentence.substr(0, at) + " " + sentence.substr(end));
    return sentence;
  }
  return sentence;
}

// Cuts a clause into topic pieces at list separators.
void split_pieces(const std::string& clause, std::vector<std::string>& pieces, bool& ordered) {
  std::vector<std::string> words = split_words(clause);
  std::string current;
  const auto flush = [&] {
    if (!trim(current).empty()) pieces.push_back(trim(current));
    current.clear();
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string w = words[i];
    const bool comma = !w.empty() && (w.back() == ',' || w.back() == ':');
    if (comma) w.pop_back();
    const std::string b = bare(w);
    if (b == "then" || b == "and" || b == "from" || b == "to" || b == "including" || b == "or" ||
        b == "plus" || b == "especially") {
      if (b == "then") ordered = true;
      if (b == "from") ordered = true;
      // "how to", "want to", "able to": not a separator before a verb phrase
      if (b == "to" && (trim(current).empty() || is_filler(bare(words[i - 1])))) {
        current += ' ' + w;
        continue;
      }
      flush();
      continue;
    }
    if (b == "such" && i + 1 < words.size() && bare(words[i + 1]) == "as") {
      flush();
      ++i;
      continue;
    }
    current += ' ' + w;
    if (comma) flush();
  }
  flush();
}

// Leading and trailing filler words off a piece ("the basics of git" keeps "git").
std::string strip_filler(const std::string& piece) {
  std::vector<std::string> words = split_words(piece);
  std::size_t begin = 0;
  std::size_t end = words.size();
  while (begin < end && is_filler(words[begin])) ++begin;
  while (end > begin && is_filler(words[end - 1])) --end;
  std::vector<std::string> kept(words.begin() + static_cast<std::ptrdiff_t>(begin),
                                words.begin() + static_cast<std::ptrdiff_t>(end));
  return trim_trailing_punctuation(join_words(kept));
}

bool mentions_project(const std::string& lower) {
  for (const std::string_view cue : {"project", "capstone", "build a ", "build an ", "write a ", "make a "}) {
    if (lower.find(cue) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

RequestReading read_request(std::string_view query) {
  RequestReading reading;
  std::vector<std::string> pieces;
  for (std::string sentence : sentences_of(query)) {
    sentence = take_prior_knowledge(drop_time_phrases(sentence), reading.prior_knowledge);
    // "Subject: topic, topic and topic": what comes before the colon names the whole course.
    if (const auto colon = sentence.find(':'); colon != std::string::npos) sentence = sentence.substr(colon + 1);
    const std::string lower = ascii_lower(sentence);
    if (mentions_project(lower)) reading.wants_project = true;
    // A purpose clause says why, not what: "so I can reason about risk".
    for (const std::string_view why : {" so i can ", " so that ", " in order to "}) {
      const auto at = lower.find(why);
      if (at != std::string::npos) sentence = sentence.substr(0, at);
    }
    split_pieces(sentence, pieces, reading.ordered);
  }
  for (const auto& piece : pieces) {
    std::string topic = strip_filler(piece);
    if (topic.empty() || !has_content(split_words(topic))) continue;
    // Time phrases are not topics ("in 6 hours").
    const std::string lower = ascii_lower(topic);
    if (lower.find("hour") != std::string::npos || lower.find("minute") != std::string::npos) continue;
    if (std::find_if(reading.topics.begin(), reading.topics.end(), [&](const std::string& t) {
          return ascii_lower(t) == lower;
        }) == reading.topics.end()) {
      reading.topics.push_back(topic);
    }
  }
  return reading;
}

}  // namespace docprof::domain
