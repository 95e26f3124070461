#include "adapters/sqlite/migrations.h"

#include <stdexcept>
#include <string>

#include "adapters/sqlite/sqlite_database.h"

namespace docprof::adapters::sqlite {
namespace {

// Column order matters for speed in two places: large JSON/BLOB columns come last, so that filters
// on the small columns never walk a row's overflow pages. Timestamps are INTEGER milliseconds since
// the Unix epoch.
constexpr Migration kMigrations[] = {
    {1, "course runs and their history",
     R"sql(
CREATE TABLE course_runs (
  course_id          TEXT    PRIMARY KEY,
  user_id            TEXT    NOT NULL,
  query              TEXT    NOT NULL,
  hours              REAL    NOT NULL,
  preferences        TEXT    NOT NULL,               -- JSON Preferences
  status             TEXT    NOT NULL CHECK (status IN ('processing', 'complete', 'error')),
  phase              TEXT    NOT NULL,
  next_seq           INTEGER NOT NULL,
  title              TEXT    NOT NULL,
  parts_count        INTEGER NOT NULL,
  current_part_index INTEGER NOT NULL,
  error_code         TEXT,
  error_message      TEXT,
  usage              TEXT    NOT NULL,               -- JSON TokenUsage
  version            INTEGER NOT NULL,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  expires_at         INTEGER NOT NULL,               -- of the state
  outbox             TEXT,                           -- JSON Envelope, distributed mode only
  state              TEXT                            -- JSON RunState; NULL once stored or expired
) STRICT;
CREATE INDEX course_runs_by_user ON course_runs (user_id, created_at);
CREATE INDEX course_runs_state_expiry ON course_runs (expires_at) WHERE state IS NOT NULL;

CREATE TABLE course_events (
  history_id INTEGER PRIMARY KEY AUTOINCREMENT,       -- SSE ids
  course_id  TEXT    NOT NULL REFERENCES course_runs (course_id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  type       TEXT    NOT NULL,
  kind       TEXT    NOT NULL CHECK (kind IN ('step', 'note', 'complete', 'error')),
  message    TEXT    NOT NULL,
  usage      TEXT    NOT NULL,                        -- JSON TokenUsage
  at         INTEGER NOT NULL
) STRICT;
CREATE INDEX course_events_by_course ON course_events (course_id, history_id);
)sql"},
    {2, "durable event queue and dead letters",
     R"sql(
CREATE TABLE event_queue (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  course_id    TEXT    NOT NULL,
  seq          INTEGER NOT NULL,
  event_id     TEXT    NOT NULL UNIQUE,
  type         TEXT    NOT NULL,
  attempt      INTEGER NOT NULL DEFAULT 0,            -- deliveries made so far
  available_at INTEGER NOT NULL,
  leased_by    TEXT,
  leased_until INTEGER,
  last_error   TEXT,
  created_at   INTEGER NOT NULL,
  envelope     TEXT    NOT NULL,                      -- JSON Envelope
  CHECK ((leased_by IS NULL) = (leased_until IS NULL))
) STRICT;
CREATE INDEX event_queue_ready ON event_queue (available_at, id) WHERE leased_by IS NULL;
CREATE INDEX event_queue_leases ON event_queue (leased_until) WHERE leased_by IS NOT NULL;
CREATE INDEX event_queue_by_course ON event_queue (course_id);

CREATE TABLE dead_letters (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  course_id  TEXT    NOT NULL,
  event_id   TEXT    NOT NULL,
  event_type TEXT    NOT NULL,
  seq        INTEGER NOT NULL,
  attempts   INTEGER NOT NULL,
  error_code TEXT    NOT NULL,
  error      TEXT    NOT NULL,
  at         INTEGER NOT NULL,
  event      TEXT    NOT NULL                         -- JSON Envelope
) STRICT;
CREATE INDEX dead_letters_by_course ON dead_letters (course_id);
)sql"},
    {3, "stored courses and their sections",
     R"sql(
CREATE TABLE courses (
  course_id       TEXT    PRIMARY KEY,
  user_id         TEXT    NOT NULL,
  title           TEXT    NOT NULL,
  original_query  TEXT    NOT NULL,
  estimated_hours REAL    NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('active', 'completed', 'archived')),
  created_at      INTEGER NOT NULL,
  last_modified   INTEGER NOT NULL,
  preferences     TEXT    NOT NULL                    -- JSON Preferences
) STRICT;
CREATE INDEX courses_by_user ON courses (user_id, created_at);

CREATE TABLE course_sections (
  section_id          TEXT    PRIMARY KEY,
  course_id           TEXT    NOT NULL REFERENCES courses (course_id) ON DELETE CASCADE,
  parent_section_id   TEXT,
  order_index         INTEGER NOT NULL,
  title               TEXT    NOT NULL,
  estimated_minutes   INTEGER NOT NULL,
  status              TEXT    NOT NULL CHECK (status IN ('not_started', 'in_progress', 'completed')),
  completed_at        INTEGER,
  can_standalone      INTEGER NOT NULL CHECK (can_standalone IN (0, 1)),
  created_at          INTEGER NOT NULL,
  content_summary     TEXT,
  learning_objectives TEXT    NOT NULL,               -- JSON array of strings
  chunk_ids           TEXT    NOT NULL,               -- JSON array of strings
  prerequisites       TEXT    NOT NULL                -- JSON array of section ids
) STRICT;
CREATE INDEX course_sections_by_course ON course_sections (course_id, order_index);
)sql"},
    {4, "book library with vectors",
     R"sql(
CREATE TABLE books (
  book_id         TEXT    PRIMARY KEY,
  title           TEXT    NOT NULL,
  author          TEXT    NOT NULL,
  chapters        INTEGER NOT NULL,
  embedding_model TEXT    NOT NULL,
  created_at      INTEGER NOT NULL,
  summary_json    TEXT    NOT NULL
) STRICT;

CREATE TABLE book_vectors (
  book_id         TEXT    NOT NULL REFERENCES books (book_id) ON DELETE CASCADE,
  kind            TEXT    NOT NULL CHECK (kind IN ('book', 'chapter', 'section')),
  ref             TEXT    NOT NULL,
  chapter_number  INTEGER NOT NULL,
  embedding_model TEXT    NOT NULL,
  dims            INTEGER NOT NULL CHECK (dims > 0),
  embedding       BLOB    NOT NULL CHECK (length(embedding) = 4 * dims),   -- float32 values
  PRIMARY KEY (book_id, embedding_model, kind, ref)
) STRICT;
)sql"},
    {5, "reading sources of sections and notes of courses",
     R"sql(
ALTER TABLE course_sections ADD COLUMN sources TEXT NOT NULL DEFAULT '[]';  -- JSON [SectionSource]
ALTER TABLE courses ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';            -- JSON [CourseNote]
)sql"},
    {6, "term index of the library (BM25 search)",
     R"sql(
CREATE TABLE book_docs (
  book_id         TEXT    NOT NULL REFERENCES books (book_id) ON DELETE CASCADE,
  kind            TEXT    NOT NULL CHECK (kind IN ('book', 'chapter', 'section')),
  chapter_number  INTEGER NOT NULL,
  section_index   INTEGER NOT NULL,
  length          REAL    NOT NULL,
  PRIMARY KEY (book_id, kind, chapter_number, section_index)
) STRICT;

CREATE TABLE book_terms (
  term            TEXT    NOT NULL,
  book_id         TEXT    NOT NULL REFERENCES books (book_id) ON DELETE CASCADE,
  kind            TEXT    NOT NULL CHECK (kind IN ('book', 'chapter', 'section')),
  chapter_number  INTEGER NOT NULL,
  section_index   INTEGER NOT NULL,
  weight          REAL    NOT NULL,
  doc_length      REAL    NOT NULL
) STRICT;
CREATE INDEX book_terms_by_term ON book_terms (term);
CREATE INDEX book_terms_by_book ON book_terms (book_id);

-- Documents per kind and their summed lengths, kept current by every import and removal.
CREATE TABLE library_stats (
  kind            TEXT    PRIMARY KEY CHECK (kind IN ('book', 'chapter', 'section')),
  docs            INTEGER NOT NULL,
  total_length    REAL    NOT NULL
) STRICT;
INSERT INTO library_stats (kind, docs, total_length)
  VALUES ('book', 0, 0), ('chapter', 0, 0), ('section', 0, 0);
)sql"},
    {7, "postings read from the term index alone",
     R"sql(
-- A search reads every posting of its terms; with all their columns in the index it reads no
-- table row (thousands of random reads per search on a 1,000-book library).
CREATE INDEX book_terms_postings
  ON book_terms (term, book_id, kind, chapter_number, section_index, weight, doc_length);
DROP INDEX book_terms_by_term;
)sql"},
    {8, "the event each run waits for",
     R"sql(
-- JSON Envelope: the latest event emitted for the run (its first event, a step's next event, a
-- replayed one). A run stranded with nothing queued is failed as expired with this event
-- dead-lettered, so that `course retry` resumes it.
ALTER TABLE course_runs ADD COLUMN pending_event TEXT;
)sql"},
    {9, "ingested books: sources, chapters, sections, chunks and their terms",
     R"sql(
-- A book ingested from a document (docprof books ingest): where it came from and which bytes. The
-- SHA-256 of the source (with the ingest_version of the code that read it) decides whether a
-- re-ingest is a no-op; a changed source replaces the book's chapters, sections, chunks and
-- vectors in one transaction, keeping its book_id.
CREATE TABLE book_sources (
  book_id     TEXT    PRIMARY KEY REFERENCES books (book_id) ON DELETE CASCADE,
  source_path TEXT    NOT NULL,                       -- the identity of the book unless --id
  format      TEXT    NOT NULL CHECK (format IN ('text', 'markdown', 'html', 'epub', 'pdf',
                                             'docx', 'odt', 'rst', 'docbook', 'latex')),
  sha256      TEXT    NOT NULL,                       -- 64 lower-case hex characters
  words       INTEGER NOT NULL,
  pages       INTEGER,                                -- paged formats only
  ingest_version INTEGER NOT NULL,                    -- of the reading/structuring/chunking code
  ingested_at INTEGER NOT NULL
) STRICT;

CREATE TABLE book_chapters (
  book_id        TEXT    NOT NULL REFERENCES books (book_id) ON DELETE CASCADE,
  chapter_number INTEGER NOT NULL,                    -- 1-based, in the book's order
  kind           TEXT    NOT NULL
                 CHECK (kind IN ('chapter', 'front_matter', 'appendix', 'index', 'back_matter')),
  title          TEXT    NOT NULL,
  words          INTEGER NOT NULL,
  first_page     INTEGER,                             -- paged formats only
  last_page      INTEGER,
  PRIMARY KEY (book_id, chapter_number)
) STRICT;

CREATE TABLE book_sections (
  book_id        TEXT    NOT NULL,
  chapter_number INTEGER NOT NULL,
  section_index  INTEGER NOT NULL,                    -- 1-based within the chapter
  title          TEXT    NOT NULL,
  words          INTEGER NOT NULL,
  first_page     INTEGER,
  last_page      INTEGER,
  PRIMARY KEY (book_id, chapter_number, section_index),
  FOREIGN KEY (book_id, chapter_number) REFERENCES book_chapters (book_id, chapter_number)
    ON DELETE CASCADE
) STRICT;

-- The corpus: the book's text in chunks of a few hundred words cut on paragraph boundaries, each
-- with its location and its vector (float32 values of the named embedding model).
CREATE TABLE chunks (
  chunk_id        TEXT    PRIMARY KEY,
  book_id         TEXT    NOT NULL REFERENCES books (book_id) ON DELETE CASCADE,
  chunk_index     INTEGER NOT NULL,                   -- 0-based, in reading order
  chapter_number  INTEGER NOT NULL,
  section_index   INTEGER NOT NULL,                   -- 0 = before the chapter's first section
  page            INTEGER,                            -- the page the chunk starts on (paged formats)
  words           INTEGER NOT NULL,
  term_length     REAL    NOT NULL,                   -- the sum of its term weights (BM25)
  embedding_model TEXT    NOT NULL,
  dims            INTEGER NOT NULL CHECK (dims > 0),
  text            TEXT    NOT NULL,
  embedding       BLOB    NOT NULL CHECK (length(embedding) = 4 * dims)
) STRICT;
CREATE UNIQUE INDEX chunks_by_book ON chunks (book_id, chunk_index);

-- Term postings of the chunks, read from the index alone by a search.
CREATE TABLE chunk_terms (
  term        TEXT    NOT NULL,
  chunk_id    TEXT    NOT NULL REFERENCES chunks (chunk_id) ON DELETE CASCADE,
  book_id     TEXT    NOT NULL,
  weight      REAL    NOT NULL,
  doc_length  REAL    NOT NULL
) STRICT;
CREATE INDEX chunk_terms_postings ON chunk_terms (term, book_id, chunk_id, weight, doc_length);
CREATE INDEX chunk_terms_by_chunk ON chunk_terms (chunk_id);
)sql"},
    {10, "deliveries given back without spending an attempt",
     R"sql(
-- The queue counts every delivery of an event; the engine's attempt is that count minus the
-- deliveries it gave back unspent (a circuit breaker held the call back, the worker stopped first).
ALTER TABLE course_runs ADD COLUMN postponed INTEGER NOT NULL DEFAULT 0;
)sql"},
    {11, "one section per position of a course",
     R"sql(
-- UNIQUE(course_id, order_index), as on PostgreSQL: a course never has two sections at one position
-- (section ids derive from the course and the position, and a store replaces the course's rows).
CREATE UNIQUE INDEX course_sections_order ON course_sections (course_id, order_index);
DROP INDEX course_sections_by_course;
)sql"},
    {12, "course revisions",
     R"sql(
-- A revision of a stored course is a run on the course's record (issue 17): the revision it works
-- on (0 = the original generation), on the record and on each history entry.
ALTER TABLE course_runs ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE course_events ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
-- Each stored revision: the learner's request and the rows it replaced (a JSON array).
CREATE TABLE course_revisions (
  course_id         TEXT    NOT NULL REFERENCES courses (course_id) ON DELETE CASCADE,
  revision          INTEGER NOT NULL CHECK (revision > 0),
  request           TEXT    NOT NULL,
  status            TEXT    NOT NULL,
  previous_sections TEXT    NOT NULL,
  created_at        INTEGER NOT NULL,
  PRIMARY KEY (course_id, revision)
) STRICT;
)sql"},
    {13, "a run's found books apart from its state",
     R"sql(
-- The books a run found (whole summaries: most of its state document) are written once, not at
-- every step (ports/stored_state.h); course_runs.state keeps "books": []. Gone with the state.
CREATE TABLE run_books (
  course_id TEXT NOT NULL PRIMARY KEY REFERENCES course_runs (course_id) ON DELETE CASCADE,
  digest    TEXT NOT NULL,  -- SHA-256 of books
  books     TEXT NOT NULL   -- JSON array of BookMatch
) STRICT;
)sql"},
    {14, "ingestion runs and their history; dead letters of either kind of run",
     R"sql(
-- An ingestion run (issue 14): the engine's record of a document being read, summarized and
-- stored as a book, the shape of course_runs (ports/run_tables.h names the columns that differ).
CREATE TABLE ingest_runs (
  ingest_id       TEXT    PRIMARY KEY,
  user_id         TEXT    NOT NULL,
  file_name       TEXT    NOT NULL,                   -- the document as its user named it
  status          TEXT    NOT NULL CHECK (status IN ('processing', 'complete', 'error')),
  phase           TEXT    NOT NULL,
  next_seq        INTEGER NOT NULL,
  title           TEXT    NOT NULL,                   -- the book's, once read; the file name before
  chapters        INTEGER NOT NULL,
  current_chapter INTEGER NOT NULL,                   -- 0-based, the chapter being summarized
  book_id         TEXT,                               -- once the document is read
  error_code      TEXT,
  error_message   TEXT,
  usage           TEXT    NOT NULL,                   -- JSON TokenUsage
  version         INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL,                   -- of the state
  postponed       INTEGER NOT NULL DEFAULT 0,
  outbox          TEXT,                               -- JSON Envelope, distributed mode only
  pending_event   TEXT,                               -- JSON Envelope: the latest emitted
  state           TEXT                                -- JSON RunState; NULL once stored or expired
) STRICT;
CREATE INDEX ingest_runs_by_user ON ingest_runs (user_id, created_at);
CREATE INDEX ingest_runs_by_created ON ingest_runs (created_at);
CREATE INDEX ingest_runs_state_expiry ON ingest_runs (expires_at) WHERE state IS NOT NULL;

CREATE TABLE ingest_events (
  history_id INTEGER PRIMARY KEY AUTOINCREMENT,       -- SSE ids
  ingest_id  TEXT    NOT NULL REFERENCES ingest_runs (ingest_id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  type       TEXT    NOT NULL,
  kind       TEXT    NOT NULL CHECK (kind IN ('step', 'note', 'complete', 'error')),
  message    TEXT    NOT NULL,
  usage      TEXT    NOT NULL,                        -- JSON TokenUsage
  at         INTEGER NOT NULL
) STRICT;
CREATE INDEX ingest_events_by_run ON ingest_events (ingest_id, history_id);

-- run_books holds the books of a run of either kind (course_id is the run's id), so it can no
-- longer reference course_runs: SQLite drops a foreign key only by rebuilding the table. The run
-- stores delete a run's row with the run and with its state.
CREATE TABLE run_books_of_any_run (
  course_id TEXT NOT NULL PRIMARY KEY,  -- the run's id, of either kind
  digest    TEXT NOT NULL,              -- SHA-256 of books
  books     TEXT NOT NULL               -- JSON array of BookMatch
) STRICT;
INSERT INTO run_books_of_any_run (course_id, digest, books) SELECT course_id, digest, books FROM run_books;
DROP TABLE run_books;
ALTER TABLE run_books_of_any_run RENAME TO run_books;

-- A dead letter names its run's kind (domain::run_kind_of its event's type) and id (course_id
-- stays, holding the same id, for the readers of the course-only schema).
ALTER TABLE dead_letters ADD COLUMN kind TEXT NOT NULL DEFAULT 'course' CHECK (kind IN ('course', 'ingest'));
ALTER TABLE dead_letters ADD COLUMN run_id TEXT NOT NULL DEFAULT '';
UPDATE dead_letters SET run_id = course_id;
)sql"},
};

constexpr std::string_view kBootstrap = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version     INTEGER PRIMARY KEY,
  description TEXT    NOT NULL,
  applied_at  INTEGER NOT NULL
) STRICT;
)sql";

int recorded_version(Session& session) {
  auto exists = session.query(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'");
  exists.step();
  if (exists.int64(0) == 0) return 0;
  auto max = session.query("SELECT coalesce(max(version), 0) FROM schema_migrations");
  max.step();
  return max.int32(0);
}

}  // namespace

std::span<const Migration> all_migrations() {
  return kMigrations;
}

int latest_schema_version() {
  return kMigrations[std::size(kMigrations) - 1].version;
}

int schema_version(SqliteDatabase& database) {
  return database.read([](Session& session) { return recorded_version(session); });
}

MigrationReport migrate(SqliteDatabase& database) {
  return database.write([](Session& session) {
    MigrationReport report;
    session.exec(kBootstrap);
    report.from_version = recorded_version(session);
    if (report.from_version > latest_schema_version()) {
      throw std::runtime_error("the database schema (version " +
                               std::to_string(report.from_version) +
                               ") is newer than this docprof knows (version " +
                               std::to_string(latest_schema_version()) + "): upgrade docprof");
    }
    report.to_version = report.from_version;
    for (const Migration& migration : kMigrations) {
      if (migration.version <= report.from_version) continue;
      session.exec(migration.sql);
      session
          .query(
              "INSERT INTO schema_migrations (version, description, applied_at) "
              "VALUES (?, ?, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))",
              migration.version, migration.description)
          .run();
      report.to_version = migration.version;
      ++report.applied;
    }
    return report;
  });
}

}  // namespace docprof::adapters::sqlite
