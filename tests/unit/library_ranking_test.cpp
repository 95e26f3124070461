// The pure library scorer (domain/library_ranking.h) over documents made by index_book
// (domain/library_index.h): postings and statistics are built here the way the SQLite adapter
// builds them (one Posting per document containing a query term), so the tests exercise the
// ranking rules without a database.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "domain/library_index.h"
#include "domain/library_ranking.h"

namespace {

using namespace docprof::domain;

// A tiny analyzer: lower case, words are runs of letters, a few stop words dropped. The term is the
// word, except that a plural "s" is dropped from words longer than three letters, so that a term
// ("valuation") can differ from the word as written ("valuations"). Punctuation other than white
// space between two words starts a phrase (no pair across it).
class TestAnalyzer final : public TermAnalyzer {
 public:
  std::vector<AnalyzedWord> words(std::string_view text) const override {
    static const std::set<std::string> kStop{"the", "of", "and", "a", "an", "to", "in", "on", "for", "with", "about", "that", "as", "from", "then"};
    std::vector<AnalyzedWord> out;
    std::string current;
    bool punctuation = false;
    bool phrase_start = true;
    const auto flush = [&] {
      if (current.empty()) return;
      if (!kStop.contains(current)) {
        std::string term = current;
        if (term.size() > 3 && term.back() == 's') term.pop_back();
        out.push_back(AnalyzedWord{term, current, phrase_start || punctuation});
        phrase_start = false;
        punctuation = false;
      }
      current.clear();
    };
    for (const char ch : text) {
      const auto c = static_cast<unsigned char>(ch);
      if (std::isalpha(c) != 0) {
        current += static_cast<char>(std::tolower(c));
      } else {
        flush();
        if (std::isspace(c) == 0) punctuation = true;
      }
    }
    flush();
    return out;
  }
  std::string name() const override { return "test-analyzer"; }
};

const TestAnalyzer kAnalyzer;

SectionSummary section(std::string title, std::vector<std::string> topics, std::vector<std::string> concepts) {
  return SectionSummary{std::move(title), std::move(topics), std::move(concepts), "", 0};
}

ChapterSummary chapter(int number, std::string title, std::string summary, std::vector<SectionSummary> sections,
                       std::string kind = "chapter") {
  return ChapterSummary{number, std::move(title), std::move(summary), std::move(sections), 0, std::move(kind)};
}

BookSummary book(std::string title, std::string summary, std::vector<ChapterSummary> chapters) {
  const int n = static_cast<int>(chapters.size());
  return BookSummary{std::move(title), "An Author", n, std::move(summary), std::move(chapters)};
}

// A small library: its indexed documents per book, turned into postings and statistics.
class Library {
 public:
  void add(const std::string& id, const BookSummary& summary) { docs_[id] = index_book(summary, kAnalyzer); }

  LibraryStats stats() const {
    LibraryStats stats;
    for (const auto& [id, docs] : docs_) {
      for (const auto& d : docs) {
        KindStats& k = d.kind == BookVectorKind::book      ? stats.book
                       : d.kind == BookVectorKind::chapter ? stats.chapter
                                                           : stats.section;
        k.docs += 1.0;
        k.total_length += d.length;
      }
    }
    return stats;
  }

  std::vector<Posting> postings(const std::vector<QueryTerm>& query, bool with_pairs = true) const {
    std::vector<Posting> out;
    for (const auto& q : query) {
      if (q.pair && !with_pairs) continue;
      for (const auto& [id, docs] : docs_) {
        for (const auto& d : docs) {
          for (const auto& [term, weight] : d.terms) {
            if (term == q.term) {
              out.push_back(Posting{term, id, d.kind, d.chapter_number, d.section_index, weight, d.length});
            }
          }
        }
      }
    }
    return out;
  }

  std::vector<RankedBook> rank(std::string_view text, const RankingOptions& options = {}) const {
    const auto query = query_terms(kAnalyzer, text);
    return rank_books(query, stats(), postings(query), {}, options);
  }

 private:
  std::map<std::string, std::vector<IndexedDoc>> docs_;
};

std::vector<std::string> ids(const std::vector<RankedBook>& ranked) {
  std::vector<std::string> out;
  for (const auto& r : ranked) out.push_back(r.book_id);
  return out;
}

const RankedBook* find(const std::vector<RankedBook>& ranked, const std::string& id) {
  for (const auto& r : ranked) {
    if (r.book_id == id) return &r;
  }
  return nullptr;
}

BookSummary valuation_book() {
  return book("Corporate Valuation", "How firms are valued from their cash flows.",
              {chapter(1, "Discounted cash flow", "Free cash flow discounted at the cost of capital.",
                       {section("Free cash flow", {"free cash flow", "forecasting"}, {"operating cash"}),
                        section("Discounting", {"discount rate"}, {"present value"})}),
               chapter(2, "Cost of capital", "The discount rate investors require: cost of capital.",
                       {section("Cost of equity", {"beta", "equity premium"}, {"risk"})}),
               chapter(3, "Terminal value", "The value beyond the forecast, from cash flow growth.",
                       {section("Growth", {"perpetuity growth"}, {"terminal value"})})});
}

BookSummary gardening_book() {
  return book("Home Gardening", "Growing vegetables at home.",
              {chapter(1, "Soil", "Compost and soil health.", {section("Compost", {"compost heaps"}, {"worms"})}),
               chapter(2, "Seeds", "Sowing seeds, and saving cash by keeping your own seeds.",
                       {section("Sowing", {"sowing depth"}, {"germination"})}),
               chapter(3, "Watering", "Watering vegetables in summer.", {section("Drip", {"drip lines"}, {"mulch"})})});
}

BookSummary cooking_book() {
  return book("Weeknight Cooking", "Quick dinners for busy people.",
              {chapter(1, "Pasta", "Sauces for pasta.", {section("Tomato sauce", {"tomato"}, {"garlic"})}),
               chapter(2, "Soups", "Soups from vegetables.", {section("Stock", {"stock"}, {"bones"})})});
}

Library three_books() {
  Library library;
  library.add("valuation", valuation_book());
  library.add("gardening", gardening_book());
  library.add("cooking", cooking_book());
  return library;
}

// ---- query_terms ----

TEST(QueryTerms, SingleTermsAndAdjacentPairsAsWrittenWithoutRepeats) {
  const auto terms = query_terms(kAnalyzer, "Cost of Capitals, cost");
  ASSERT_EQ(terms.size(), 3u);
  EXPECT_EQ(terms[0].term, "cost");
  EXPECT_FALSE(terms[0].pair);
  EXPECT_EQ(terms[1].term, "capital");
  EXPECT_EQ(terms[1].word, "capitals");
  EXPECT_EQ(terms[2].term, "cost capital");
  EXPECT_EQ(terms[2].word, "cost capitals");
  EXPECT_TRUE(terms[2].pair);
  // No pair across the comma ("capital cost"), and "cost" is not repeated.
}

TEST(QueryTerms, WordsThatAskRatherThanNameAreLeftOut) {
  const auto terms = query_terms(kAnalyzer, "I want to write shell scripts");
  ASSERT_FALSE(terms.empty());
  std::vector<std::string> words;
  for (const auto& t : terms) words.push_back(t.word);
  EXPECT_EQ(words, (std::vector<std::string>{"shell", "scripts", "shell scripts"}));
  // A request of asking words only keeps them: something must be searched for.
  EXPECT_FALSE(query_terms(kAnalyzer, "teach me").empty());
}

TEST(QueryTerms, AnEmptyTextHasNoTerms) {
  EXPECT_TRUE(query_terms(kAnalyzer, "").empty());
  EXPECT_TRUE(query_terms(kAnalyzer, "the of and").empty());
}

// ---- index_book ----

TEST(IndexBook, DigestThenEachChapterFollowedByItsSections) {
  const auto docs = index_book(valuation_book(), kAnalyzer);
  ASSERT_EQ(docs.size(), 1u + 3u + 4u);
  EXPECT_EQ(docs[0].kind, BookVectorKind::book);
  EXPECT_EQ(docs[0].ref, "");
  EXPECT_EQ(docs[1].kind, BookVectorKind::chapter);
  EXPECT_EQ(docs[1].ref, "1");
  EXPECT_EQ(docs[2].kind, BookVectorKind::section);
  EXPECT_EQ(docs[2].ref, "1.1");
  EXPECT_EQ(docs[2].section_index, 1);
  EXPECT_EQ(docs[3].ref, "1.2");
  EXPECT_EQ(docs[4].ref, "2");
  EXPECT_EQ(docs[7].ref, "3.1");
  EXPECT_EQ(docs[7].chapter_number, 3);
}

double weight_of(const IndexedDoc& doc, const std::string& term) {
  for (const auto& [t, w] : doc.terms) {
    if (t == term) return w;
  }
  return 0.0;
}

TEST(IndexBook, FrontMatterChaptersAreIndexedByTheirTitleOnly) {
  const BookSummary b =
      book("Valuation", "A book.",
           {chapter(1, "Preface", "Thanks to everyone; a licence and cash flow mentions.",
                    {section("Acknowledgements", {"cash flow"}, {"licence"})}, "front_matter"),
            chapter(2, "Cash flow", "Cash flow explained.", {section("Forecast", {"cash flow"}, {"revenue"})})});
  const auto docs = index_book(b, kAnalyzer);
  ASSERT_EQ(docs.size(), 5u);
  // The front-matter chapter: only its title (weight 3), length 3.
  const IndexedDoc& preface = docs[1];
  EXPECT_EQ(preface.kind, BookVectorKind::chapter);
  EXPECT_EQ(preface.terms, (std::vector<std::pair<std::string, double>>{{"preface", 3.0}}));
  EXPECT_DOUBLE_EQ(preface.length, 3.0);
  // Its section: its title and the chapter title for context, no topics or key concepts.
  const IndexedDoc& acknowledgements = docs[2];
  EXPECT_EQ(acknowledgements.terms,
            (std::vector<std::pair<std::string, double>>{{"acknowledgement", 3.0}, {"preface", 0.5}}));
  // The digest leaves out the front matter's title but keeps the teaching chapter's.
  EXPECT_EQ(weight_of(docs[0], "preface"), 0.0);
  EXPECT_GT(weight_of(docs[0], "cash"), 0.0);
  // A teaching chapter is indexed with its summary, section titles, topics and key concepts.
  const IndexedDoc& cash = docs[3];
  EXPECT_GT(weight_of(cash, "explained"), 0.0);
  EXPECT_GT(weight_of(cash, "forecast"), 0.0);
  EXPECT_GT(weight_of(cash, "revenue"), 0.0);
  EXPECT_GT(weight_of(cash, "cash flow"), 0.0);  // pairs are indexed too
}

TEST(IndexBook, TitlesWeighMoreThanTextAndPairsHalfAndLengthCountsSingleTermsOnly) {
  const BookSummary b = book("Valuation", "", {chapter(1, "Cash flow", "cash", {})});
  const auto docs = index_book(b, kAnalyzer);
  ASSERT_EQ(docs.size(), 2u);
  const IndexedDoc& c = docs[1];
  EXPECT_DOUBLE_EQ(weight_of(c, "cash"), 3.0 + 1.0);  // title 3 + summary 1
  EXPECT_DOUBLE_EQ(weight_of(c, "flow"), 3.0);
  EXPECT_DOUBLE_EQ(weight_of(c, "cash flow"), 1.5);  // a pair of the title counts half
  EXPECT_DOUBLE_EQ(c.length, 7.0);
  // The book title weighs 3 in the digest, a chapter title 1.
  EXPECT_DOUBLE_EQ(weight_of(docs[0], "valuation"), 3.0);
  EXPECT_DOUBLE_EQ(weight_of(docs[0], "cash"), 1.0);
}

// ---- rank_books ----

TEST(RankBooks, TheBookWhoseChaptersAreAboutTheRequestRanksFirst) {
  const Library library = three_books();
  const auto ranked = library.rank("cash flow, cost of capital");
  ASSERT_FALSE(ranked.empty());
  EXPECT_EQ(ranked[0].book_id, "valuation");
  EXPECT_DOUBLE_EQ(ranked[0].score, 1.0);
  EXPECT_GT(ranked[0].coverage, 0.99);
  EXPECT_EQ(find(ranked, "cooking"), nullptr);
}

TEST(RankBooks, ABookSharingOneIncidentalWordIsNotFoundBelowTheCoverageFloor) {
  const Library library = three_books();
  const auto ranked = library.rank("cash flow discount rate");
  EXPECT_EQ(ids(ranked), std::vector<std::string>{"valuation"});
  // With no coverage floor and no relative cut, the gardening book (it says "cash" once) is found,
  // well behind.
  RankingOptions open;
  open.min_coverage = 0.0;
  open.relative_cut = 0.0;
  const auto all = library.rank("cash flow discount rate", open);
  ASSERT_EQ(ids(all), (std::vector<std::string>{"valuation", "gardening"}));
  EXPECT_LT(all[1].coverage, 0.5);
  EXPECT_LT(all[1].score, 0.35);
  EXPECT_EQ(all[1].matched_terms, std::vector<std::string>{"cash"});
}

TEST(RankBooks, ABookSharingOneIncidentalWordIsCutRelativeToTheBest) {
  const Library library = three_books();
  RankingOptions no_floor;
  no_floor.min_coverage = 0.0;  // only the relative cut (0.35 by default) stands in the way
  EXPECT_EQ(ids(library.rank("cash flow discount rate", no_floor)), std::vector<std::string>{"valuation"});
}

TEST(RankBooks, ABookWhoseTitleNamesTheRequestWordBeatsAGeneralistMentioningItInPassing) {
  Library library;
  library.add("handbook",
              book("Developer Handbook", "Tools of the trade.",
                   {chapter(1, "Editors", "Editors such as emacs.", {section("Setup", {"config"}, {"plugins"})}),
                    chapter(2, "Version control", "Using git and svn.", {section("Branches", {"merging"}, {"git"})}),
                    chapter(3, "Testing", "Unit tests.", {section("Mocks", {"fakes"}, {"stubs"})})}));
  library.add("git", book("Git Pocket Guide", "A short guide.",
                          {chapter(1, "Commits", "Recording changes.", {section("Staging", {"index"}, {"snapshots"})}),
                           chapter(2, "Remotes", "Sharing work with git.", {section("Push", {"upstream"}, {"fetch"})})}));
  library.add("cooking", cooking_book());
  RankingOptions options;
  options.relative_cut = 0.0;
  const auto ranked = library.rank("git", options);
  ASSERT_EQ(ids(ranked), (std::vector<std::string>{"git", "handbook"}));
  EXPECT_GT(ranked[0].score, ranked[1].score);
  EXPECT_GT(ranked[0].lexical, ranked[1].lexical);
}

TEST(RankBooks, MatchedTermsListTheRequestsWordsAsWrittenInTheRequestsOrder) {
  const Library library = three_books();
  const auto ranked = library.rank("Terminal Values and Discount rates");
  ASSERT_FALSE(ranked.empty());
  EXPECT_EQ(ranked[0].book_id, "valuation");
  EXPECT_EQ(ranked[0].matched_terms, (std::vector<std::string>{"terminal", "values", "discount", "rates"}));
}

TEST(RankBooks, ChapterScoresAreBestFirstAndCarryTheirMatchedTerms) {
  const Library library = three_books();
  const auto ranked = library.rank("terminal value growth");
  ASSERT_FALSE(ranked.empty());
  const RankedBook& v = ranked[0];
  ASSERT_EQ(v.book_id, "valuation");
  ASSERT_GE(v.chapters.size(), 2u);
  for (std::size_t i = 1; i < v.chapters.size(); ++i) {
    EXPECT_GE(v.chapters[i - 1].similarity, v.chapters[i].similarity);
  }
  EXPECT_EQ(v.chapters[0].chapter_number, 3);
  EXPECT_DOUBLE_EQ(v.chapters[0].similarity, 1.0);
  EXPECT_EQ(v.chapters[0].matched_terms, (std::vector<std::string>{"terminal", "value", "growth"}));
  // Chapter 1 mentions only "value" (in a section's key concept "present value").
  const auto one = std::find_if(v.chapters.begin(), v.chapters.end(), [](const auto& c) { return c.chapter_number == 1; });
  ASSERT_NE(one, v.chapters.end());
  EXPECT_EQ(one->matched_terms, std::vector<std::string>{"value"});
  EXPECT_LT(one->similarity, v.chapters[0].similarity);
  // Sections that matched are scored too.
  EXPECT_FALSE(v.sections.empty());
}

TEST(RankBooks, TopKLimitsTheBooksToTheBest) {
  Library library;
  library.add("a", book("Soups", "", {chapter(1, "Soups", "Soups and stock.", {})}));
  library.add("b", book("Stews", "", {chapter(1, "Stews", "Stews and soups.", {})}));
  library.add("c", book("Bread", "", {chapter(1, "Bread", "Bread with soups.", {})}));
  library.add("d", book("Garden", "", {chapter(1, "Garden", "Vegetables.", {})}));
  RankingOptions options;
  options.relative_cut = 0.0;
  const auto all = library.rank("soups", options);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].book_id, "a");
  options.top_k = 2;
  const auto two = library.rank("soups", options);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].book_id, all[0].book_id);
  EXPECT_EQ(two[1].book_id, all[1].book_id);
  options.top_k = 0;
  EXPECT_TRUE(library.rank("soups", options).empty());
}

TEST(RankBooks, AnEmptyQueryOrTopKZeroFindsNothing) {
  const Library library = three_books();
  EXPECT_TRUE(library.rank("").empty());
  RankingOptions zero;
  zero.top_k = 0;
  EXPECT_TRUE(library.rank("cash flow", zero).empty());
  // Even with vectors that would otherwise be found.
  const std::vector<VectorHit> hits{VectorHit{"valuation", BookVectorKind::book, 0, 0, 0.9}};
  EXPECT_TRUE(rank_books({}, library.stats(), {}, hits, zero).empty());
}

TEST(RankBooks, VectorOnlySearchRanksByPlainCosineAboveTheFloor) {
  const std::vector<VectorHit> hits{
      VectorHit{"low", BookVectorKind::book, 0, 0, 0.10},
      VectorHit{"mid", BookVectorKind::chapter, 2, 0, 0.40},
      VectorHit{"mid", BookVectorKind::book, 0, 0, 0.20},
      VectorHit{"top", BookVectorKind::section, 1, 3, 0.60},
  };
  RankingOptions options;
  options.min_similarity = 0.17;
  options.relative_cut = 0.0;
  const auto ranked = rank_books(query_terms(kAnalyzer, "anything"), LibraryStats{}, {}, hits, options);
  ASSERT_EQ(ids(ranked), (std::vector<std::string>{"top", "mid"}));
  EXPECT_DOUBLE_EQ(ranked[0].score, 0.60);  // plain cosine, not relative to the best
  EXPECT_DOUBLE_EQ(ranked[1].score, 0.40);
  EXPECT_DOUBLE_EQ(ranked[1].cosine, 0.40);
  EXPECT_DOUBLE_EQ(ranked[0].lexical, 0.0);
  EXPECT_TRUE(ranked[0].matched_terms.empty());
  ASSERT_EQ(ranked[1].chapters.size(), 1u);
  EXPECT_EQ(ranked[1].chapters[0].chapter_number, 2);
  EXPECT_DOUBLE_EQ(ranked[1].chapters[0].similarity, 0.40);
  ASSERT_EQ(ranked[0].sections.size(), 1u);
  EXPECT_EQ(ranked[0].sections[0], (SectionScore{1, 3, 0.60}));
  // A higher floor leaves out "mid".
  options.min_similarity = 0.5;
  EXPECT_EQ(ids(rank_books({}, LibraryStats{}, {}, hits, options)), std::vector<std::string>{"top"});
}

TEST(BooksWorthVectors, TheBooksNearTheTopByWordsOrTheirOwnVectorOnly) {
  Library library;
  library.add("soups", book("Soups", "", {chapter(1, "Soups", "Soups and stock.", {})}));
  library.add("stews", book("Stews", "", {chapter(1, "Stews", "Stews and soups.", {})}));
  library.add("garden", book("Garden", "", {chapter(1, "Garden", "Vegetables.", {})}));
  library.add("moon", book("Moon", "", {chapter(1, "Moon", "Craters.", {})}));
  const auto query = query_terms(kAnalyzer, "soups");
  RankingOptions options;
  options.min_similarity = 0.2;
  // "garden" shares no word, but its own vector comes within half the floor; "moon" does not.
  const std::vector<VectorHit> book_hits{VectorHit{"garden", BookVectorKind::book, 0, 0, 0.15},
                                         VectorHit{"moon", BookVectorKind::book, 0, 0, 0.05}};
  const auto worth = books_worth_vectors(query, library.stats(), library.postings(query), book_hits, options);
  EXPECT_EQ(worth, (std::set<std::string>{"garden", "soups", "stews"}));
  // At most three times top_k books.
  options.top_k = 1;
  EXPECT_EQ(books_worth_vectors(query, library.stats(), library.postings(query), book_hits, options).size(), 3u);
  options.top_k = 0;
  EXPECT_TRUE(books_worth_vectors(query, library.stats(), library.postings(query), book_hits, options).empty());
}

TEST(RankBooks, APairTermAddsToAPhraseMatch) {
  Library library;
  // Both books contain "cost" and "capital" once each, in documents of the same length; only the
  // first has them adjacent.
  library.add("phrase", book("Finance", "Notes.", {chapter(1, "Basics", "cost of capital", {})}));
  library.add("apart", book("Finance", "Notes.", {chapter(1, "Basics", "capital; cost", {})}));
  library.add("other", cooking_book());
  RankingOptions options;
  options.relative_cut = 0.0;
  const auto query = query_terms(kAnalyzer, "cost of capital");
  ASSERT_EQ(query.size(), 3u);
  ASSERT_TRUE(query[2].pair);
  const auto with_pairs = rank_books(query, library.stats(), library.postings(query), {}, options);
  ASSERT_EQ(ids(with_pairs), (std::vector<std::string>{"phrase", "apart"}));
  EXPECT_GT(with_pairs[0].lexical, with_pairs[1].lexical);
  EXPECT_EQ(with_pairs[0].matched_terms, (std::vector<std::string>{"cost", "capital"}));  // pairs are not listed
  // Without the pair postings the two books tie.
  const auto without = rank_books(query, library.stats(), library.postings(query, false), {}, options);
  ASSERT_EQ(without.size(), 2u);
  EXPECT_DOUBLE_EQ(without[0].lexical, without[1].lexical);
  EXPECT_GT(find(with_pairs, "phrase")->lexical, find(without, "phrase")->lexical);
}

}  // namespace

// ---- topics searched on their own ----

Library shell_and_git_library() {
  Library library;
  // A generalist that mentions everything the request says, once each.
  library.add("handbook",
              book("System Handbook", "Running a workstation: shell scripts, git and hooks in passing.",
                   {chapter(1, "Programming", "Shell scripts and git commits.",
                            {section("Scripts", {"shell scripts"}, {"git hooks run scripts"})}),
                    chapter(2, "Packages", "Installing packages.", {section("Apt", {"apt"}, {"sources"})})}));
  library.add("git", book("Git Manual", "Git: commits, branches and hooks.",
                          {chapter(1, "Commits", "Recording commits with git.",
                                   {section("Committing", {"commits"}, {"staging"})}),
                           chapter(2, "Hooks", "Git hooks run before commits are pushed.",
                                   {section("Client hooks", {"git hooks", "pre-commit"}, {"hook scripts"})})}));
  library.add("bash", book("Bash Reference", "The Bash shell: shell scripts, variables, functions.",
                           {chapter(1, "Shell scripts", "Writing shell scripts; shell script arguments.",
                                    {section("Shell scripts", {"shell scripts", "shebang"}, {"shell script files"})}),
                            chapter(2, "Shell variables", "Variables of the shell.",
                                    {section("Parameters", {"shell parameters"}, {"shell expansion"})}),
                            chapter(3, "Shell functions", "Functions in shell scripts.",
                                    {section("Functions", {"shell functions"}, {"shell scripts"})})}));
  library.add("cooking", cooking_book());
  return library;
}

TEST(TopicQueries, EachNamedTopicWithTheRequestsTermsThatSpellIt) {
  const std::string text = "Write shell scripts that run as Git hooks";
  const auto query = query_terms(kAnalyzer, text);
  const auto topics = topic_queries(kAnalyzer, text, query);
  ASSERT_EQ(topics.size(), 2u);
  EXPECT_EQ(topics[0].topic, "shell scripts");
  std::vector<std::string> terms;
  for (const auto& t : topics[0].terms) terms.push_back(t.term);
  EXPECT_EQ(terms, (std::vector<std::string>{"shell", "script", "shell script"}));
  EXPECT_EQ(topics[1].topic, "Git hooks");
  // One topic is the request itself: nothing to search apart.
  const std::string one = "Teach me about shell scripts";
  EXPECT_TRUE(topic_queries(kAnalyzer, one, query_terms(kAnalyzer, one)).empty());
}

TEST(RankBooks, ATopicsBestSourceJoinsTheBooksFoundForTheWholeRequest) {
  const Library library = shell_and_git_library();
  const std::string text = "Write shell scripts that run as Git hooks";
  const auto query = query_terms(kAnalyzer, text);
  const auto postings = library.postings(query);
  // The whole request alone: the shell's manual knows nothing of Git, and is not found.
  const auto whole = rank_books(query, library.stats(), postings, {}, {});
  EXPECT_EQ(find(whole, "bash"), nullptr);
  ASSERT_NE(find(whole, "git"), nullptr);
  // Each topic searched on its own too: the shell's manual serves "shell scripts", after the found
  // books, and Git's manual "Git hooks".
  const auto topics = topic_queries(kAnalyzer, text, query);
  const auto ranked = rank_books(query, library.stats(), postings, {}, {}, topics);
  const auto* bash = find(ranked, "bash");
  ASSERT_NE(bash, nullptr);
  EXPECT_EQ(ranked.back().book_id, "bash");
  EXPECT_EQ(bash->topics, std::vector<std::string>{"shell scripts"});
  EXPECT_FALSE(bash->chapters.empty());
  EXPECT_EQ(find(ranked, "git")->topics, std::vector<std::string>{"Git hooks"});
  EXPECT_EQ(find(ranked, "cooking"), nullptr);
}

TEST(RankBooks, ATopicBookNeverTakesTheBestBooksPlace) {
  const Library library = shell_and_git_library();
  const std::string text = "Write shell scripts that run as Git hooks";
  const auto query = query_terms(kAnalyzer, text);
  RankingOptions one;
  one.top_k = 1;
  const auto ranked =
      rank_books(query, library.stats(), library.postings(query), {}, one, topic_queries(kAnalyzer, text, query));
  // Only the best book for the whole request fits: it stays.
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_EQ(ranked[0].book_id, "handbook");
  // With room for two, Git's manual keeps its place: it serves "Git hooks". The shell's manual
  // would join for "shell scripts", but no book serving no topic can make room.
  RankingOptions two;
  two.top_k = 2;
  const auto both =
      rank_books(query, library.stats(), library.postings(query), {}, two, topic_queries(kAnalyzer, text, query));
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].book_id, "handbook");
  EXPECT_EQ(both[1].book_id, "git");
  EXPECT_EQ(both[1].topics, std::vector<std::string>{"Git hooks"});
}

TEST(RankBooks, TopicsOfANamedSubjectComeFromItsBookNotFromTheBestBookOnEachTopic) {
  Library library = shell_and_git_library();
  library.add("python", book("Python Tutorial", "Python: classes, modules and iterators.",
                             {chapter(1, "Classes", "Python classes in brief.",
                                      {section("Class objects", {"classes"}, {"methods"})}),
                              chapter(2, "Iterators", "Python iterators and generators.",
                                      {section("Generators", {"generators"}, {"yield"})})}));
  library.add("cpp", book("C++ Classes", "Classes, classes and more classes.",
                          {chapter(1, "Classes", "Class design: classes with members.",
                                   {section("Classes", {"classes", "class members"}, {"classes"})}),
                           chapter(2, "Class templates", "Templates of classes.",
                                   {section("Templates", {"class templates"}, {"classes"})})}));
  const std::string text = "Python from scratch: classes, then generators";
  const auto query = query_terms(kAnalyzer, text);
  const auto topics = topic_queries(kAnalyzer, text, query);
  ASSERT_FALSE(topics.empty());
  const auto ranked = rank_books(query, library.stats(), library.postings(query), {}, {}, topics);
  ASSERT_FALSE(ranked.empty());
  EXPECT_EQ(ranked[0].book_id, "python");
  EXPECT_EQ(find(ranked, "cpp"), nullptr);
}
