#include "domain/book_summary.h"

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "domain/models_json.h"

namespace docprof::domain {
namespace {

using nlohmann::json;

Error invalid(const std::string& path, std::string_view problem) {
  return Error{"invalid_book", path + ": " + std::string(problem)};
}

// nlohmann's what() is "[json.exception.<kind>.<id>] <message>"; keep the message.
std::string exception_message(const json::exception& e) {
  std::string_view what = e.what();
  if (const auto end = what.find("] "); what.starts_with("[json.exception.") && end != what.npos) {
    what.remove_prefix(end + 2);
  }
  return std::string(what);
}

std::string chapter_path(std::size_t i) {
  return "chapters[" + std::to_string(i) + "]";
}

}  // namespace

bool is_chapter_kind(std::string_view kind) {
  return kind == "chapter" || kind == "front_matter" || kind == "appendix" || kind == "index" ||
         kind == "back_matter";
}

// Two passes: from_json(BookSummary) checks the shape (every type, with its path, and the §7
// defaults for missing keys); this function then checks what the shape cannot say — required
// non-empty titles, a non-empty chapter list, non-negative and unique chapter numbers.
Result<BookSummary> parse_book_summary(const json& document) {
  BookSummary book;
  try {
    document.get_to(book);
  } catch (const json::exception& e) {
    return Error{"invalid_book", exception_message(e)};
  }

  if (book.source_title.empty()) return invalid("source_title", "expected a non-empty string");
  if (book.total_chapters < 0) return invalid("total_chapters", "expected an integer >= 0");
  if (book.chapters.empty()) return invalid("chapters", "expected a non-empty array");

  std::map<int, std::size_t> seen;  // chapter number -> index of its first chapter
  for (std::size_t i = 0; i < book.chapters.size(); ++i) {
    const ChapterSummary& chapter = book.chapters[i];
    const std::string path = chapter_path(i);
    if (chapter.chapter_number < 0) {
      return invalid(path + ".chapter_number", "expected an integer >= 0");
    }
    if (const auto [it, inserted] = seen.emplace(chapter.chapter_number, i); !inserted) {
      return invalid(path + ".chapter_number", "duplicate chapter number " +
                                                   std::to_string(chapter.chapter_number) +
                                                   " (also " + chapter_path(it->second) + ")");
    }
    if (chapter.chapter_title.empty()) {
      return invalid(path + ".chapter_title", "expected a non-empty string");
    }
    if (!is_chapter_kind(chapter.kind)) {
      return invalid(path + ".kind", "expected one of chapter, front_matter, appendix, index, "
                                     "back_matter; got \"" + chapter.kind + "\"");
    }
    if (chapter.words < 0) return invalid(path + ".words", "expected an integer >= 0");
    for (std::size_t s = 0; s < chapter.sections.size(); ++s) {
      if (chapter.sections[s].section_title.empty()) {
        return invalid(path + ".sections[" + std::to_string(s) + "].section_title",
                       "expected a non-empty string");
      }
      if (chapter.sections[s].words < 0) {
        return invalid(path + ".sections[" + std::to_string(s) + "].words",
                       "expected an integer >= 0");
      }
    }
  }
  return book;
}

}  // namespace docprof::domain
