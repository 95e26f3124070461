// PgConnection and PgResult: a small RAII wrapper over one libpq connection (PostgreSQL 15's
// client, Debian's libpq-dev) for the PostgreSQL adapters. Statements run with text parameters
// ($1, $2, …: std::nullopt is SQL NULL) and return their rows as text; PgResult reads them as
// strings, integers, doubles and bytea. libpq's headers stay in the .cpp files.
//
// Queries and statements with parameters are prepared on the connection at their first use and
// executed by name afterwards (the server parses and plans each once per connection, not at every
// step); a connection keeps at most kMaxPrepared of them, further ones run unprepared. Transaction
// control and scripts are never prepared; a script (a migration) forgets the prepared ones, whose plans it
// may have changed. (A pooler in transaction mode, such as PgBouncer's, needs its prepared-statement
// support turned on.)
//
// A statement that fails is a PgError carrying the server's SQLSTATE (e.g. "23505" for a unique
// violation) and message; a connection found broken (the server restarted or went away) throws
// PgError with broken_connection() true, so PgPool can replace it.
//
// Thread safety: a PgConnection is used by one thread at a time (PgPool hands each to one caller);
// a PgResult is an immutable value, safe to read from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

struct pg_conn;
struct pg_result;

namespace docprof::adapters::postgres {

class PgError : public std::runtime_error {
 public:
  PgError(const std::string& message, std::string sqlstate, bool broken_connection)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)), broken_(broken_connection) {}
  const std::string& sqlstate() const { return sqlstate_; }
  bool broken_connection() const { return broken_; }

 private:
  std::string sqlstate_;
  bool broken_ = false;
};

using PgParam = std::optional<std::string>;

// Text parameters from C++ values: strings as they are, integers and doubles in decimal (doubles
// round-trip exactly), bools as true/false, std::nullopt as NULL.
PgParam to_param(std::string_view value);
inline PgParam to_param(const std::string& value) { return value; }
inline PgParam to_param(const char* value) { return std::string(value); }
PgParam to_param(double value);
PgParam to_param(bool value);
template <class T>
  requires std::is_integral_v<T> && (!std::is_same_v<T, bool>)
PgParam to_param(T value) {
  return std::to_string(value);
}
template <class T>
PgParam to_param(const std::optional<T>& value) {
  if (!value) return std::nullopt;
  return to_param(*value);
}
inline PgParam to_param(std::nullopt_t) { return std::nullopt; }
inline PgParam to_param(const PgParam& value) { return value; }

// bytea in PostgreSQL's hex text form ("\x0a1b…") and back.
std::string bytea_hex(std::string_view bytes);

class PgResult {
 public:
  explicit PgResult(pg_result* result);
  int rows() const;
  // Rows changed by an INSERT, UPDATE or DELETE (0 for others).
  std::int64_t affected() const;
  bool is_null(int row, int column) const;
  std::string text(int row, int column) const;
  std::optional<std::string> optional_text(int row, int column) const;
  std::int64_t int64(int row, int column) const;
  int int32(int row, int column) const;
  double real(int row, int column) const;
  bool boolean(int row, int column) const;
  std::string bytea(int row, int column) const;  // the raw bytes of a bytea column

 private:
  std::shared_ptr<pg_result> result_;
};

class PgConnection {
 public:
  // Connects to `url` (a libpq URI or key=value string); PgError when the server refuses.
  static std::unique_ptr<PgConnection> open(const std::string& url);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  PgResult exec(std::string_view sql, const std::vector<PgParam>& params = {});
  template <class... Args>
  PgResult run(std::string_view sql, const Args&... args) {
    return exec(sql, std::vector<PgParam>{to_param(args)...});
  }
  // Several statements without parameters (a migration's script).
  void exec_script(std::string_view sql);
  bool ok() const;  // the connection still looks usable

  static constexpr std::size_t kMaxPrepared = 256;

 private:
  explicit PgConnection(pg_conn* connection);
  // The name `sql` is prepared under on this connection (preparing it now), or nullptr to run it
  // unprepared.
  const char* prepared_name(const std::string& sql, int params);

  pg_conn* connection_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

}  // namespace docprof::adapters::postgres
