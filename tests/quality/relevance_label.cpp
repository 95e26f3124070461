#include "quality/relevance_label.h"

#include <stdexcept>

namespace docprof::quality {

namespace {

using nlohmann::json;

std::string text(const json& entry, const char* key, const std::string& where, bool needed) {
  if (!entry.contains(key)) {
    if (needed) throw std::invalid_argument(where + ": no \"" + key + "\"");
    return "";
  }
  if (!entry.at(key).is_string())
    throw std::invalid_argument(where + ": \"" + key + "\" is not a string");
  return entry.at(key).get<std::string>();
}

std::vector<std::string> texts(const json& entry, const char* key, const std::string& where,
                               bool needed) {
  std::vector<std::string> out;
  if (!entry.contains(key)) {
    if (needed) throw std::invalid_argument(where + ": no \"" + key + "\"");
    return out;
  }
  const json& list = entry.at(key);
  if (!list.is_array()) throw std::invalid_argument(where + ": \"" + key + "\" is not an array");
  for (const json& item : list) {
    if (!item.is_string())
      throw std::invalid_argument(where + ": \"" + key + "\" holds a non-string");
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace

RelevanceLabel label_from_json(const json& entry) {
  if (!entry.is_object()) throw std::invalid_argument("a label entry is not an object");
  RelevanceLabel label;
  label.id = text(entry, "id", "label", true);
  const std::string where = "label " + label.id;
  label.library = text(entry, "library", where, false);
  label.split = text(entry, "split", where, false);
  label.query = text(entry, "query", where, true);
  if (!entry.contains("hours") || !entry.at("hours").is_number())
    throw std::invalid_argument(where + ": \"hours\" is missing or not a number");
  label.hours = entry.at("hours").get<double>();
  const std::string depth = text(entry, "depth", where, false);
  if (!depth.empty()) label.depth = depth;
  label.books = texts(entry, "books", where, true);
  label.also_ok = texts(entry, "also_ok", where, false);
  label.topics = texts(entry, "topics", where, false);
  label.uncoverable_topics = texts(entry, "uncoverable_topics", where, false);
  label.prior_knowledge = texts(entry, "prior_knowledge", where, false);
  if (entry.contains("topic_order")) {
    if (!entry.at("topic_order").is_boolean())
      throw std::invalid_argument(where + ": \"topic_order\" is not a boolean");
    label.topic_order = entry.at("topic_order").get<bool>();
  }
  return label;
}

std::vector<RelevanceLabel> labels_from_json(const json& file) {
  if (!file.is_array()) throw std::invalid_argument("a label file must be a JSON array");
  std::vector<RelevanceLabel> labels;
  for (const json& entry : file) labels.push_back(label_from_json(entry));
  return labels;
}

}  // namespace docprof::quality
