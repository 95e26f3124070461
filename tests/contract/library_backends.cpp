// The backends the Library contract runs against: SQLite, with the embedder's term analyzer.
#include <memory>

#include "adapters/embed/stemming_analyzer.h"
#include "adapters/sqlite/sqlite_database.h"
#include "adapters/sqlite/sqlite_library.h"
#include "contract/library_contract.h"
#include "integration/temp_dir.h"

namespace docprof::contract {
namespace {

class SqliteLibraryFixture final : public LibraryFixture {
 public:
  SqliteLibraryFixture()
      : db_(adapters::sqlite::SqliteDatabase::open_and_migrate(dir_.file("docprof.db"))),
        library_(db_, adapters::embed::default_analyzer()) {}
  ports::Library& library() override { return library_; }

 private:
  test_support::TempDir dir_{"docprof-contract"};
  std::shared_ptr<adapters::sqlite::SqliteDatabase> db_;
  adapters::sqlite::SqliteLibrary library_;
};

}  // namespace

std::vector<LibraryBackend> library_backends() {
  return {
      {"sqlite", [] { return std::make_unique<SqliteLibraryFixture>(); }},
  };
}

}  // namespace docprof::contract
