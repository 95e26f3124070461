#include "domain/corpus_ranking.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

namespace docprof::domain {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;  // chunks are of similar size: the usual length normalisation

struct Candidate {
  double lexical = 0.0;
  double cosine = 0.0;
};

// Marks a heading term: analysed words are letters and digits, so no word or pair starts with it.
constexpr std::string_view kHeadingMarker = "\u00a7";  // §

}  // namespace

std::string heading_term(std::string_view term) { return std::string(kHeadingMarker) + std::string(term); }

ChunkTerms chunk_terms(const TermAnalyzer& analyzer, std::string_view text, std::string_view heading) {
  const auto words = analyzer.words(text);
  auto counts = term_counts(words, true);
  double length = static_cast<double>(words.size());
  const auto heading_words = analyzer.words(heading);
  for (const auto& [term, n] : term_counts(heading_words, true)) counts[term] += kHeadingWeight * n;
  for (const auto& [term, n] : term_counts(heading_words, false)) counts[heading_term(term)] = 1.0;
  length += kHeadingWeight * static_cast<double>(heading_words.size());
  ChunkTerms out;
  out.terms.assign(counts.begin(), counts.end());
  out.length = length;
  return out;
}

std::vector<QueryTerm> corpus_query_terms(const TermAnalyzer& analyzer, std::string_view text) {
  std::vector<QueryTerm> query = query_terms(analyzer, text);
  const std::size_t plain = query.size();
  for (std::size_t i = 0; i < plain; ++i) {
    if (query[i].pair) continue;
    QueryTerm heading = query[i];
    heading.term = heading_term(query[i].term);
    heading.weight = query[i].weight * kHeadingMatchWeight;
    query.push_back(std::move(heading));
  }
  return query;
}

std::vector<RankedChunk> rank_chunks(const std::vector<QueryTerm>& query, const CorpusStats& stats,
                                     const std::vector<ChunkPosting>& postings,
                                     const std::vector<ChunkVectorHit>& vectors, const CorpusRankingOptions& options) {
  if (options.top_k <= 0) return {};
  std::unordered_map<std::string, double> query_weight;
  for (const auto& q : query) query_weight[q.term] = std::max(query_weight[q.term], q.weight);
  std::unordered_map<std::string, double> df;
  for (const auto& p : postings) df[p.term] += 1.0;

  const double docs = std::max(stats.chunks, 1.0);
  const double average_length = stats.chunks > 0 ? std::max(stats.total_length / stats.chunks, 1.0) : 1.0;
  std::map<std::string, Candidate> candidates;
  for (const auto& p : postings) {
    const auto weight = query_weight.find(p.term);
    if (weight == query_weight.end() || p.weight <= 0) continue;
    const double d = df[p.term];
    const double idf = std::log(1.0 + (docs - d + 0.5) / (d + 0.5));
    const double norm = kK1 * (1.0 - kB + kB * p.doc_length / average_length);
    candidates[p.chunk_id].lexical += weight->second * idf * p.weight * (kK1 + 1.0) / (p.weight + norm);
  }
  for (const auto& hit : vectors) {
    const auto found = candidates.find(hit.chunk_id);
    if (found != candidates.end()) {
      found->second.cosine = std::max(found->second.cosine, hit.cosine);
    } else if (hit.cosine >= options.min_similarity) {
      candidates[hit.chunk_id].cosine = hit.cosine;
    }
  }
  double best_lexical = 0.0;
  for (const auto& [id, c] : candidates) best_lexical = std::max(best_lexical, c.lexical);

  std::vector<RankedChunk> ranked;
  ranked.reserve(candidates.size());
  for (const auto& [id, c] : candidates) {
    const double relative = best_lexical > 0 ? c.lexical / best_lexical : 0.0;
    const double lexical_share = best_lexical > 0 ? 1.0 - options.vector_weight : 0.0;
    const double score = lexical_share * relative + (1.0 - lexical_share) * std::max(c.cosine, 0.0);
    ranked.push_back(RankedChunk{id, score, c.lexical, c.cosine});
  }
  std::sort(ranked.begin(), ranked.end(), [](const RankedChunk& a, const RankedChunk& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.chunk_id < b.chunk_id;
  });
  if (ranked.size() > static_cast<std::size_t>(options.top_k)) ranked.resize(static_cast<std::size_t>(options.top_k));
  return ranked;
}

}  // namespace docprof::domain
