// CourseRepository: stored courses and their section rows (domain.md §1, §6).
// Storing is an upsert keyed by course_id / section_id in one transaction, so a replayed store
// never doubles rows.
//
// Thread safety: implementations must allow concurrent calls from many threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/models.h"

namespace docprof::ports {

struct StoredCourse {
  domain::Course course;
  std::vector<domain::CourseSection> sections;  // by order_index
};

class CourseRepository {
 public:
  virtual ~CourseRepository() = default;
  virtual void store(const domain::Course& course, const std::vector<domain::CourseSection>& sections) = 0;
  virtual std::optional<StoredCourse> get(const std::string& course_id) = 0;
  virtual std::vector<domain::Course> list_for_user(const std::string& user_id) = 0;  // newest first
  virtual bool remove(const std::string& course_id) = 0;  // the course, its sections and its run
  // Learner progress; false when the section does not exist in that course. The course's status
  // follows: completed once every leaf section is, active again when one is reopened.
  virtual bool set_section_status(const std::string& course_id, const std::string& section_id,
                                  domain::SectionStatus status, std::int64_t now_ms) = 0;
  // Marks a section of one of `user_id`'s courses completed (completed_at = now_ms, kept when it
  // already was: idempotent) and, once every leaf section of the course is completed, the course
  // too (status completed). Returns the section's course id; nullopt when no course of that user
  // has the section (another user's section is no different from an unknown id).
  virtual std::optional<std::string> complete_section(const std::string& user_id,
                                                      const std::string& section_id,
                                                      std::int64_t now_ms) = 0;
};

}  // namespace docprof::ports
