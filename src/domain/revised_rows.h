// The stored rows of a revised course (issue 17), built from the stored course and a revised
// outline — any model's parsed answer to courses.revise_outline, or the offline planner's. This is
// where "completed sections never change" is enforced, whatever the answer says:
//
//  * Completed leaf sections are taken from storage, never from the answer: each keeps its id and
//    every column but order_index, and stays under its stored part. A section of the answer whose
//    title (without the "[completed] " marker, case-insensitively) is a completed section's is
//    dropped from the answer — changed or not, moved or not (a note says when it was changed).
//  * A stored part holding completed sections keeps its row (id, title, status, created_at); its
//    minutes become the sum of its sections. It is the answer's part with its title, else the
//    answer's part that listed most of its completed sections, else it is re-inserted at its
//    stored position. Its completed sections come first, in stored order, then the answer's.
//  * Every other part and section is new: ids derived_uuid(course_id, "revision:<r>/part:<p>")
//    and ".../section:<s>" (1-based positions in the revised outline), not_started. A section the
//    answer kept under a stored title (not completed) keeps that row's sources, chunk ids, content
//    summary and an in_progress status; otherwise its sources are its resolved "Read:" lines, else
//    its best chapter by words (section_sources.h), among `books`.
//  * The time rule (domain.md §5) holds for the course's hours after the revision: when the
//    answer's total is not within 5 %, the sections not yet taken are rescaled to fill exactly
//    what the completed ones leave (noted). When that cannot be done the revision fails
//    ("revision_impossible"); the stored course stays as it was.
//
// Thread safety: stateless pure functions over plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/book_summary.h"
#include "domain/course_builder.h"
#include "domain/models.h"
#include "domain/result.h"

namespace docprof::domain {

struct RevisionRowsRequest {
  int revision = 1;        // 1 for a course's first revision
  double hours = 0.0;      // the course's hours after the revision
  std::int64_t now_ms = 0;  // last_modified of the course, created_at of new rows
  bool operator==(const RevisionRowsRequest&) const = default;
};

struct RevisedRows {
  CourseRows rows;                  // sections by order_index
  std::vector<std::string> notes;   // ignored changes, rescales: history notes
};

Result<RevisedRows> build_revised_rows(const Course& course, const std::vector<CourseSection>& stored,
                                       const Outline& revised, const std::vector<BookMatch>& books,
                                       const RevisionRowsRequest& request);

}  // namespace docprof::domain
