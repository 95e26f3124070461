// RelevanceLabel: what a reviewer expects of the course for one request (an entry of
// tests/fixtures/relevance/<library>.json): the books it should draw on (library file stems, e.g.
// "mckinsey-valuation-7e"), the topics it must cover or report, the topics the library cannot
// cover, what the learner already knows, and whether the topics' order is prescribed.
//
// Thread safety: plain values.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace docprof::quality {

struct RelevanceLabel {
  std::string id;
  std::string library;  // "examples" | "debian"
  std::string split;    // "tune" | "heldout"
  std::string query;
  double hours = 0;
  std::string depth = "balanced";     // overview | balanced | technical | expert
  std::vector<std::string> books;     // library file stems the course should read from
  std::vector<std::string> also_ok;   // stems that are acceptable too
  std::vector<std::string> topics;    // named topics: covered, or reported uncovered
  std::vector<std::string> uncoverable_topics;  // the library has nothing: must be reported
  std::vector<std::string> prior_knowledge;     // known to the learner: must be reported
  bool topic_order = false;  // the topics must first appear in the order listed
};

// Reads one entry; throws std::invalid_argument naming the entry and field when a required field
// (id, query, hours, books) is missing or has the wrong type. depth defaults to "balanced".
RelevanceLabel label_from_json(const nlohmann::json& entry);

// Reads a whole label file (a JSON array of entries).
std::vector<RelevanceLabel> labels_from_json(const nlohmann::json& file);

}  // namespace docprof::quality
