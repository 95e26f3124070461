// The value types of the course workflow (domain.md §1): learner preferences, the stored Course and
// CourseSection rows, the outline being built, token usage and the per-run state (RunState).
//
// JSON conversions live in models_json.h so that this header stays light.
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/book_list.h"
#include "domain/book_summary.h"
#include "domain/document_outline.h"
#include "domain/result.h"

namespace docprof::domain {

enum class Depth { overview, balanced, technical, expert };
enum class Pace { quick, moderate, thorough };
enum class CourseStatus { active, completed, archived };
enum class SectionStatus { not_started, in_progress, completed };

std::string_view to_string(Depth);
std::string_view to_string(Pace);
std::string_view to_string(CourseStatus);
std::string_view to_string(SectionStatus);
// Parse the lower-case names above; an unknown name is an "invalid_request" error listing the
// accepted values.
Result<Depth> parse_depth(std::string_view);
Result<Pace> parse_pace(std::string_view);
Result<CourseStatus> parse_course_status(std::string_view);
Result<SectionStatus> parse_section_status(std::string_view);

// What to read for a section, as an answer names it: "Read: <book_id> ch <n>[ § <section title>]".
struct ReadingRef {
  std::string book_id;
  int chapter_number = 0;
  std::string section_title;  // "" = the whole chapter

  bool operator==(const ReadingRef&) const = default;
};

// A reading reference resolved against the run's books, as stored and shown with a section.
struct SectionSource {
  std::string book_id;
  std::string book_title;
  int chapter_number = 0;
  std::string chapter_title;
  std::optional<std::string> section_title;  // nullopt = the whole chapter

  bool operator==(const SectionSource&) const = default;
};

// A note on the whole outline: a requested topic the library has no material for, prior knowledge
// honoured, ... Answers carry them as "Note: …" lines of the parts answer.
struct CourseNote {
  std::string kind;   // "uncovered_topic" | "prior_knowledge" | "note"
  std::string topic;  // "" when the note is about no single topic
  std::string message;

  bool operator==(const CourseNote&) const = default;
};

struct Preferences {
  Depth depth = Depth::balanced;
  std::string presentation_style = "conversational";
  Pace pace = Pace::moderate;
  std::string additional_notes;

  bool operator==(const Preferences&) const = default;
};

struct Course {
  std::string course_id;
  std::string user_id;
  std::string title;
  std::string original_query;
  double estimated_hours = 0.0;
  std::string created_at;     // ISO 8601 UTC, e.g. "2026-11-28T15:31:05.123Z"
  std::string last_modified;  // ISO 8601 UTC
  Preferences preferences;
  CourseStatus status = CourseStatus::active;
  std::vector<CourseNote> notes;  // uncovered topics, prior knowledge honoured, ...

  bool operator==(const Course&) const = default;
};

struct CourseSection {
  std::string section_id;
  std::string course_id;
  std::optional<std::string> parent_section_id;  // empty for a part row
  int order_index = 0;                           // 1-based, one counter across the course
  std::string title;
  std::vector<std::string> learning_objectives;
  std::optional<std::string> content_summary;
  int estimated_minutes = 0;
  std::vector<std::string> chunk_ids;
  SectionStatus status = SectionStatus::not_started;
  std::optional<std::string> completed_at;
  bool can_standalone = false;
  std::vector<std::string> prerequisites;  // section ids
  std::vector<SectionSource> sources;      // what to read (empty for a part row)
  std::string created_at;

  bool operator==(const CourseSection&) const = default;
};

// One part of the plan produced by the parts step.
struct PartPlan {
  std::string title;
  int minutes = 0;

  bool operator==(const PartPlan&) const = default;
};

// One section of the outline; minutes == 0 means the model gave none (validation sets 15).
struct SectionDraft {
  std::string title;
  int minutes = 0;
  std::vector<std::string> objectives;
  std::vector<ReadingRef> reads;  // "Read:" lines of the answer; empty when it gave none

  bool operator==(const SectionDraft&) const = default;
};

struct PartDraft {
  std::string title;
  int minutes = 0;  // as planned by the parts step (informational; stored rows use section sums)
  std::vector<SectionDraft> sections;

  int section_minutes() const;
  bool operator==(const PartDraft&) const = default;
};

struct Outline {
  std::vector<PartDraft> parts;

  // The total time of an outline is the sum of its sections' minutes (domain.md §4).
  int total_minutes() const;
  int section_count() const;
  bool operator==(const Outline&) const = default;
};

struct TokenUsage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t calls = 0;  // model calls counted (a step's own retries inside a provider count)

  std::int64_t total() const { return input_tokens + output_tokens; }
  TokenUsage& operator+=(const TokenUsage& other);
  bool operator==(const TokenUsage&) const = default;
};

// The phase of a run, named as the status API names it (domain.md §8).
enum class Phase {
  initializing,
  searching_books,
  generating_parts,
  generating_sections,
  reviewing_outline,
  storing,
  complete,
  error,
  revising,  // a revision of a stored course (issue 17): appended, so stored names stay valid
  parsing,      // an ingestion run (issue 14) reads and structures its document
  summarizing   // an ingestion run writes its chapters' and book's summaries
};
std::string_view to_string(Phase);
Result<Phase> parse_phase(std::string_view);

// What an ingestion run (issue 14) keeps between its steps: its request, the document as parsed
// (its text is passed by reference: events name chapters by index, the state keeps the text), the
// offline summary (the structure every summary keeps, and the extractive summarizer's text), and
// the summaries written so far.
struct IngestState {
  // The request (IngestRequested).
  std::string path = {};
  std::string file_name = {};
  std::string requested_book_id = {};
  std::string title = {};
  std::string author = {};
  std::string summarizer = {};  // "extractive" = the offline summaries, no model call
  bool owned = false;
  // Set by the parse step.
  bool parsed = false;
  std::string book_id = {};
  std::string source_path = {};
  std::string format = {};
  std::string sha256 = {};
  int pages = 0;
  int words = 0;
  bool unchanged = false;       // already in the library with these bytes
  bool previous = false;        // the library had the book with other bytes: this replaces it
  int stored_chunks = 0;        // when unchanged: the chunks of the book as stored
  // The chapter text one summary request holds, fixed when the document is read, so that a worker
  // configured otherwise cuts a chapter into the same parts mid-run.
  int part_tokens = 0;
  DocumentOutline outline = {};
  BookSummary offline = {};
  // Written by the summary steps: chapters[i] once chapter i is summarized (in order).
  std::vector<ChapterSummary> chapters = {};
  std::vector<std::string> part_summaries = {};  // of the chapter being summarized in parts
  std::string source_summary = {};               // the book's, once summarized
  bool operator==(const IngestState&) const = default;
};

// The state of one course run while it is generated (the original's CourseState).
struct RunState {
  std::string course_id;
  std::string user_id;
  std::string query;
  double hours = 0.0;
  Preferences preferences;
  Phase phase = Phase::initializing;

  std::int64_t last_seq = -1;  // seq of the last applied event; the next one expected is last_seq+1

  // The request's embedding, from the embedding step until the search step has used it. Big
  // payloads are kept with the run, not in events (domain.md §2): see keep_outcome (workflow.h).
  std::vector<float> embedding = {};
  BookList books;                           // found books, best first, with the summaries used
  std::optional<std::string> course_title;  // from a "Course title:" line of the parts answer
  std::vector<PartPlan> parts;
  std::vector<CourseNote> notes;  // from "Note:" lines of the parts answer
  int next_part_index = 0;  // 0-based index of the next part to expand
  Outline outline;          // parts expanded so far, with their sections
  int review_rounds = 0;
  int repairs = 0;  // repair requests made for the current step
  // The store step has written the course (in its own commit): only CourseStored remains, so the
  // run can no longer be cancelled — it completes.
  bool course_stored = false;
  std::optional<Error> last_error;
  TokenUsage usage;

  // A revision of the stored course (issue 17); 0 for the original generation. The base is what
  // the revision starts from: the stored course and its rows when it was requested (the store
  // step re-reads the rows at commit time, so progress made meanwhile is kept).
  int revision = 0;
  std::string revision_request = {};
  std::optional<Course> base_course = {};
  std::vector<CourseSection> base_sections = {};

  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  std::int64_t expires_at_ms = 0;  // updated_at_ms + state TTL

  // An ingestion run's state (issue 14); absent for a course's run. The fields above that name a
  // course keep their defaults (course_id is the run's id).
  std::optional<IngestState> ingest = {};

  bool operator==(const RunState&) const = default;
};

}  // namespace docprof::domain
