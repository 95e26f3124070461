// CourseService: what the faces (CLI, HTTP API) do to runs — request a course, revise a stored one
// (issue 17), read its status and history, cancel it, reopen a failed run from the dead letters,
// delete a course. It holds no workflow rule: those live in the functional core.
//
// Thread safety: safe for concurrent use when the ports are (they are required to be).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/request.h"
#include "domain/result.h"
#include "domain/workflow.h"
#include "ports/clock.h"
#include "ports/course_repository.h"
#include "ports/dead_letters.h"
#include "ports/event_queue.h"
#include "ports/run_store.h"

namespace docprof::engine {
class LibraryService;
}

namespace docprof::engine {

class CourseService {
 public:
  CourseService(ports::RunStore& runs, ports::EventQueue& queue, ports::DeadLetters& dead_letters,
                ports::CourseRepository& courses, ports::Clock& clock, ports::IdSource& ids,
                domain::WorkflowSettings settings);

  // The library a revision reads its material from (the composition root sets it; without it a
  // revision's prompt has only the books the course already reads, found by id — none).
  void use_library(LibraryService& library) { library_ = &library; }

  // Validates the request, creates the run and enqueues its CourseRequested. Returns the course id.
  domain::Result<std::string> request_course(const std::string& user_id, const domain::RawCourseRequest& request);

  // Starts a revision of a stored course (issue 17, docs/revisions.md): one commit puts the course's
  // run record back to processing (revision + 1, phase revising) with a state holding the base (the
  // stored course and rows, the books its sections read plus the library's material for the
  // request) and enqueues RevisionRequested. Refused at once, never a silent no-op:
  // invalid_request (empty or overlong), not_found (no such course of `user_id`), conflict (a run of
  // the course is in progress), unsupported_revision (every section is completed; with the offline
  // planner, a request it cannot do: read_revision_request, check_revision, and a library search
  // per added topic that finds nothing). A failed revision before it is superseded (its dead letter
  // is consumed by the same commit). Returns the revision number.
  struct RevisionChecks {
    bool offline_planner = false;  // the workers' model is the extractive planner
  };
  domain::Result<int> request_revision(const std::string& user_id, const std::string& course_id,
                                       const std::string& revision_request, const RevisionChecks& checks);

  std::optional<ports::RunRecord> run(const std::string& course_id);
  std::vector<ports::HistoryEntry> history(const std::string& course_id, std::int64_t after_id = 0);

  // Stops a run still being generated: status error, code "cancelled". The compare-and-set on the
  // run's version decides against the store step: a cancel that wins leaves no course rows (the
  // store step's commit loses); once the store step has committed, the cancel is refused with
  // already_complete and the run completes. Errors: not_found, not_running, already_complete.
  domain::Result<ports::RunRecord> cancel(const std::string& course_id, const std::string& reason);

  // Reopens a failed run and requeues its failed event (attempts reset). Accepts a dead-letter id or
  // a course id (its most recent dead letter). Returns the course id. Errors: not_found, not_failed.
  domain::Result<std::string> replay(const std::string& dead_letter_or_course_id);

  // Deletes a course and its run (one transaction); a run still being generated is cancelled first
  // so its course never appears, and one whose course is already stored is deleted as it stands.
  // Afterwards there is neither course nor run. Error: not_found.
  domain::Result<std::string> remove(const std::string& course_id);

 private:
  ports::RunStore& runs_;
  // The course's most recent dead letter, if any.
  std::optional<ports::DeadLetter> latest_dead_letter(const std::string& course_id);

  ports::EventQueue& queue_;
  ports::DeadLetters& dead_letters_;
  ports::CourseRepository& courses_;
  ports::Clock& clock_;
  ports::IdSource& ids_;
  domain::WorkflowSettings settings_;
  LibraryService* library_ = nullptr;
};

}  // namespace docprof::engine
