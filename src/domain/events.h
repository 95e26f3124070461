// The events of a course run (domain.md §2) and of a revision of a stored course (issue 17,
// docs/revisions.md), and the envelope every event travels in
// (DESIGN.md §3): {event_id, course_id, seq, type, occurred_at, attempt, payload}.
//
// Thread safety: plain values. JSON conversion: events_json.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/book_summary.h"
#include "domain/models.h"
#include "domain/result.h"

namespace docprof::domain {

enum class EventType {
  CourseRequested,
  EmbeddingGenerated,
  BookSummariesFound,
  PartsGenerated,
  PartSectionsGenerated,
  AllPartsComplete,
  OutlineReviewed,
  CourseStored,
  CourseFailed,
  // A revision of a stored course (issue 17): appended, so the indices above stay valid.
  RevisionRequested,
  OutlineRevised,
  RevisionStored,
  // An ingestion run (issue 14, docs/ingestion-runs.md): a document brought into the library, a
  // step per chapter. Appended, so the indices above stay valid.
  IngestRequested,
  DocumentParsed,
  ChapterSummarized,
  BookSummarized,
  BookStored,
  IngestFailed
};
inline constexpr int kEventTypeCount = 18;

// Whose run an event belongs to: a course's (generation or revision) or an ingestion's.
enum class RunKind { course, ingest };
RunKind run_kind_of(EventType type);
std::string_view to_string(RunKind kind);  // "course" | "ingest"

std::string_view to_string(EventType);  // "CourseRequested", ...
Result<EventType> parse_event_type(std::string_view);

struct CourseRequested {
  std::string query;
  double hours = 0.0;
  Preferences preferences;
  std::string user_id;
  bool operator==(const CourseRequested&) const = default;
};

// Events stay small enough for any broker's message: the most an envelope's JSON text may hold.
// Queues refuse bigger ones; follow_up_event fails the step rather than emit one. Big payloads
// travel by reference: the run's state keeps them (keep_outcome, workflow.h), the event names them.
inline constexpr std::size_t kMaxEventBytes = 64 * 1024;

struct EmbeddingGenerated {
  // Empty: the vector is kept with the run (RunState::embedding). Events emitted before that was
  // so carry it here.
  std::vector<float> embedding;
  std::string model;  // the embedder that made it, e.g. "hashing-v1/512"
  TokenUsage usage;
  bool operator==(const EmbeddingGenerated&) const = default;
};

struct BookSummariesFound {
  // Best first. References: book_id, title, author, similarity, topics; the whole matches (scores
  // per chapter and section, summaries) are kept with the run (RunState::books). Events emitted
  // before that was so carry the whole matches.
  std::vector<BookMatch> books;
  bool operator==(const BookSummariesFound&) const = default;
};

struct PartsGenerated {
  std::string parts_text;
  TokenUsage usage;
  bool operator==(const PartsGenerated&) const = default;
};

struct PartSectionsGenerated {
  std::string sections_text;
  int part_index = 0;  // 0-based
  TokenUsage usage;
  bool operator==(const PartSectionsGenerated&) const = default;
};

struct AllPartsComplete {
  bool operator==(const AllPartsComplete&) const = default;
};

struct OutlineReviewed {
  bool reviewed = false;              // false: no review was needed, or its answer was unusable
  std::string reviewed_outline_text;  // empty unless reviewed
  std::string note;                   // why no review text, when a review was attempted
  TokenUsage usage;
  bool operator==(const OutlineReviewed&) const = default;
};

struct CourseStored {
  std::string course_id;
  std::string title;
  int total_minutes = 0;
  bool operator==(const CourseStored&) const = default;
};

struct CourseFailed {
  std::string code;     // domain.md §2 error codes
  std::string message;
  std::string phase;    // the phase that failed (Phase name)
  bool operator==(const CourseFailed&) const = default;
};

// The first event of a revision: the run's state holds its base (the stored course and rows).
struct RevisionRequested {
  int revision = 0;  // 1 for a course's first revision
  std::string revision_request = {};
  std::string user_id = {};
  bool operator==(const RevisionRequested&) const = default;
};

// A model's answer to courses.revise_outline (or to its repair).
struct OutlineRevised {
  std::string revised_outline_text = {};
  TokenUsage usage = {};
  bool operator==(const OutlineRevised&) const = default;
};

// The revised outline is stored (by the store step's commit).
struct RevisionStored {
  std::string course_id = {};
  int revision = 0;
  int total_minutes = 0;
  bool operator==(const RevisionStored&) const = default;
};

// ---- Ingestion runs (issue 14). The run's id travels in Envelope::course_id (a run's id, of
// either kind). The document's text never travels in an event: the parse step keeps it with the
// run's state, and events name chapters by index.

struct IngestRequested {
  std::string path = {};        // the document, on a disk the workers can read
  std::string file_name = {};   // as the user named it (an upload's name, or the path's last part)
  std::string book_id = {};     // the id asked for; "" = derived from the source path
  std::string title = {};       // overrides the document's own; "" = the document's
  std::string author = {};
  std::string summarizer = {};  // "extractive" (offline) or the model's name: who writes summaries
  bool owned = false;           // an upload: the run's file, removed when the run ends
  std::string user_id = {};
  bool operator==(const IngestRequested&) const = default;
};

// The document is read and structured; the run's state keeps its outline and offline summary.
struct DocumentParsed {
  std::string book_id = {};
  std::string title = {};
  std::string format = {};
  std::string sha256 = {};
  int chapters = 0;
  int words = 0;
  int pages = 0;
  bool unchanged = false;  // the same bytes are in the library already: nothing to summarize
  bool operator==(const DocumentParsed&) const = default;
};

// A summary of chapter `chapter_index` (0-based) — or of its part `part_index` of `parts` when
// the chapter is longer than one model request holds (the merged summary has part_index == parts).
// summary_text is the summarizer's answer as written (JSON), read by the next step.
struct ChapterSummarized {
  int chapter_index = 0;
  int part_index = 0;
  int parts = 1;
  std::string summary_text = {};
  TokenUsage usage = {};
  bool operator==(const ChapterSummarized&) const = default;
};

struct BookSummarized {
  std::string summary_text = {};  // the summarizer's answer (JSON)
  TokenUsage usage = {};
  bool operator==(const BookSummarized&) const = default;
};

struct BookStored {
  std::string book_id = {};
  std::string title = {};
  std::string status = {};  // ingested | replaced | unchanged
  int chapters = 0;
  int chunks = 0;
  bool operator==(const BookStored&) const = default;
};

struct IngestFailed {
  std::string code = {};
  std::string message = {};
  std::string phase = {};
  bool operator==(const IngestFailed&) const = default;
};

// Alternatives are in EventType order: payload.index() == static_cast<int>(type).
using EventPayload = std::variant<CourseRequested, EmbeddingGenerated, BookSummariesFound, PartsGenerated,
                                  PartSectionsGenerated, AllPartsComplete, OutlineReviewed, CourseStored,
                                  CourseFailed, RevisionRequested, OutlineRevised, RevisionStored, IngestRequested,
                                  DocumentParsed, ChapterSummarized, BookSummarized, BookStored, IngestFailed>;

struct Envelope {
  std::string event_id;  // uuid
  std::string course_id;
  std::int64_t seq = 0;  // position in the run; 0 for CourseRequested
  std::string occurred_at;  // ISO 8601 UTC
  int attempt = 1;          // delivery attempt, 1 for the first delivery
  EventPayload payload;

  EventType type() const { return static_cast<EventType>(payload.index()); }
  bool operator==(const Envelope&) const = default;
};

}  // namespace docprof::domain
