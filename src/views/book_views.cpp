#include "views/book_views.h"

#include <nlohmann/json.hpp>

namespace docprof::views {

nlohmann::json book_search_json(const std::vector<domain::BookMatch>& found) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& m : found) {
    nlohmann::json chapters = nlohmann::json::array();
    for (const auto& c : m.chapter_scores) {
      std::string title;
      for (const auto& chapter : m.summary.chapters) {
        if (chapter.chapter_number == c.chapter_number) title = chapter.chapter_title;
      }
      chapters.push_back({{"chapter", c.chapter_number},
                          {"chapter_number", c.chapter_number},
                          {"chapter_title", title},
                          {"similarity", c.similarity},
                          {"matched_terms", c.matched_terms}});
    }
    out.push_back({{"book_id", m.book_id},
                   {"title", m.title},
                   {"author", m.author},
                   {"similarity", m.similarity},
                   {"matched_terms", m.matched_terms},
                   {"topics", m.topics},
                   {"chapters", chapters},
                   {"chapter_scores", chapters}});
  }
  return out;
}

}  // namespace docprof::views
