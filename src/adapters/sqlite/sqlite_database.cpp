#include "adapters/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <random>
#include <thread>

#include <spdlog/spdlog.h>

#include "adapters/sqlite/migrations.h"

namespace docprof::adapters::sqlite {
namespace {

[[noreturn]] void throw_error(sqlite3* db, int code, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  const int extended = db != nullptr ? sqlite3_extended_errcode(db) : code;
  throw SqliteError(extended, message);
}

void check(sqlite3* db, int code, std::string_view context) {
  if (code != SQLITE_OK) throw_error(db, code, context);
}

}  // namespace

SqliteError::SqliteError(int code, const std::string& message)
    : std::runtime_error(message), code_(code) {}

bool SqliteError::is_busy() const {
  const int primary = code_ & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

bool SqliteError::is_constraint() const {
  return (code_ & 0xff) == SQLITE_CONSTRAINT;
}

// ---- Statement -------------------------------------------------------------------------------

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, bool owned)
    : db_(db), stmt_(stmt), owned_(owned) {}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), owned_(other.owned_) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  if (owned_) {
    sqlite3_finalize(stmt_);
  } else {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Statement& Statement::bind_int64(int index, std::int64_t value) {
  check(db_, sqlite3_bind_int64(stmt_, index, value), "bind");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  check(db_, sqlite3_bind_double(stmt_, index, value), "bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  check(
      db_,
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      "bind");
  return *this;
}

Statement& Statement::bind(int index, BlobView value) {
  // A zero-length blob must still be a blob, not NULL: zeroblob(0) keeps the type.
  const int code =
      value.size == 0 ? sqlite3_bind_zeroblob(stmt_, index, 0)
                      : sqlite3_bind_blob64(stmt_, index, value.data, value.size, SQLITE_TRANSIENT);
  check(db_, code, "bind");
  return *this;
}

Statement& Statement::bind(int index, std::nullptr_t) {
  check(db_, sqlite3_bind_null(stmt_, index), "bind");
  return *this;
}

bool Statement::step() {
  const int code = sqlite3_step(stmt_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  throw_error(db_, code, sqlite3_sql(stmt_));
}

void Statement::run() {
  while (step()) {
  }
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

int Statement::int32(int column) const {
  return sqlite3_column_int(stmt_, column);
}

double Statement::real(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string Statement::text(int column) const {
  return std::string(text_view(column));
}

std::string_view Statement::text_view(int column) const {
  const auto* data = sqlite3_column_text(stmt_, column);
  if (data == nullptr) return {};
  const int size = sqlite3_column_bytes(stmt_, column);
  return std::string_view(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

BlobView Statement::blob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  return BlobView{data, static_cast<std::size_t>(size)};
}

// ---- Session ---------------------------------------------------------------------------------

Statement Session::prepare(std::string_view sql) {
  return database_.prepare_locked(sql);
}

void Session::exec(std::string_view sql) {
  database_.exec_locked(sql);
}

std::int64_t Session::changes() const {
  return sqlite3_changes64(database_.db_);
}

std::int64_t Session::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(database_.db_);
}

// ---- SqliteDatabase --------------------------------------------------------------------------

std::shared_ptr<SqliteDatabase> SqliteDatabase::open(const std::string& path,
                                                     const SqliteOptions& options) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int code = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (code != SQLITE_OK) {
    std::string message = "cannot open SQLite database '" + path + "': ";
    message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    sqlite3_close_v2(db);
    throw SqliteError(code, message);
  }
  sqlite3_extended_result_codes(db, 1);
  // The constructor takes ownership; from here on the destructor closes the connection.
  std::shared_ptr<SqliteDatabase> database(new SqliteDatabase(path, db, options));
  database->unguarded([&](Session& session) {
    // The busy timeout first, so that switching to WAL waits for a concurrent opener.
    check(db, sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count())),
          "busy_timeout");
    auto mode = session.query("PRAGMA journal_mode=WAL");
    if (mode.step() && mode.text_view(0) != "wal") {
      // E.g. a file system without shared memory: writers then block readers, but stay correct.
      spdlog::warn("SQLite database {} is in journal mode '{}', not WAL", path, mode.text(0));
    }
    session.exec("PRAGMA synchronous=NORMAL");
    session.exec("PRAGMA foreign_keys=ON");
  });
  return database;
}

std::shared_ptr<SqliteDatabase> SqliteDatabase::open_and_migrate(const std::string& path,
                                                                 const SqliteOptions& options) {
  auto database = open(path, options);
  migrate(*database);
  return database;
}

SqliteDatabase::SqliteDatabase(std::string path, sqlite3* db, const SqliteOptions& options)
    : path_(std::move(path)), db_(db), options_(options) {}

SqliteDatabase::~SqliteDatabase() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

void SqliteDatabase::exec_locked(std::string_view sql) {
  const std::string text(sql);
  char* error = nullptr;
  const int code = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (code != SQLITE_OK) {
    std::string message =
        text.substr(0, 80) + ": " + (error != nullptr ? error : sqlite3_errstr(code));
    sqlite3_free(error);
    throw SqliteError(sqlite3_extended_errcode(db_), message);
  }
}

void SqliteDatabase::control_locked(std::string_view sql) {
  prepare_locked(sql).run();
}

Statement SqliteDatabase::prepare_locked(std::string_view sql) {
  auto found = statements_.find(std::string(sql));
  if (found != statements_.end() && sqlite3_stmt_busy(found->second) == 0) {
    return Statement(db_, found->second, false);
  }
  sqlite3_stmt* stmt = nullptr;
  const bool cache = found == statements_.end();
  const unsigned flags = cache ? SQLITE_PREPARE_PERSISTENT : 0;
  const int code =
      sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), flags, &stmt, nullptr);
  if (code != SQLITE_OK) throw_error(db_, code, "prepare '" + std::string(sql.substr(0, 80)) + "'");
  if (!cache) return Statement(db_, stmt, true);  // the cached one is in use further up the stack
  statements_.emplace(std::string(sql), stmt);
  return Statement(db_, stmt, false);
}

void SqliteDatabase::rollback_if_active() noexcept {
  if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void SqliteDatabase::pause_before_retry(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  const int cap_ms = 10 << std::min(attempt, 5);
  std::uniform_int_distribution<int> jitter(1, cap_ms);
  std::this_thread::sleep_for(std::chrono::milliseconds(jitter(random)));
}

std::vector<float> floats_from_blob(BlobView blob) {
  if (blob.size % sizeof(float) != 0) {
    throw std::runtime_error("vector blob of " + std::to_string(blob.size) +
                             " bytes is not a whole number of float32 values");
  }
  std::vector<float> values(blob.size / sizeof(float));
  if (blob.size != 0) std::memcpy(values.data(), blob.data, blob.size);
  return values;
}

}  // namespace docprof::adapters::sqlite
