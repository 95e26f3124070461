// The CourseRepository contract's backends (tests/contract/course_repository_contract_test.cpp): a
// name and a factory of fresh fixtures. A new backend adds one factory to
// course_repository_backends() in course_repository_backends.cpp.
// Thread safety: a fixture belongs to one test; its repository is as thread-safe as the backend's.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "ports/course_repository.h"
#include "ports/run_store.h"

namespace docprof::contract {

class CourseRepositoryFixture {
 public:
  virtual ~CourseRepositoryFixture() = default;
  virtual ports::CourseRepository& courses() = 0;
  // The backend's run store, when the repository's remove() also removes the run (the port says it
  // does: "the course, its sections and its run"); null when the backend keeps runs elsewhere.
  virtual ports::RunStore* runs() { return nullptr; }
};

struct CourseRepositoryBackend {
  std::string name;  // a test-name suffix: letters, digits and '_' only
  std::function<std::unique_ptr<CourseRepositoryFixture>()> make = {};
};

std::vector<CourseRepositoryBackend> course_repository_backends();

// How GoogleTest names the parameter (in ctest's test names too): the backend's name.
inline void PrintTo(const CourseRepositoryBackend& backend, std::ostream* out) { *out << backend.name; }

}  // namespace docprof::contract
