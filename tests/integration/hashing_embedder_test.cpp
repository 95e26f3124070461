// HashingEmbedder: tokenising, stemming, hashing, normalisation, determinism, thread safety, and
// the calibration of default_min_similarity() on the fixture library (tests/fixtures/books) with
// realistic learner requests. Set DOCPROF_CALIBRATION_TABLE=<file> to write the score table
// (docs/calibration.md is made from it).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "adapters/embed/english_stemmer.h"
#include "adapters/embed/fnv1a.h"
#include "adapters/embed/hashing_embedder.h"
#include "adapters/embed/tokenizer.h"
#include "domain/book_summary.h"
#include "domain/book_vectors.h"

namespace {

using docprof::adapters::embed::cosine;
using docprof::adapters::embed::fnv1a64;
using docprof::adapters::embed::hashing_features;
using docprof::adapters::embed::HashingEmbedder;
using docprof::adapters::embed::is_stop_word;
using docprof::adapters::embed::stem_english;
using docprof::adapters::embed::Token;
using docprof::adapters::embed::tokenize;
using docprof::ports::Embedding;

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  for (const Token& t : tokenize(text)) out.push_back(t.word);
  return out;
}

double norm(const Embedding& v) {
  double sum = 0.0;
  for (const float x : v) sum += static_cast<double>(x) * x;
  return std::sqrt(sum);
}

// --- tokenizer -------------------------------------------------------------------------------

TEST(Tokenizer, LowerCasesAndSplitsOnPunctuation) {
  EXPECT_EQ(words("Cost-Benefit ANALYSIS/EV-EBITDA"),
            (std::vector<std::string>{"cost", "benefit", "analysis", "ev", "ebitda"}));
}

TEST(Tokenizer, DropsStopWordsAndRequestFiller) {
  EXPECT_EQ(words("I want to learn corporate valuation in 6 hours"),
            (std::vector<std::string>{"corporate", "valuation"}));
  EXPECT_EQ(words("Teach me an intro course about Bayesian statistics, please"),
            (std::vector<std::string>{"bayesian", "statistics"}));
  EXPECT_TRUE(is_stop_word("the"));
  EXPECT_TRUE(is_stop_word("learn"));
  EXPECT_FALSE(is_stop_word("time"));  // "time series" is a topic
  EXPECT_FALSE(is_stop_word("data"));
}

TEST(Tokenizer, KeepsUtf8WordsWhole) {
  EXPECT_EQ(words("Gödel's Unvollständigkeitssatz, 経済学"),
            (std::vector<std::string>{"gödel", "unvollständigkeitssatz", "経済学"}));
}

TEST(Tokenizer, DropsSingleCharactersAndShortNumbersButKeepsYears) {
  EXPECT_EQ(words("World War I began in 1914; a 2 or 30 x"),
            (std::vector<std::string>{"world", "war", "began", "1914"}));
}

TEST(Tokenizer, PunctuationStartsAPhraseButStopWordsDoNot) {
  const std::vector<Token> tokens = tokenize("cost of capital, beta\nrisk");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_TRUE(tokens[0].starts_phrase);
  EXPECT_FALSE(tokens[1].starts_phrase);  // "of" was dropped, the phrase goes on
  EXPECT_TRUE(tokens[2].starts_phrase);   // after ","
  EXPECT_TRUE(tokens[3].starts_phrase);   // after a line break
}

TEST(Tokenizer, KeepsLanguageNamesWithSymbols) {
  EXPECT_EQ(words("Learn C++ and C#, not F# or C"), (std::vector<std::string>{"c++", "c#", "f#"}));
  EXPECT_EQ(words("C++11/C++14"), (std::vector<std::string>{"c++", "c++"}));
  EXPECT_EQ(stem_english("c++"), "c++");
}

TEST(Tokenizer, EmptyAndStopWordOnlyTextsHaveNoTokens) {
  EXPECT_TRUE(tokenize("").empty());
  EXPECT_TRUE(tokenize("  ...  ").empty());
  EXPECT_TRUE(tokenize("I want to learn about it in 2 hours").empty());
}

// --- stemmer ---------------------------------------------------------------------------------

TEST(Stemmer, ConflatesInflections) {
  EXPECT_EQ(stem_english("valuations"), stem_english("valuation"));
  EXPECT_EQ(stem_english("companies"), stem_english("company"));
  EXPECT_EQ(stem_english("running"), "run");
  EXPECT_EQ(stem_english("discounted"), "discount");
  EXPECT_EQ(stem_english("discounting"), "discount");
  EXPECT_EQ(stem_english("statistical"), stem_english("statistics"));
  EXPECT_EQ(stem_english("quickly"), "quick");
  EXPECT_EQ(stem_english("effectiveness"), "effect");
}

TEST(Stemmer, LeavesUnknownAndNonEnglishWordsAlone) {
  EXPECT_EQ(stem_english("wacc"), "wacc");
  EXPECT_EQ(stem_english("経済学"), "経済学");
  EXPECT_EQ(stem_english(""), "");
}

// --- features and hashing --------------------------------------------------------------------

TEST(Fnv1a, MatchesTheReferenceValues) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ULL);
}

TEST(Features, StemsAndBigramsWithSublinearInputs) {
  const auto f = hashing_features("Discounted cash flows; cash flow");
  EXPECT_EQ(f.at("discount"), 1);
  EXPECT_EQ(f.at("cash"), 2);
  EXPECT_EQ(f.at("flow"), 2);
  EXPECT_EQ(f.at("cash flow"), 2);
  EXPECT_EQ(f.at("discount cash"), 1);
  EXPECT_FALSE(f.contains("flow cash"));  // ";" ends the phrase
}

TEST(Features, BigramsSpanDroppedStopWords) {
  const auto f = hashing_features("the cost of capital");
  EXPECT_TRUE(f.contains("cost capit"));
  EXPECT_EQ(f.size(), 3u);
}

// --- embedder --------------------------------------------------------------------------------

TEST(HashingEmbedder, NamesItsModelAndDims) {
  HashingEmbedder embedder;
  EXPECT_EQ(embedder.dims(), 1024);
  EXPECT_EQ(embedder.model(), "hashing-v2/1024");
  HashingEmbedder small(64);
  EXPECT_EQ(small.model(), "hashing-v2/64");
  EXPECT_THROW(HashingEmbedder(0), std::invalid_argument);
}

TEST(HashingEmbedder, VectorsAreUnitLengthWithTheRightDims) {
  HashingEmbedder embedder(256);
  const std::vector<std::string> texts = {"Discounted cash flow valuation",
                                          "Python for data analysis with pandas"};
  const auto result = embedder.embed(texts);
  const auto* vectors = std::get_if<std::vector<Embedding>>(&result);
  ASSERT_NE(vectors, nullptr);
  ASSERT_EQ(vectors->size(), 2u);
  for (const Embedding& v : *vectors) {
    EXPECT_EQ(v.size(), 256u);
    EXPECT_NEAR(norm(v), 1.0, 1e-5);
  }
}

TEST(HashingEmbedder, IsDeterministicAcrossInstances) {
  const std::string text = "Estimating the weighted average cost of capital with the CAPM";
  EXPECT_EQ(HashingEmbedder().embed_text(text), HashingEmbedder().embed_text(text));
}

TEST(HashingEmbedder, UsesBothSignsToSpreadCollisions) {
  const Embedding v = HashingEmbedder().embed_text(
      "natural selection, variation under domestication, struggle for existence");
  EXPECT_TRUE(std::any_of(v.begin(), v.end(), [](float x) { return x > 0; }));
  EXPECT_TRUE(std::any_of(v.begin(), v.end(), [](float x) { return x < 0; }));
}

TEST(HashingEmbedder, EmptyOrStopWordTextIsTheZeroVectorWithSimilarityZero) {
  HashingEmbedder embedder;
  const Embedding empty = embedder.embed_text("");
  const Embedding filler = embedder.embed_text("I want to learn this in 3 hours");
  EXPECT_EQ(empty.size(), 1024u);
  EXPECT_TRUE(std::all_of(empty.begin(), empty.end(), [](float x) { return x == 0.0F; }));
  EXPECT_EQ(norm(filler), 0.0);
  EXPECT_EQ(cosine(filler, embedder.embed_text("corporate valuation")), 0.0);
}

TEST(HashingEmbedder, SameWordsScoreOneAndRequestFillerDoesNotMatter) {
  HashingEmbedder embedder;
  const Embedding a = embedder.embed_text("corporate valuation");
  EXPECT_NEAR(cosine(a, embedder.embed_text("Corporate Valuations!")), 1.0, 1e-5);
  EXPECT_NEAR(cosine(a, embedder.embed_text("I want to learn corporate valuation in 6 hours")), 1.0,
              1e-5);
}

TEST(HashingEmbedder, RelatedTextsScoreAboveUnrelatedOnes) {
  HashingEmbedder embedder;
  const Embedding query = embedder.embed_text("discounted cash flow valuation");
  const double related =
      cosine(query, embedder.embed_text("Enterprise DCF: discounting free cash flow at the WACC"));
  const double unrelated =
      cosine(query, embedder.embed_text("Mitosis, meiosis and the phases of the cell cycle"));
  EXPECT_GT(related, 0.2);
  EXPECT_LT(std::abs(unrelated), 0.15);
  EXPECT_GT(related, unrelated);
}

TEST(HashingEmbedder, NonEnglishWordsMatchThemselves) {
  HashingEmbedder embedder;
  const double s = cosine(embedder.embed_text("Análisis de datos con Python"),
                          embedder.embed_text("análisis de datos"));
  EXPECT_GT(s, 0.5);
}

TEST(HashingEmbedder, DimsOfOneStillNormalise) {
  const Embedding v = HashingEmbedder(1).embed_text("valuation");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NEAR(std::abs(v[0]), 1.0, 1e-6);
}

TEST(HashingEmbedder, ConcurrentCallsGiveTheSameVectors) {
  HashingEmbedder embedder;
  const std::vector<std::string> texts = {"the July Crisis of 1914", "Hamiltonian Monte Carlo",
                                          "smart pointers and move semantics"};
  const auto expected = std::get<std::vector<Embedding>>(embedder.embed(texts));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (std::get<std::vector<Embedding>>(embedder.embed(texts)) != expected) ++mismatches[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(std::count(mismatches.begin(), mismatches.end(), 0), 8);
}

// --- calibration -----------------------------------------------------------------------------

struct FixtureBook {
  std::string name;
  std::string title;
  std::vector<docprof::domain::BookVectorText> texts;
  std::vector<Embedding> vectors;
};

struct Score {
  double similarity = 0.0;
  std::string ref;  // the best vector
};

struct Request {
  std::string query;
  std::set<std::string> relevant;  // must be found
  std::set<std::string> adjacent;  // same field, neither required nor forbidden
};

// Realistic requests: each names the books a librarian would hand out for it. Every other book
// is unrelated: it must not be found — unless it shares a content word with the request (in
// another sense: "natural selection" / "subset selection"), which a bag-of-words embedder cannot
// tell apart; such pairs are reported and must rank below every relevant book.
const std::vector<Request>& requests() {
  static const std::vector<Request> r = {
      {"I want to learn corporate valuation in 6 hours",
       {"corporate_valuation"},
       {"financial_statements"}},
      {"discounted cash flow analysis", {"corporate_valuation"}, {"financial_statements"}},
      {"how to estimate the cost of capital (WACC)",
       {"corporate_valuation"},
       {"financial_statements"}},
      {"valuing a company with multiples like EV/EBITDA",
       {"corporate_valuation"},
       {"financial_statements"}},
      {"valuing a business for investors", {"corporate_valuation"}, {"financial_statements"}},
      {"understanding balance sheets and income statements",
       {"financial_statements"},
       {"corporate_valuation"}},
      {"how to read a cash flow statement", {"financial_statements"}, {"corporate_valuation"}},
      {"teach me Python for data analysis", {"python_for_data_analysis"}, {}},
      {"pandas dataframes, groupby and data cleaning", {"python_for_data_analysis"}, {}},
      {"NumPy arrays and vectorized computation", {"python_for_data_analysis"}, {}},
      {"modern C++: smart pointers and move semantics", {"effective_modern_cpp"}, {}},
      {"I want to learn C++ in 4 hours", {"effective_modern_cpp"}, {}},
      {"C++ lambda expressions and the concurrency API", {"effective_modern_cpp"}, {"sicp"}},
      {"recursion and higher-order procedures in Scheme", {"sicp"}, {}},
      {"how interpreters and evaluators work", {"sicp"}, {}},
      {"Scheme programming and data abstraction", {"sicp"}, {}},
      {"intro to Bayesian statistics",
       {"statistical_rethinking"},
       {"elements_of_statistical_learning"}},
      {"Bayesian inference with priors and posterior distributions",
       {"statistical_rethinking"},
       {"elements_of_statistical_learning"}},
      {"Markov chain Monte Carlo for Bayesian models",
       {"statistical_rethinking"},
       {"elements_of_statistical_learning"}},
      {"causal inference with DAGs and confounding",
       {"statistical_rethinking"},
       {"elements_of_statistical_learning"}},
      {"linear regression and classification methods",
       {"elements_of_statistical_learning"},
       {"statistical_rethinking", "python_for_data_analysis"}},
      {"random forests, boosting and decision trees", {"elements_of_statistical_learning"}, {}},
      {"support vector machines and kernel methods", {"elements_of_statistical_learning"}, {}},
      {"machine learning model selection and cross-validation",
       {"elements_of_statistical_learning"},
       {"statistical_rethinking"}},
      {"the causes of World War I", {"origins_of_world_war_one"}, {}},
      {"the July Crisis and the assassination of Franz Ferdinand",
       {"origins_of_world_war_one"},
       {}},
      {"European alliances and the arms race before 1914", {"origins_of_world_war_one"}, {}},
      {"the fall of the Roman Republic", {"fall_of_the_roman_republic"}, {}},
      {"how the Roman Republic fell: Caesar and the civil wars",
       {"fall_of_the_roman_republic"},
       {}},
      {"Julius Caesar crossing the Rubicon", {"fall_of_the_roman_republic"}, {}},
      {"natural selection and evolution", {"origin_of_species"}, {}},
      {"Darwin's theory of the origin of species", {"origin_of_species"}, {}},
      {"genetic variation and heredity", {"origin_of_species"}, {"cell_biology_essentials"}},
      {"cell membranes, organelles and cell division", {"cell_biology_essentials"}, {}},
      {"DNA replication and protein synthesis", {"cell_biology_essentials"}, {}},
      {"how mitosis and meiosis work", {"cell_biology_essentials"}, {"origin_of_species"}},
      // unrelated to the whole library
      {"how to bake sourdough bread", {}, {}},
      {"learn to play guitar chords", {}, {}},
      {"beginner yoga poses for flexibility", {}, {}},
      {"a marathon training plan", {}, {}},
      {"knitting a wool sweater", {}, {}},
      {"Spanish conversation for travel", {}, {}},
      {"growing tomatoes in a vegetable garden", {}, {}},
      {"portrait photography: composition and lighting", {}, {}},
      {"wine tasting for beginners", {}, {}},
      {"I want to learn how to cook Thai curry in 2 hours", {}, {}},
  };
  return r;
}

class Calibration : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    library_ = new std::vector<FixtureBook>();
    HashingEmbedder embedder;
    for (const auto& entry : std::filesystem::directory_iterator(
             std::filesystem::path(DOCPROF_FIXTURES_DIR) / "books")) {
      if (entry.path().extension() != ".json") continue;
      std::ifstream in(entry.path());
      const auto parsed = docprof::domain::parse_book_summary(nlohmann::json::parse(in));
      ASSERT_TRUE(parsed.ok()) << entry.path() << ": " << parsed.error().message;
      FixtureBook book{entry.path().stem().string(),
                       parsed->source_title,
                       docprof::domain::book_vector_texts(*parsed),
                       {}};
      for (const auto& t : book.texts) book.vectors.push_back(embedder.embed_text(t.text));
      library_->push_back(std::move(book));
    }
    std::sort(library_->begin(), library_->end(),
              [](const FixtureBook& a, const FixtureBook& b) { return a.name < b.name; });
  }
  static void TearDownTestSuite() {
    delete library_;
    library_ = nullptr;
  }

  static Score score(const Embedding& query, const FixtureBook& book) {
    Score best;
    for (std::size_t i = 0; i < book.vectors.size(); ++i) {
      const double s = cosine(query, book.vectors[i]);
      if (s > best.similarity) best = {s, book.texts[i].ref.empty() ? "book" : book.texts[i].ref};
    }
    return best;
  }

  // Whether the book's text shares a content-word stem with the request.
  static bool shares_a_word(const std::string& query, const FixtureBook& book) {
    std::set<std::string> stems;
    for (const auto& [feature, count] : hashing_features(query)) {
      if (feature.find(' ') == std::string::npos) stems.insert(feature);
    }
    for (const auto& t : book.texts) {
      for (const auto& [feature, count] : hashing_features(t.text)) {
        if (stems.contains(feature)) return true;
      }
    }
    return false;
  }

  static std::vector<FixtureBook>* library_;
};

std::vector<FixtureBook>* Calibration::library_ = nullptr;

TEST_F(Calibration, TheLibraryHasEnoughBooksAndSubjects) {
  EXPECT_GE(library_->size(), 8u);
  EXPECT_LE(library_->size(), 12u);
  EXPECT_GE(requests().size(), 40u);
}

TEST_F(Calibration, ThresholdFindsRelevantBooksAndRejectsUnrelatedOnes) {
  HashingEmbedder embedder;
  const double threshold = embedder.default_min_similarity();
  double min_relevant = 1.0;
  double max_unrelated = 0.0;
  double max_shared_word = 0.0;
  int shared_word_pairs = 0;
  int shared_word_found = 0;
  std::ostringstream table;
  table
      << "| request | relevant: best score (vector) | best other book | shared-word books found |\n"
      << "|---|---|---|---|\n";

  for (const Request& request : requests()) {
    const Embedding query = embedder.embed_text(request.query);
    double worst_relevant = 1.0;
    std::string relevant_cells;
    std::string best_other = "-";
    double best_other_score = -1.0;
    std::vector<std::string> shared_found;
    std::vector<std::pair<std::string, double>> shared_scores;

    for (const FixtureBook& book : *library_) {
      const Score s = score(query, book);
      if (request.relevant.contains(book.name)) {
        worst_relevant = std::min(worst_relevant, s.similarity);
        min_relevant = std::min(min_relevant, s.similarity);
        EXPECT_GE(s.similarity, threshold)
            << "'" << request.query << "' misses " << book.name << " (best vector " << s.ref << ")";
        char cell[160];
        std::snprintf(cell, sizeof cell, "%s %.3f (%s)", book.name.c_str(), s.similarity,
                      s.ref.c_str());
        relevant_cells += cell;
        continue;
      }
      if (request.relevant.empty()) {
        EXPECT_LT(s.similarity, threshold)
            << "'" << request.query << "' (about nothing in the library) finds " << book.name;
      }
      if (request.adjacent.contains(book.name)) continue;
      if (s.similarity > best_other_score) {
        best_other_score = s.similarity;
        char cell[160];
        std::snprintf(cell, sizeof cell, "%s %.3f (%s)", book.name.c_str(), s.similarity,
                      s.ref.c_str());
        best_other = cell;
      }
      if (shares_a_word(request.query, book)) {
        ++shared_word_pairs;
        max_shared_word = std::max(max_shared_word, s.similarity);
        shared_scores.emplace_back(book.name, s.similarity);
        if (s.similarity >= threshold) {
          ++shared_word_found;
          shared_found.push_back(book.name);
        }
      } else {
        max_unrelated = std::max(max_unrelated, s.similarity);
        EXPECT_LT(s.similarity, threshold) << "'" << request.query << "' finds unrelated "
                                           << book.name << " (best vector " << s.ref << ")";
      }
    }
    // A book that only shares a word (in another sense) never outranks a relevant one.
    for (const auto& [name, similarity] : shared_scores) {
      if (!request.relevant.empty()) {
        EXPECT_LT(similarity, worst_relevant) << "'" << request.query << "': " << name;
      }
    }
    std::string found = shared_found.empty() ? "-" : "";
    for (const std::string& name : shared_found) found += (found.empty() ? "" : ", ") + name;
    table << "| " << request.query << " | " << (relevant_cells.empty() ? "-" : relevant_cells)
          << " | " << best_other << " | " << found << " |\n";
  }

  char summary[400];
  std::snprintf(summary, sizeof summary,
                "\nthreshold %.3f; lowest relevant %.3f; highest unrelated sharing no word %.3f; "
                "highest unrelated sharing a word %.3f; %d of %d shared-word pairs pass\n",
                threshold, min_relevant, max_unrelated, max_shared_word, shared_word_found,
                shared_word_pairs);
  table << summary;
  if (const char* out = std::getenv("DOCPROF_CALIBRATION_TABLE")) {
    std::ofstream(out) << table.str();
  }
  // The threshold sits inside the gap, with room on both sides.
  EXPECT_GE(min_relevant - threshold, 0.02) << table.str();
  EXPECT_GE(threshold - max_unrelated, 0.02) << table.str();
}

}  // namespace
