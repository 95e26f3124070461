// Commands: the effects a workflow decision asks the engine to carry out, and the outcomes the
// engine reports back. A decision holds at most one effectful call (Embed, SearchBookSummaries or
// CallModel), or the CreateCourse + CreateSections pair that the engine stores in one transaction,
// or a revision's StoreRevision (issue 17).
//
// Thread safety: plain values. JSON conversion: commands_json.h.
#pragma once

#include <map>
#include <string>
#include <variant>
#include <vector>

#include "domain/book_summary.h"
#include "domain/document_outline.h"
#include "domain/models.h"
#include "domain/revised_rows.h"

namespace docprof::domain {

struct Embed {
  std::vector<std::string> texts;
  bool operator==(const Embed&) const = default;
};

struct SearchBookSummaries {
  std::string query;  // the learner's words, for the lexical side of the search
  std::vector<float> embedding;
  std::string embedding_model;
  int top_k = 10;
  double min_similarity = 0.0;
  bool operator==(const SearchBookSummaries&) const = default;
};

// One logical model request: which prompt, its variables, the rendered text and sampling settings.
struct LlmRequest {
  std::string prompt_id;  // "courses.generate_parts", ...
  std::string task;       // "generate_course_parts", "generate_part_sections_<i>", ...
  std::map<std::string, std::string> variables;
  std::string rendered;
  double temperature = 0.7;
  int max_tokens = 2000;
  bool operator==(const LlmRequest&) const = default;
};

struct CallModel {
  LlmRequest request;
  bool operator==(const CallModel&) const = default;
};

struct CreateCourse {
  Course course;
  bool operator==(const CreateCourse&) const = default;
};

struct CreateSections {
  std::string course_id;
  std::vector<CourseSection> sections;  // parts and sections, by order_index
  bool operator==(const CreateSections&) const = default;
};

// A revision's store step (issue 17): the store's commit re-reads the course's rows in its
// transaction and builds the stored rows with build_revised_rows (revised_rows.h) from them, so
// what is completed *at commit time* is re-inserted from storage.
struct StoreRevision {
  std::string course_id = {};
  std::string revision_request = {};
  Outline outline = {};                // the parsed answer
  std::vector<BookMatch> books = {};   // for resolving the answer's "Read:" lines
  RevisionRowsRequest rows = {};       // revision, hours after it, now
  int total_minutes = 0;               // of the rows built from the base (for RevisionStored)
  bool operator==(const StoreRevision&) const = default;
};

// An ingestion run's first step (issue 14): read and structure the document, write its offline
// summary, and find out whether the library has it already.
struct ParseDocument {
  std::string path = {};
  std::string book_id = {};  // "" = derived from the source path
  std::string title = {};
  std::string author = {};
  bool operator==(const ParseDocument&) const = default;
};

// An ingestion run's store step: embed the book (digest, chapters, sections, chunks) and store it
// in one transaction. The document is cut into chunks again from its outline (deterministically).
struct StoreBook {
  std::string book_id = {};
  BookSummary summary = {};
  DocumentOutline outline = {};
  std::string source_path = {};
  std::string format = {};
  std::string sha256 = {};
  int pages = 0;
  int words = 0;
  bool operator==(const StoreBook&) const = default;
};

using Command = std::variant<Embed, SearchBookSummaries, CallModel, CreateCourse, CreateSections, StoreRevision,
                             ParseDocument, StoreBook>;

// What the engine reports after running a decision's commands.
struct EmbedOutcome {
  std::vector<float> embedding;
  std::string model;
  TokenUsage usage;
};
struct SearchOutcome {
  std::vector<BookMatch> books;
};
struct ModelOutcome {
  std::string text;
  TokenUsage usage;
  std::string finish_reason = "stop";  // "stop" | "length"
};
struct StoreOutcome {};

// A document read and structured (ParseDocument).
struct ParseOutcome {
  std::string book_id;
  std::string source_path;  // absolute
  std::string format;
  std::string sha256;
  int pages = 0;
  int words = 0;
  DocumentOutline outline;
  BookSummary offline;   // the offline summary: the structure every summary keeps
  bool unchanged = false;  // the library has these bytes, read by this version: nothing to do
  bool replaces = false;   // the library has the book with other bytes
  int stored_chunks = 0;   // of the book as stored, when unchanged
};

// A book stored (StoreBook).
struct BookStoreOutcome {
  std::string status;  // ingested | replaced
  int chunks = 0;
};

using CommandOutcome = std::variant<EmbedOutcome, SearchOutcome, ModelOutcome, StoreOutcome, ParseOutcome,
                                    BookStoreOutcome>;

}  // namespace docprof::domain
