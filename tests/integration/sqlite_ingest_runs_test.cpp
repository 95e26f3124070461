// SqliteRunStore's tables of ingestion runs (issue 14) in a real database file: the columns a
// dead letter names its run by (kind, run_id), the ingest_runs row as written, and migration 14 on
// a file an older docprof left (run_books kept without its foreign key, dead letters filled in).
#include <gtest/gtest.h>

#include "adapters/sqlite/migrations.h"
#include "adapters/sqlite/sqlite_database.h"
#include "adapters/sqlite/sqlite_run_store.h"
#include "contract/contract_samples.h"
#include "integration/sqlite_old_schema.h"
#include "integration/temp_dir.h"

namespace {

using namespace docprof;
using adapters::sqlite::Session;
using adapters::sqlite::SqliteDatabase;
using adapters::sqlite::SqliteRunStore;
using test_support::TempDir;

// Fails run `run_id` (created from `record`) with its first event dead-lettered.
void fail_with_letter(SqliteRunStore& store, const ports::RunRecord& record, const domain::Envelope& first) {
  ASSERT_TRUE(store.create(record, first, contract::requested_entry()));
  auto commit = contract::commit_on(*store.load(record.course_id));
  commit.record.status = ports::RunStatus::error;
  commit.dead_letter = contract::sample_dead_letter(first);
  ASSERT_EQ(store.commit(commit), ports::CommitResult::committed);
}

TEST(SqliteIngestRuns, ADeadLetterNamesItsRunsKindAndId) {
  TempDir dir;
  auto db = SqliteDatabase::open_and_migrate(dir.file("docprof.db"));
  SqliteRunStore store(db);
  fail_with_letter(store, contract::sample_record("c1"), contract::requested("c1"));
  fail_with_letter(store, contract::sample_ingest_record("i1"), contract::ingest_requested("i1"));
  const auto rows = db->read([](Session& s) {
    std::vector<std::string> found;
    auto row = s.query("SELECT kind, run_id, course_id, event_type FROM dead_letters ORDER BY id");
    while (row.step()) found.push_back(row.text(0) + " " + row.text(1) + " " + row.text(2) + " " + row.text(3));
    return found;
  });
  EXPECT_EQ(rows, (std::vector<std::string>{"course c1 c1 CourseRequested", "ingest i1 i1 IngestRequested"}));
}

TEST(SqliteIngestRuns, AnIngestionRunIsARowOfIngestRunsNamedByItsOwnColumns) {
  TempDir dir;
  auto db = SqliteDatabase::open_and_migrate(dir.file("docprof.db"));
  SqliteRunStore store(db);
  auto record = contract::sample_ingest_record("i1");
  record.parts_count = 4;
  record.current_part_index = 2;
  record.book_id = "book-x";
  ASSERT_TRUE(store.create(record, contract::ingest_requested("i1"), contract::requested_entry()));
  const auto row = db->read([](Session& s) {
    auto r = s.query(
        "SELECT file_name, chapters, current_chapter, book_id, json_extract(pending_event, '$.type'), "
        "(SELECT count(*) FROM ingest_events WHERE ingest_id = 'i1'), (SELECT count(*) FROM course_runs) "
        "FROM ingest_runs WHERE ingest_id = 'i1'");
    if (!r.step()) return std::string("no row");
    return r.text(0) + " " + r.text(1) + " " + r.text(2) + " " + r.text(3) + " " + r.text(4) + " " + r.text(5) + " " +
           r.text(6);
  });
  EXPECT_EQ(row, "x.md 4 2 book-x IngestRequested 1 0");
}

TEST(SqliteIngestRuns, Migration14KeepsRunBooksAndNamesEveryOldDeadLetterACourseRunsOwn) {
  TempDir dir;
  auto db = SqliteDatabase::open(dir.file("docprof.db"));
  // The schema as a docprof before migration 14 left it, with a run's books and a dead letter.
  db->write([](Session& s) {
    test_support::apply_migrations_before(s, 14);
    s.exec(
        "INSERT INTO course_runs (course_id, user_id, query, hours, preferences, status, phase, next_seq, title, "
        "parts_count, current_part_index, usage, version, created_at, updated_at, expires_at, state) VALUES "
        "('old', 'u', 'q', 1.0, '{}', 'processing', 'initializing', 1, 'q', 0, 0, '{}', 0, 0, 0, 0, '{}');"
        "INSERT INTO run_books (course_id, digest, books) VALUES ('old', 'd', '[]');"
        "INSERT INTO dead_letters (course_id, event_id, event_type, seq, attempts, error_code, error, at, event) "
        "VALUES ('old', 'e1', 'CourseRequested', 0, 6, 'x', 'y', 0, '{}');");
  });
  const auto report = adapters::sqlite::migrate(*db);
  EXPECT_EQ(report.from_version, 13);
  EXPECT_EQ(report.to_version, adapters::sqlite::latest_schema_version());
  const auto seen = db->read([](Session& s) {
    auto books = s.query("SELECT course_id, digest FROM run_books");
    std::string found = books.step() ? books.text(0) + "/" + books.text(1) : "none";
    auto letter = s.query("SELECT kind, run_id FROM dead_letters");
    found += letter.step() ? " " + letter.text(0) + "/" + letter.text(1) : " none";
    return found;
  });
  EXPECT_EQ(seen, "old/d course/old");
  // run_books now holds an ingestion run's books too: no foreign key to course_runs any more.
  EXPECT_NO_THROW(db->write([](Session& s) {
    s.exec("INSERT INTO run_books (course_id, digest, books) VALUES ('an-ingest-id', 'd', '[]')");
  }));
}

}  // namespace
