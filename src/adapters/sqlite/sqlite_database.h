// SqliteDatabase: one SQLite connection to a database file, opened the way every docprof adapter
// needs it (WAL, synchronous=NORMAL, foreign keys on, a busy timeout), with cached prepared
// statements, typed binds and reads, and transactions: write() runs its body inside
// BEGIN IMMEDIATE ... COMMIT (retried from the start when SQLite reports the file busy), read()
// inside a deferred transaction, so that a body sees one consistent snapshot.
//
// Errors become SqliteError exceptions carrying SQLite's own message and extended result code:
// adapters are an edge, the engine decides what a failed call means.
//
// Thread safety: one connection guarded by a mutex. Any thread may call read()/write(); bodies run
// one at a time and must not call back into the same SqliteDatabase (that would deadlock). Several
// SqliteDatabase objects, in this or other processes, may open the same file at once: WAL, the
// busy timeout and BEGIN IMMEDIATE keep writers from deadlocking on a lock upgrade.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace docprof::adapters::sqlite {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message);
  int code() const { return code_; }  // the extended result code, e.g. SQLITE_BUSY (5)
  bool is_busy() const;               // SQLITE_BUSY or SQLITE_LOCKED, in any extended form
  bool is_constraint() const;         // SQLITE_CONSTRAINT, in any extended form

 private:
  int code_;
};

// A blob parameter or column: raw bytes.
struct BlobView {
  const void* data = nullptr;
  std::size_t size = 0;
};

// One prepared statement in use. Binds are 1-based, columns 0-based. On destruction it is reset and
// its bindings cleared, ready for the next use from the cache.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt, bool owned);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;

  // Any integer (bool as 0/1) is stored as a 64-bit INTEGER.
  template <class Int>
  requires std::is_integral_v<Int> Statement& bind(int index, Int value) {
    if constexpr (std::is_unsigned_v<Int> && sizeof(Int) >= sizeof(std::int64_t)) {
      if (value > static_cast<Int>(INT64_MAX))
        throw std::out_of_range("integer too large for SQLite");
    }
    return bind_int64(index, static_cast<std::int64_t>(value));
  }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, BlobView value);
  Statement& bind(int index, std::nullptr_t);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    if (!value) return bind(index, nullptr);
    return bind(index, *value);
  }

  // Binds every argument in order, from parameter 1.
  template <class... Args>
  Statement& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // Advances to the next row: true when a row is available, false when done.
  bool step();
  // Runs a statement that returns no rows of interest (steps until done).
  void run();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  int int32(int column) const;
  double real(int column) const;
  std::string text(int column) const;  // "" for NULL
  // The text without a copy: valid until the next step() or the statement's end.
  std::string_view text_view(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;
  BlobView blob(int column) const;  // valid until the next step() or the statement's end

 private:
  Statement& bind_int64(int index, std::int64_t value);

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool owned_;
};

// Access to the connection inside one read() or write() body.
class Session {
 public:
  explicit Session(class SqliteDatabase& database) : database_(database) {}
  // A prepared statement for `sql` (cached by its text), with `args` bound from parameter 1.
  template <class... Args>
  Statement query(std::string_view sql, const Args&... args) {
    Statement statement = prepare(sql);
    statement.bind_all(args...);
    return statement;
  }
  Statement prepare(std::string_view sql);
  // Runs one or more statements without parameters.
  void exec(std::string_view sql);
  std::int64_t changes() const;  // rows changed by the last INSERT/UPDATE/DELETE
  std::int64_t last_insert_rowid() const;

 private:
  SqliteDatabase& database_;
};

struct SqliteOptions {
  std::chrono::milliseconds busy_timeout{10'000};
  // How many times write() runs its body again after SQLite still reported the file busy once the
  // busy timeout had passed.
  int busy_retries = 5;
};

class SqliteDatabase {
 public:
  // Opens (creating it if needed) the database file and configures the connection.
  static std::shared_ptr<SqliteDatabase> open(const std::string& path,
                                              const SqliteOptions& options = {});
  // open() followed by migrate() (migrations.h): what every adapter's composition should use.
  static std::shared_ptr<SqliteDatabase> open_and_migrate(const std::string& path,
                                                          const SqliteOptions& options = {});

  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  const std::string& path() const { return path_; }

  // Runs body(Session&) inside BEGIN IMMEDIATE ... COMMIT and returns its result. An exception from
  // the body rolls the transaction back and propagates. When SQLite reports the file busy (after
  // the busy timeout), the whole body runs again, up to options.busy_retries times: bodies must
  // have no effects outside the database that cannot be repeated.
  template <class Body>
  auto write(Body&& body) -> std::invoke_result_t<Body&, Session&> {
    std::lock_guard lock(mutex_);
    for (int attempt = 0;; ++attempt) {
      try {
        return run_transaction("BEGIN IMMEDIATE", body);
      } catch (const SqliteError& error) {
        if (!error.is_busy() || attempt >= options_.busy_retries) throw;
        pause_before_retry(attempt);
      }
    }
  }

  // Runs body(Session&) inside a deferred (read) transaction: one consistent snapshot.
  template <class Body>
  auto read(Body&& body) -> std::invoke_result_t<Body&, Session&> {
    std::lock_guard lock(mutex_);
    for (int attempt = 0;; ++attempt) {
      try {
        return run_transaction("BEGIN", body);
      } catch (const SqliteError& error) {
        if (!error.is_busy() || attempt >= options_.busy_retries) throw;
        pause_before_retry(attempt);
      }
    }
  }

  // Runs body(Session&) with no transaction around it (PRAGMAs that must run outside one).
  template <class Body>
  auto unguarded(Body&& body) -> std::invoke_result_t<Body&, Session&> {
    std::lock_guard lock(mutex_);
    Session session(*this);
    return body(session);
  }

 private:
  friend class Session;
  SqliteDatabase(std::string path, sqlite3* db, const SqliteOptions& options);

  template <class Body>
  auto run_transaction(const char* begin, Body& body) -> std::invoke_result_t<Body&, Session&> {
    control_locked(begin);
    Session session(*this);
    try {
      if constexpr (std::is_void_v<std::invoke_result_t<Body&, Session&>>) {
        body(session);
        control_locked("COMMIT");
      } else {
        auto result = body(session);
        control_locked("COMMIT");
        return result;
      }
    } catch (...) {
      rollback_if_active();
      throw;
    }
  }

  void exec_locked(std::string_view sql);
  // BEGIN, COMMIT: run as cached prepared statements (every step's transactions parse no SQL).
  void control_locked(std::string_view sql);
  Statement prepare_locked(std::string_view sql);
  void rollback_if_active() noexcept;
  static void pause_before_retry(int attempt);

  std::string path_;
  sqlite3* db_;
  SqliteOptions options_;
  std::mutex mutex_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

// Float vectors as stored in BLOB columns: the floats' bytes in the machine's order (little-endian
// on every platform docprof runs on).
inline BlobView float_blob(std::span<const float> values) {
  return BlobView{values.data(), values.size() * sizeof(float)};
}
std::vector<float> floats_from_blob(BlobView blob);

}  // namespace docprof::adapters::sqlite
