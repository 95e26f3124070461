// Offline summaries of an ingested book: its DocumentOutline turned into the summary_json the course
// workflow reads (book_summary.h, domain.md §7), plus each chapter's and section's `words` and each
// chapter's `kind`, by statistics over the book alone — no model:
//   * topics of a section: its words and two-word phrases (adjacent content words) ranked by
//     TF-IDF against the book's other sections; a phrase must occur twice and outranks its words;
//     tokens that are no words (numbers, markup or URL debris, one or two letters) never qualify;
//   * key concepts of a section: its most salient clean sentences (prose of 6–30 words, mostly
//     letters, not ending in a colon), definitions ("X is a …", "… means …") favoured;
//   * a chapter's summary: its two or three most salient sentences, in reading order;
//   * the book's summary: four salient sentences of its body chapters, early ones favoured.
// Code listings are left out of all of it. Terms come from the TermAnalyzer that the library search and the embedder also use, so topics
// are what search matches on.
//
// Thread safety: pure functions (the analyzer must allow concurrent use).
#pragma once

#include "domain/book_summary.h"
#include "domain/document_outline.h"
#include "domain/term_analyzer.h"

namespace docprof::domain {

struct SummaryOptions {
  int min_topics = 3;
  int max_topics = 8;
  int max_key_concepts = 5;
  int chapter_sentences = 3;
  int book_sentences = 4;
};

BookSummary summarize_document(const DocumentOutline& outline, const TermAnalyzer& analyzer,
                               const SummaryOptions& options = {});

}  // namespace docprof::domain
