#include "domain/library_ranking.h"

#include "domain/course_plan_request.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <span>
#include <unordered_map>
#include <utility>

namespace docprof::domain {
namespace {

// BM25 with a moderate length normalisation: summaries are short, and a long chapter summary is
// usually a rich one rather than a padded one.
constexpr double kK1 = 1.2;
constexpr double kB = 0.5;
// A book's lexical score: its digest, its best chapter and the next two (a book about the subject
// has several chapters on it; a book that mentions it once has one).
constexpr double kDigestShare = 0.3;
constexpr double kBestChapterShare = 0.45;
constexpr double kNextChaptersShare = 0.25;
// A chapter's lexical score adds half of its best section's: one section can make a chapter.
constexpr double kBestSectionShare = 0.5;
// A request word weighted like a title in a book's digest (library_index.cpp gives titles 3)
// names what the book is about: "Vim and Git" wants the Vim and Git manuals, not a handbook that
// mentions both. Such words raise the book's score by up to kTitleBoost, and a book whose title
// words carry kTitleFound of the request's information is found whatever its coverage.
constexpr double kTitleWeight = 3.0;
constexpr double kTitleBoost = 1.0;
constexpr double kTitleFound = 0.2;
// A topic's own search: a book must contain (nearly) all of the topic's information, and joins the
// request's books when it scores more than kTopicLead times the best of them for the topic.
constexpr double kTopicCoverage = 0.99;
constexpr double kTopicLead = 1.5;

double idf(double docs, double df) {
  return std::log(1.0 + (docs - df + 0.5) / (df + 0.5));
}

const KindStats& stats_of(const LibraryStats& stats, BookVectorKind kind) {
  switch (kind) {
    case BookVectorKind::book:
      return stats.book;
    case BookVectorKind::chapter:
      return stats.chapter;
    case BookVectorKind::section:
      return stats.section;
  }
  return stats.book;
}

using SectionKey = std::pair<int, int>;

struct BookAccumulator {
  double digest = 0.0;
  std::map<int, double> chapter_lexical;
  std::map<SectionKey, double> section_lexical;
  std::set<std::string> terms;                        // single query terms found anywhere
  std::map<int, std::set<std::string>> chapter_terms;  // ... per chapter (with its sections)
  double cosine = -1.0;  // best vector; -1 = none
  std::map<int, double> chapter_cosine;
  std::map<SectionKey, double> section_cosine;
};

// How much of the request's information each book's postings hold: the IDF-weighted share of the
// request's single terms it contains anywhere, and the share its title words carry.
struct LexicalReach {
  double coverage = 0.0;
  double title_share = 0.0;
};

std::unordered_map<std::string, LexicalReach> lexical_reach(const std::vector<QueryTerm>& query,
                                                            const LibraryStats& stats,
                                                            const std::vector<Posting>& postings) {
  std::unordered_map<std::string, double> chapter_df;
  for (const auto& p : postings) {
    if (p.kind == BookVectorKind::chapter) chapter_df[p.term] += 1.0;
  }
  // The information of the request: each single term weighted by its rarity among chapters.
  const double chapter_docs = std::max(stats.chapter.docs, 1.0);
  std::unordered_map<std::string, double> information;
  double total_information = 0.0;
  for (const auto& q : query) {
    if (q.pair) continue;
    const auto it = chapter_df.find(q.term);
    const double weight = q.weight * idf(chapter_docs, it == chapter_df.end() ? 0.0 : it->second);
    information[q.term] = weight;
    total_information += weight;
  }
  std::unordered_map<std::string, std::set<std::string>> terms;        // per book
  std::unordered_map<std::string, std::set<std::string>> title_terms;  // per book
  for (const auto& p : postings) {
    if (!information.contains(p.term)) continue;  // pairs, or terms no longer asked for
    terms[p.book_id].insert(p.term);
    if (p.kind == BookVectorKind::book && p.weight >= kTitleWeight) title_terms[p.book_id].insert(p.term);
  }
  std::unordered_map<std::string, LexicalReach> reach;
  if (total_information <= 0.0) return reach;
  for (const auto& [book_id, found] : terms) {
    LexicalReach& r = reach[book_id];
    for (const auto& term : found) r.coverage += information[term] / total_information;
    for (const auto& term : title_terms[book_id]) r.title_share += information[term] / total_information;
  }
  return reach;
}

bool lexically_found(const LexicalReach& reach, const RankingOptions& options) {
  return reach.coverage >= options.min_coverage || reach.title_share >= kTitleFound;
}

// The books ranked first by their words and their own vectors, kNearFactor times as many as a
// search returns, found with kNearShare of the usual floors: the books whose chapter and section
// vectors can change the ranking.
constexpr int kNearFactor = 3;
constexpr double kNearShare = 0.5;

}  // namespace

std::set<std::string> books_worth_vectors(const std::vector<QueryTerm>& query, const LibraryStats& stats,
                                          const std::vector<Posting>& postings,
                                          const std::vector<VectorHit>& book_vectors,
                                          const RankingOptions& options) {
  RankingOptions near = options;
  near.top_k = options.top_k * kNearFactor;
  near.min_similarity = kNearShare * options.min_similarity;
  near.min_coverage = kNearShare * options.min_coverage;
  near.relative_cut = 0.0;
  std::set<std::string> worth;
  for (const auto& ranked : rank_books(query, stats, postings, book_vectors, near)) worth.insert(ranked.book_id);
  return worth;
}

std::vector<QueryTerm> query_terms(const TermAnalyzer& analyzer, std::string_view text) {
  // The words that name what to learn (course_plan_request.h search_text), for every search path.
  const auto words = analyzer.words(search_text(text));
  std::vector<QueryTerm> terms;
  std::set<std::string> seen;
  const AnalyzedWord* previous = nullptr;
  for (const auto& w : words) {
    if (seen.insert(w.term).second) terms.push_back({w.term, w.word, 1.0, false});
    if (previous != nullptr && !w.starts_phrase) {
      const std::string pair = previous->term + ' ' + w.term;
      if (seen.insert(pair).second) terms.push_back({pair, previous->word + ' ' + w.word, 1.0, true});
    }
    previous = &w;
  }
  return terms;
}

std::vector<TopicQuery> topic_queries(const TermAnalyzer& analyzer, std::string_view text,
                                      const std::vector<QueryTerm>& query) {
  const RequestReading reading = read_request(text);
  std::unordered_map<std::string_view, const QueryTerm*> by_term;
  for (const auto& q : query) by_term.emplace(q.term, &q);
  std::vector<TopicQuery> topics;
  for (const auto& topic : reading.topics) {
    if (is_basics_topic(topic)) continue;
    TopicQuery t{topic, {}};
    std::set<std::string> seen;
    const auto words = analyzer.words(topic);
    for (std::size_t i = 0; i < words.size(); ++i) {
      const auto add = [&](const std::string& term) {
        const auto q = by_term.find(term);
        if (q != by_term.end() && seen.insert(term).second) t.terms.push_back(*q->second);
      };
      add(words[i].term);
      if (i > 0 && !words[i].starts_phrase) add(words[i - 1].term + ' ' + words[i].term);
    }
    if (!t.terms.empty()) topics.push_back(std::move(t));
  }
  if (topics.size() < 2) return {};
  return topics;
}

std::vector<RankedBook> rank_books(const std::vector<QueryTerm>& query, const LibraryStats& stats,
                                   const std::vector<Posting>& postings,
                                   const std::vector<VectorHit>& vectors,
                                   const RankingOptions& options,
                                   const std::vector<TopicQuery>& topics) {
  if (options.top_k <= 0) return {};
  std::unordered_map<std::string, const QueryTerm*> by_term;
  for (const auto& q : query) by_term.emplace(q.term, &q);

  // Document frequencies of the query terms, per kind, from their postings.
  std::map<std::pair<std::string, BookVectorKind>, double> df;
  for (const auto& p : postings) df[{p.term, p.kind}] += 1.0;

  std::unordered_map<std::string, BookAccumulator> books;  // order is irrelevant: sorted below
  for (const auto& p : postings) {
    const auto q = by_term.find(p.term);
    if (q == by_term.end()) continue;
    const KindStats& kind_stats = stats_of(stats, p.kind);
    const double docs = std::max(kind_stats.docs, 1.0);
    const double average = kind_stats.total_length > 0.0 ? kind_stats.total_length / docs : 1.0;
    const double tf = p.weight;
    const double norm = kK1 * (1.0 - kB + kB * p.doc_length / average);
    const double score = q->second->weight * idf(docs, df[{p.term, p.kind}]) * tf * (kK1 + 1.0) / (tf + norm);
    BookAccumulator& book = books[p.book_id];
    switch (p.kind) {
      case BookVectorKind::book:
        book.digest += score;
        break;
      case BookVectorKind::chapter:
        book.chapter_lexical[p.chapter_number] += score;
        break;
      case BookVectorKind::section:
        book.section_lexical[{p.chapter_number, p.section_index}] += score;
        break;
    }
    if (!q->second->pair) {
      book.terms.insert(p.term);
      if (p.kind != BookVectorKind::book) book.chapter_terms[p.chapter_number].insert(p.term);
    }
  }
  // Vectors of one book arrive together (the backend reads them book by book): look each book up
  // once per run of hits, not once per hit.
  BookAccumulator* current = nullptr;
  const std::string* current_id = nullptr;
  for (const auto& v : vectors) {
    if (current_id == nullptr || *current_id != v.book_id) {
      current = &books[v.book_id];
      current_id = &v.book_id;
    }
    BookAccumulator& book = *current;
    book.cosine = std::max(book.cosine, v.cosine);
    const auto keep_best = [&](auto& scores, const auto& key) {
      const auto [it, inserted] = scores.emplace(key, v.cosine);
      if (!inserted) it->second = std::max(it->second, v.cosine);
    };
    if (v.kind == BookVectorKind::chapter) {
      keep_best(book.chapter_cosine, v.chapter_number);
    } else if (v.kind == BookVectorKind::section) {
      keep_best(book.chapter_cosine, v.chapter_number);
      keep_best(book.section_cosine, SectionKey{v.chapter_number, v.section_index});
    }
  }

  const auto reach = lexical_reach(query, stats, postings);

  struct Candidate {
    RankedBook ranked;
    const BookAccumulator* book;
    std::map<int, double> chapter_lexical;  // with the best section's share
    bool found = false;
  };
  std::vector<Candidate> candidates;
  for (const auto& [book_id, book] : books) {
    Candidate c{RankedBook{}, &book, {}, false};
    c.ranked.book_id = book_id;
    const auto r = reach.find(book_id);
    const LexicalReach lexical = r == reach.end() ? LexicalReach{} : r->second;
    c.ranked.coverage = lexical.coverage;
    const double title_share = lexical.title_share;
    for (const auto& [chapter, score] : book.chapter_lexical) c.chapter_lexical[chapter] = score;
    std::map<int, double> best_section;
    for (const auto& [key, score] : book.section_lexical) {
      best_section[key.first] = std::max(best_section[key.first], score);
    }
    for (const auto& [chapter, score] : best_section) c.chapter_lexical[chapter] += kBestSectionShare * score;
    std::vector<double> chapter_scores;
    for (const auto& [chapter, score] : c.chapter_lexical) chapter_scores.push_back(score);
    std::sort(chapter_scores.rbegin(), chapter_scores.rend());
    const double best = chapter_scores.empty() ? 0.0 : chapter_scores[0];
    double next = 0.0;
    for (std::size_t i = 1; i < std::min<std::size_t>(3, chapter_scores.size()); ++i) next += chapter_scores[i];
    next /= 2.0;
    c.ranked.lexical = c.ranked.coverage * (1.0 + kTitleBoost * title_share) *
                       (kDigestShare * book.digest + kBestChapterShare * best + kNextChaptersShare * next);
    c.ranked.cosine = std::max(book.cosine, 0.0);
    const bool has_vectors = book.cosine > -1.0;
    c.found = (c.ranked.lexical > 0.0 && lexically_found(lexical, options)) ||
              (has_vectors && book.cosine >= options.min_similarity);
    // A book not found for the request may still be a topic's best source (below).
    if (c.found || (!topics.empty() && c.ranked.lexical > 0.0)) candidates.push_back(std::move(c));
  }

  double best_lexical = 0.0;
  double best_cosine = 0.0;
  for (const auto& c : candidates) {
    if (!c.found) continue;
    best_lexical = std::max(best_lexical, c.ranked.lexical);
    best_cosine = std::max(best_cosine, c.ranked.cosine);
  }
  if (std::none_of(candidates.begin(), candidates.end(), [](const Candidate& c) { return c.found; })) return {};
  // The lexical score is relative to the request's best book; cosines are absolute (an embedder's
  // scale). Without one of the signals (no terms indexed, or no vectors), the other decides alone:
  // a vector-only library ranks by plain cosine similarity.
  double vector_weight = options.vector_weight;
  if (best_cosine <= 0.0) vector_weight = 0.0;
  if (best_lexical <= 0.0) vector_weight = 1.0;
  for (auto& c : candidates) {
    const double lexical = best_lexical > 0.0 ? c.ranked.lexical / best_lexical : 0.0;
    c.ranked.score = (1.0 - vector_weight) * lexical + vector_weight * c.ranked.cosine;
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.found != b.found) return a.found;
    if (a.ranked.score != b.ranked.score) return a.ranked.score > b.ranked.score;
    return a.ranked.book_id < b.ranked.book_id;
  });
  const double cut = options.relative_cut * candidates.front().ranked.score;
  std::vector<Candidate> kept;
  std::vector<Candidate> others;  // not kept: a topic may still want one
  for (auto& c : candidates) {
    if (c.found && static_cast<int>(kept.size()) < options.top_k && c.ranked.score >= cut) {
      kept.push_back(std::move(c));
    } else if (!topics.empty()) {
      others.push_back(std::move(c));
    }
  }

  // Whether the request names a subject a kept book is titled after: a word of the request outside
  // its topics, or a topic all of whose words are, is a title word of a kept book.
  const auto names_subject_of_kept = [&] {
    std::set<std::string_view> ids;
    for (const auto& c : kept) ids.insert(c.ranked.book_id);
    std::set<std::string_view> titled;  // the request's terms in a kept book's title
    for (const auto& p : postings) {
      if (p.kind == BookVectorKind::book && p.weight >= kTitleWeight && ids.contains(p.book_id)) titled.insert(p.term);
    }
    std::set<std::string_view> in_topics;
    for (const auto& t : topics) {
      bool all_titled = true;
      for (const auto& term : t.terms) {
        in_topics.insert(term.term);
        if (!term.pair && !titled.contains(term.term)) all_titled = false;
      }
      if (all_titled) return true;
    }
    return std::any_of(query.begin(), query.end(), [&](const QueryTerm& term) {
      return !term.pair && !in_topics.contains(term.term) && titled.contains(term.term);
    });
  };
  // Each topic on its own, by its words alone: its best source is marked, and joins the kept books
  // when it is none of them and covers the topic better than all of them. Not when the request
  // names its subject outside the topics and a kept book is titled after it ("Python from
  // scratch: … classes …" is a course on Python: its classes come from the Python book, not from
  // the book that covers classes best).
  const bool search_topics = !topics.empty() && !names_subject_of_kept();
  const std::span<const TopicQuery> searched = search_topics ? std::span(topics) : std::span<const TopicQuery>{};
  // First each topic's source (a kept book, or one to join), then the joins: a kept book serving
  // a topic keeps its place.
  std::vector<std::pair<std::string, std::string>> joins;  // book id, topic
  for (const auto& topic : searched) {
    RankingOptions alone;
    alone.top_k = std::numeric_limits<int>::max();
    alone.min_coverage = kTopicCoverage;
    alone.relative_cut = 0.0;
    const auto ranked = rank_books(topic.terms, stats, postings, {}, alone);
    if (ranked.empty()) continue;
    std::unordered_map<std::string_view, double> topic_score;
    for (const auto& r : ranked) topic_score.emplace(r.book_id, r.lexical);
    std::size_t source = kept.size();
    double kept_best = 0.0;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      const auto it = topic_score.find(kept[i].ranked.book_id);
      if (it != topic_score.end() && it->second > kept_best) {
        kept_best = it->second;
        source = i;
      }
    }
    if (ranked.front().lexical > kTopicLead * kept_best) {
      joins.emplace_back(ranked.front().book_id, topic.topic);
    } else if (source < kept.size()) {
      kept[source].ranked.topics.push_back(topic.topic);
    }
  }
  for (const auto& [book_id, topic] : joins) {
    const auto in_kept = std::find_if(kept.begin(), kept.end(), [&](const Candidate& c) {
      return c.ranked.book_id == book_id;
    });
    if (in_kept != kept.end()) {  // joined for an earlier topic
      in_kept->ranked.topics.push_back(topic);
      continue;
    }
    const auto other = std::find_if(others.begin(), others.end(), [&](const Candidate& c) {
      return c.ranked.book_id == book_id;
    });
    if (other == others.end()) continue;
    // When top_k are kept, the last one serving no topic makes room; never the best one.
    if (static_cast<int>(kept.size()) >= options.top_k) {
      std::size_t room = kept.size();
      for (std::size_t i = kept.size(); i-- > 1;) {
        if (kept[i].ranked.topics.empty()) {
          room = i;
          break;
        }
      }
      if (room == kept.size()) continue;
      kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(room));
    }
    kept.push_back(std::move(*other));
    others.erase(other);
    kept.back().ranked.topics.push_back(topic);
  }

  // Chapter and section scores, normalised over the kept books so that they compare across books.
  double best_chapter_lexical = 0.0;
  double best_section_lexical = 0.0;
  for (const auto& c : kept) {
    for (const auto& [n, s] : c.chapter_lexical) best_chapter_lexical = std::max(best_chapter_lexical, s);
    for (const auto& [k, s] : c.book->section_lexical) best_section_lexical = std::max(best_section_lexical, s);
  }
  const auto fuse = [&](double lexical, double lexical_best, double cosine) {
    const double l = lexical_best > 0.0 ? lexical / lexical_best : 0.0;
    return (1.0 - vector_weight) * l + vector_weight * cosine;
  };

  // The words to show for matched terms, in the request's order.
  std::vector<RankedBook> out;
  for (auto& c : kept) {
    RankedBook ranked = std::move(c.ranked);
    for (const auto& q : query) {
      if (!q.pair && c.book->terms.contains(q.term)) ranked.matched_terms.push_back(q.word);
    }
    std::set<int> chapters;
    for (const auto& [n, s] : c.chapter_lexical) chapters.insert(n);
    for (const auto& [n, s] : c.book->chapter_cosine) chapters.insert(n);
    for (const int n : chapters) {
      const auto lex = c.chapter_lexical.find(n);
      const auto cos = c.book->chapter_cosine.find(n);
      ChapterScore score;
      score.chapter_number = n;
      score.similarity = fuse(lex == c.chapter_lexical.end() ? 0.0 : lex->second, best_chapter_lexical,
                              cos == c.book->chapter_cosine.end() ? 0.0 : cos->second);
      if (const auto t = c.book->chapter_terms.find(n); t != c.book->chapter_terms.end()) {
        for (const auto& q : query) {
          if (!q.pair && t->second.contains(q.term)) score.matched_terms.push_back(q.word);
        }
      }
      ranked.chapters.push_back(std::move(score));
    }
    std::stable_sort(ranked.chapters.begin(), ranked.chapters.end(), [](const auto& a, const auto& b) {
      if (a.similarity != b.similarity) return a.similarity > b.similarity;
      return a.chapter_number < b.chapter_number;
    });
    std::set<SectionKey> sections;
    for (const auto& [k, s] : c.book->section_lexical) sections.insert(k);
    for (const auto& [k, s] : c.book->section_cosine) sections.insert(k);
    for (const auto& key : sections) {
      const auto lex = c.book->section_lexical.find(key);
      const auto cos = c.book->section_cosine.find(key);
      const double s = fuse(lex == c.book->section_lexical.end() ? 0.0 : lex->second, best_section_lexical,
                            cos == c.book->section_cosine.end() ? 0.0 : cos->second);
      ranked.sections.push_back(SectionScore{key.first, key.second, s});
    }
    out.push_back(std::move(ranked));
  }
  return out;
}

}  // namespace docprof::domain
