#include "domain/events.h"

#include <array>
#include <string>

namespace docprof::domain {
namespace {

// Indexed by the enum value, in declaration order (the order of EventPayload's alternatives).
constexpr std::array<std::string_view, kEventTypeCount> kEventTypeNames{
    "CourseRequested", "EmbeddingGenerated",    "BookSummariesFound",
    "PartsGenerated",  "PartSectionsGenerated", "AllPartsComplete",
    "OutlineReviewed", "CourseStored",          "CourseFailed",
    "RevisionRequested", "OutlineRevised",      "RevisionStored",
    "IngestRequested", "DocumentParsed",        "ChapterSummarized",
    "BookSummarized",  "BookStored",            "IngestFailed"};

static_assert(std::variant_size_v<EventPayload> == kEventTypeCount,
              "every event type needs a payload alternative");

}  // namespace

std::string_view to_string(EventType type) {
  const auto i = static_cast<std::size_t>(type);
  return i < kEventTypeNames.size() ? kEventTypeNames[i] : std::string_view("unknown");
}

Result<EventType> parse_event_type(std::string_view name) {
  std::string accepted;
  for (std::size_t i = 0; i < kEventTypeNames.size(); ++i) {
    if (kEventTypeNames[i] == name) return static_cast<EventType>(i);
    if (!accepted.empty()) accepted += ", ";
    accepted += kEventTypeNames[i];
  }
  return Error{"invalid_event", "unknown event type '" + std::string(name) +
                                    "' (expected one of: " + accepted + ")"};
}

RunKind run_kind_of(EventType type) {
  return static_cast<int>(type) >= static_cast<int>(EventType::IngestRequested) ? RunKind::ingest : RunKind::course;
}

std::string_view to_string(RunKind kind) { return kind == RunKind::ingest ? "ingest" : "course"; }

}  // namespace docprof::domain
