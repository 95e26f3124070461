// The RunStore contract's backends (tests/contract/run_store_contract_test.cpp). A backend is a
// name and a factory of fixtures; each test gets a fresh fixture (a fresh database, a fresh store).
// A new backend (PostgreSQL, …) adds one factory to run_store_backends() in run_store_backends.cpp.
// Thread safety: a fixture belongs to one test; its store is as thread-safe as the backend's.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "ports/event_queue.h"
#include "ports/run_store.h"

namespace docprof::contract {

class RunStoreFixture {
 public:
  virtual ~RunStoreFixture() = default;
  virtual ports::RunStore& store() = 0;
  // The queue the store hands events off to in its own transactions (hands_off_events()), so the
  // hand-off contracts can watch it; null for a store that shares no transaction with a queue.
  virtual ports::EventQueue* shared_queue() { return nullptr; }
  // The course a store step's commit wrote for `course_id` (StepCommit::course), as the backend
  // keeps it (SQLite: its course repository on the same file).
  virtual std::optional<ports::StoredCourse> stored_course(const std::string& course_id) = 0;
};

struct RunStoreBackend {
  std::string name;  // a test-name suffix: letters, digits and '_' only
  bool hands_off_events = false;  // what store().hands_off_events() must say
  std::function<std::unique_ptr<RunStoreFixture>()> make = {};
};

std::vector<RunStoreBackend> run_store_backends();

// How GoogleTest names the parameter (in ctest's test names too): the backend's name.
inline void PrintTo(const RunStoreBackend& backend, std::ostream* out) { *out << backend.name; }

}  // namespace docprof::contract
