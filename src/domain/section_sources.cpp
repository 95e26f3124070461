#include "domain/section_sources.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/text.h"

namespace docprof::domain {
namespace {

// Function words, and the verbs and course words every objective uses: sharing them says nothing
// about a section's subject.
const std::set<std::string, std::less<>>& stop_words() {
  static const std::set<std::string, std::less<>> words{
      "a",         "about",      "after",     "all",        "also",      "an",         "and",
      "any",       "are",        "as",        "at",         "be",        "been",       "before",
      "between",   "both",       "but",       "by",         "can",       "do",         "does",
      "each",      "for",        "from",      "has",        "have",      "how",        "if",
      "in",        "into",       "is",        "it",         "its",       "more",       "most",
      "not",       "of",         "on",        "one",        "or",        "other",      "our",
      "over",      "such",       "than",      "that",       "the",       "their",      "them",
      "then",      "there",      "these",     "they",       "this",      "those",      "through",
      "to",        "two",        "under",     "up",         "use",       "used",       "using",
      "via",       "was",        "what",      "when",       "where",     "which",      "while",
      "who",       "why",        "will",      "with",       "within",    "without",    "you",
      "your",      "able",       "analyse",   "analyze",    "apply",     "assess",     "build",
      "calculate", "compare",    "compute",   "construct",  "create",    "define",     "describe",
      "design",    "determine",  "develop",   "discuss",    "distinguish", "estimate", "evaluate",
      "examine",   "explain",    "identify",  "illustrate", "interpret", "learn",      "list",
      "outline",   "recognise",  "recognize", "summarise",  "summarize", "understand", "basic",
      "basics",    "chapter",    "concept",   "course",     "introduction", "key",     "overview",
      "part",      "section",    "topic",     "way",        "new",       "first",      "different"};
  return words;
}

bool is_word_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || u >= 0x80;
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// Plural -s folded to the singular; words that only look plural ("analysis", "business") kept.
std::string singular(std::string word) {
  if (word.size() > 4 && ends_with(word, "ies")) return word.substr(0, word.size() - 3) + "y";
  if (word.size() > 4 && ends_with(word, "sses")) return word.substr(0, word.size() - 2);
  if (word.size() > 4 && (ends_with(word, "xes") || ends_with(word, "ches") || ends_with(word, "shes")))
    return word.substr(0, word.size() - 2);
  if (word.size() > 3 && word.back() == 's' && !ends_with(word, "ss") && !ends_with(word, "us") &&
      !ends_with(word, "is"))
    word.pop_back();
  return word;
}

using Words = std::vector<std::string>;  // sorted, distinct

void add_words(std::string_view text, Words& out) {
  for (auto& word : content_words(text)) out.push_back(std::move(word));
}

void sort_unique(Words& words) {
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
}

// The number of words both sorted, distinct lists hold.
int shared(const Words& a, const Words& b) {
  int n = 0;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    const int order = i->compare(*j);
    if (order == 0) {
      ++n;
      ++i;
      ++j;
    } else if (order < 0) {
      ++i;
    } else {
      ++j;
    }
  }
  return n;
}

Words words_of(const SectionSummary& section) {
  Words words;
  add_words(section.section_title, words);
  for (const auto& topic : section.topics) add_words(topic, words);
  for (const auto& concept_text : section.key_concepts) add_words(concept_text, words);
  sort_unique(words);
  return words;
}

std::string book_title(const BookMatch& book) {
  if (!trim(book.title).empty()) return book.title;
  if (!trim(book.summary.source_title).empty()) return book.summary.source_title;
  return book.book_id;
}

const BookMatch* find_book(const std::vector<BookMatch>& books, const std::string& id_or_title) {
  for (const auto& book : books) {
    if (book.book_id == id_or_title) return &book;
  }
  const std::string wanted = ascii_lower(trim(id_or_title));
  for (const auto& book : books) {
    if (ascii_lower(trim(book.title)) == wanted || ascii_lower(trim(book.summary.source_title)) == wanted)
      return &book;
  }
  return nullptr;
}

const ChapterSummary* find_chapter(const BookMatch& book, int number) {
  for (const auto& chapter : book.summary.chapters) {
    if (chapter.chapter_number == number) return &chapter;
  }
  return nullptr;
}

SectionSource source_of(const BookMatch& book, const ChapterSummary& chapter, std::optional<std::string> section) {
  return SectionSource{book.book_id, book_title(book), chapter.chapter_number, chapter.chapter_title,
                       std::move(section)};
}

void add_unique(std::vector<SectionSource>& out, SectionSource source) {
  if (std::find(out.begin(), out.end(), source) == out.end()) out.push_back(std::move(source));
}

}  // namespace

std::vector<std::string> content_words(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_word_byte(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && is_word_byte(text[j])) ++j;
    std::string word = ascii_lower(text.substr(i, j - i));
    i = j;
    if (word.size() < 2 || stop_words().count(word) > 0) continue;
    word = singular(std::move(word));
    if (stop_words().count(word) > 0) continue;
    if (std::find(out.begin(), out.end(), word) == out.end()) out.push_back(std::move(word));
  }
  return out;
}

std::vector<SectionSource> resolve_reads(const std::vector<ReadingRef>& reads, const std::vector<BookMatch>& books) {
  std::vector<SectionSource> out;
  for (const auto& ref : reads) {
    const BookMatch* book = find_book(books, ref.book_id);
    if (book == nullptr) continue;
    const ChapterSummary* chapter = find_chapter(*book, ref.chapter_number);
    if (chapter == nullptr) continue;
    std::optional<std::string> section;
    const std::string given = trim(ref.section_title);
    if (!given.empty()) {
      section = given;
      for (const auto& candidate : chapter->sections) {
        if (ascii_lower(trim(candidate.section_title)) == ascii_lower(given)) {
          section = candidate.section_title;
          break;
        }
      }
    }
    add_unique(out, source_of(*book, *chapter, std::move(section)));
  }
  return out;
}

ChapterWords::ChapterWords(const std::vector<BookMatch>& books) {
  for (const auto& book : books) {
    for (const auto& chapter : book.summary.chapters) {
      Chapter entry{&book, &chapter, {}, {}};
      add_words(chapter.chapter_title, entry.words);
      for (const auto& section : chapter.sections) {
        entry.section_words.push_back(words_of(section));
        entry.words.insert(entry.words.end(), entry.section_words.back().begin(), entry.section_words.back().end());
      }
      sort_unique(entry.words);
      chapters_.push_back(std::move(entry));
    }
  }
}

SourceMatcher::SourceMatcher(const std::vector<BookMatch>& books)
    : SourceMatcher(books, std::make_shared<const ChapterWords>(books)) {}

SourceMatcher::SourceMatcher(const std::vector<BookMatch>& books, std::shared_ptr<const ChapterWords> words)
    : books_(books), words_(std::move(words)) {}

std::vector<SectionSource> SourceMatcher::sources(const SectionDraft& section) const {
  auto resolved = resolve_reads(section.reads, books_);
  if (!resolved.empty()) return resolved;
  return by_words(section);
}

std::vector<SectionSource> SourceMatcher::by_words(const SectionDraft& section) const {
  Words wanted;
  add_words(section.title, wanted);
  for (const auto& objective : section.objectives) add_words(objective, wanted);
  sort_unique(wanted);
  if (wanted.empty()) return {};

  const ChapterWords::Chapter* best_chapter = nullptr;
  int best = kMinSharedWords - 1;
  for (const auto& chapter : words_->chapters_) {
    const int score = shared(wanted, chapter.words);
    if (score > best) {  // ties: the earlier (higher-ranked book, earlier chapter) stays
      best = score;
      best_chapter = &chapter;
    }
  }
  if (best_chapter == nullptr) return {};

  std::optional<std::string> section_title;
  int best_section = kMinSharedWords - 1;
  const auto& candidates = best_chapter->chapter->sections;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const int score = shared(wanted, best_chapter->section_words[i]);
    if (score > best_section && !trim(candidates[i].section_title).empty()) {
      best_section = score;
      section_title = candidates[i].section_title;
    }
  }
  return {source_of(*best_chapter->book, *best_chapter->chapter, std::move(section_title))};
}

std::vector<SectionSource> section_sources(const SectionDraft& section, const std::vector<BookMatch>& books) {
  return SourceMatcher(books).sources(section);
}

}  // namespace docprof::domain
