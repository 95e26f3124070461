#include "domain/course_plan_units.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <tuple>

#include "domain/course_plan_request.h"
#include "domain/course_plan_title.h"
#include "domain/text.h"

namespace docprof::domain::planning {
namespace {

// The weights of a unit's score (used to choose among a chapter's sections): its own similarity
// counts most; its chapter's breaks ties.
constexpr double kSectionWeight = 0.7;
constexpr double kChapterWeight = 0.3;
// A chapter's score: its own similarity and its best section's...
constexpr double kChapterOwnWeight = 0.55;
constexpr double kChapterBestSectionWeight = 0.45;
// ...scaled by how much of its book is about the request: a search finds a book by its single
// best vector, so a book with one chapter that shares a word with the request ("expected value"
// in a book on randomness, for a valuation request) is found like a book about the subject. The
// book's mean chapter similarity, relative to the best book's, tells them apart; this is the share
// of a chapter's score that depends on it.
constexpr double kBookMassShare = 0.6;
// Earlier chapters lay the foundations later ones build on: the first chapter of a book counts up
// to this much more than its last. A bag-of-words similarity cannot tell a book's core from its
// special topics; its order can.
constexpr double kFoundationBonus = 1.0;
// Chapters whose relevance (before the foundations bonus) is below this fraction of the best are
// used only when nothing better is left.
constexpr double kWeakRelevance = 0.3;
// A unit can be split when each piece keeps at least this many phrases (2 objectives).
constexpr std::size_t kMinPhrasesPerPiece = 2;

// What makes two units "the same section" for the course: their titles, with a title that says
// nothing alone ("Introduction") qualified by its chapter as the course will show it.
std::string title_key(const Unit& unit) {
  const std::string title = ascii_lower(trim(unit.base_title));
  if (!is_generic_heading(title)) return title;
  return ascii_lower(trim(unit.chapter_title)) + ": " + title;
}

bool more_relevant(const Unit& a, const Unit& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.order_key() < b.order_key();
}

// The units of one chapter, contiguous in the candidate list.
struct ChapterUnits {
  std::size_t begin = 0;
  std::size_t end = 0;
  double score = 0.0;      // for ranking: relevance with the foundations bonus
  double relevance = 0.0;  // for the weak test: relevance alone
  std::size_t book_rank = 0;
  std::size_t chapter_pos = 0;
};

std::vector<ChapterUnits> chapters_of(const std::vector<Unit>& candidates) {
  std::vector<ChapterUnits> chapters;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const Unit& unit = candidates[i];
    if (chapters.empty() || chapters.back().book_rank != unit.book_rank ||
        chapters.back().chapter_pos != unit.chapter_pos) {
      chapters.push_back(
          {i, i, unit.chapter_score, unit.chapter_relevance, unit.book_rank, unit.chapter_pos});
    }
    chapters.back().end = i + 1;
  }
  std::stable_sort(chapters.begin(), chapters.end(), [](const auto& a, const auto& b) {
    if (a.score != b.score) return a.score > b.score;
    return std::tie(a.book_rank, a.chapter_pos) < std::tie(b.book_rank, b.chapter_pos);
  });
  return chapters;
}

// Splits a unit in two by its phrases (topics and key concepts, interleaved so each piece keeps
// some of both); the second piece is named after its first topic.
std::pair<Unit, Unit> split_unit(const Unit& unit) {
  struct Phrase {
    std::string text;
    bool topic;
  };
  std::vector<Phrase> phrases;
  for (std::size_t i = 0; i < std::max(unit.topics.size(), unit.key_concepts.size()); ++i) {
    if (i < unit.topics.size()) phrases.push_back({unit.topics[i], true});
    if (i < unit.key_concepts.size()) phrases.push_back({unit.key_concepts[i], false});
  }
  Unit first = unit;
  Unit second = unit;
  first.topics.clear();
  first.key_concepts.clear();
  second.topics.clear();
  second.key_concepts.clear();
  second.piece = unit.piece + 1;
  // Subsections go with the piece that reads them: the first half of them with the first piece.
  const std::size_t first_subsections = (unit.subsections.size() + 1) / 2;
  first.subsections.assign(unit.subsections.begin(),
                           unit.subsections.begin() + static_cast<std::ptrdiff_t>(first_subsections));
  second.subsections.assign(unit.subsections.begin() + static_cast<std::ptrdiff_t>(first_subsections),
                            unit.subsections.end());
  const std::size_t half = (phrases.size() + 1) / 2;
  for (std::size_t i = 0; i < phrases.size(); ++i) {
    Unit& piece = i < half ? first : second;
    (phrases[i].topic ? piece.topics : piece.key_concepts).push_back(phrases[i].text);
  }
  return {std::move(first), std::move(second)};
}

void split_until(std::vector<Unit>& units, std::size_t needed) {
  while (units.size() < needed) {
    // The richest unit (the earliest in course order among equals) gives up half of its phrases.
    auto richest = units.end();
    for (auto it = units.begin(); it != units.end(); ++it) {
      if (it->phrases() < 2 * kMinPhrasesPerPiece) continue;
      if (richest == units.end() || it->phrases() > richest->phrases()) richest = it;
    }
    if (richest == units.end()) return;
    auto [first, second] = split_unit(*richest);
    *richest = std::move(first);
    units.insert(richest + 1, std::move(second));
    // Pieces of one unit keep their relative order: renumber the pieces after the split.
    for (auto it = units.begin(); it != units.end(); ++it) {
      if (it != units.begin() && (it - 1)->source == it->source) it->piece = (it - 1)->piece + 1;
    }
  }
}

// Chapters a course never teaches from unless asked: front matter, licences, indexes, news and
// the history of the project (by the summary's kind, or by the title when it has none).
bool is_teaching_chapter(const PlanChapter& chapter) {
  if (chapter.kind == "front_matter" || chapter.kind == "index" || chapter.kind == "back_matter") return false;
  const std::string title = ascii_lower(chapter.title);
  for (const std::string_view cue :
       {"preface", "foreword", "acknowledg", "licen", "copyright", "index", "glossary", "bibliograph",
        "about this", "colophon", "release notes", "what's new", "whats new", "news", "history of the project",
        "table of contents", "dedication", "credits", "authors"}) {
    if (title.find(cue) != std::string::npos) return false;
  }
  return true;
}

// "One tool unless the learner asks for two": when the best book's title names what the request
// asks for (Python, Vim, valuation), the main books are those whose titles name it too and that
// score at least kNamedBookShare of the best; otherwise (a subject no title names) the books
// scoring at least kMainBookShare of the best. Other books give material only to a topic the
// request names that the main books lack, and only when they score kTopicBookShare of the best.
constexpr double kNamedBookShare = 0.5;
constexpr double kMainBookShare = 0.6;
constexpr double kTopicBookShare = 0.55;
// What a title naming the whole topic adds to a unit's claim on it (a whole term matched counts 1).
constexpr double kTitledTopicBonus = 2.0;
// The search's best source for a topic (PlanBook::topics) is preferred for it like a title naming
// it: over a main book that mentions the topic, on a par with a main book's unit titled after it.
constexpr double kTopicSourceBonus = 2.0;

}  // namespace

std::vector<Unit> candidate_units(const std::vector<PlanBook>& books) {
  std::vector<double> mass(books.size(), 0.0);
  double best_mass = 0.0;
  for (std::size_t b = 0; b < books.size(); ++b) {
    for (const auto& chapter : books[b].chapters) mass[b] += std::max(chapter.relevance, 0.0);
    if (!books[b].chapters.empty()) mass[b] /= static_cast<double>(books[b].chapters.size());
    best_mass = std::max(best_mass, mass[b]);
  }
  std::vector<Unit> units;
  for (std::size_t b = 0; b < books.size(); ++b) {
    const PlanBook& book = books[b];
    const double book_factor =
        1.0 - kBookMassShare + kBookMassShare * (best_mass > 0.0 ? mass[b] / best_mass : 1.0);
    for (std::size_t c = 0; c < book.chapters.size(); ++c) {
      const PlanChapter& chapter = book.chapters[c];
      if (!is_teaching_chapter(chapter)) continue;
      double best_section = chapter.sections.empty() ? chapter.relevance : 0.0;
      for (const auto& section : chapter.sections)
        best_section = std::max(best_section, section.relevance);
      const double position =
          book.chapters.size() > 1
              ? static_cast<double>(c) / static_cast<double>(book.chapters.size() - 1)
              : 0.0;
      const double chapter_relevance =
          (kChapterOwnWeight * chapter.relevance + kChapterBestSectionWeight * best_section) *
          book_factor;
      const double chapter_score = chapter_relevance * (1.0 + kFoundationBonus * (1.0 - position));
      const auto make = [&](int section_index, const std::string& title,
                            const std::vector<std::string>& topics,
                            const std::vector<std::string>& concepts, double relevance) {
        Unit unit;
        unit.book_rank = b;
        unit.chapter_pos = c;
        unit.source = SourceRef{book.book_id, chapter.chapter_number, section_index};
        unit.base_title = title;
        unit.chapter_title = chapter.title;
        unit.topics = topics;
        unit.key_concepts = concepts;
        unit.score = kSectionWeight * relevance + kChapterWeight * chapter.relevance;
        unit.chapter_score = chapter_score * (chapter.kind == "appendix" ? 0.5 : 1.0);
        unit.chapter_relevance = chapter_relevance;
        unit.book_relevance = book.relevance;
        unit.book_topics = book.topics;
        unit.book_title = book.title;
        return unit;
      };
      if (chapter.sections.empty()) {
        if (trim(chapter.title).empty()) continue;
        units.push_back(make(0, chapter.title, {chapter.title}, {}, chapter.relevance));
        units.back().words = chapter.words;
        units.back().terms = chapter.title_terms;
        continue;
      }
      for (std::size_t s = 0; s < chapter.sections.size(); ++s) {
        const PlanSection& section = chapter.sections[s];
        const std::string& title = trim(section.title).empty() ? chapter.title : section.title;
        if (trim(title).empty()) continue;
        std::vector<std::string> topics = section.topics;
        // A section with no phrases at all still teaches its title.
        if (topics.empty() && section.key_concepts.empty()) topics.push_back(title);
        units.push_back(
            make(static_cast<int>(s) + 1, title, topics, section.key_concepts, section.relevance));
        units.back().subsections = section.subsections;
        units.back().words = section.words > 0 ? section.words
                             : chapter.words > 0 ? chapter.words / static_cast<int>(chapter.sections.size())
                                                 : 0;
        // Known terms only when both parts are: a section without its own title takes the
        // chapter's, and one without phrases teaches its title.
        if (!section.terms.empty() && !chapter.title_terms.empty() && !trim(section.title).empty() &&
            !(section.topics.empty() && section.key_concepts.empty())) {
          std::vector<std::string>& terms = units.back().terms;
          std::set_union(section.terms.begin(), section.terms.end(), chapter.title_terms.begin(),
                         chapter.title_terms.end(), std::back_inserter(terms));
        }
      }
    }
  }
  return units;
}

std::vector<Unit> select_units(std::vector<Unit> candidates, std::size_t wanted,
                               std::size_t needed) {
  const std::vector<ChapterUnits> chapters = chapters_of(candidates);
  double best = 0.0;
  for (const auto& chapter : chapters) best = std::max(best, chapter.relevance);
  std::vector<Unit> chosen;
  std::set<std::string> titles;
  // Material for the request's named topics and its project first, whatever its rank.
  for (const Unit& unit : candidates) {
    if (unit.forced && titles.insert(title_key(unit)).second) chosen.push_back(unit);
  }
  // Then the clearly relevant chapters up to `wanted`, then weaker ones only to reach `needed`.
  for (const bool weak_allowed : {false, true}) {
    // Weak chapters fill the course only while it lacks material: when the request's own books
    // are thin on its words (a why-question, a subject the books name otherwise), their other
    // chapters are still the learner's best reading.
    const std::size_t limit = wanted;
    for (const ChapterUnits& chapter : chapters) {
      if (chosen.size() >= limit) break;
      const bool weak = chapter.relevance <= 0.0 || chapter.relevance < kWeakRelevance * best;
      if (weak != weak_allowed) continue;
      std::vector<Unit> units;
      for (std::size_t i = chapter.begin; i < chapter.end; ++i) {
        if (candidates[i].forced) continue;
        if (!titles.contains(title_key(candidates[i]))) units.push_back(candidates[i]);
      }
      // Only part of the chapter still fits: its most relevant sections.
      if (chosen.size() + units.size() > limit) {
        std::stable_sort(units.begin(), units.end(), more_relevant);
        units.resize(limit - chosen.size());
      }
      for (Unit& unit : units) {
        if (titles.insert(title_key(unit)).second) chosen.push_back(std::move(unit));
      }
    }
  }
  std::stable_sort(chosen.begin(), chosen.end(),
                   [](const Unit& a, const Unit& b) { return a.order_key() < b.order_key(); });
  split_until(chosen, needed);
  return chosen;
}

std::vector<Unit> pad_with_reviews(std::vector<Unit> units, std::size_t count) {
  const std::size_t original = units.size();
  for (std::size_t i = 0; original > 0 && units.size() < count; ++i) {
    Unit review = units[i % original];
    review.review = true;
    units.push_back(std::move(review));
  }
  return units;
}

namespace {

// How many of `wanted` are in `have`.
std::size_t shared(const std::set<std::string>& wanted, const std::set<std::string>& have) {
  std::size_t n = 0;
  for (const auto& t : wanted) n += have.contains(t) ? 1 : 0;
  return n;
}

// A unit's own words: its title, its chapter's title, its topics (not its key concepts, which
// mention much in passing).
std::set<std::string> unit_terms(const Unit& unit, const TermAnalyzer& analyzer) {
  if (!unit.terms.empty()) return {unit.terms.begin(), unit.terms.end()};
  std::set<std::string> terms = term_set(analyzer, unit.base_title);
  for (const auto& t : term_set(analyzer, unit.chapter_title)) terms.insert(t);
  for (const auto& topic : unit.topics) {
    for (const auto& t : term_set(analyzer, topic)) terms.insert(t);
  }
  return terms;
}

bool is_introductory(const Unit& unit) {
  const std::string title = ascii_lower(unit.base_title + " " + unit.chapter_title);
  for (const std::string_view cue : {"introduc", "basic", "getting started", "tutorial", "overview", "first steps",
                                     "beginner", "primer", "fundamentals", "what is"}) {
    if (title.find(cue) != std::string::npos) return true;
  }
  return unit.chapter_pos == 0;
}

bool is_project(const Unit& unit) {
  const std::string title = ascii_lower(unit.base_title + " " + unit.chapter_title);
  for (const std::string_view cue : {"project", "capstone", "case study", "putting it all together", "building a"}) {
    if (title.find(cue) != std::string::npos) return true;
  }
  return false;
}

// The basics of the subject: the opening sections of the most relevant main book's first teaching
// chapters (at most kBasicsUnits, from at most two chapters), named "The Basics".
constexpr std::size_t kBasicsUnits = 3;

template <typename IsMain>
void force_basics(std::vector<Unit>& units, IsMain& is_main, int rank) {
  std::size_t book = units.size();
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (!is_main(units[i])) continue;
    if (book == units.size() || units[i].book_rank < units[book].book_rank) book = i;
  }
  if (book == units.size()) return;
  const std::size_t book_rank = units[book].book_rank;
  std::size_t chosen = 0;
  std::size_t chapters = 0;
  std::size_t chapter = units.size();
  for (Unit& unit : units) {
    if (unit.book_rank != book_rank || unit.review) continue;
    if (unit.chapter_pos != chapter) {
      if (chosen >= 2 || chapters == 2) break;
      chapter = unit.chapter_pos;
      ++chapters;
    }
    if (chosen == kBasicsUnits) break;
    unit.forced = true;
    if (unit.request_topics.empty()) unit.request_topics.push_back("the basics");
    if (rank >= 0 && unit.topic_rank < 0) unit.topic_rank = rank;
    ++chosen;
  }
}

}  // namespace

void apply_request(std::vector<Unit>& units, std::string_view query, const TermAnalyzer& analyzer,
                   std::vector<CourseNote>& notes) {
  const RequestReading reading = read_request(query);
  std::vector<std::set<std::string>> terms;
  terms.reserve(units.size());
  for (const Unit& unit : units) terms.push_back(unit_terms(unit, analyzer));

  // What the learner already knows: introductions to it go.
  for (const auto& subject : reading.prior_knowledge) {
    const auto known = term_set(analyzer, subject);
    std::size_t dropped = 0;
    for (std::size_t i = 0; !known.empty() && i < units.size(); ++i) {
      if (units[i].review || !is_introductory(units[i])) continue;
      const auto title_terms = term_set(analyzer, units[i].base_title + " " + units[i].chapter_title);
      if (shared(known, title_terms) == known.size()) {
        units[i].review = true;  // marks it for removal below
        ++dropped;
      }
    }
    notes.push_back(CourseNote{"prior_knowledge", subject,
                               "You said you already know " + subject +
                                   (dropped > 0 ? ": introductory material on it is left out."
                                                : ": the course builds on it rather than teaching it.")});
  }
  std::vector<Unit> kept;
  std::vector<std::set<std::string>> kept_terms;
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (units[i].review) continue;
    kept.push_back(std::move(units[i]));
    kept_terms.push_back(std::move(terms[i]));
  }
  units = std::move(kept);
  terms = std::move(kept_terms);

  double best_book = 0.0;
  std::string best_title;
  for (const Unit& unit : units) {
    if (unit.book_relevance > best_book) {
      best_book = unit.book_relevance;
      best_title = unit.book_title;
    }
  }
  // The request's words, less what the learner already knows ("Python for a Java programmer").
  std::set<std::string> asked = term_set(analyzer, query);
  for (const auto& subject : reading.prior_knowledge) {
    for (const auto& t : term_set(analyzer, subject)) asked.erase(t);
  }
  const auto names_request = [&](const std::string& title) { return shared(asked, term_set(analyzer, title)) > 0; };
  const bool named = names_request(best_title);
  std::map<std::string, bool> main_by_title;
  const auto is_main = [&](const Unit& unit) {
    const auto [it, inserted] = main_by_title.emplace(unit.book_title, false);
    if (inserted) {
      it->second = named ? unit.book_relevance >= kNamedBookShare * best_book && names_request(unit.book_title)
                         : unit.book_relevance >= kMainBookShare * best_book;
    }
    return it->second;
  };

  // Each named topic: its best unit (most of the topic's words, then the most relevant), forced in.
  // A unit's title, chapter and topics name what it teaches; only when none names a topic are its
  // key concepts searched too ("quantum electrodynamics" in a book titled "QED"), phrase by
  // phrase: a topic is found when one concept says it in so many words ("quantum electrodynamics"), not pieced together from several ("git" from
  // "your git area" and "hook" from "directory name hook" do not make "Git hooks", nor does "this
  // hook is used in the git backend").
  std::vector<std::vector<std::vector<std::string>>> concept_terms;
  const auto term_sequence = [&](std::string_view text) {
    std::vector<std::string> sequence;
    for (const auto& w : analyzer.words(text)) sequence.push_back(w.term);
    return sequence;
  };
  std::map<std::string, std::set<std::string>> book_title_sets;
  const auto book_title_terms = [&](const std::string& title) -> const std::set<std::string>& {
    auto it = book_title_sets.find(title);
    if (it == book_title_sets.end()) it = book_title_sets.emplace(title, term_set(analyzer, title)).first;
    return it->second;
  };
  const auto best_unit_for = [&](const std::string& topic, const std::set<std::string>& wanted, bool with_concepts) {
    const std::size_t need = wanted.size() <= 2 ? wanted.size() : (wanted.size() * 2 + 2) / 3;
    if (with_concepts && concept_terms.empty()) {
      for (const Unit& unit : units) {
        std::vector<std::vector<std::string>> phrases;
        for (const auto& c : unit.key_concepts) phrases.push_back(term_sequence(c));
        concept_terms.push_back(std::move(phrases));
      }
    }
    const std::vector<std::string> said = with_concepts ? term_sequence(topic) : std::vector<std::string>{};
    const auto in_one_concept = [&](std::size_t i) -> std::size_t {
      for (const auto& phrase : concept_terms[i]) {
        if (!said.empty() && std::search(phrase.begin(), phrase.end(), said.begin(), said.end()) != phrase.end()) {
          return wanted.size();
        }
      }
      return 0;
    };
    std::size_t best = units.size();
    double best_score = 0.0;
    for (std::size_t i = 0; i < units.size(); ++i) {
      // Main books first, and the topic's own best source (the search's, found for the topic
      // alone: the shell's manual for "shell scripts" in a course on Git hooks). Another book
      // serves a topic only when none of those can, and only when it is relevant enough itself.
      const auto& sources = units[i].book_topics;
      const bool main_book = is_main(units[i]);
      const bool source = std::find(sources.begin(), sources.end(), topic) != sources.end();
      const bool main = main_book || source;
      if (!main && units[i].book_relevance < kTopicBookShare * best_book) continue;
      if (!main_book && with_concepts) continue;  // a passing mention in another book is no material
      // The book's title is the context of each of its units: a chapter "Style" in "The Practice
      // of Programming" is on programming style, a unit on hooks in Git's manual on Git hooks. It
      // completes what a unit names, never stands in for it.
      const auto& book_words = book_title_terms(units[i].book_title);
      const auto with_book = [&](std::size_t own, const std::set<std::string>& unit_terms) -> std::size_t {
        if (own == 0) return 0;
        std::size_t extra = 0;
        for (const auto& w : wanted) extra += (book_words.contains(w) && !unit_terms.contains(w)) ? 1 : 0;
        return own + extra;
      };
      const std::size_t n = with_concepts ? in_one_concept(i) : with_book(shared(wanted, terms[i]), terms[i]);
      if (n < need) continue;
      // A section or chapter titled after the topic teaches it; one that mentions it among its
      // topics may only use it ("Pointers and Arrays" over "Self-referential structures" for
      // "pointers").
      const auto titled = term_set(analyzer, units[i].base_title + " " + units[i].chapter_title);
      const double title_bonus = with_book(shared(wanted, titled), titled) == wanted.size() ? kTitledTopicBonus : 0.0;
      const double score = (main ? 10.0 : 0.0) + (source ? kTopicSourceBonus : 0.0) + title_bonus +
                           static_cast<double>(n) + units[i].book_relevance + units[i].score;
      if (best == units.size() || score > best_score) {
        best = i;
        best_score = score;
      }
    }
    return best;
  };
  for (std::size_t k = 0; k < reading.topics.size(); ++k) {
    const std::string& topic = reading.topics[k];
    const int rank = reading.ordered ? static_cast<int>(k) : -1;
    if (is_basics_topic(topic)) {
      force_basics(units, is_main, rank);
      continue;
    }
    const auto wanted = term_set(analyzer, topic);
    std::size_t best = units.size();
    if (wanted.empty()) {
      // A word the analyzer treats as filler ("EXPLAIN", PostgreSQL's command): found as written
      // in a title of the main books.
      const std::string needle = " " + ascii_lower(topic) + " ";
      for (std::size_t i = 0; i < units.size() && best == units.size(); ++i) {
        std::string title = " " + ascii_lower(units[i].base_title) + " ";
        for (char& c : title) c = (c == ',' || c == ':' || c == '.' || c == '(' || c == ')') ? ' ' : c;
        if (is_main(units[i]) && title.find(needle) != std::string::npos) best = i;
      }
    } else {
      best = best_unit_for(topic, wanted, false);
      if (best == units.size()) best = best_unit_for(topic, wanted, true);
    }
    if (best == units.size()) {
      notes.push_back(CourseNote{"uncovered_topic", topic,
                                 "The library has no material on " + topic + ", so the course does not cover it."});
      continue;
    }
    Unit& unit = units[best];
    unit.forced = true;
    unit.request_topics.push_back(topic);
    unit.names_topics = !reading.topics_name_subject;
    if (rank >= 0 && unit.topic_rank < 0) unit.topic_rank = rank;
  }

  // A stated order of topics orders the books serving them (within a book, its own order rules).
  if (reading.ordered) {
    std::map<std::size_t, int> book_rank;
    for (const Unit& unit : units) {
      if (unit.topic_rank < 0) continue;
      const auto [it, inserted] = book_rank.emplace(unit.book_rank, unit.topic_rank);
      if (!inserted) it->second = std::min(it->second, unit.topic_rank);
    }
    for (Unit& unit : units) {
      const auto it = book_rank.find(unit.book_rank);
      unit.topic_rank = it == book_rank.end() ? -1 : it->second;
    }
  }

  // A requested project comes last; the best project unit is forced in.
  if (reading.wants_project) {
    std::size_t best = units.size();
    // The project comes from the subject's first book: another book's project ("Before the
    // Project" in a book on programming practice) is not the learner's project in this subject.
    std::size_t first_book = units.size();
    for (const Unit& unit : units) {
      if (is_main(unit)) first_book = std::min(first_book, unit.book_rank);
    }
    for (std::size_t i = 0; i < units.size(); ++i) {
      if (!is_project(units[i]) || units[i].book_rank != first_book) continue;
      units[i].project = true;
      if (best == units.size() || units[i].score + units[i].book_relevance >
                                      units[best].score + units[best].book_relevance) {
        best = i;
      }
    }
    if (best == units.size()) {
      const std::string what = reading.project.empty() ? std::string("project") : reading.project;
      notes.push_back(CourseNote{"uncovered_topic", what,
                                 "The library has no material for a " + what + ", so the course has no project."});
    } else {
      units[best].forced = true;
      // Only the chosen project's chapter comes last; other chapters that mention a project keep
      // their place in the book.
      const std::size_t book = units[best].book_rank;
      const std::size_t chapter = units[best].chapter_pos;
      for (Unit& unit : units) unit.project = unit.book_rank == book && unit.chapter_pos == chapter;
    }
  }

  // Secondary books serve only the topics they were forced in for.
  std::vector<Unit> served;
  for (Unit& unit : units) {
    if (unit.forced || is_main(unit)) served.push_back(std::move(unit));
  }
  units = std::move(served);
}

}  // namespace docprof::domain::planning
