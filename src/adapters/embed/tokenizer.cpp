#include "adapters/embed/tokenizer.h"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <unordered_set>

namespace docprof::adapters::embed {
namespace {

// English function words, then the words learners wrap their requests in. Words that name a topic
// ("time" in "time series", "deep" in "deep learning", "data", "theory") stay out of this list.
constexpr std::string_view kStopWords[] = {
    // function words
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "among", "an", "and",
    "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between",
    "both", "but", "by", "can", "could", "did", "do", "does", "doing", "done", "down", "during",
    "each", "either", "etc", "ever", "every", "few", "for", "from", "further", "had", "has", "have",
    "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if",
    "in", "into", "is", "it", "its", "itself", "just", "let", "lets", "may", "me", "might", "more",
    "most", "much", "must", "my", "myself", "neither", "no", "nor", "not", "now", "of", "off", "on",
    "once", "only", "or", "other", "others", "our", "ours", "ourselves", "out", "over", "own",
    "per", "same", "shall", "she", "should", "so", "some", "such", "than", "that", "the", "their",
    "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through",
    "to", "too", "under", "until", "up", "upon", "us", "very", "via", "vs", "was", "we", "were",
    "what", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will",
    "with", "within", "without", "would", "yet", "you", "your", "yours", "yourself", "yourselves",
    // request filler
    "basic", "basics", "beginner", "beginners", "chapter", "chapters", "class", "comprehensive",
    "course", "courses", "crash", "day", "days", "easy", "essentials", "explain", "explained",
    "fundamental", "fundamentals", "get", "getting", "give", "guide", "help", "hour", "hours", "hr",
    "hrs", "interested", "intro", "introduction", "introductory", "know", "learn", "learned",
    "learner", "learning", "lesson", "lessons", "like", "master", "mastering", "min", "mins",
    "minute", "minutes", "month", "months", "need", "overview", "please", "quick", "quickly",
    "section", "sections", "start", "started", "study", "studying", "teach", "teaching", "tutorial",
    "understand", "understanding", "want", "wanted", "wants", "week", "weeks", "wish", "work",
    "works", "use", "used", "uses", "using"};

const std::unordered_set<std::string_view>& stop_words() {
  static const std::unordered_set<std::string_view> set(std::begin(kStopWords),
                                                        std::end(kStopWords));
  return set;
}

bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

bool ends_phrase(unsigned char c) {
  switch (c) {
    case '.':
    case ',':
    case ';':
    case ':':
    case '!':
    case '?':
    case '(':
    case ')':
    case '[':
    case ']':
    case '{':
    case '}':
    case '\n':
    case '\r':
    case '"':
      return true;
    default:
      return false;
  }
}

bool is_dropped(std::string_view word) {
  if (word.size() < 2) return true;
  const bool all_digits =
      std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (all_digits && word.size() <= 2) return true;
  return is_stop_word(word);
}

}  // namespace

bool is_stop_word(std::string_view lower_case_word) {
  return stop_words().contains(lower_case_word);
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  bool new_phrase = true;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!is_word_byte(c)) {
      if (ends_phrase(c)) new_phrase = true;
      ++i;
      continue;
    }
    std::string word;
    while (i < text.size() && is_word_byte(static_cast<unsigned char>(text[i]))) {
      const auto b = static_cast<unsigned char>(text[i]);
      word += (b >= 'A' && b <= 'Z') ? static_cast<char>(b - 'A' + 'a') : static_cast<char>(b);
      ++i;
    }
    // "C++", "C#", "F#": a one-letter word with its suffix is a language name, not noise.
    if (word.size() == 1 && i < text.size()) {
      if (text.substr(i, 2) == "++") {
        word += "++";
        i += 2;
      } else if (text[i] == '#') {
        word += '#';
        ++i;
      }
    }
    if (is_dropped(word)) continue;
    tokens.push_back({std::move(word), new_phrase});
    new_phrase = false;
  }
  return tokens;
}

}  // namespace docprof::adapters::embed
