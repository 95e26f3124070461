// PgPool: a small pool of PostgreSQL connections shared by the PostgreSQL adapters of one process.
// Connections are opened lazily, at most `size` at once; a caller waits for a free one. Each call
// runs on one connection: transaction() wraps the callable in BEGIN … COMMIT (ROLLBACK when it
// throws), read() runs it as it is (each statement its own transaction).
//
// Reconnect after a server restart: a pooled connection whose server went away fails on its first
// statement. When that first statement (BEGIN, or the first statement of read()) finds the
// connection broken, nothing ran yet, so the pool drops the connection and runs the call once more
// on a fresh one. A connection that breaks later in a call is dropped too, and the call's PgError
// reaches the caller (whether a COMMIT that broke took effect is unknown: the engine's
// compare-and-set and redelivery make a retried step safe).
//
// Thread safety: every member function is safe from any thread; the callable gets a connection of
// its own for the call's duration and must not keep it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/postgres/pg_connection.h"

namespace docprof::adapters::postgres {

class PgPool {
 public:
  PgPool(std::string url, std::size_t size = 8);
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  template <class F>
  auto transaction(F&& fn) -> decltype(fn(std::declval<PgConnection&>())) {
    using R = decltype(fn(std::declval<PgConnection&>()));
    if constexpr (std::is_void_v<R>) {
      run(true, [&](PgConnection& c) { fn(c); });
    } else {
      std::optional<R> out;
      run(true, [&](PgConnection& c) { out.emplace(fn(c)); });
      return std::move(*out);
    }
  }
  template <class F>
  auto read(F&& fn) -> decltype(fn(std::declval<PgConnection&>())) {
    using R = decltype(fn(std::declval<PgConnection&>()));
    if constexpr (std::is_void_v<R>) {
      run(false, [&](PgConnection& c) { fn(c); });
    } else {
      std::optional<R> out;
      run(false, [&](PgConnection& c) { out.emplace(fn(c)); });
      return std::move(*out);
    }
  }

  // transaction(fn) as a read-only repeatable-read snapshot: every statement of `fn` sees the
  // database as it was at the first.
  template <class F>
  auto snapshot(F&& fn) -> decltype(fn(std::declval<PgConnection&>())) {
    return transaction([&](PgConnection& c) {
      c.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
      return fn(c);
    });
  }

  const std::string& url() const { return url_; }

 private:
  void run(bool in_transaction, const std::function<void(PgConnection&)>& body);
  std::unique_ptr<PgConnection> acquire();
  void release(std::unique_ptr<PgConnection> connection);  // null: a dropped connection

  std::string url_;
  std::size_t size_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  std::size_t open_ = 0;  // idle + in use
};

}  // namespace docprof::adapters::postgres
