// The DeadLetters contract's backends (tests/contract/dead_letters_contract_test.cpp): a name and a
// factory of fresh fixtures, each with the dead letters and the run store whose commits write and
// consume them. A new backend adds one factory to dead_letters_backends() in dead_letters_backends.cpp.
// Thread safety: a fixture belongs to one test.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "ports/dead_letters.h"
#include "ports/run_store.h"

namespace docprof::contract {

class DeadLettersFixture {
 public:
  virtual ~DeadLettersFixture() = default;
  virtual ports::DeadLetters& dead_letters() = 0;
  virtual ports::RunStore& runs() = 0;  // the store whose commits write the run's letters
};

struct DeadLettersBackend {
  std::string name;  // a test-name suffix: letters, digits and '_' only
  std::function<std::unique_ptr<DeadLettersFixture>()> make = {};
};

std::vector<DeadLettersBackend> dead_letters_backends();

inline void PrintTo(const DeadLettersBackend& backend, std::ostream* out) { *out << backend.name; }

}  // namespace docprof::contract
