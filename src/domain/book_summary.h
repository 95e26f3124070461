// BookSummary: a book of the library as its summary_json describes it (domain.md §7), and the
// BookMatch a library search returns for a request.
//
// parse_book_summary validates an untrusted summary_json document and says precisely what is wrong.
// Thread safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "domain/result.h"

namespace docprof::domain {

struct SectionSummary {
  std::string section_title;
  std::vector<std::string> topics;
  std::vector<std::string> key_concepts;
  std::string page_range;  // "X-Y", may be empty
  int words = 0;           // words of the section's text; 0 = unknown
  // Titles of its subsections, in order (summary_json "subsections", optional): what a teacher
  // would make objectives of ("Fixing a mistake with a new commit").
  std::vector<std::string> subsections = {};

  bool operator==(const SectionSummary&) const = default;
};

struct ChapterSummary {
  int chapter_number = 0;
  std::string chapter_title;
  std::string summary;
  std::vector<SectionSummary> sections;
  int words = 0;                // words of the chapter's text; 0 = unknown
  std::string kind = "chapter"; // chapter | front_matter | appendix | index | back_matter

  bool operator==(const ChapterSummary&) const = default;
};

struct BookSummary {
  std::string source_title;
  std::string author;
  int total_chapters = 0;
  std::string source_summary;
  std::vector<ChapterSummary> chapters;

  bool operator==(const BookSummary&) const = default;
};

// The chapter kinds a summary may name (ChapterSummary::kind).
bool is_chapter_kind(std::string_view kind);

// How well one chapter of a found book matched the request.
struct ChapterScore {
  int chapter_number = 0;
  double similarity = 0.0;
  std::vector<std::string> matched_terms;  // the request's words found in the chapter

  bool operator==(const ChapterScore&) const = default;
};

// How well one section of a chapter matched the request (section_index 1-based, in the chapter).
struct SectionScore {
  int chapter_number = 0;
  int section_index = 0;
  double similarity = 0.0;

  bool operator==(const SectionScore&) const = default;
};

// One book found for a request: identity, score, per-chapter scores, and the summary used in prompts.
struct BookMatch {
  std::string book_id;
  std::string title;
  std::string author;
  double similarity = 0.0;
  std::vector<ChapterScore> chapter_scores;  // best first; may be empty
  BookSummary summary;
  std::vector<SectionScore> section_scores;  // sections that matched at all; any order
  std::vector<std::string> matched_terms;    // the request's words found in the book
  std::vector<std::string> topics = {};      // the request's topics it is the best source for

  bool operator==(const BookMatch&) const = default;
};

// Validates and converts a summary_json document. Error code "invalid_book" with a message naming
// the offending field (e.g. "chapters[2].chapter_title: expected a non-empty string").
Result<BookSummary> parse_book_summary(const nlohmann::json& document);

}  // namespace docprof::domain
