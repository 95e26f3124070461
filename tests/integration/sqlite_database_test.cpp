// SqliteDatabase and migrations against real database files: connection settings, numbered
// migrations, transactions, STRICT tables, and concurrent writers on separate connections (threads
// and a forked process) without "database is locked" errors.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/sqlite/migrations.h"
#include "adapters/sqlite/sqlite_database.h"
#include "integration/temp_dir.h"

namespace {

using docprof::adapters::sqlite::all_migrations;
using docprof::adapters::sqlite::latest_schema_version;
using docprof::adapters::sqlite::migrate;
using docprof::adapters::sqlite::schema_version;
using docprof::adapters::sqlite::Session;
using docprof::adapters::sqlite::SqliteDatabase;
using docprof::adapters::sqlite::SqliteError;
using docprof::test_support::TempDir;

std::string pragma_text(SqliteDatabase& db, const std::string& pragma) {
  return db.unguarded([&](Session& s) {
    auto row = s.query("PRAGMA " + pragma);
    EXPECT_TRUE(row.step());
    return row.text(0);
  });
}

std::int64_t count_rows(SqliteDatabase& db, const std::string& table) {
  return db.read([&](Session& s) {
    auto row = s.query("SELECT count(*) FROM " + table);
    row.step();
    return row.int64(0);
  });
}

void make_scratch_table(SqliteDatabase& db) {
  db.write([](Session& s) {
    s.exec(
        "CREATE TABLE IF NOT EXISTS scratch (id INTEGER PRIMARY KEY, who TEXT NOT NULL, n INTEGER "
        "NOT NULL) STRICT");
  });
}

TEST(SqliteDatabase, OpenCreatesTheFileInWalModeWithForeignKeysAndNormalSync) {
  TempDir dir;
  const auto path = dir.file("docprof.db");
  auto db = SqliteDatabase::open(path);
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(pragma_text(*db, "journal_mode"), "wal");
  EXPECT_EQ(pragma_text(*db, "foreign_keys"), "1");
  EXPECT_EQ(pragma_text(*db, "synchronous"), "1");  // NORMAL
  EXPECT_EQ(pragma_text(*db, "busy_timeout"), "10000");
}

TEST(SqliteDatabase, OpeningAPathInAMissingDirectoryFailsWithSqlitesMessage) {
  TempDir dir;
  try {
    SqliteDatabase::open(dir.file("missing/dir/docprof.db"));
    FAIL() << "expected SqliteError";
  } catch (const SqliteError& error) {
    EXPECT_NE(std::string(error.what()).find("unable to open"), std::string::npos) << error.what();
  }
}

TEST(Migrations, VersionsAreStrictlyIncreasingFromOne) {
  const auto migrations = all_migrations();
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(migrations.front().version, 1);
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, migrations[i - 1].version + 1);
    EXPECT_FALSE(migrations[i].description.empty());
  }
  EXPECT_EQ(latest_schema_version(), migrations.back().version);
}

TEST(Migrations, FirstRunAppliesAllAndRecordsEachVersion) {
  TempDir dir;
  auto db = SqliteDatabase::open(dir.file("docprof.db"));
  EXPECT_EQ(schema_version(*db), 0);
  const auto report = migrate(*db);
  EXPECT_EQ(report.from_version, 0);
  EXPECT_EQ(report.to_version, latest_schema_version());
  EXPECT_EQ(report.applied, static_cast<int>(all_migrations().size()));
  EXPECT_EQ(schema_version(*db), latest_schema_version());
  EXPECT_EQ(count_rows(*db, "schema_migrations"),
            static_cast<std::int64_t>(all_migrations().size()));
}

TEST(Migrations, AreIdempotentAcrossCallsAndReopens) {
  TempDir dir;
  const auto path = dir.file("docprof.db");
  {
    auto db = SqliteDatabase::open_and_migrate(path);
    const auto again = migrate(*db);
    EXPECT_EQ(again.applied, 0);
    EXPECT_EQ(again.from_version, latest_schema_version());
  }
  auto reopened = SqliteDatabase::open_and_migrate(path);
  EXPECT_EQ(migrate(*reopened).applied, 0);
  EXPECT_EQ(count_rows(*reopened, "schema_migrations"),
            static_cast<std::int64_t>(all_migrations().size()));
}

TEST(Migrations, CreateTheDesignedTablesAsStrict) {
  TempDir dir;
  auto db = SqliteDatabase::open_and_migrate(dir.file("docprof.db"));
  for (const char* table : {"books", "book_vectors", "courses", "course_sections", "course_runs",
                            "course_events", "event_queue", "dead_letters", "ingest_runs", "ingest_events", "run_books"}) {
    const bool strict = db->read([&](Session& s) {
      auto row = s.query("SELECT strict FROM pragma_table_list WHERE name = ?", table);
      return row.step() && row.int64(0) == 1;
    });
    EXPECT_TRUE(strict) << table;
  }
}

TEST(Migrations, StrictColumnsRejectAValueOfTheWrongType) {
  TempDir dir;
  auto db = SqliteDatabase::open_and_migrate(dir.file("docprof.db"));
  EXPECT_THROW(db->write([](Session& s) {
    s.exec(
        "INSERT INTO event_queue (course_id, seq, event_id, type, available_at, created_at, "
        "envelope) "
        "VALUES ('c', 'not a number', 'e', 't', 0, 0, '{}')");
  }),
               SqliteError);
  EXPECT_EQ(count_rows(*db, "event_queue"), 0);
}

TEST(Migrations, ASchemaNewerThanThisBuildIsRefused) {
  TempDir dir;
  const auto path = dir.file("docprof.db");
  {
    auto db = SqliteDatabase::open_and_migrate(path);
    db->write([](Session& s) {
      s.query("INSERT INTO schema_migrations VALUES (?, 'from the future', 0)",
              latest_schema_version() + 1)
          .run();
    });
  }
  EXPECT_THROW(SqliteDatabase::open_and_migrate(path), std::runtime_error);
}

TEST(Migrations, TwoConnectionsMigratingAtOnceApplyEachMigrationOnce) {
  TempDir dir;
  const auto path = dir.file("docprof.db");
  auto first = SqliteDatabase::open(path);
  auto second = SqliteDatabase::open(path);
  int applied_first = 0;
  int applied_second = 0;
  std::thread a([&] { applied_first = migrate(*first).applied; });
  std::thread b([&] { applied_second = migrate(*second).applied; });
  a.join();
  b.join();
  EXPECT_EQ(applied_first + applied_second, static_cast<int>(all_migrations().size()));
  EXPECT_EQ(count_rows(*first, "schema_migrations"),
            static_cast<std::int64_t>(all_migrations().size()));
}

TEST(SqliteDatabase, AnExceptionInAWriteBodyRollsEverythingBack) {
  TempDir dir;
  auto db = SqliteDatabase::open(dir.file("docprof.db"));
  make_scratch_table(*db);
  EXPECT_THROW(db->write([](Session& s) {
    s.query("INSERT INTO scratch (who, n) VALUES (?, ?)", "a", 1).run();
    throw std::runtime_error("step failed");
  }),
               std::runtime_error);
  EXPECT_EQ(count_rows(*db, "scratch"), 0);
  // The connection is usable afterwards (no transaction left open).
  db->write([](Session& s) { s.query("INSERT INTO scratch (who, n) VALUES ('b', 2)").run(); });
  EXPECT_EQ(count_rows(*db, "scratch"), 1);
}

TEST(SqliteDatabase, ErrorsCarrySqlitesMessageAndCode) {
  TempDir dir;
  auto db = SqliteDatabase::open(dir.file("docprof.db"));
  make_scratch_table(*db);
  try {
    db->write([](Session& s) { s.query("INSERT INTO scratch (who, n) VALUES (NULL, 1)").run(); });
    FAIL() << "expected SqliteError";
  } catch (const SqliteError& error) {
    EXPECT_TRUE(error.is_constraint());
    EXPECT_NE(std::string(error.what()).find("NOT NULL constraint failed: scratch.who"),
              std::string::npos)
        << error.what();
  }
}

TEST(SqliteDatabase, TypedBindsAndReadsRoundTrip) {
  TempDir dir;
  auto db = SqliteDatabase::open(dir.file("docprof.db"));
  db->write([](Session& s) {
    s.exec("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, o TEXT) STRICT");
    const std::vector<float> floats = {1.5f, -2.25f, 3.0f};
    s.query("INSERT INTO t VALUES (?, ?, ?, ?, ?)", std::int64_t{1} << 40, 2.5,
            std::string("h\xC3\xA9llo\0x", 8), docprof::adapters::sqlite::float_blob(floats),
            std::optional<std::string>{})
        .run();
  });
  db->read([](Session& s) {
    auto row = s.query("SELECT i, r, s, b, o FROM t");
    ASSERT_TRUE(row.step());
    EXPECT_EQ(row.int64(0), std::int64_t{1} << 40);
    EXPECT_DOUBLE_EQ(row.real(1), 2.5);
    EXPECT_EQ(row.text(2), std::string("h\xC3\xA9llo\0x", 8));
    EXPECT_EQ(docprof::adapters::sqlite::floats_from_blob(row.blob(3)),
              (std::vector<float>{1.5f, -2.25f, 3.0f}));
    EXPECT_FALSE(row.optional_text(4).has_value());
    EXPECT_FALSE(row.step());
  });
}

TEST(SqliteDatabase, TwoConnectionsWritingConcurrentlyNeverSeeDatabaseLocked) {
  TempDir dir;
  const auto path = dir.file("docprof.db");
  auto first = SqliteDatabase::open(path);
  auto second = SqliteDatabase::open(path);
  make_scratch_table(*first);
  constexpr int kPerThread = 300;
  std::atomic<int> failures{0};
  auto writer = [&](SqliteDatabase& db, const char* who) {
    for (int i = 0; i < kPerThread; ++i) {
      try {
        // Read-then-write in one transaction: the pattern that deadlocks with deferred BEGIN.
        db.write([&](Session& s) {
          auto row = s.query("SELECT coalesce(max(n), 0) FROM scratch");
          row.step();
          const auto next = row.int64(0) + 1;
          s.query("INSERT INTO scratch (who, n) VALUES (?, ?)", who, next).run();
        });
      } catch (const std::exception&) {
        ++failures;
      }
    }
  };
  std::thread a(writer, std::ref(*first), "a");
  std::thread b(writer, std::ref(*second), "b");
  a.join();
  b.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(count_rows(*first, "scratch"), 2 * kPerThread);
  // Every transaction saw the previous one: n is 1..600 without duplicates.
  const auto distinct = first->read([](Session& s) {
    auto row = s.query("SELECT count(DISTINCT n), max(n) FROM scratch");
    row.step();
    return std::pair{row.int64(0), row.int64(1)};
  });
  EXPECT_EQ(distinct.first, 2 * kPerThread);
  EXPECT_EQ(distinct.second, 2 * kPerThread);
}

TEST(SqliteDatabase, AnotherProcessWritingTheSameFileConcurrently) {
  TempDir dir;
  const auto path = dir.file("docprof.db");
  auto db = SqliteDatabase::open_and_migrate(path);
  make_scratch_table(*db);
  constexpr int kRows = 200;
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    // The child opens its own connection, as a separate worker process would.
    int code = 0;
    try {
      auto own = SqliteDatabase::open_and_migrate(path);
      for (int i = 0; i < kRows; ++i) {
        own->write([&](Session& s) {
          s.query("INSERT INTO scratch (who, n) VALUES ('child', ?)", i).run();
        });
      }
    } catch (...) {
      code = 1;
    }
    _exit(code);
  }
  int failures = 0;
  for (int i = 0; i < kRows; ++i) {
    try {
      db->write([&](Session& s) {
        s.query("INSERT INTO scratch (who, n) VALUES ('parent', ?)", i).run();
      });
    } catch (const std::exception&) {
      ++failures;
    }
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the child process hit a database error";
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(count_rows(*db, "scratch"), 2 * kRows);
}

TEST(SqliteDatabase, ReadSeesOneSnapshotWhileAnotherConnectionCommits) {
  TempDir dir;
  const auto path = dir.file("docprof.db");
  auto reader = SqliteDatabase::open(path);
  auto writer = SqliteDatabase::open(path);
  make_scratch_table(*writer);
  writer->write([](Session& s) { s.query("INSERT INTO scratch (who, n) VALUES ('w', 1)").run(); });
  const auto counts = reader->read([&](Session& s) {
    auto before = s.query("SELECT count(*) FROM scratch");
    before.step();
    const auto first = before.int64(0);
    writer->write(
        [](Session& w) { w.query("INSERT INTO scratch (who, n) VALUES ('w', 2)").run(); });
    auto after = s.query("SELECT count(*) FROM scratch WHERE n > 0");
    after.step();
    return std::pair{first, after.int64(0)};
  });
  EXPECT_EQ(counts.first, 1);
  EXPECT_EQ(counts.second, 1);  // the snapshot does not move inside one read()
  EXPECT_EQ(count_rows(*reader, "scratch"), 2);
}

}  // namespace
