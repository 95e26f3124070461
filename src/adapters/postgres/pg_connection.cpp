#include "adapters/postgres/pg_connection.h"

#include <charconv>
#include <libpq-fe.h>

namespace docprof::adapters::postgres {
namespace {

std::string trimmed(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

[[noreturn]] void fail_on(PGconn* connection, const PGresult* result, std::string_view what) {
  std::string sqlstate;
  std::string message;
  if (result != nullptr) {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    if (state != nullptr) sqlstate = state;
    message = trimmed(PQresultErrorMessage(result));
  }
  if (message.empty()) message = trimmed(PQerrorMessage(connection));
  const bool broken = PQstatus(connection) != CONNECTION_OK;
  throw PgError("PostgreSQL " + std::string(what) + ": " + message, sqlstate, broken);
}

}  // namespace

PgParam to_param(std::string_view value) { return std::string(value); }

PgParam to_param(double value) {
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (error != std::errc()) throw std::invalid_argument("unprintable double");
  return std::string(buffer, end);
}

PgParam to_param(bool value) { return std::string(value ? "true" : "false"); }

std::string bytea_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text = "\\x";
  text.reserve(2 + 2 * bytes.size());
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    text.push_back(kDigits[byte >> 4]);
    text.push_back(kDigits[byte & 0x0f]);
  }
  return text;
}

PgResult::PgResult(pg_result* result) : result_(result, &PQclear) {}

int PgResult::rows() const { return PQntuples(result_.get()); }

std::int64_t PgResult::affected() const {
  const char* count = PQcmdTuples(result_.get());
  if (count == nullptr || *count == '\0') return 0;
  return std::stoll(count);
}

bool PgResult::is_null(int row, int column) const {
  return PQgetisnull(result_.get(), row, column) != 0;
}

std::string PgResult::text(int row, int column) const {
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::optional<std::string> PgResult::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

std::int64_t PgResult::int64(int row, int column) const {
  const char* value = PQgetvalue(result_.get(), row, column);
  std::int64_t number = 0;
  const char* end = value + PQgetlength(result_.get(), row, column);
  const auto [stop, error] = std::from_chars(value, end, number);
  if (error != std::errc() || stop != end) {
    throw std::runtime_error("PostgreSQL: not an integer in column " + std::to_string(column) +
                             ": '" + std::string(value) + "'");
  }
  return number;
}

int PgResult::int32(int row, int column) const { return static_cast<int>(int64(row, column)); }

double PgResult::real(int row, int column) const {
  const char* value = PQgetvalue(result_.get(), row, column);
  double number = 0;
  const char* end = value + PQgetlength(result_.get(), row, column);
  const auto [stop, error] = std::from_chars(value, end, number);
  if (error != std::errc() || stop != end) {
    throw std::runtime_error("PostgreSQL: not a number in column " + std::to_string(column) +
                             ": '" + std::string(value) + "'");
  }
  return number;
}

bool PgResult::boolean(int row, int column) const { return text(row, column) == "t"; }

std::string PgResult::bytea(int row, int column) const {
  const char* text = PQgetvalue(result_.get(), row, column);
  std::size_t length = 0;
  unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &length);
  if (bytes == nullptr) throw std::runtime_error("PostgreSQL: a bytea column that cannot be decoded");
  std::string out(reinterpret_cast<const char*>(bytes), length);
  PQfreemem(bytes);
  return out;
}

std::unique_ptr<PgConnection> PgConnection::open(const std::string& url) {
  PGconn* connection = PQconnectdb(url.c_str());
  if (connection == nullptr) throw PgError("PostgreSQL: out of memory connecting", "", true);
  if (PQstatus(connection) != CONNECTION_OK) {
    const std::string message = trimmed(PQerrorMessage(connection));
    PQfinish(connection);
    throw PgError("PostgreSQL: cannot connect: " + message, "08001", true);
  }
  auto opened = std::unique_ptr<PgConnection>(new PgConnection(connection));
  // No JIT compilation: docprof's statements are short, and a plan the server estimates as costly
  // (a join over a JSON array's elements, say) would otherwise be compiled at every execution —
  // tens of milliseconds for a statement that runs in one.
  opened->exec("SET jit = off");
  return opened;
}

PgConnection::PgConnection(pg_conn* connection) : connection_(connection) {
  // Quiet: the server's notices (e.g. "relation already exists, skipping") are not ours to print.
  PQsetNoticeProcessor(connection_, [](void*, const char*) {}, nullptr);
}

PgConnection::~PgConnection() { PQfinish(connection_); }

PgResult PgConnection::exec(std::string_view sql, const std::vector<PgParam>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) values.push_back(param ? param->c_str() : nullptr);
  const std::string statement(sql);
  const int count = static_cast<int>(params.size());
  const char* name = prepared_name(statement, count);
  PGresult* result = name != nullptr
                         ? PQexecPrepared(connection_, name, count, values.data(), nullptr, nullptr, 0)
                         : PQexecParams(connection_, statement.c_str(), count, nullptr, values.data(), nullptr,
                                        nullptr, 0);
  if (result == nullptr) fail_on(connection_, nullptr, "statement");
  const auto status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    PgResult owned(result);  // freed on the way out
    fail_on(connection_, result, "statement");
  }
  return PgResult(result);
}

const char* PgConnection::prepared_name(const std::string& sql, int params) {
  if (const auto found = prepared_.find(sql); found != prepared_.end()) return found->second.c_str();
  // Transaction control (BEGIN, COMMIT) and other parameterless utility statements run unnamed;
  // parameterless queries (a library's statistics) are prepared like the others.
  const auto is_query = [&sql] {
    const std::string_view head = std::string_view(sql).substr(0, 5);
    return head == "SELEC" || head == "WITH " || head == "selec" || head == "with ";
  };
  if ((params == 0 && !is_query()) || prepared_.size() >= kMaxPrepared) return nullptr;
  std::string name = "docprof_" + std::to_string(prepared_.size() + 1);
  PGresult* result = PQprepare(connection_, name.c_str(), sql.c_str(), params, nullptr);
  if (result == nullptr) fail_on(connection_, nullptr, "statement");
  PgResult owned(result);  // freed on the way out
  if (PQresultStatus(result) != PGRES_COMMAND_OK) fail_on(connection_, result, "statement");
  return prepared_.emplace(sql, std::move(name)).first->second.c_str();
}

void PgConnection::exec_script(std::string_view sql) {
  if (!prepared_.empty()) {
    // A migration may change what prepared plans read: they go (DEALLOCATE ALL), and are made again.
    PgResult forgotten(PQexec(connection_, "DEALLOCATE ALL"));
    prepared_.clear();
  }
  const std::string script(sql);
  PGresult* result = PQexec(connection_, script.c_str());
  if (result == nullptr) fail_on(connection_, nullptr, "script");
  PgResult owned(result);
  const auto status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail_on(connection_, result, "script");
}

bool PgConnection::ok() const { return PQstatus(connection_) == CONNECTION_OK; }

}  // namespace docprof::adapters::postgres
