// The summaries of an ingestion run (issue 14): the model requests that write them
// (books.summarize_chapter, books.summarize_book), the tolerant reading of their JSON answers, and
// how an answer becomes the book's summary_json.
//
// A chapter longer than one request holds (max_part_tokens of text, estimate_tokens) is summarized
// in parts — consecutive paragraphs, a paragraph longer than a part cut at a sentence or word —
// and the parts' summaries are merged by one more request over them. Tasks (what a `replay`
// cassette is keyed by; i is the 0-based chapter index): summarize_chapter_<i> for a whole chapter
// or the merge, summarize_chapter_<i>_part_<j> for a part, summarize_book.
//
// The structure of every summary (chapter and section titles, pages, words, kinds, subsections)
// comes from the document; an answer gives the text: the chapter's summary, and for the sections
// it names (matched by title, else by position) their topics and key concepts. A section the
// answer leaves out keeps its offline topics and key concepts.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/book_summary.h"
#include "domain/commands.h"
#include "domain/document_outline.h"
#include "domain/models.h"
#include "domain/result.h"

namespace docprof::domain {

std::string summarize_chapter_task(int chapter_index);
std::string summarize_chapter_part_task(int chapter_index, int part_index);
inline constexpr std::string_view kSummarizeBookTask = "summarize_book";

// The chapter's text cut into parts of at most max_part_tokens (at least one part, maybe empty).
std::vector<std::string> chapter_parts(const DocumentChapter& chapter, int max_part_tokens);

// The request for chapter `chapter_index` of the run's document: the whole chapter (one part), its
// part `part_index`, or — part_index == number of parts > 1 — the merge of `part_summaries`.
Result<LlmRequest> summarize_chapter_request(const IngestState& ingest, int chapter_index, int part_index,
                                             int max_part_tokens);
// The request for the book's summary, over its chapter summaries so far (ingest.chapters).
Result<LlmRequest> summarize_book_request(const IngestState& ingest, int budget_tokens);

// A chapter answer, read tolerantly: code fences and text around the JSON object are ignored;
// "summary" (a non-empty string) is required; "sections" is optional, each an object with
// "section_title" (or "title"), "topics" and "key_concepts" (arrays of strings, or one string
// split at commas/semicolons). Errors ("unparseable_output") say what is wrong, for the repair.
struct SectionAnswer {
  std::string section_title;
  std::vector<std::string> topics;
  std::vector<std::string> key_concepts;
};
struct ChapterAnswer {
  std::string summary;
  std::vector<SectionAnswer> sections;
};
Result<ChapterAnswer> parse_chapter_answer(std::string_view text);
// A book answer: {"summary": "<non-empty string>"}, read as tolerantly.
Result<std::string> parse_book_answer(std::string_view text);

// The extractive summarizer's answers: the offline summary written in the answers' JSON shape.
std::string chapter_answer_text(const ChapterSummary& offline);
std::string book_answer_text(const std::string& summary);

// The chapter's summary: the offline chapter (structure) with the answer's text.
ChapterSummary merge_chapter_answer(const ChapterSummary& offline, const ChapterAnswer& answer);

// The book's summary_json once every chapter and the book are summarized.
BookSummary ingested_summary(const IngestState& ingest);

}  // namespace docprof::domain
