// The Library contract's backends (tests/contract/library_contract_test.cpp): a name and a factory
// of fresh fixtures (an empty library each). A new backend adds one factory to library_backends()
// in library_backends.cpp.
// Thread safety: a fixture belongs to one test; its library is as thread-safe as the backend's.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "ports/library.h"

namespace docprof::contract {

class LibraryFixture {
 public:
  virtual ~LibraryFixture() = default;
  virtual ports::Library& library() = 0;
};

struct LibraryBackend {
  std::string name;  // a test-name suffix: letters, digits and '_' only
  std::function<std::unique_ptr<LibraryFixture>()> make = {};
};

std::vector<LibraryBackend> library_backends();

// How GoogleTest names the parameter (in ctest's test names too): the backend's name.
inline void PrintTo(const LibraryBackend& backend, std::ostream* out) { *out << backend.name; }

}  // namespace docprof::contract
