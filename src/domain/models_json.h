// JSON conversions (nlohmann-json ADL hooks) for the workflow's value types.
//
// Every field round-trips: numbers stay numbers (hours 2.5 is the number 2.5, never "2.5"),
// optionals that are absent are written as null and read back as absent, enums as their names.
// from_json throws nlohmann::json::exception on a malformed document (an edge concern: callers at
// the edges turn it into an error). Thread safety: stateless functions.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "domain/book_summary.h"
#include "domain/models.h"

namespace docprof::domain {

void to_json(nlohmann::json&, const Error&);
void from_json(const nlohmann::json&, Error&);
void to_json(nlohmann::json&, const Depth&);
void from_json(const nlohmann::json&, Depth&);
void to_json(nlohmann::json&, const Pace&);
void from_json(const nlohmann::json&, Pace&);
void to_json(nlohmann::json&, const CourseStatus&);
void from_json(const nlohmann::json&, CourseStatus&);
void to_json(nlohmann::json&, const SectionStatus&);
void from_json(const nlohmann::json&, SectionStatus&);
void to_json(nlohmann::json&, const Phase&);
void from_json(const nlohmann::json&, Phase&);
void to_json(nlohmann::json&, const Preferences&);
void from_json(const nlohmann::json&, Preferences&);
// A ReadingRef's empty section_title and a CourseNote's empty topic are written as null (and read
// back from null or a missing key as ""); SectionSource::section_title is null when absent.
void to_json(nlohmann::json&, const ReadingRef&);
void from_json(const nlohmann::json&, ReadingRef&);
void to_json(nlohmann::json&, const SectionSource&);
void from_json(const nlohmann::json&, SectionSource&);
void to_json(nlohmann::json&, const CourseNote&);
void from_json(const nlohmann::json&, CourseNote&);
// Course::notes, CourseSection::sources, SectionDraft::reads and RunState::notes are always
// written; documents written before they existed read back with them empty.
void to_json(nlohmann::json&, const Course&);
void from_json(const nlohmann::json&, Course&);
void to_json(nlohmann::json&, const CourseSection&);
void from_json(const nlohmann::json&, CourseSection&);
void to_json(nlohmann::json&, const PartPlan&);
void from_json(const nlohmann::json&, PartPlan&);
void to_json(nlohmann::json&, const SectionDraft&);
void from_json(const nlohmann::json&, SectionDraft&);
void to_json(nlohmann::json&, const PartDraft&);
void from_json(const nlohmann::json&, PartDraft&);
void to_json(nlohmann::json&, const Outline&);
void from_json(const nlohmann::json&, Outline&);
void to_json(nlohmann::json&, const TokenUsage&);
void from_json(const nlohmann::json&, TokenUsage&);
void to_json(nlohmann::json&, const SectionSummary&);
void from_json(const nlohmann::json&, SectionSummary&);
void to_json(nlohmann::json&, const ChapterSummary&);
void from_json(const nlohmann::json&, ChapterSummary&);
void to_json(nlohmann::json&, const BookSummary&);
void from_json(const nlohmann::json&, BookSummary&);
void to_json(nlohmann::json&, const ChapterScore&);
void from_json(const nlohmann::json&, ChapterScore&);
void to_json(nlohmann::json&, const SectionScore&);
void from_json(const nlohmann::json&, SectionScore&);
void to_json(nlohmann::json&, const BookMatch&);
void from_json(const nlohmann::json&, BookMatch&);
void to_json(nlohmann::json&, const BookList&);
void from_json(const nlohmann::json&, BookList&);
// A document's outline (an ingestion run keeps it in its state): a paragraph's page is written
// only when not 0 and its code flag only when set.
void to_json(nlohmann::json&, const DocumentParagraph&);
void from_json(const nlohmann::json&, DocumentParagraph&);
void to_json(nlohmann::json&, const DocumentSection&);
void from_json(const nlohmann::json&, DocumentSection&);
void to_json(nlohmann::json&, const DocumentChapter&);
void from_json(const nlohmann::json&, DocumentChapter&);
void to_json(nlohmann::json&, const DocumentOutline&);
void from_json(const nlohmann::json&, DocumentOutline&);
void to_json(nlohmann::json&, const IngestState&);
void from_json(const nlohmann::json&, IngestState&);
void to_json(nlohmann::json&, const RunState&);
// The same with "books": [] — for stores that keep the found books apart (ports/stored_state.h).
void to_json_without_books(nlohmann::json&, const RunState&);
void from_json(const nlohmann::json&, RunState&);

}  // namespace docprof::domain
