// book_vector_texts: the texts a library embeds for one book (domain.md §7), so that a book can be
// scored by the best of its vectors instead of one vector for the whole book:
//   * one book digest: title, author, the book's summary and its chapter titles;
//   * one per chapter: chapter title, the book's title for context, summary, and its sections'
//     titles, topics and key concepts;
//   * one per chapter section: section title, topics and key concepts, with the chapter title for
//     context (a request touching one section of a large book still finds it).
// The texts carry no labels ("Topics:", …), which would add the same words to every vector.
//
// The kinds mirror ports::VectorKind (the core does not include the ports); `ref` follows the
// library's convention: "" for the book, "<chapter_number>" for a chapter and
// "<chapter_number>.<section index, 1-based>" for a section.
//
// Thread safety: pure functions over plain values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/book_summary.h"

namespace docprof::domain {

enum class BookVectorKind { book, chapter, section };

// "book" | "chapter" | "section", as stored in book_vectors.kind.
std::string_view to_string(BookVectorKind kind);
// The kind a stored text names (to_string's inverse); anything else is a book's.
BookVectorKind book_vector_kind(std::string_view text);
// The section index of a stored ref: "3.2" -> 2; "3", "" or a malformed ref -> 0.
int section_index_of_ref(std::string_view ref);

struct BookVectorText {
  BookVectorKind kind = BookVectorKind::book;
  std::string ref;         // "", "3", "3.2"
  int chapter_number = 0;  // 0 for the book digest
  std::string text;        // what gets embedded

  bool operator==(const BookVectorText&) const = default;
};

// The book digest first, then for each chapter (in the summary's order) the chapter followed by its
// sections. Empty fields are skipped; a section with nothing but its title still gets a vector.
std::vector<BookVectorText> book_vector_texts(const BookSummary& book);

}  // namespace docprof::domain
