// The JSON shapes of courses and runs shared by the CLI (--json) and the HTTP API (domain.md §8):
// status, outline, course list, history entries and dead letters; and the Markdown outline.
//
// Times are rendered as ISO 8601 UTC. Thread safety: stateless.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ports/corpus.h"
#include "ports/course_repository.h"
#include "ports/event_queue.h"
#include "ports/run_store.h"

namespace docprof::views {

// The status route's shape: {course_id, status, phase, progress{…}, message, error?, error_code?,
// query, hours}.
nlohmann::json status_json(const ports::RunRecord& run);
// A one-line human description of where a run is ("Generating part 2 of 4", "Failed: …").
std::string status_message(const ports::RunRecord& run);

// The outline route's shape. With a stored course: its parts and sections. Without one (still
// generating, or failed): empty parts and sections plus generation_status from the run.
// Every section row has `sources` ([{book_id, book_title, chapter_number, chapter_title,
// section_title|null}], empty for part rows); the outline always has `notes` ([{kind, topic,
// message}], topic null when the note is about no single topic): the course's, or while
// generating the run's notes so far (maybe empty).
nlohmann::json outline_json(const std::optional<ports::StoredCourse>& course, const ports::RunRecord* run,
                            const std::string& course_id);
nlohmann::json section_json(const domain::CourseSection& section);

// [{courseId, title, estimatedHours, status, createdAt, generation_status?}], newest first: stored
// courses plus runs still generating or failed.
nlohmann::json course_list_json(const std::vector<domain::Course>& courses, const std::vector<ports::RunRecord>& runs);

nlohmann::json history_entry_json(const ports::HistoryEntry& entry);
nlohmann::json dead_letter_json(const ports::DeadLetter& dead);

// The course as Markdown: title, summary line, the query, its notes ("Note: …", or "Note (<kind in
// words>[: <topic>]): …" lines, e.g. "Note (uncovered topic: real options): …"),
// then parts (##) and sections (###) with minutes, objectives and one line per source:
// "Read: <book title>, ch. <n> "<chapter title>"[ § <section title>]".
std::string outline_markdown(const ports::StoredCourse& course);
// The same, with each section's passages (its chunk_ids found in `passages`) under its sources:
// "> <chapter title>[ § <section>][, p. <n>]: <first 200 characters>… [<chunk id>]".
std::string outline_markdown(const ports::StoredCourse& course, const std::vector<ports::ChunkMatch>& passages);

}  // namespace docprof::views
