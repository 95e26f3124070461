#include "adapters/postgres/pg_pool.h"

namespace docprof::adapters::postgres {
namespace {

// A PgError thrown by the first statement of a call on a connection that turned out broken.
struct StaleConnection {
  PgError error;
};

}  // namespace

PgPool::PgPool(std::string url, std::size_t size) : url_(std::move(url)), size_(size == 0 ? 1 : size) {}

std::unique_ptr<PgConnection> PgPool::acquire() {
  {
    std::unique_lock lock(mu_);
    freed_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
    ++open_;  // reserved; opened outside the lock
  }
  try {
    return PgConnection::open(url_);
  } catch (...) {
    release(nullptr);
    throw;
  }
}

void PgPool::release(std::unique_ptr<PgConnection> connection) {
  {
    std::lock_guard lock(mu_);
    if (connection && connection->ok()) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
  }
  freed_.notify_one();
}

void PgPool::run(bool in_transaction, const std::function<void(PgConnection&)>& body) {
  for (int round = 0;; ++round) {
    auto connection = acquire();
    try {
      if (in_transaction) {
        try {
          connection->exec("BEGIN");
        } catch (const PgError& error) {
          if (error.broken_connection()) throw StaleConnection{error};
          throw;
        }
        try {
          body(*connection);
          connection->exec("COMMIT");
        } catch (...) {
          if (connection->ok()) {
            try {
              connection->exec("ROLLBACK");
            } catch (const PgError&) {
              // The connection broke while rolling back: release() drops it.
            }
          }
          throw;
        }
      } else {
        // A read is idempotent: it may run again whole when its connection was stale.
        try {
          body(*connection);
        } catch (const PgError& error) {
          if (error.broken_connection()) throw StaleConnection{error};
          throw;
        }
      }
      release(std::move(connection));
      return;
    } catch (const StaleConnection& stale) {
      release(nullptr);
      if (round >= 1) throw stale.error;  // a fresh connection failed too: the server is down
    } catch (...) {
      release(std::move(connection));  // dropped there if broken
      throw;
    }
  }
}

}  // namespace docprof::adapters::postgres
