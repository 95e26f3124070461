// The backends the Corpus contract runs against: SQLite and PostgreSQL (a throwaway server), each
// a library and its corpus over one database, with the embedder's term analyzer.
#include <memory>

#include "adapters/embed/stemming_analyzer.h"
#include "adapters/postgres/pg_corpus.h"
#include "adapters/postgres/pg_library.h"
#include "adapters/sqlite/sqlite_corpus.h"
#include "adapters/sqlite/sqlite_database.h"
#include "adapters/sqlite/sqlite_library.h"
#include "contract/corpus_contract.h"
#include "contract/postgres_fixture.h"
#include "integration/temp_dir.h"

namespace docprof::contract {
namespace {

class SqliteCorpusFixture final : public CorpusFixture {
 public:
  SqliteCorpusFixture()
      : db_(adapters::sqlite::SqliteDatabase::open_and_migrate(dir_.file("docprof.db"))),
        library_(db_, adapters::embed::default_analyzer()),
        corpus_(db_, library_, adapters::embed::default_analyzer()) {}
  ports::Library& library() override { return library_; }
  ports::Corpus& corpus() override { return corpus_; }
  std::int64_t rows_of_book(const std::string& table, const std::string& book_id) override {
    return db_->read([&](adapters::sqlite::Session& session) {
      auto row = session.query("SELECT count(*) FROM " + table + " WHERE book_id = ?", book_id);
      row.step();
      return row.int64(0);
    });
  }

 private:
  test_support::TempDir dir_{"docprof-contract"};
  std::shared_ptr<adapters::sqlite::SqliteDatabase> db_;
  adapters::sqlite::SqliteLibrary library_;
  adapters::sqlite::SqliteCorpus corpus_;
};

class PostgresCorpusFixture final : public CorpusFixture {
 public:
  PostgresCorpusFixture()
      : pool_(fresh_postgres_pool()),
        library_(pool_, adapters::embed::default_analyzer()),
        corpus_(pool_, library_, adapters::embed::default_analyzer()) {}
  ports::Library& library() override { return library_; }
  ports::Corpus& corpus() override { return corpus_; }
  std::int64_t rows_of_book(const std::string& table, const std::string& book_id) override {
    return pool_->read([&](adapters::postgres::PgConnection& connection) {
      return connection.run("SELECT count(*) FROM " + table + " WHERE book_id = $1", book_id).int64(0, 0);
    });
  }

 private:
  std::shared_ptr<adapters::postgres::PgPool> pool_;
  adapters::postgres::PgLibrary library_;
  adapters::postgres::PgCorpus corpus_;
};

}  // namespace

std::vector<CorpusBackend> corpus_backends() {
  return {
      {"sqlite", [] { return std::make_unique<SqliteCorpusFixture>(); }},
      {"postgres", [] { return std::make_unique<PostgresCorpusFixture>(); }},
  };
}

}  // namespace docprof::contract
