#include "adapters/postgres/pg_migrations.h"

#include <stdexcept>
#include <string>

namespace docprof::adapters::postgres {
namespace {

// As in SQLite: timestamps are BIGINT milliseconds since the Unix epoch, JSON documents TEXT, the
// large columns last. Large JSON values (a run's state) use lz4 instead of pglz: half the cost of a
// step's UPDATE (../shared/dependencies.md).
constexpr PgMigration kMigrations[] = {
    {1, "course runs, their history and dead letters",
     R"sql(
CREATE TABLE course_runs (
  course_id          TEXT             PRIMARY KEY,
  user_id            TEXT             NOT NULL,
  query              TEXT             NOT NULL,
  hours              DOUBLE PRECISION NOT NULL,
  preferences        TEXT             NOT NULL,              -- JSON Preferences
  status             TEXT             NOT NULL CHECK (status IN ('processing', 'complete', 'error')),
  phase              TEXT             NOT NULL,
  next_seq           BIGINT           NOT NULL,
  title              TEXT             NOT NULL,
  parts_count        INTEGER          NOT NULL,
  current_part_index INTEGER          NOT NULL,
  error_code         TEXT,
  error_message      TEXT,
  usage              TEXT             NOT NULL,              -- JSON TokenUsage
  version            BIGINT           NOT NULL,
  created_at         BIGINT           NOT NULL,
  updated_at         BIGINT           NOT NULL,
  expires_at         BIGINT           NOT NULL,              -- of the state
  postponed          INTEGER          NOT NULL DEFAULT 0,    -- deliveries given back unspent
  outbox             TEXT,                                   -- JSON Envelope: emitted, unconfirmed
  pending_event      TEXT,                                   -- JSON Envelope: the latest emitted
  state              TEXT                                    -- JSON RunState; NULL once stored or expired
);
ALTER TABLE course_runs ALTER COLUMN state SET COMPRESSION lz4;
CREATE INDEX course_runs_by_user ON course_runs (user_id, created_at);
CREATE INDEX course_runs_state_expiry ON course_runs (expires_at) WHERE state IS NOT NULL;
CREATE INDEX course_runs_outbox ON course_runs (updated_at) WHERE outbox IS NOT NULL;

CREATE TABLE course_events (
  history_id BIGSERIAL PRIMARY KEY,                            -- SSE ids
  course_id  TEXT      NOT NULL REFERENCES course_runs (course_id) ON DELETE CASCADE,
  seq        BIGINT    NOT NULL,
  type       TEXT      NOT NULL,
  kind       TEXT      NOT NULL CHECK (kind IN ('step', 'note', 'complete', 'error')),
  message    TEXT      NOT NULL,
  usage      TEXT      NOT NULL,                               -- JSON TokenUsage
  at         BIGINT    NOT NULL
);
CREATE INDEX course_events_by_course ON course_events (course_id, history_id);

CREATE TABLE dead_letters (
  id         BIGSERIAL PRIMARY KEY,
  course_id  TEXT      NOT NULL,
  event_id   TEXT      NOT NULL,
  event_type TEXT      NOT NULL,
  seq        BIGINT    NOT NULL,
  attempts   INTEGER   NOT NULL,
  error_code TEXT      NOT NULL,
  error      TEXT      NOT NULL,
  at         BIGINT    NOT NULL,
  event      TEXT      NOT NULL                                -- JSON Envelope
);
CREATE INDEX dead_letters_by_course ON dead_letters (course_id);
CREATE INDEX dead_letters_by_event ON dead_letters (event_id);
)sql"},
    {2, "stored courses and their sections",
     R"sql(
CREATE TABLE courses (
  course_id       TEXT             PRIMARY KEY,
  user_id         TEXT             NOT NULL,
  title           TEXT             NOT NULL,
  original_query  TEXT             NOT NULL,
  estimated_hours DOUBLE PRECISION NOT NULL,
  status          TEXT             NOT NULL CHECK (status IN ('active', 'completed', 'archived')),
  created_at      BIGINT           NOT NULL,
  last_modified   BIGINT           NOT NULL,
  preferences     TEXT             NOT NULL,                   -- JSON Preferences
  notes           TEXT             NOT NULL DEFAULT '[]'       -- JSON [CourseNote]
);
CREATE INDEX courses_by_user ON courses (user_id, created_at);

-- One section per position of a course. Deferred, so that an upsert of a changed outline may move
-- sections between positions inside its transaction.
CREATE TABLE course_sections (
  section_id          TEXT    PRIMARY KEY,
  course_id           TEXT    NOT NULL REFERENCES courses (course_id) ON DELETE CASCADE,
  parent_section_id   TEXT,
  order_index         INTEGER NOT NULL,
  title               TEXT    NOT NULL,
  estimated_minutes   INTEGER NOT NULL,
  status              TEXT    NOT NULL CHECK (status IN ('not_started', 'in_progress', 'completed')),
  completed_at        BIGINT,
  can_standalone      INTEGER NOT NULL CHECK (can_standalone IN (0, 1)),
  created_at          BIGINT  NOT NULL,
  content_summary     TEXT,
  learning_objectives TEXT    NOT NULL,                        -- JSON array of strings
  chunk_ids           TEXT    NOT NULL,                        -- JSON array of strings
  prerequisites       TEXT    NOT NULL,                        -- JSON array of section ids
  sources             TEXT    NOT NULL DEFAULT '[]',           -- JSON [SectionSource]
  CONSTRAINT course_sections_order UNIQUE (course_id, order_index) DEFERRABLE INITIALLY DEFERRED
);
)sql"},
    {3, "book library with vectors and its term index",
     R"sql(
CREATE TABLE books (
  book_id         TEXT    PRIMARY KEY,
  title           TEXT    NOT NULL,
  author          TEXT    NOT NULL,
  chapters        INTEGER NOT NULL,
  embedding_model TEXT    NOT NULL,
  created_at      BIGINT  NOT NULL,
  summary_json    TEXT    NOT NULL
);

CREATE TABLE book_vectors (
  book_id         TEXT    NOT NULL REFERENCES books (book_id) ON DELETE CASCADE,
  kind            TEXT    NOT NULL CHECK (kind IN ('book', 'chapter', 'section')),
  ref             TEXT    NOT NULL,
  chapter_number  INTEGER NOT NULL,
  embedding_model TEXT    NOT NULL,
  dims            INTEGER NOT NULL CHECK (dims > 0),
  embedding       BYTEA   NOT NULL CHECK (length(embedding) = 4 * dims),   -- float32 values
  PRIMARY KEY (book_id, embedding_model, kind, ref)
);

CREATE TABLE book_docs (
  book_id         TEXT             NOT NULL REFERENCES books (book_id) ON DELETE CASCADE,
  kind            TEXT             NOT NULL CHECK (kind IN ('book', 'chapter', 'section')),
  chapter_number  INTEGER          NOT NULL,
  section_index   INTEGER          NOT NULL,
  length          DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (book_id, kind, chapter_number, section_index)
);

CREATE TABLE book_terms (
  term            TEXT             NOT NULL,
  book_id         TEXT             NOT NULL REFERENCES books (book_id) ON DELETE CASCADE,
  kind            TEXT             NOT NULL CHECK (kind IN ('book', 'chapter', 'section')),
  chapter_number  INTEGER          NOT NULL,
  section_index   INTEGER          NOT NULL,
  weight          DOUBLE PRECISION NOT NULL,
  doc_length      DOUBLE PRECISION NOT NULL
);
CREATE INDEX book_terms_postings
  ON book_terms (term, book_id, kind, chapter_number, section_index, weight, doc_length);
CREATE INDEX book_terms_by_book ON book_terms (book_id);

-- Documents per kind and their summed lengths, kept current by every import and removal.
CREATE TABLE library_stats (
  kind            TEXT             PRIMARY KEY CHECK (kind IN ('book', 'chapter', 'section')),
  docs            BIGINT           NOT NULL,
  total_length    DOUBLE PRECISION NOT NULL
);
INSERT INTO library_stats (kind, docs, total_length)
  VALUES ('book', 0, 0), ('chapter', 0, 0), ('section', 0, 0);
)sql"},
    {4, "the library's version, bumped by every import and removal (workers cache vectors per version)",
     R"sql(
CREATE TABLE library_version (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT  NOT NULL
);
INSERT INTO library_version (id, version) VALUES (1, 0);
)sql"},
    {5, "course revisions",
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
  created_at        BIGINT  NOT NULL,
  PRIMARY KEY (course_id, revision)
);
)sql"},
    {6, "a run's found books apart from its state",
     R"sql(
-- The books a run found (whole summaries: most of its state document) are written once, not at
-- every step (ports/stored_state.h); course_runs.state keeps "books": []. Gone with the state.
CREATE TABLE run_books (
  course_id TEXT NOT NULL PRIMARY KEY REFERENCES course_runs (course_id) ON DELETE CASCADE,
  digest    TEXT NOT NULL,  -- SHA-256 of books
  books     TEXT NOT NULL   -- JSON array of BookMatch
);
)sql"},
    {7, "ingestion runs and their history; dead letters of either kind of run",
     R"sql(
-- An ingestion run (issue 14): the engine's record of a document being read, summarized and
-- stored as a book, the shape of course_runs (ports/run_tables.h names the columns that differ).
CREATE TABLE ingest_runs (
  ingest_id       TEXT    PRIMARY KEY,
  user_id         TEXT    NOT NULL,
  file_name       TEXT    NOT NULL,                   -- the document as its user named it
  status          TEXT    NOT NULL CHECK (status IN ('processing', 'complete', 'error')),
  phase           TEXT    NOT NULL,
  next_seq        BIGINT  NOT NULL,
  title           TEXT    NOT NULL,                   -- the book's, once read; the file name before
  chapters        INTEGER NOT NULL,
  current_chapter INTEGER NOT NULL,                   -- 0-based, the chapter being summarized
  book_id         TEXT,                               -- once the document is read
  error_code      TEXT,
  error_message   TEXT,
  usage           TEXT    NOT NULL,                   -- JSON TokenUsage
  version         BIGINT  NOT NULL,
  created_at      BIGINT  NOT NULL,
  updated_at      BIGINT  NOT NULL,
  expires_at      BIGINT  NOT NULL,                   -- of the state
  postponed       INTEGER NOT NULL DEFAULT 0,         -- deliveries given back unspent
  outbox          TEXT,                               -- JSON Envelope: emitted, unconfirmed
  pending_event   TEXT,                               -- JSON Envelope: the latest emitted
  state           TEXT                                -- JSON RunState; NULL once stored or expired
);
ALTER TABLE ingest_runs ALTER COLUMN state SET COMPRESSION lz4;
CREATE INDEX ingest_runs_by_user ON ingest_runs (user_id, created_at);
CREATE INDEX ingest_runs_by_created ON ingest_runs (created_at);
CREATE INDEX ingest_runs_state_expiry ON ingest_runs (expires_at) WHERE state IS NOT NULL;
CREATE INDEX ingest_runs_outbox ON ingest_runs (updated_at) WHERE outbox IS NOT NULL;

CREATE TABLE ingest_events (
  history_id BIGSERIAL PRIMARY KEY,                            -- SSE ids
  ingest_id  TEXT      NOT NULL REFERENCES ingest_runs (ingest_id) ON DELETE CASCADE,
  seq        BIGINT    NOT NULL,
  type       TEXT      NOT NULL,
  kind       TEXT      NOT NULL CHECK (kind IN ('step', 'note', 'complete', 'error')),
  message    TEXT      NOT NULL,
  usage      TEXT      NOT NULL,                               -- JSON TokenUsage
  at         BIGINT    NOT NULL
);
CREATE INDEX ingest_events_by_run ON ingest_events (ingest_id, history_id);

-- run_books holds the books of a run of either kind (course_id is the run's id), so it no longer
-- references course_runs; the run stores delete a run's row with the run and with its state.
ALTER TABLE run_books DROP CONSTRAINT run_books_course_id_fkey;

-- A dead letter names its run's kind (domain::run_kind_of its event's type) and id (course_id
-- stays, holding the same id, for the readers of the course-only schema).
ALTER TABLE dead_letters ADD COLUMN kind TEXT NOT NULL DEFAULT 'course' CHECK (kind IN ('course', 'ingest'));
ALTER TABLE dead_letters ADD COLUMN run_id TEXT;
UPDATE dead_letters SET run_id = course_id;
ALTER TABLE dead_letters ALTER COLUMN run_id SET NOT NULL;
)sql"},
    {8, "lz4 for a run's books, as for its state",
     R"sql(
-- A run's books (tens to hundreds of KB of JSON) are compressed as they are written; lz4 costs a
-- fraction of the default pglz's CPU (../shared/dependencies.md). Rows written before keep theirs.
ALTER TABLE run_books ALTER COLUMN books SET COMPRESSION lz4;
)sql"},
    {9, "ingested books: sources, chapters, sections, chunks and their terms",
     R"sql(
-- SQLite's migration 9, column for column (adapters/sqlite/migrations.cpp): a book ingested from a
-- document (docprof books ingest) — where it came from and which bytes (the SHA-256 of the source,
-- with the ingest_version of the code that read it, decides whether a re-ingest is a no-op; a
-- changed source replaces the book's chapters, sections, chunks and vectors in one transaction,
-- keeping its book_id) — and its text in chunks with their vectors and term postings. Removing the
-- book from the library removes all of it (ON DELETE CASCADE).
CREATE TABLE book_sources (
  book_id        TEXT    PRIMARY KEY REFERENCES books (book_id) ON DELETE CASCADE,
  source_path    TEXT    NOT NULL,                    -- the identity of the book unless --id
  format         TEXT    NOT NULL CHECK (format IN ('text', 'markdown', 'html', 'epub', 'pdf',
                                                    'docx', 'odt', 'rst', 'docbook', 'latex')),
  sha256         TEXT    NOT NULL,                    -- 64 lower-case hex characters
  words          INTEGER NOT NULL,
  pages          INTEGER,                             -- paged formats only
  ingest_version INTEGER NOT NULL,                    -- of the reading/structuring/chunking code
  ingested_at    BIGINT  NOT NULL
);

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
);

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
);

-- The corpus: the book's text in chunks of a few hundred words cut on paragraph boundaries, each
-- with its location and its vector (float32 values of the named embedding model, as book_vectors).
CREATE TABLE chunks (
  chunk_id        TEXT             PRIMARY KEY,
  book_id         TEXT             NOT NULL REFERENCES books (book_id) ON DELETE CASCADE,
  chunk_index     INTEGER          NOT NULL,          -- 0-based, in reading order
  chapter_number  INTEGER          NOT NULL,
  section_index   INTEGER          NOT NULL,          -- 0 = before the chapter's first section
  page            INTEGER,                            -- the page the chunk starts on (paged formats)
  words           INTEGER          NOT NULL,
  term_length     DOUBLE PRECISION NOT NULL,          -- the sum of its term weights (BM25)
  embedding_model TEXT             NOT NULL,
  dims            INTEGER          NOT NULL CHECK (dims > 0),
  text            TEXT             NOT NULL,
  embedding       BYTEA            NOT NULL CHECK (length(embedding) = 4 * dims)
);
CREATE UNIQUE INDEX chunks_by_book ON chunks (book_id, chunk_index);

-- Term postings of the chunks, read from the index alone by a search.
CREATE TABLE chunk_terms (
  term        TEXT             NOT NULL,
  chunk_id    TEXT             NOT NULL REFERENCES chunks (chunk_id) ON DELETE CASCADE,
  book_id     TEXT             NOT NULL,
  weight      DOUBLE PRECISION NOT NULL,
  doc_length  DOUBLE PRECISION NOT NULL
);
CREATE INDEX chunk_terms_postings ON chunk_terms (term, book_id, chunk_id, weight, doc_length);
CREATE INDEX chunk_terms_by_chunk ON chunk_terms (chunk_id);
)sql"},
    {10, "the relay finds outbox entries by index, not by reading every run",
     R"sql(
-- Runs keep their rows after they finish: each worker's relay pass (every few seconds) would
-- otherwise read them all. Only runs with an unconfirmed event are in these indexes.
CREATE INDEX course_runs_unpublished ON course_runs (updated_at) WHERE outbox IS NOT NULL;
CREATE INDEX ingest_runs_unpublished ON ingest_runs (updated_at) WHERE outbox IS NOT NULL;
)sql"},
};

constexpr std::string_view kBootstrap = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version     INTEGER PRIMARY KEY,
  description TEXT    NOT NULL,
  applied_at  BIGINT  NOT NULL
);
)sql";

// Any constant of our own: the key of the advisory lock that serialises migrators.
constexpr std::string_view kMigrationLock = "SELECT pg_advisory_xact_lock(7260917341)";

int recorded_version(PgConnection& connection) {
  const auto exists = connection.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists.boolean(0, 0)) return 0;
  return connection.exec("SELECT coalesce(max(version), 0) FROM schema_migrations").int32(0, 0);
}

}  // namespace

std::span<const PgMigration> pg_migrations() { return kMigrations; }

int pg_latest_schema_version() { return kMigrations[std::size(kMigrations) - 1].version; }

int pg_schema_version(PgPool& pool) {
  return pool.read([](PgConnection& connection) { return recorded_version(connection); });
}

PgMigrationReport pg_migrate(PgPool& pool) {
  PgMigrationReport report;
  report.from_version = -1;
  for (const PgMigration& migration : kMigrations) {
    const bool applied = pool.transaction([&](PgConnection& connection) {
      connection.exec(kMigrationLock);
      connection.exec_script(kBootstrap);
      const int current = recorded_version(connection);
      if (report.from_version < 0) report.from_version = current;
      if (current > pg_latest_schema_version()) {
        throw std::runtime_error("the database schema (version " + std::to_string(current) +
                                 ") is newer than this docprof knows (version " +
                                 std::to_string(pg_latest_schema_version()) + "): upgrade docprof");
      }
      if (migration.version <= current) return false;
      connection.exec_script(migration.sql);
      connection.run(
          "INSERT INTO schema_migrations (version, description, applied_at) "
          "VALUES ($1, $2, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)",
          migration.version, migration.description);
      return true;
    });
    if (applied) ++report.applied;
  }
  report.to_version = pg_schema_version(pool);
  return report;
}

}  // namespace docprof::adapters::postgres
