// MultipartParser: a streaming reader of a multipart/form-data body (RFC 7578, RFC 2046 §5.1) —
// fed the body in pieces of any size, it hands each part's head and then its bytes to a Sink as
// they come, so that a body of any size is read in bounded memory (the pieces fed, a part head of
// at most Limits::max_head_bytes, and one delimiter's length held back between pieces).
//
// Strict where a sloppy reading could mis-assign bytes: a delimiter line must end in CRLF (after
// optional spaces) or be the closing `--boundary--`; a body that ends before the closing delimiter
// is an error (truncated), as are a part without a Content-Disposition name, a part head over the
// limit or a malformed head line. The preamble and the epilogue are ignored. The boundary may
// appear in a part's bytes except at the start of a line ("\r\n--boundary" ends the part).
// File names follow what browsers send (the WHATWG encoding: `filename="…"`, quotes as %22, no
// backslash escapes); an RFC 5987 `filename*=UTF-8''…` wins over `filename`.
//
// Thread safety: one parser per body, used by one thread.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "domain/result.h"

namespace docprof::api {

struct PartHead {
  std::string name;                     // Content-Disposition's name
  std::optional<std::string> filename;  // set for a file part (may be "": no file chosen)
  std::string content_type;             // "" when not given
};

// The boundary of a `multipart/form-data; boundary=…` Content-Type (quoted or not). Errors
// (invalid_multipart): another media type, no boundary, or one that is not 1–70 allowed characters.
domain::Result<std::string> multipart_boundary(std::string_view content_type);

class MultipartParser {
 public:
  struct Limits {
    std::size_t max_head_bytes = 8 * 1024;  // one part's header lines
    std::size_t max_parts = 64;
  };
  // What a parser reports; each returns an error to stop the parse with (nullopt: go on).
  struct Sink {
    std::function<std::optional<domain::Error>(const PartHead&)> begin;  // a part starts
    std::function<std::optional<domain::Error>(std::string_view)> data;  // some of its bytes
    std::function<std::optional<domain::Error>()> end;                   // it is complete
  };

  MultipartParser(std::string boundary, Sink sink, Limits limits);
  MultipartParser(std::string boundary, Sink sink) : MultipartParser(std::move(boundary), std::move(sink), Limits{}) {}

  // Reads the next piece of the body. False once the parse failed (error() says why).
  bool feed(std::string_view bytes);
  // The body is over: false unless the closing delimiter was read.
  bool finish();
  const domain::Error& error() const { return error_; }
  std::size_t parts() const { return parts_; }

 private:
  enum class State { preamble, after_delimiter, head, body, epilogue, failed };
  bool fail(std::string message);
  bool fail(const domain::Error& error);
  bool step();  // one transition on buffer_; false: needs more bytes (or failed)
  bool read_head(std::string_view block);

  std::string delimiter_;  // "\r\n--" + boundary
  Sink sink_;
  Limits limits_;
  State state_ = State::preamble;
  std::string buffer_;
  std::size_t parts_ = 0;
  domain::Error error_;
};

}  // namespace docprof::api
