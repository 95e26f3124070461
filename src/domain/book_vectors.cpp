#include "domain/book_vectors.h"

#include <string>
#include <utility>
#include <vector>

#include "domain/text.h"

namespace docprof::domain {
namespace {

// Collects non-blank pieces into lines; joins the items of a list with ", ".
class TextBuilder {
 public:
  void line(std::string_view piece) {
    std::string trimmed = trim(piece);
    if (trimmed.empty()) return;
    if (!text_.empty()) text_ += '\n';
    text_ += trimmed;
  }

  void list(const std::vector<std::string>& items, std::string_view separator = ", ") {
    std::string joined;
    for (const std::string& item : items) {
      std::string trimmed = trim(item);
      if (trimmed.empty()) continue;
      if (!joined.empty()) joined += separator;
      joined += trimmed;
    }
    line(joined);
  }

  std::string take() && { return std::move(text_); }

 private:
  std::string text_;
};

std::string book_text(const BookSummary& book) {
  TextBuilder text;
  text.line(book.source_title);
  text.line(book.author);
  text.line(book.source_summary);
  std::vector<std::string> titles;
  titles.reserve(book.chapters.size());
  for (const ChapterSummary& chapter : book.chapters) titles.push_back(chapter.chapter_title);
  text.list(titles, "; ");
  return std::move(text).take();
}

std::string chapter_text(const BookSummary& book, const ChapterSummary& chapter) {
  TextBuilder text;
  text.line(chapter.chapter_title);
  text.line(book.source_title);
  text.line(chapter.summary);
  for (const SectionSummary& section : chapter.sections) {
    text.line(section.section_title);
    text.list(section.topics);
    text.list(section.key_concepts);
  }
  return std::move(text).take();
}

std::string section_text(const ChapterSummary& chapter, const SectionSummary& section) {
  TextBuilder text;
  text.line(section.section_title);
  text.list(section.topics);
  text.list(section.key_concepts);
  text.line(chapter.chapter_title);
  return std::move(text).take();
}

}  // namespace

std::string_view to_string(BookVectorKind kind) {
  switch (kind) {
    case BookVectorKind::book:
      return "book";
    case BookVectorKind::chapter:
      return "chapter";
    case BookVectorKind::section:
      return "section";
  }
  return "book";
}

BookVectorKind book_vector_kind(std::string_view text) {
  if (text == "chapter") return BookVectorKind::chapter;
  if (text == "section") return BookVectorKind::section;
  return BookVectorKind::book;
}

int section_index_of_ref(std::string_view ref) {
  const auto dot = ref.find('.');
  if (dot == std::string_view::npos) return 0;
  int value = 0;
  for (const char c : ref.substr(dot + 1)) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::vector<BookVectorText> book_vector_texts(const BookSummary& book) {
  std::vector<BookVectorText> out;
  out.push_back({BookVectorKind::book, "", 0, book_text(book)});
  for (const ChapterSummary& chapter : book.chapters) {
    const std::string chapter_ref = std::to_string(chapter.chapter_number);
    out.push_back({BookVectorKind::chapter, chapter_ref, chapter.chapter_number,
                   chapter_text(book, chapter)});
    for (std::size_t s = 0; s < chapter.sections.size(); ++s) {
      out.push_back({BookVectorKind::section, chapter_ref + "." + std::to_string(s + 1),
                     chapter.chapter_number, section_text(chapter, chapter.sections[s])});
    }
  }
  return out;
}

}  // namespace docprof::domain
