// Request and Response: the HTTP API's own view of one exchange, between the network layer
// (http_listener.h, Boost.Beast) and the route handlers. A Request reaches a handler only after its
// head passed the listener's limits and its whole body was read: into memory (bounded by
// server.max_body_bytes) or, for the requests the server asks so of (HttpListener::Hooks::plan_body:
// uploads), into a file of their own (bounded by its cap), removed once the handler returns;
// a handler fills the Response: a status, headers and a body — or an EventSource, for a response
// whose body is a stream written over time (Server-Sent Events).
//
// Header names compare case-insensitively; query parameters and the path are percent-decoded.
//
// Thread safety: plain values, used by one thread at a time.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace docprof::api {

// Case-insensitive equality of two header names.
bool same_header_name(std::string_view a, std::string_view b);

// A list of header fields in the order they were given (names as given).
class HeaderFields {
 public:
  // The first value of a field, "" when absent.
  std::string get(std::string_view name) const;
  bool has(std::string_view name) const;
  // Adds a field (a field may repeat).
  void add(std::string name, std::string value);
  // Replaces every value of a field with one.
  void set(std::string name, std::string value);
  const std::vector<std::pair<std::string, std::string>>& all() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct Request {
  std::string method;   // "GET", "POST", … ("HEAD" is routed as GET)
  std::string target;   // as sent: path and query
  std::string path;     // the target's path, percent-decoded
  HeaderFields headers;
  std::multimap<std::string, std::string> params;  // the query's parameters, decoded
  std::string body;       // empty when the body went to body_file
  std::string body_file;  // set: the body was spooled to this file (removed after the handler)
  std::vector<std::string> matches;  // the route's captures: [0] the whole path, [1]… its parameters
  std::string remote_address;        // the peer's IP address

  std::string get_header_value(std::string_view name) const { return headers.get(name); }
  bool has_header(std::string_view name) const { return headers.has(name); }
  bool has_param(const std::string& name) const { return params.count(name) > 0; }
  // The first value of a query parameter, "" when absent.
  std::string get_param_value(const std::string& name) const;
};

// The body of a streamed response (text/event-stream): the connection asks it for more every
// interval(), on one of the server's io threads, and writes what it gets as it gets it — an open
// stream costs its buffers and a timer, never a thread. Destroyed when the stream ends (it said so,
// the client went away, or the server stops).
class EventSource {
 public:
  virtual ~EventSource() = default;
  // Appends what to send now to `out` (may append nothing). False: the stream is over once `out`
  // is sent. `stopping`: the server is shutting down; the source should say its last and end.
  virtual bool next(std::string& out, bool stopping) = 0;
  virtual std::chrono::milliseconds interval() const = 0;
};

struct Response {
  int status = 200;
  HeaderFields headers;
  std::string body;
  std::shared_ptr<EventSource> stream = {};  // set: the body is this stream (chunked), not `body`

  void set_header(std::string name, std::string value) { headers.set(std::move(name), std::move(value)); }
  std::string get_header_value(std::string_view name) const { return headers.get(name); }
  bool has_header(std::string_view name) const { return headers.has(name); }
  void set_content(std::string content, std::string content_type) {
    body = std::move(content);
    set_header("Content-Type", std::move(content_type));
  }
  // A streamed body: `source` with its content type; `body` stays empty.
  void set_stream(std::shared_ptr<EventSource> source, std::string content_type) {
    stream = std::move(source);
    set_header("Content-Type", std::move(content_type));
  }
};

// Percent-decoding of a URL path (`plus_as_space` false) or query component (true). Invalid
// escapes are kept as they are.
std::string decode_url(std::string_view text, bool plus_as_space);
// The query string's parameters ("a=1&b=x%20y").
std::multimap<std::string, std::string> parse_query(std::string_view query);

}  // namespace docprof::api
