#include "domain/course_plan_request.h"

#include <algorithm>
#include <array>
#include <utility>

#include "domain/course_plan_words.h"
#include "domain/text.h"

namespace docprof::domain {
namespace {

using namespace words;

// A request is read as chunks of words between joints. A list joint ("," "and" "or" "then")
// joins equals: topics side by side. A preposition ("from", "with", "on" …; not "of", which
// binds inside a name: "cost of capital") or a clause word ("that", "how", "before" …) follows
// the phrase it qualifies: the chunk before the first of them in a sentence is its subject,
// ("Evolution from natural selection to genes"; "Run PostgreSQL with replication"), not a topic.

constexpr auto kListWords = std::to_array<std::string_view>({"and", "or", "then", "plus", "including", "especially",
                                                     "also", "&", "versus"});
constexpr auto kPrepositions = std::to_array<std::string_view>({
    "from", "to",  "with", "on",      "in",      "into",   "for",     "about",   "using", "via",    "at", "by",
    "as",   "over", "through", "without", "within", "against", "towards", "under", "across", "vs"});
constexpr auto kClauseWords = std::to_array<std::string_view>({
    "that", "which", "who", "whose", "when",  "where",  "before", "after",  "while",
    "because", "so",  "if",  "whether", "how", "why",   "what",   "unless", "until"});

// Words that carry no topic of their own at the edges of a chunk ("the basics of git" keeps
// "basics of git"; "some statistics" keeps "statistics").
constexpr auto kFiller = std::to_array<std::string_view>({
    "i",     "me",     "my",     "you",       "your",   "we",     "our",    "it",      "its",   "they",
    "their", "them",   "the",    "a",         "an",     "some",   "any",    "most",    "more",  "all",
    "both",  "each",   "every",  "this",      "these",  "those",  "first",  "please",  "course", "quick",
    "intro", "introduction", "simply", "briefly", "really", "just", "also", "not",   "of",   "and",
    "one",   "two",    "three",  "new",       "good",   "better", "own",    "daily",   "other", "lot",
    "lots",  "there", "questions", "question", "answers", "answer", "things", "stuff", "way", "ways",
    "point", "view", "aspects", "exactly", "quickly", "properly", "correctly", "efficiently", "well",
    "scratch"});

// Verbs: at the start of a chunk they are the learner's action ("write shell scripts", "calling
// Lua functions"), inside it they end the phrase before them ("how Bayesian thinking helps").
constexpr auto kVerbs = std::to_array<std::string_view>({
    "want",      "wanna",    "like",      "love",       "need",      "learn",     "learning",  "teach",
    "show",      "help",     "tell",      "give",       "explain",   "explained", "understand", "study",
    "master",    "know",     "get",       "become",     "be",        "is",        "are",       "was",
    "were",      "am",       "been",      "do",         "does",      "did",       "have",      "has",
    "can",       "could",    "would",     "should",     "will",      "must",      "may",       "make",
    "makes",     "made",     "run",       "runs",       "running",   "write",     "writing",   "build",
    "building",  "use",      "uses",      "using",      "check",     "talk",      "talking",   "create",
    "set",       "work",     "works",     "working",    "fail",      "fails",     "help",      "helps",
    "shape",     "shapes",   "interact",  "interacts",  "happen",    "happens",   "matter",    "matters",
    "lie",       "lies",     "spot",      "reason",     "call",      "calling",   "embed",     "embedding",
    "do",        "doing",    "exported",  "pushed",     "organised", "organized", "go",        "goes",
    "read",      "reading",  "cooperate", "fight",      "try",       "trying",    "see",       "think"});

// Verbs that name an activity worth a topic when the request lists them ("back up and restore a
// database"), with the noun that names it.
constexpr auto kActivities = std::to_array<std::pair<std::string_view, std::string_view>>({
    {"back up", "backup"},     {"backup", "backup"},       {"restore", "restore"},    {"install", "installation"},
    {"upload", "upload"},      {"deploy", "deployment"},   {"debug", "debugging"},    {"test", "testing"},
    {"profile", "profiling"},  {"package", "packaging"},   {"configure", "configuration"},
    {"set up", "setup"},       {"log in", "login"},        {"roll back", "rollback"}, {"migrate", "migration"},
    {"benchmark", "benchmarking"}, {"monitor", "monitoring"}, {"uploaded", "upload"},
    {"installed", "installation"}, {"deployed", "deployment"}, {"packaged", "packaging"},
    {"backed up", "backup"}, {"restored", "restore"}, {"tested", "testing"}, {"debugged", "debugging"},
});

// Pairs that name one thing ("search and replace"): never split at their "and".
constexpr auto kBinomials = std::to_array<std::string_view>({
    "search and replace", "find and replace", "copy and paste",      "cut and paste",
    "drag and drop",      "trial and error",  "supply and demand",   "pros and cons",
    "profit and loss",    "mergers and acquisitions", "research and development", "question and answer",
    "input and output",   "read and write"});

bool is_time_word(std::string_view w) {
  static constexpr auto kTimeUnits = std::to_array<std::string_view>({
      "hour", "hours", "hr", "hrs", "h", "minute", "minutes", "min", "mins", "day", "days", "week", "weeks", "weekend"});
  return one_of(w, kTimeUnits);
}

bool is_count(std::string_view word) {
  static constexpr auto kCounts = std::to_array<std::string_view>({"a",   "an",    "one",    "two", "three",
                                                            "four", "five", "six",    "seven", "eight",
                                                            "ten",  "twelve", "half", "few",   "couple"});
  if (one_of(word, kCounts)) return true;
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) { return is_ascii_digit(c) || c == '.'; });
}

// "in 6 hours", "within two days", "a 2-hour", "a half-hour", "over a weekend", "6h": no topic.
std::vector<std::string> drop_time_phrases(const std::vector<std::string>& words) {
  std::vector<bool> drop(words.size(), false);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string b = bare(words[i]);
    bool unit = is_time_word(b) && i > 0 && is_count(bare(words[i - 1]));
    const auto dash = b.find('-');
    if (dash != std::string::npos && is_count(b.substr(0, dash)) && is_time_word(b.substr(dash + 1))) unit = true;
    std::size_t digits = 0;
    while (digits < b.size() && (is_ascii_digit(b[digits]) || b[digits] == '.')) ++digits;
    if (digits > 0 && digits < b.size() && is_time_word(b.substr(digits))) unit = true;  // "6h"
    if (!unit) continue;
    std::size_t begin = i;
    while (begin > 0 && (is_count(bare(words[begin - 1])) || one_of(bare(words[begin - 1]), kPrepositions) ||
                         bare(words[begin - 1]) == "within" || bare(words[begin - 1]) == "of")) {
      --begin;
    }
    for (std::size_t k = begin; k <= i; ++k) drop[k] = true;
  }
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (!drop[i]) kept.push_back(words[i]);
  }
  return kept;
}

bool is_letter_name(const std::string& word) {
  const std::string b = bare(word);
  // One capital letter is a language's name (C, R), not noise.
  return b.size() == 1 && word.find_first_of("CDFJR") != std::string::npos;
}

bool is_acronym(const std::string& word);

bool has_content(const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(), [](const std::string& w) {
    if (is_acronym(w)) return true;
    const std::string b = bare(w);
    return (b.size() > 1 || is_letter_name(w)) && !one_of(b, kFiller) && !one_of(b, kVerbs) &&
           !one_of(b, kPrepositions) && !one_of(b, kClauseWords) && !is_time_word(b);
  });
}

bool is_question(const std::string& sentence) {
  static constexpr auto kOpeners = std::to_array<std::string_view>({
      "how", "why", "what", "when", "where", "which", "who", "do", "does", "can", "is", "are", "should"});
  const auto ws = split_words(sentence);
  return (!sentence.empty() && sentence.back() == '?') || (!ws.empty() && one_of(bare(ws.front()), kOpeners));
}

// "I already know some statistics", "I know SQL and C", "I know some Python and pandas", "I'm
// familiar with SQL", "for a Java programmer": what the learner already knows; returns the sentence
// without that clause.
std::string take_prior_knowledge(std::string sentence, std::vector<std::string>& prior) {
  const std::string lower = ascii_lower(sentence);
  static constexpr auto kLeads = std::to_array<std::string_view>({
      "i already know some ", "i already know ",         "i know some ",    "i know ",
      "i'm familiar with ",   "i am familiar with ",     "i have experience with ",
      "i've used ",           "i already use ",          "i'm comfortable with "});
  for (const auto lead : kLeads) {
    const auto at = lower.find(lead);
    if (at == std::string::npos) continue;
    const std::size_t begin = at + lead.size();
    // The known subjects run to the end of the clause; "and" joins another only while what
    // follows is a name, not a verb ("I know some Python and want to learn C").
    std::size_t end = lower.size();
    for (const std::string_view stop : {",", " but ", " so ", ":"}) {
      const auto p = lower.find(stop, begin);
      if (p != std::string::npos) end = std::min(end, p);
    }
    std::size_t piece_begin = begin;
    std::size_t consumed = begin;
    while (piece_begin < end) {
      const auto and_at = lower.find(" and ", piece_begin);
      const std::size_t piece_end = and_at == std::string::npos || and_at > end ? end : and_at;
      const std::vector<std::string> ws = split_words(sentence.substr(piece_begin, piece_end - piece_begin));
      const bool first = piece_begin == begin;
      const bool name = !ws.empty() && ws.size() <= 3 && !one_of(bare(ws.front()), kVerbs) &&
                        !one_of(bare(ws.front()), kFiller) && (has_content(ws) || is_letter_name(ws.front()));
      if (!first && !name) break;
      std::vector<std::string> kept = ws;
      while (!kept.empty() && one_of(bare(kept.front()), kFiller)) kept.erase(kept.begin());
      const std::string subject = trim_trailing_punctuation(join_words(kept));
      if (!subject.empty() && (has_content(kept) || is_letter_name(kept.front()))) prior.push_back(subject);
      consumed = piece_end;
      if (piece_end == end) break;
      piece_begin = piece_end + std::string_view(" and ").size();
    }
    return trim(sentence.substr(0, at) + " " + sentence.substr(consumed));
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
    return trim(sentence.substr(0, at) + " " + sentence.substr(end));
  }
  return sentence;
}

enum class Joint { kStart, kList, kPreposition, kClause };

struct Chunk {
  std::vector<std::string> words;
  Joint before = Joint::kStart;  // what joins it to the chunk before
  Joint after = Joint::kStart;   // what joins it to the chunk after (kStart: nothing follows)
};

// Cuts a clause into chunks at its joints; `ordered` is set by "then" and "from … to".
std::vector<Chunk> chunks_of(const std::vector<std::string>& words, bool& ordered) {
  std::vector<Chunk> chunks;
  Chunk current;
  bool after_from = false;
  const auto close = [&](Joint joint) {
    if (!current.words.empty()) {
      current.after = joint;
      chunks.push_back(std::move(current));
    } else if (!chunks.empty() && joint != Joint::kList) {
      chunks.back().after = joint;  // ", with …": the stronger joint wins
    }
    current = Chunk{};
    current.before = joint;
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string w = words[i];
    const bool comma = !w.empty() && (w.back() == ',' || w.back() == ':');
    if (comma) w.pop_back();
    const std::string b = bare(w);
    if (b == "and" && !current.words.empty() && i + 1 < words.size()) {
      const std::string pair = bare(current.words.back()) + " and " + bare(words[i + 1]);
      if (one_of(std::string_view(pair), kBinomials)) {
        current.words.push_back(w);
        continue;
      }
    }
    if (b == "then" || (b == "to" && after_from)) ordered = true;  // "first …, then …", "from … to …"
    if (b == "from") after_from = true;
    if (one_of(b, kListWords)) {
      close(Joint::kList);
    } else if (b == "such" && i + 1 < words.size() && bare(words[i + 1]) == "as") {
      close(Joint::kList);
      ++i;
    } else if (one_of(b, kPrepositions)) {
      close(Joint::kPreposition);
    } else if (one_of(b, kClauseWords)) {
      close(Joint::kClause);
    } else if (!b.empty()) {
      current.words.push_back(w);
    }
    if (comma) close(Joint::kList);
  }
  close(Joint::kStart);
  return chunks;
}

// The activity a chunk's leading verb names ("back up", "restore"), or "".
std::string activity_at(const std::vector<std::string>& words, std::size_t at) {
  for (const auto& [verb, noun] : kActivities) {
    const auto parts = split_words(verb);
    if (parts.size() > words.size() - at) continue;
    bool same = true;
    for (std::size_t k = 0; k < parts.size(); ++k) same = same && bare(words[at + k]) == parts[k];
    if (same) return std::string(noun);
  }
  return "";
}

std::string activity_of(const std::vector<std::string>& words) {
  for (std::size_t at = 0; at < words.size(); ++at) {
    std::string activity = activity_at(words, at);
    if (!activity.empty()) return activity;
    const std::string b = bare(words[at]);
    if (!one_of(b, kFiller) && !one_of(b, kVerbs)) break;
  }
  return "";
}

// The topic a chunk names: leading verbs and filler off, cut before a verb inside it ("most
// predictions fail" -> "predictions"), trailing filler off. "" when nothing is left.
// A word in capitals ("EXPLAIN", "SQL") is a name, whatever English word it spells.
bool is_acronym(const std::string& word) {
  std::size_t letters = 0;
  for (const char c : word) {
    if (is_ascii_lower(c)) return false;
    if (is_ascii_upper(c)) ++letters;
  }
  return letters > 1;
}

bool is_verb(const std::string& word) {
  return !is_acronym(word) && one_of(bare(word), kVerbs);
}

std::string topic_of(const std::vector<std::string>& chunk) {
  std::size_t begin = 0;
  while (begin < chunk.size() &&
         !is_acronym(chunk[begin]) && (one_of(bare(chunk[begin]), kFiller) || is_verb(chunk[begin]))) {
    ++begin;
  }
  std::size_t end = begin;
  while (end < chunk.size() && !(end > begin && is_verb(chunk[end]))) {
    // "a Debian package of my program": the learner's own things name no topic.
    static constexpr auto kOwners = std::to_array<std::string_view>({"my", "your", "our", "their"});
    if (end > begin && bare(chunk[end]) == "of" && end + 1 < chunk.size() && one_of(bare(chunk[end + 1]), kOwners)) break;
    ++end;
  }
  while (end > begin && one_of(bare(chunk[end - 1]), kFiller)) --end;
  const std::vector<std::string> kept(chunk.begin() + static_cast<std::ptrdiff_t>(begin),
                                      chunk.begin() + static_cast<std::ptrdiff_t>(end));
  if (!has_content(kept) && !(kept.size() == 1 && is_letter_name(kept.front()))) return "";
  return trim_trailing_punctuation(join_words(kept));
}

// A project or capstone named by a chunk ("a small project", "a capstone").
bool names_project(const std::string& lower) {
  return lower.find("project") != std::string::npos || lower.find("capstone") != std::string::npos;
}

// A request to build something is a request for a project ("help me build a web app").
bool asks_to_build(const std::string& lower) {
  return lower.find("build a ") != std::string::npos || lower.find("build an ") != std::string::npos;
}

// The topics of one clause (a sentence, or the part of it after its colon): a subject followed by
// a preposition or a clause word is the course's subject, not one of its topics, unless
// `subject_seen` (the part before a colon named it).
std::vector<std::string> clause_topics(std::vector<std::string> words, bool subject_seen, bool question,
                                       RequestReading& reading, bool& coordinate) {
  // A purpose clause says why, not what: "so I can reason about risk".
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const std::string b = bare(words[i]);
    const std::string next = bare(words[i + 1]);
    const bool purpose = (b == "so" && (next == "i" || next == "that" || next == "we")) ||
                         (b == "in" && next == "order") ||
                         (b == "for" && (next == "my" || next == "our" || next == "work"));
    if (purpose) {
      words.resize(i);
      break;
    }
  }
  const std::vector<Chunk> chunks = chunks_of(words, reading.ordered);
  // Equals side by side with nothing qualifying them ("probability and statistics"): the topics
  // are the subject itself.
  coordinate = !subject_seen && std::all_of(chunks.begin(), chunks.end(), [](const Chunk& chunk) {
    return chunk.after == Joint::kList || chunk.after == Joint::kStart;
  });
  std::vector<std::string> topics;
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    const Chunk& chunk = chunks[c];
    if (names_project(ascii_lower(join_words(chunk.words)))) {
      reading.wants_project = true;
      if (reading.project.empty()) reading.project = topic_of(chunk.words);
      continue;
    }
    // "back up and restore a PostgreSQL database": listed activities are the topics, what they
    // act on is the subject; "get it uploaded": an activity alone is one too.
    const std::string activity = activity_of(chunk.words);
    const bool listed_activity =
        !activity.empty() &&
        ((chunk.after == Joint::kList && c + 1 < chunks.size() && !activity_of(chunks[c + 1].words).empty()) ||
         (chunk.before == Joint::kList && c > 0 && !activity_of(chunks[c - 1].words).empty()));
    const std::string topic = topic_of(chunk.words);
    const bool only_activity = !activity.empty() && split_words(topic).size() <= 1;  // "get it uploaded"
    if (listed_activity || only_activity) {
      topics.push_back(activity);
      subject_seen = true;
      continue;
    }
    if (topic.empty()) continue;
    if (!subject_seen) {
      subject_seen = true;
      // The clause's first phrase, qualified by what follows: its subject.
      bool qualified = false;
      for (std::size_t k = c; k < chunks.size(); ++k) {
        if (chunks[k].after == Joint::kPreposition || chunks[k].after == Joint::kClause) {
          qualified = k == c;
          break;
        }
        if (chunks[k].after != Joint::kList) break;
      }
      // A subject of one word names the course ("Evolution from …", "Run PostgreSQL with …"); one
      // of several is a topic of its own ("Write shell scripts that run as Git hooks").
      if (qualified && (question || split_words(topic).size() < 2)) continue;
    }
    topics.push_back(topic);
  }
  return topics;
}

// The topics one sentence names: with a colon, those listed after it ("Subject: topic, topic and
// topic"); the part before it only when the list names none ("Perl regular expressions and text
// munging: answers to the common questions").
std::vector<std::string> sentence_topics(const std::string& sentence, bool question, RequestReading& reading,
                                         bool& coordinate) {
  const std::vector<std::string> words = split_words(sentence);
  std::size_t colon = words.size();
  for (std::size_t i = 0; i < words.size() && colon == words.size(); ++i) {
    if (!words[i].empty() && words[i].back() == ':') colon = i;
  }
  if (colon == words.size()) return clause_topics(words, false, question, reading, coordinate);
  std::vector<std::string> before(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(colon) + 1);
  before.back().pop_back();
  const std::vector<std::string> after(words.begin() + static_cast<std::ptrdiff_t>(colon) + 1, words.end());
  std::vector<std::string> topics = clause_topics(after, true, question, reading, coordinate);
  if (topics.empty()) topics = clause_topics(before, false, question, reading, coordinate);
  return topics;
}

}  // namespace

std::string search_text(std::string_view query) {
  // Words that ask rather than name: "write", "run" and "check" in "Write shell scripts that run
  // as Git hooks to check commits" find the Vim manual's chapters on writing and running files.
  static constexpr auto kAsking = std::to_array<std::string_view>({
      "want", "wanna", "like", "love", "need", "learn", "learning", "teach", "show", "help", "tell",
      "give", "explain", "explained", "understand", "study", "master", "know", "get", "become",
      "make", "run", "write", "use", "check", "do", "does", "did", "talk", "try", "see", "please",
      "i", "me", "my", "i'm", "i'd", "i've"});
  std::vector<std::string> words;
  for (const auto& word : split_words(query)) {
    if (is_acronym(word) || !one_of(bare(word), kAsking)) words.push_back(word);
  }
  if (!has_content(words)) words = split_words(query);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    bool joined = false;
    for (const auto& [verb, noun] : kActivities) {
      const auto parts = split_words(verb);
      if (parts.size() != 2 || i + 1 >= words.size()) continue;
      if (bare(words[i]) == parts[0] && bare(words[i + 1]) == parts[1] && words[i].find_first_of(",.;:") == std::string::npos) {
        const std::string& second = words[i + 1];
        const auto tail = second.find_last_not_of(",.;:!?");
        out.push_back(std::string(noun) + second.substr(tail == std::string::npos ? 0 : tail + 1));
        ++i;
        joined = true;
        break;
      }
    }
    if (!joined) out.push_back(words[i]);
  }
  return join_words(out);
}

RequestReading read_request(std::string_view query) {
  RequestReading reading;
  std::vector<std::string> statements;  // topics of sentences that are no questions
  std::vector<std::string> questions;
  bool statements_name_subject = true;
  bool questions_name_subject = true;
  for (const std::string& raw : request_sentences(query)) {
    const bool question = is_question(raw);
    std::string sentence = join_words(drop_time_phrases(split_words(raw)));
    sentence = take_prior_knowledge(sentence, reading.prior_knowledge);
    if (asks_to_build(ascii_lower(sentence))) reading.wants_project = true;
    bool coordinate = false;
    const std::vector<std::string> topics = sentence_topics(sentence, question, reading, coordinate);
    auto& into = question ? questions : statements;
    into.insert(into.end(), topics.begin(), topics.end());
    if (!topics.empty()) (question ? questions_name_subject : statements_name_subject) &= coordinate;
  }
  // A question frames the request ("Why do genes make animals cooperate? Kin selection and game
  // theory"): its words are topics only when no statement names any.
  const auto& topics = statements.empty() ? questions : statements;
  // Beside a question the statement's topics are what it asks about, not the subject itself.
  reading.topics_name_subject =
      statements.empty() ? questions_name_subject : statements_name_subject && questions.empty();
  for (const auto& topic : topics) {
    const std::string lower = ascii_lower(topic);
    if (std::none_of(reading.topics.begin(), reading.topics.end(),
                     [&](const std::string& t) { return ascii_lower(t) == lower; })) {
      reading.topics.push_back(topic);
    }
  }
  return reading;
}

bool is_basics_topic(std::string_view topic) {
  const std::string t = ascii_lower(trim(std::string(topic)));
  for (const std::string_view name : {"basics", "the basics", "basic", "fundamentals", "the fundamentals",
                                      "getting started", "essentials", "the essentials", "foundations",
                                      "beginnings", "first steps", "introduction", "an introduction"}) {
    if (t == name) return true;
  }
  return false;
}

}  // namespace docprof::domain
