// HttpListener: the network side of the HTTP API, on Boost.Beast/Asio — a listening socket and its
// connections served by a fixed pool of io threads, asynchronously, so that an idle, slow or
// streaming connection holds memory and a timer but never a thread.
//
// Every request is checked while it is read, before any of its body is buffered and before the
// handler (and so authentication) runs:
//   request line longer than max_uri_bytes -> 414 uri_too_long; head larger than max_header_bytes
//   or with more than max_headers fields -> 431 headers_too_large; a Content-Encoding other than
//   identity -> 415 unsupported_encoding; a POST/PUT/PATCH with neither Content-Length nor chunked
//   encoding -> 411 length_required; a body (chunked or not) over max_body_bytes -> 413
//   payload_too_large as soon as the bytes read pass the limit (at once for a Content-Length over
//   it); a head not complete within header_timeout, or a body within body_timeout -> 408
//   request_timeout.
// Once a head with a body passed those checks, Hooks::plan_body decides where the body goes before
// any of it is read: into memory (as above), into a new file of its own under a directory with its
// own cap (uploads: the same 413s against that cap; the file is removed once the request is
// answered, and at once when it is refused half-way), or nowhere — the hook answers the head itself
// (e.g. 401/403), so that nothing of a refused upload is read, let alone stored. A spooled body's
// deadline is body_timeout without progress (it may be large), not body_timeout for all of it.
// An `Expect: 100-continue` is answered only after the plan, so a refused client never sends it. Connections beyond max_connections get 503 too_many_connections, those of one
//   client address beyond max_connections_per_client (0: no cap) 429 too_many_connections.
// A rejected request's connection is closed after its answer. Accepted sockets get TCP_NODELAY.
//
// The listener knows no routes: a whole request goes to Hooks::handle, which fills the Response
// (a body, or an EventSource that the connection pumps on a timer); Hooks::reject shapes the
// answers the listener gives itself (the JSON error body, request id, metrics).
//
// Lifecycle: construct, bind(), run() on a thread of your own (it blocks, serving on `threads` io
// threads, until stop()). stop() may be called from any thread: the listener closes, idle
// connections close, requests being handled are answered, and open streams are asked to end
// (EventSource::next with stopping = true); whatever is still open 3 s later is dropped.
//
// Thread safety: handle and reject run concurrently on the io threads. bind/run/stop from the
// controlling threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/http_message.h"

namespace docprof::api {

struct HttpLimits {
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_uri_bytes = 8 * 1024;       // the request target
  std::size_t max_header_bytes = 16 * 1024;   // the whole head: request line and fields
  std::size_t max_headers = 100;              // header fields
  std::chrono::milliseconds header_timeout{10'000};  // from the first wait for a request to its whole head
  std::chrono::milliseconds body_timeout{30'000};    // the whole body; also each write of an answer
  std::size_t max_connections = 1024;
  std::size_t max_connections_per_client = 64;  // by peer IP address; 0: no cap
};

// Where a request's body goes (Hooks::plan_body).
struct BodyPlan {
  enum class Kind {
    memory,  // Request::body, up to HttpLimits::max_body_bytes
    file,    // Request::body_file: a new file in `directory`, up to `max_bytes`
    refuse,  // not read: the hook filled the answer, and the connection closes after it
  };
  Kind kind = Kind::memory;
  std::string directory;
  std::uint64_t max_bytes = 0;
};

class HttpListener {
 public:
  struct Hooks {
    // A whole request (head checked, body read) -> its response. Must not throw.
    std::function<void(Request&, Response&)> handle;
    // Fills the answer to a request the listener refuses itself (`req` holds what was read of it).
    std::function<void(const Request& req, Response& res, int status, const std::string& code,
                       const std::string& message)>
        reject;
    // Where the body of a request goes, decided from its head (`head`: no body yet). Unset: memory.
    std::function<BodyPlan(const Request& head, Response& refusal)> plan_body;
  };

  HttpListener(HttpLimits limits, int threads, Hooks hooks);
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // Resolves host (an address or a name) and listens on the first of its addresses that binds
  // (port 0: a free port). Returns the bound port. Throws std::runtime_error.
  int bind(const std::string& host, int port);
  // True when the socket is bound to a loopback address (127.0.0.0/8, ::1, or an IPv4-mapped
  // 127.x); decided on the bound address, never on the host name given.
  bool bound_to_loopback() const;
  std::string bound_address() const;  // the bound IP address, as text

  // Serves until stop(); returns once every io thread has finished.
  void run();
  void stop();

  std::size_t open_connections() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace docprof::api
