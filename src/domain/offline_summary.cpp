#include "domain/offline_summary.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "domain/course_plan_title.h"
#include "domain/course_plan_words.h"
#include "domain/text.h"
#include "domain/text_chunker.h"

namespace docprof::domain {
namespace {

// Tokens that survive tokenizing but are markup, URL or file-name debris rather than words.
constexpr std::array<std::string_view, 22> kDebris = {
    "http", "https", "www",  "com",  "org", "html", "htm",  "nbsp", "amp",  "quot", "href",
    "src",  "img",   "div",  "span", "png", "jpg",  "gif",  "xhtml", "css", "utm", "mailto"};

// A token fit to show as a topic: at least three characters, letters (any script) with inner
// hyphens or apostrophes, or a language name like "c++" / "c#"; no digits-only, no debris.
bool is_word_token(std::string_view word) {
  if (word == "c++" || word == "c#" || word == "f#") return true;
  if (word.size() < 3) return false;
  int letters = 0;
  for (const char ch : word) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80) {
      ++letters;
    } else if (c != '-' && c != '\'') {
      return false;
    }
  }
  if (letters < 3) return false;
  return std::find(kDebris.begin(), kDebris.end(), word) == kDebris.end();
}

// The text without what is no prose: URLs, e-mail addresses, paths, file names, character entities
// and markup, so that "example" of "http://example.com/index.html" never becomes a topic.
std::string prose_of(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t')) ++i;
    std::size_t end = i;
    while (end < text.size() && text[end] != ' ' && text[end] != '\n' && text[end] != '\t') ++end;
    const std::string_view token = text.substr(i, end - i);
    std::string_view bare = token;
    while (!bare.empty() && (bare.back() == '.' || bare.back() == ',' || bare.back() == ';' || bare.back() == ')')) {
      bare.remove_suffix(1);
    }
    const bool debris = token.find("://") != std::string_view::npos || token.starts_with("www.") ||
                        token.find('@') != std::string_view::npos || token.find('/') != std::string_view::npos ||
                        token.find('<') != std::string_view::npos || token.find('>') != std::string_view::npos ||
                        token.find('=') != std::string_view::npos || token.find('\\') != std::string_view::npos ||
                        (token.starts_with('&') && bare.ends_with(';')) ||
                        (bare.find('.') != std::string_view::npos && bare.find('.') + 1 < bare.size());  // file.ext
    if (!debris && !token.empty()) {
      if (!out.empty()) out += ' ';
      out.append(token);
    } else if (!token.empty()) {
      out += " ,";  // a phrase does not run across the gap
    }
    i = end;
  }
  return out;
}

// Words that make a poor topic phrase as its first word: determiners, quantifiers and vague
// modifiers ("another variable", "first word", "entire string" say nothing a learner could study).
constexpr std::array<std::string_view, 60> kWeakModifiers = {
    "another", "other",  "first",   "second",  "third",   "last",     "next",      "previous",  "same",
    "new",     "old",    "many",    "much",    "more",    "most",     "several",   "various",   "certain",
    "different", "entire", "whole", "such",    "own",     "every",    "each",      "some",      "any",
    "all",     "both",   "few",     "little",  "less",    "least",    "only",      "just",      "also",
    "even",    "still",  "following", "above", "below",   "particular", "specific", "simple",
    "earlier", "later",  "special", "current", "original", "single",  "main",      "given",     "usual",
    "typical", "actual", "similar", "related", "additional", "extra", "further"};

// Words that are no topic on their own, though they may start one ("common ancestor", "default
// branch"): adjectives and vague nouns a section uses in passing.
constexpr std::array<std::string_view, 28> kWeakAlone = {
    "initial", "final",   "numerous", "outside", "inside",  "correct", "wrong",   "possible", "necessary", "available",
    "usual",   "common",  "default",  "present", "end",     "beginning", "approach", "scratch", "home",   "top",
    "bottom",  "left",    "right",    "able",    "sure",    "current", "true",    "false"};

// Words that make a topic vague wherever they stand ("modify something", "the way").
constexpr std::array<std::string_view, 25> kVagueWords = {
    "something", "anything", "everything", "nothing", "someone", "anyone", "everyone", "somebody",
    "thing",     "things",   "way",        "ways",    "lot",     "lots",   "kind",     "kinds",
    "sort",      "bit",      "stuff",      "example", "examples", "case",  "cases",    "etc",
    "enough"};

// Words after which the next word is used as a verb ("to modify", "you can implement").
constexpr std::array<std::string_view, 9> kBeforeVerbs = {"to", "you", "we", "can", "will", "must", "should", "could",
                                                          "would"};
// Words after which what follows is a noun phrase ("the change function").
constexpr std::array<std::string_view, 14> kBeforeNouns = {"the", "a", "an", "this", "that", "these", "those",
                                                           "your", "our", "its", "their", "his", "her", "my"};

template <std::size_t N>
bool one_of(std::string_view word, const std::array<std::string_view, N>& words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// How often `phrase` stands in `lower` (a sentence's lower-case prose) right after one of `before`.
template <std::size_t N>
int count_after(std::string_view lower, std::string_view phrase, const std::array<std::string_view, N>& before) {
  int found = 0;
  for (std::size_t at = lower.find(phrase); at != std::string_view::npos; at = lower.find(phrase, at + 1)) {
    const bool word_end = at + phrase.size() == lower.size() || lower[at + phrase.size()] == ' ' ||
                          lower[at + phrase.size()] == ',' || lower[at + phrase.size()] == '.';
    if (at < 2 || lower[at - 1] != ' ' || !word_end) continue;
    const std::size_t start = lower.rfind(' ', at - 2);
    const std::string_view previous = lower.substr(start == std::string_view::npos ? 0 : start + 1,
                                                   at - 1 - (start == std::string_view::npos ? 0 : start + 1));
    if (one_of(previous, before)) ++found;
  }
  return found;
}

// Words that open a verb's object or clause and rarely follow a plural noun: "the metatable
// controls how …", "a variable determines the …" (no "to", "that", "which": "pass arguments to",
// "branches that …").
constexpr std::array<std::string_view, 13> kAfterVerbs = {"the", "a", "an", "how", "whether", "what", "its",
                                                         "their", "his", "her", "your", "each", "every"};

// How often `phrase` stands in `lower` right before one of `after`.
template <std::size_t N>
int count_before(std::string_view lower, std::string_view phrase, const std::array<std::string_view, N>& after) {
  int found = 0;
  for (std::size_t at = lower.find(phrase); at != std::string_view::npos; at = lower.find(phrase, at + 1)) {
    const std::size_t end = at + phrase.size();
    if ((at > 0 && lower[at - 1] != ' ') || end + 1 >= lower.size() || lower[end] != ' ') continue;
    const std::size_t next_end = lower.find(' ', end + 1);
    const std::string_view next = lower.substr(end + 1, next_end == std::string_view::npos ? std::string_view::npos
                                                                                          : next_end - end - 1);
    if (one_of(next, after)) ++found;
  }
  return found;
}

// One sentence of the book, analysed once.
struct Sentence {
  std::string_view text;
  std::size_t chapter = 0;
  std::size_t section = 0;
  bool opens_paragraph = false;
  double position = 0.0;           // 0..1 through the book, by words
  int words = 0;
  std::vector<AnalyzedWord> terms;  // content words
};

// Prose a reader would quote: 6–30 words, mostly letters, no trailing colon, no code punctuation.
bool is_clean_sentence(const Sentence& s) {
  if (s.words < 6 || s.words > 30 || s.terms.size() < 3) return false;
  const std::string_view t = s.text;
  if (t.ends_with(':') || t.ends_with(',') || t.ends_with(';')) return false;
  int letters = 0;
  int visible = 0;
  for (const char ch : t) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ' || c == '\t' || c == '\n') continue;
    ++visible;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80) ++letters;
    if (c == '{' || c == '}' || c == '<' || c == '>' || c == '=' || c == '|' || c == '\\' || c == '$') return false;
  }
  if (t.find("://") != std::string_view::npos) return false;
  return visible > 0 && letters * 100 >= visible * 78;
}

bool is_definition(std::string_view sentence) {
  const std::string lower = ascii_lower(sentence);
  for (std::string_view marker : {" is a ", " is an ", " is the ", " are a ", " means ", " refers to ",
                                  " is used to ", " allows ", " lets you ", " is called ", " are called "}) {
    if (lower.find(marker) != std::string::npos) return true;
  }
  return false;
}

// Term statistics over a set of documents (the book's sections, or its chapters).
struct TermStats {
  std::vector<std::map<std::string, double>> tf;  // per document: term (or "a b" pair) -> count
  std::unordered_map<std::string, double> df;
  double docs = 0.0;

  double idf(const std::string& term) const {
    const auto it = df.find(term);
    const double d = it == df.end() ? 1.0 : it->second;
    return std::log(1.0 + docs / d);
  }
};

// The most frequent way a term (or pair) is written, for display.
using Surfaces = std::unordered_map<std::string, std::map<std::string, int>>;

std::string display_of(const Surfaces& surfaces, const std::string& term) {
  const auto it = surfaces.find(term);
  if (it == surfaces.end() || it->second.empty()) return term;
  const auto best = std::max_element(it->second.begin(), it->second.end(),
                                     [](const auto& a, const auto& b) { return a.second < b.second; });
  return best->first;
}

// Sentence salience: the mean weight of its distinct terms (weights from `weight_of`), so that a
// sentence dense with the document's characteristic words scores high whatever its length.
template <class WeightOf>
double salience(const Sentence& s, const WeightOf& weight_of) {
  std::set<std::string_view> seen;
  double total = 0.0;
  for (const auto& w : s.terms) {
    if (!seen.insert(w.term).second) continue;
    total += weight_of(w.term);
  }
  return total / std::sqrt(static_cast<double>(seen.size()) + 1.0);
}

// The best `count` sentences by score, returned in reading order (indexes into `pool`).
std::vector<std::size_t> best_in_order(const std::vector<std::pair<double, std::size_t>>& scored, int count) {
  auto ranked = scored;
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  if (ranked.size() > static_cast<std::size_t>(count)) ranked.resize(static_cast<std::size_t>(count));
  std::vector<std::size_t> picked;
  for (const auto& r : ranked) picked.push_back(r.second);
  std::sort(picked.begin(), picked.end());
  return picked;
}

std::string join_sentences(const std::vector<Sentence>& sentences, const std::vector<std::size_t>& picked) {
  std::string out;
  for (const std::size_t i : picked) {
    if (!out.empty()) out += ' ';
    out.append(sentences[i].text);
  }
  return out;
}

// The subsections of a section worth naming in its summary: headings of a few words that say
// something on their own — not admonitions ("Note", "Warning"), not generic ones ("Examples"),
// not repeats, at most kMaxSubsections.
std::vector<std::string> subsections_of(const DocumentSection& section) {
  constexpr std::size_t kMaxSubsections = 12;
  constexpr int kMaxWords = 14;
  static constexpr std::array<std::string_view, 14> kAdmonitions{
      "note", "notes", "warning", "tip", "tips", "important", "caution", "example",
      "see also", "table of contents", "contents", "hint", "danger", "attention"};
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& raw : section.subheadings) {
    const std::string title = clean_heading(raw);
    const std::string lower = ascii_lower(title);
    const int word_count = count_words(title);
    if (word_count == 0 || word_count > kMaxWords || one_of(lower, kAdmonitions) || is_generic_heading(title)) continue;
    if (std::none_of(title.begin(), title.end(), [](char c) { return words::is_ascii_lower(c) || words::is_ascii_upper(c); })) {
      continue;
    }
    if (!seen.insert(lower).second) continue;
    out.push_back(title);
    if (out.size() == kMaxSubsections) break;
  }
  return out;
}

std::string page_range_of(PageRange range) {
  if (range.first == 0) return "";
  return std::to_string(range.first) + "-" + std::to_string(range.last);
}

class BookSummarizer {
 public:
  BookSummarizer(const DocumentOutline& outline, const TermAnalyzer& analyzer, const SummaryOptions& options)
      : outline_(outline), options_(options) {
    read(analyzer);
  }

  BookSummary summary() const {
    BookSummary book;
    book.source_title = outline_.title;
    book.author = outline_.author;
    book.total_chapters = static_cast<int>(outline_.chapters.size());
    book.source_summary = book_summary_text();
    for (std::size_t c = 0; c < outline_.chapters.size(); ++c) {
      const auto& chapter = outline_.chapters[c];
      ChapterSummary out;
      out.chapter_number = static_cast<int>(c) + 1;
      out.chapter_title = chapter.title;
      out.kind = chapter.kind;
      out.words = chapter_words(chapter);
      out.summary = chapter_summary_text(c);
      for (std::size_t s = 0; s < chapter.sections.size(); ++s) {
        SectionSummary section;
        section.section_title = chapter.sections[s].title;
        section.words = section_words(chapter.sections[s]);
        section.page_range = page_range_of(section_pages(chapter.sections[s]));
        section.topics = topics_of(section_doc_.at({c, s}), section.words);
        section.key_concepts = key_concepts_of(c, s, section.words);
        section.subsections = subsections_of(chapter.sections[s]);
        out.sections.push_back(std::move(section));
      }
      book.chapters.push_back(std::move(out));
    }
    return book;
  }

 private:
  void read(const TermAnalyzer& analyzer) {
    const double total_words = std::max(1, document_words(outline_));
    double words_before = 0.0;
    for (std::size_t c = 0; c < outline_.chapters.size(); ++c) {
      chapters_.tf.emplace_back();
      const auto& chapter = outline_.chapters[c];
      for (std::size_t s = 0; s < chapter.sections.size(); ++s) {
        section_doc_[{c, s}] = sections_.tf.size();
        sections_.tf.emplace_back();
        for (const auto& paragraph : chapter.sections[s].paragraphs) {
          if (paragraph.code) continue;  // listings: in the chunks, not in the summary
          bool first = true;
          for (const std::string_view text : split_sentences(paragraph.text)) {
            Sentence sentence{text, c, s, first, words_before / total_words, count_words(text), {}};
            first = false;
            words_before += sentence.words;
            const std::string prose = prose_of(text);
            for (auto& w : analyzer.words(prose)) {
              if (is_word_token(w.word)) sentence.terms.push_back(std::move(w));
            }
            count(sentence, ascii_lower(prose));
            sentences_.push_back(std::move(sentence));
          }
        }
      }
    }
    for (auto* stats : {&sections_, &chapters_}) {
      stats->docs = static_cast<double>(stats->tf.size());
      for (const auto& doc : stats->tf) {
        for (const auto& [term, n] : doc) stats->df[term] += 1.0;
      }
    }
  }

  // Counts a sentence's terms; `lower` is its prose in lower case (to tell adjacent words).
  void count(const Sentence& sentence, const std::string& lower) {
    auto& section = sections_.tf.back();
    auto& chapter = chapters_.tf.back();
    const AnalyzedWord* previous = nullptr;
    for (const auto& w : sentence.terms) {
      section[w.term] += 1.0;
      chapter[w.term] += 1.0;
      book_tf_[w.term] += 1.0;
      ++surfaces_[w.term][w.word];
      // A phrase is two words next to each other in the text ("merge conflict"), not two content
      // words with a stop word between them ("undo [a] commit"), which would read wrongly as a topic.
      if (previous != nullptr && !w.starts_phrase && lower.find(previous->word + ' ' + w.word) != std::string::npos) {
        const std::string pair = previous->term + ' ' + w.term;
        section[pair] += 1.0;
        ++surfaces_[pair][previous->word + ' ' + w.word];
        as_noun_[pair] += count_after(lower, previous->word + ' ' + w.word, kBeforeNouns);
        as_clause_[pair] += count_before(lower, previous->word + ' ' + w.word, kAfterVerbs);
        ++pair_uses_[pair];
      }
      as_verb_[w.term] += count_after(lower, w.word, kBeforeVerbs);
      as_noun_[w.term] += count_after(lower, w.word, kBeforeNouns);
      previous = &w;
    }
  }

  // A topic a learner could study: no vague word, no weak first word of a phrase, and no phrase that
  // reads as a verb and its object ("implement copy", "take parameters": the first word follows "to"
  // or "you" elsewhere in the book, and the phrase never follows "the" or "a").
  bool worth_a_topic(const std::string& term) const {
    const auto space = term.find(' ');
    const std::string shown = ascii_lower(display_of(surfaces_, term));
    const auto shown_space = shown.find(' ');
    const std::string first = shown.substr(0, shown_space);
    const std::string second = shown_space == std::string::npos ? "" : shown.substr(shown_space + 1);
    if (one_of(first, kVagueWords) || one_of(second, kVagueWords)) return false;
    if (space == std::string::npos) {
      // A single word: no weak word, and no verb or adverb the book never uses as a noun
      // ("violate", "eliminate", "poorly").
      if (one_of(first, kWeakModifiers) || one_of(first, kWeakAlone)) return false;
      const auto verb = as_verb_.find(term);
      const auto noun = as_noun_.find(term);
      const bool used_as_noun = noun != as_noun_.end() && noun->second > 0;
      if (used_as_noun) return true;
      return !(verb != as_verb_.end() && verb->second >= 2) && !(first.size() > 5 && first.ends_with("ly"));
    }
    if (one_of(first, kWeakModifiers)) return false;
    // A subject and its verb ("metatable controls", "variable determines"): the second word ends in
    // -s and is followed by an object's first word in at least half of the phrase's uses.
    if (second.size() > 3 && second.ends_with("s") && !second.ends_with("ss") && !second.ends_with("us") &&
        !second.ends_with("is")) {
      const auto clause = as_clause_.find(term);
      const auto uses = pair_uses_.find(term);
      const int before_object = clause == as_clause_.end() ? 0 : clause->second;
      const int total = uses == pair_uses_.end() ? 0 : uses->second;
      if (before_object > 0 && 2 * before_object >= total) return false;
    }
    const auto verb = as_verb_.find(term.substr(0, space));
    const auto noun = as_noun_.find(term);
    const bool used_as_verb = verb != as_verb_.end() && verb->second >= 2;
    const bool used_as_noun = noun != as_noun_.end() && noun->second > 0;
    return !used_as_verb || used_as_noun;
  }

  std::vector<std::string> topics_of(std::size_t doc, int words) const {
    const auto& tf = sections_.tf[doc];
    const bool long_section = words >= 150;
    std::vector<std::pair<double, std::string>> scored;
    for (const auto& [term, n] : tf) {
      const bool pair = term.find(' ') != std::string::npos;
      if (pair && n < 2) continue;
      if (!pair && long_section && n < 2) continue;
      if (!worth_a_topic(term)) continue;
      const double score = (1.0 + std::log(n)) * sections_.idf(term) * (pair ? 1.25 : 1.0);
      scored.emplace_back(score, term);
    }
    std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    const int wanted = std::clamp(options_.min_topics + words / 300, options_.min_topics, options_.max_topics);
    std::vector<std::string> chosen_terms;
    std::set<std::string> covered;  // single terms already shown inside a chosen phrase
    std::set<std::string> shown;
    std::vector<std::string> topics;
    for (const auto& [score, term] : scored) {
      if (static_cast<int>(topics.size()) >= wanted) break;
      const auto space = term.find(' ');
      if (space == std::string::npos) {
        if (covered.contains(term)) continue;
      } else {
        const std::string first = term.substr(0, space);
        const std::string second = term.substr(space + 1);
        if (first == second) continue;
        // A phrase replaces its words already chosen.
        std::erase_if(topics, [&](const std::string& shown_topic) {
          return shown_topic == display_of(surfaces_, first) || shown_topic == display_of(surfaces_, second);
        });
        covered.insert(first);
        covered.insert(second);
      }
      std::string display = display_of(surfaces_, term);
      if (!shown.insert(display).second) continue;
      topics.push_back(std::move(display));
    }
    return topics;
  }

  std::vector<std::string> key_concepts_of(std::size_t c, std::size_t s, int words) const {
    const auto& tf = sections_.tf[section_doc_.at({c, s})];
    std::vector<std::pair<double, std::size_t>> scored;
    std::vector<std::size_t> all_in_section;
    for (std::size_t i = 0; i < sentences_.size(); ++i) {
      const Sentence& sentence = sentences_[i];
      if (sentence.chapter != c || sentence.section != s) continue;
      all_in_section.push_back(i);
      if (!is_clean_sentence(sentence)) continue;
      double score = salience(sentence, [&](const std::string& term) {
        const auto it = tf.find(term);
        return (it == tf.end() ? 0.0 : std::log(1.0 + it->second)) * sections_.idf(term);
      });
      if (is_definition(sentence.text)) score *= 1.3;
      scored.emplace_back(score, i);
    }
    const int wanted = std::clamp(2 + words / 400, 2, options_.max_key_concepts);
    std::vector<std::string> concepts;
    for (const std::size_t i : best_in_order(scored, wanted)) concepts.emplace_back(sentences_[i].text);
    if (concepts.empty() && !all_in_section.empty()) {
      // No clean sentence (a list, a table, code): the section's first words stand for it.
      concepts.push_back(utf8_prefix(sentences_[all_in_section.front()].text, 160));
    }
    return concepts;
  }

  std::string chapter_summary_text(std::size_t c) const {
    const auto& tf = chapters_.tf[c];
    std::vector<std::pair<double, std::size_t>> scored;
    for (std::size_t i = 0; i < sentences_.size(); ++i) {
      const Sentence& sentence = sentences_[i];
      if (sentence.chapter != c || !is_clean_sentence(sentence)) continue;
      double score = salience(sentence, [&](const std::string& term) {
        const auto it = tf.find(term);
        return (it == tf.end() ? 0.0 : std::log(1.0 + it->second)) * chapters_.idf(term);
      });
      if (sentence.opens_paragraph) score *= 1.2;
      if (is_definition(sentence.text)) score *= 1.2;
      scored.emplace_back(score, i);
    }
    std::string text = join_sentences(sentences_, best_in_order(scored, options_.chapter_sentences));
    if (text.empty()) {
      for (const auto& sentence : sentences_) {
        if (sentence.chapter == c) return utf8_prefix(sentence.text, 200);
      }
    }
    return text;
  }

  std::string book_summary_text() const {
    bool any_body = false;
    for (const auto& chapter : outline_.chapters) any_body = any_body || chapter.kind == "chapter";
    std::vector<std::pair<double, std::size_t>> scored;
    for (std::size_t i = 0; i < sentences_.size(); ++i) {
      const Sentence& sentence = sentences_[i];
      if (any_body && outline_.chapters[sentence.chapter].kind != "chapter") continue;
      if (!is_clean_sentence(sentence)) continue;
      double score = salience(sentence, [&](const std::string& term) {
        const auto it = book_tf_.find(term);
        return (it == book_tf_.end() ? 0.0 : std::log(1.0 + it->second)) * chapters_.idf(term);
      });
      if (sentence.position < 0.15) score *= 1.3;
      if (sentence.opens_paragraph) score *= 1.1;
      scored.emplace_back(score, i);
    }
    return join_sentences(sentences_, best_in_order(scored, options_.book_sentences));
  }

  const DocumentOutline& outline_;
  const SummaryOptions& options_;
  std::vector<Sentence> sentences_;
  TermStats sections_;
  TermStats chapters_;
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> section_doc_;
  std::unordered_map<std::string, double> book_tf_;
  Surfaces surfaces_;
  std::unordered_map<std::string, int> as_verb_;  // term -> uses right after "to", "you", "can", …
  std::unordered_map<std::string, int> as_noun_;  // term or pair -> uses right after "the", "a", "this", …
  std::unordered_map<std::string, int> as_clause_;  // pair -> uses right before "the", "how", "its", …
  std::unordered_map<std::string, int> pair_uses_;  // pair -> uses in the book
};

}  // namespace

BookSummary summarize_document(const DocumentOutline& outline, const TermAnalyzer& analyzer,
                               const SummaryOptions& options) {
  return BookSummarizer(outline, analyzer, options).summary();
}

}  // namespace docprof::domain
