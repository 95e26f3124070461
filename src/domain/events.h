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
  RevisionStored
};
inline constexpr int kEventTypeCount = 12;

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

// Alternatives are in EventType order: payload.index() == static_cast<int>(type).
using EventPayload = std::variant<CourseRequested, EmbeddingGenerated, BookSummariesFound, PartsGenerated,
                                  PartSectionsGenerated, AllPartsComplete, OutlineReviewed, CourseStored,
                                  CourseFailed, RevisionRequested, OutlineRevised, RevisionStored>;

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
