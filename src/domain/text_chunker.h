// The corpus of an ingested book: its text cut into chunks of a few hundred words on paragraph
// boundaries, each with its location (chapter, section, the page it starts on). A chunk never
// spans two sections, so its location is exact; a paragraph longer than `max_words` is cut between
// sentences (or, for a sentence longer still, between words). A last chunk of a section much
// smaller than the rest is merged into the chunk before it.
//
// Thread safety: pure functions over plain values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/document_outline.h"

namespace docprof::domain {

struct ChunkOptions {
  int target_words = 300;  // a chunk is closed once it holds this many words
  int max_words = 400;     // ... or before the next paragraph would take it past this
};

struct TextChunk {
  int chapter_number = 0;  // 1-based, as in the outline
  int section_index = 0;   // 1-based within the chapter
  int page = 0;            // the page of its first paragraph; 0 = not paged
  int words = 0;
  std::string text;        // paragraphs separated by a blank line

  bool operator==(const TextChunk&) const = default;
};

std::vector<TextChunk> chunk_document(const DocumentOutline& outline, const ChunkOptions& options = {});

// The sentences of a paragraph: cut after '.', '!' or '?' (optionally followed by a closing quote
// or bracket) when white space and an upper-case letter, a digit or an opening quote follow.
// Common abbreviations ("e.g.", "i.e.", "Mr.", "etc.", "vs.", "Fig.") do not end a sentence.
std::vector<std::string_view> split_sentences(std::string_view paragraph);

}  // namespace docprof::domain
