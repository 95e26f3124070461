// DocumentOutline: a document brought into the library (a PDF, an EPUB, an HTML manual, Markdown or
// text), as structure: title and author, chapters (each with a kind: chapter, front_matter,
// appendix, index, back_matter), their sections and the paragraphs of each section, with the page
// each paragraph starts on for paged formats.
//
// Readers (adapters/ingest) turn a file into a flat list of DocumentBlocks — headings with their
// level and paragraphs — and build_outline() gives it its structure: the top heading level in use
// becomes chapters, the next one sections, deeper headings stay in the text (and are listed as
// the section's subheadings). Every chapter with
// text has at least one section: text before a chapter's first section heading becomes a section
// named after the chapter, so that section indexes (1-based) locate every word.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace docprof::domain {

enum class BlockKind { heading, paragraph };

// One block of a document in reading order, as a reader found it.
struct DocumentBlock {
  BlockKind kind = BlockKind::paragraph;
  int level = 0;     // headings: 1 = the largest (h1); paragraphs: 0
  std::string text;  // plain text, white space collapsed
  int page = 0;      // 1-based page the block starts on; 0 = not a paged format
  bool code = false; // a code listing: kept in the text and chunks, left out of summaries

  bool operator==(const DocumentBlock&) const = default;
};

struct DocumentParagraph {
  std::string text;
  int page = 0;       // 0 = not paged
  bool code = false;  // a code listing (DocumentBlock::code)

  bool operator==(const DocumentParagraph&) const = default;
};

struct DocumentSection {
  std::string title;
  std::vector<DocumentParagraph> paragraphs;
  // The titles of its subsections (headings below the section level), in order. Their text is
  // also among `paragraphs`, so that chunks and word counts keep every word.
  std::vector<std::string> subheadings = {};

  bool operator==(const DocumentSection&) const = default;
};

struct DocumentChapter {
  std::string title;
  std::string kind = "chapter";  // chapter | front_matter | appendix | index | back_matter
  std::vector<DocumentSection> sections;

  bool operator==(const DocumentChapter&) const = default;
};

struct DocumentOutline {
  std::string title;
  std::string author;
  std::vector<DocumentChapter> chapters;

  bool operator==(const DocumentOutline&) const = default;
};

// What the reader or the user knows beyond the blocks: a title and author from metadata (or the
// command line), and the name to fall back on when neither metadata nor a heading gives a title.
struct OutlineHints {
  std::string title;           // wins over a title heading when not empty
  std::string author;
  std::string fallback_title;  // e.g. the file's name without its extension
};

// Structures blocks into chapters and sections (see above). A single top-level heading that opens
// the document is its title (and then the next level gives the chapters). Text before the first
// chapter heading becomes a front-matter chapter "Introduction" (under 12 words it is a title block
// and left out); a document without headings is
// one chapter named after the document. Chapters without any text are dropped (part dividers),
// and each chapter's kind is classified from its title and position (chapter_kind.h).
DocumentOutline build_outline(const std::vector<DocumentBlock>& blocks, const OutlineHints& hints);

// Whitespace-separated words of a text (code and numbers included), as word counts are reported.
int count_words(std::string_view text);

// Words of a section, of a chapter, of a whole document.
int section_words(const DocumentSection& section);
int chapter_words(const DocumentChapter& chapter);
int document_words(const DocumentOutline& outline);

// The first and last page of a chapter's or section's paragraphs; {0, 0} when not paged.
struct PageRange {
  int first = 0;
  int last = 0;
  bool operator==(const PageRange&) const = default;
};
PageRange section_pages(const DocumentSection& section);
PageRange chapter_pages(const DocumentChapter& chapter);

}  // namespace docprof::domain
