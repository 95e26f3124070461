// The lexical side of the library (DESIGN.md §6, domain.md §7): what a book contributes to term
// search. A book becomes documents — its digest, each chapter, each chapter section, the same
// units as its vectors (book_vectors.h) — each a bag of analysed terms weighted by the field they
// come from: a word in a title says more about a chapter than a word in a passing key concept.
// Single terms and pairs of adjacent terms ("cost capit") are both indexed, so phrases count.
//
// Thread safety: pure functions over plain values.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "domain/book_summary.h"
#include "domain/book_vectors.h"
#include "domain/term_analyzer.h"

namespace docprof::domain {

struct IndexedDoc {
  BookVectorKind kind = BookVectorKind::book;
  std::string ref;         // "", "3", "3.2" as for vectors
  int chapter_number = 0;  // 0 for the book digest
  int section_index = 0;   // 1-based for a section, else 0
  double length = 0.0;     // the sum of its term weights (single terms only)
  std::vector<std::pair<std::string, double>> terms;  // term -> field-weighted count, by term

  bool operator==(const IndexedDoc&) const = default;
};

// The documents of one book: digest first, then each chapter followed by its sections.
std::vector<IndexedDoc> index_book(const BookSummary& book, const TermAnalyzer& analyzer);

}  // namespace docprof::domain
