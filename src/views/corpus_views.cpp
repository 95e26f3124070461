#include "views/corpus_views.h"

#include <nlohmann/json.hpp>

namespace docprof::views {
namespace {

void put_page_range(nlohmann::json& out, int first, int last) {
  if (first > 0) out["page_range"] = std::to_string(first) + "-" + std::to_string(last);
}

}  // namespace

nlohmann::json book_structure_json(const ports::BookStructure& book) {
  nlohmann::json chapters = nlohmann::json::array();
  for (const auto& chapter : book.chapters) {
    nlohmann::json sections = nlohmann::json::array();
    for (const auto& section : chapter.sections) {
      nlohmann::json s{{"title", section.title}, {"words", section.words}};
      put_page_range(s, section.first_page, section.last_page);
      sections.push_back(std::move(s));
    }
    nlohmann::json c{{"chapter_number", chapter.chapter_number},
                     {"kind", chapter.kind},
                     {"title", chapter.title},
                     {"words", chapter.words}};
    put_page_range(c, chapter.first_page, chapter.last_page);
    c["sections"] = std::move(sections);
    chapters.push_back(std::move(c));
  }
  nlohmann::json out{{"book_id", book.info.book_id},
                     {"title", book.info.title},
                     {"author", book.info.author},
                     {"format", book.source.format},
                     {"source_path", book.source.source_path},
                     {"words", book.source.words},
                     {"chunks", book.chunks}};
  if (book.source.pages > 0) out["pages"] = book.source.pages;
  out["chapters"] = std::move(chapters);
  return out;
}

nlohmann::json chunk_matches_json(const std::vector<ports::ChunkMatch>& matches) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& m : matches) {
    out.push_back({{"chunk_id", m.chunk_id},
                   {"book_id", m.book_id},
                   {"book_title", m.book_title},
                   {"chapter_number", m.chapter_number},
                   {"chapter_title", m.chapter_title},
                   {"section_title", m.section_title ? nlohmann::json(*m.section_title) : nlohmann::json(nullptr)},
                   {"page", m.page ? nlohmann::json(*m.page) : nlohmann::json(nullptr)},
                   {"score", m.score},
                   {"text", m.text}});
  }
  return out;
}

}  // namespace docprof::views
