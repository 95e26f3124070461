#include "api/multipart_parser.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <vector>

namespace docprof::api {
namespace {

constexpr std::size_t kMaxDelimiterPadding = 256;  // spaces allowed after a delimiter, before its CRLF

domain::Error invalid(std::string message) { return domain::Error{"invalid_multipart", std::move(message)}; }

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// `type; key=value; key="quoted value"` -> the lower-cased type and its parameters (keys lower-cased).
struct HeaderValue {
  std::string type;
  std::vector<std::pair<std::string, std::string>> params;
  const std::string* param(std::string_view key) const {
    for (const auto& [k, v] : params)
      if (k == key) return &v;
    return nullptr;
  }
};

HeaderValue parse_header_value(std::string_view text) {
  HeaderValue out;
  const auto semi = text.find(';');
  out.type = lower(trim(text.substr(0, semi)));
  std::size_t at = semi == std::string_view::npos ? text.size() : semi + 1;
  while (at < text.size()) {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == ';')) ++at;
    const auto eq = text.find_first_of("=;", at);
    if (eq == std::string_view::npos || text[eq] == ';') {  // a parameter without a value: skipped
      at = eq == std::string_view::npos ? text.size() : eq + 1;
      continue;
    }
    std::string key = lower(trim(text.substr(at, eq - at)));
    at = eq + 1;
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
    std::string value;
    if (at < text.size() && text[at] == '"') {
      // Browsers quote without backslash escapes (a quote in a name is sent as %22).
      const auto close = text.find('"', at + 1);
      const auto end = close == std::string_view::npos ? text.size() : close;
      value = std::string(text.substr(at + 1, end - at - 1));
      at = close == std::string_view::npos ? text.size() : close + 1;
    } else {
      const auto end = std::min(text.find(';', at), text.size());
      value = std::string(trim(text.substr(at, end - at)));
      at = end;
    }
    out.params.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 5987's `charset'language'percent-encoded`; nullopt unless the charset is UTF-8 (or ASCII).
std::optional<std::string> decode_ext_value(std::string_view text) {
  const auto first = text.find('\'');
  const auto second = first == std::string_view::npos ? first : text.find('\'', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const std::string charset = lower(text.substr(0, first));
  if (charset != "utf-8" && charset != "us-ascii") return std::nullopt;
  std::string out;
  for (std::size_t i = second + 1; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool boundary_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

}  // namespace

domain::Result<std::string> multipart_boundary(std::string_view content_type) {
  const HeaderValue value = parse_header_value(content_type);
  if (value.type != "multipart/form-data") {
    return invalid("the Content-Type is not multipart/form-data");
  }
  const std::string* boundary = value.param("boundary");
  if (boundary == nullptr || boundary->empty()) {
    return invalid("the multipart/form-data Content-Type has no boundary parameter");
  }
  if (boundary->size() > 70 || !std::all_of(boundary->begin(), boundary->end(), boundary_char) ||
      boundary->back() == ' ') {
    return invalid("the multipart boundary must be 1 to 70 letters, digits or '()+_,-./:=? (RFC 2046)");
  }
  return *boundary;
}

MultipartParser::MultipartParser(std::string boundary, Sink sink, Limits limits)
    // The body is read as if it began with a line break, so that a delimiter at its very start is
    // found like every other one: "\r\n--boundary".
    : delimiter_("\r\n--" + boundary), sink_(std::move(sink)), limits_(limits), buffer_("\r\n") {}

bool MultipartParser::fail(std::string message) { return fail(invalid(std::move(message))); }

bool MultipartParser::fail(const domain::Error& error) {
  if (state_ != State::failed) error_ = error;
  state_ = State::failed;
  buffer_.clear();
  return false;
}

bool MultipartParser::feed(std::string_view bytes) {
  if (state_ == State::failed) return false;
  if (state_ == State::epilogue) return true;
  buffer_.append(bytes);
  while (step()) {
  }
  return state_ != State::failed;
}

bool MultipartParser::finish() {
  switch (state_) {
    case State::failed:
      return false;
    case State::epilogue:
      return true;
    case State::preamble:
      return fail("the body holds no part: its boundary never appears");
    default:
      return fail("the body ends before its closing boundary (truncated)");
  }
}

bool MultipartParser::step() {
  const auto search = [this] {
    const auto found = std::search(buffer_.begin(), buffer_.end(),
                                   std::boyer_moore_horspool_searcher(delimiter_.begin(), delimiter_.end()));
    return found == buffer_.end() ? std::string::npos : static_cast<std::size_t>(found - buffer_.begin());
  };
  // Bytes that may be the start of a delimiter split between two pieces stay in the buffer.
  const std::size_t hold = delimiter_.size() - 1;
  switch (state_) {
    case State::preamble: {
      const auto at = search();
      if (at == std::string::npos) {
        if (buffer_.size() > hold) buffer_.erase(0, buffer_.size() - hold);
        return false;
      }
      buffer_.erase(0, at + delimiter_.size());
      state_ = State::after_delimiter;
      return true;
    }
    case State::after_delimiter: {
      if (buffer_.size() < 2) return false;
      if (buffer_.compare(0, 2, "--") == 0) {
        state_ = State::epilogue;
        buffer_.clear();
        return false;
      }
      std::size_t at = 0;
      while (at < buffer_.size() && (buffer_[at] == ' ' || buffer_[at] == '\t')) ++at;
      if (at > kMaxDelimiterPadding) return fail("a boundary line is followed by too many spaces");
      if (buffer_.size() < at + 2) return false;
      if (buffer_.compare(at, 2, "\r\n") != 0) {
        return fail("a boundary line must end with CRLF, or with -- for the last one");
      }
      buffer_.erase(0, at + 2);
      state_ = State::head;
      return true;
    }
    case State::head: {
      // A part without header lines starts with its blank line at once.
      const auto end = buffer_.compare(0, 2, "\r\n") == 0 ? 0 : buffer_.find("\r\n\r\n");
      if (end == std::string::npos || end > limits_.max_head_bytes) {
        if (end != std::string::npos || buffer_.size() > limits_.max_head_bytes + 4) {
          return fail("a part's header lines are longer than " + std::to_string(limits_.max_head_bytes) + " bytes");
        }
        return false;
      }
      if (++parts_ > limits_.max_parts) return fail("the body has more than " + std::to_string(limits_.max_parts) + " parts");
      if (!read_head(std::string_view(buffer_).substr(0, end))) return false;
      buffer_.erase(0, end == 0 ? 2 : end + 4);
      state_ = State::body;
      return true;
    }
    case State::body: {
      const auto at = search();
      if (at == std::string::npos) {
        if (buffer_.size() > hold) {
          const std::size_t ready = buffer_.size() - hold;
          if (auto error = sink_.data(std::string_view(buffer_).substr(0, ready))) return fail(*error);
          buffer_.erase(0, ready);
        }
        return false;
      }
      if (at > 0) {
        if (auto error = sink_.data(std::string_view(buffer_).substr(0, at))) return fail(*error);
      }
      if (auto error = sink_.end()) return fail(*error);
      buffer_.erase(0, at + delimiter_.size());
      state_ = State::after_delimiter;
      return true;
    }
    case State::epilogue:
      buffer_.clear();
      return false;
    case State::failed:
      return false;
  }
  return false;
}

bool MultipartParser::read_head(std::string_view block) {
  PartHead head;
  std::optional<HeaderValue> disposition;
  std::string* last = nullptr;  // the value a folded line continues
  std::string disposition_text;
  std::string content_type;
  std::size_t at = 0;
  while (at < block.size()) {
    auto end = block.find("\r\n", at);
    if (end == std::string_view::npos) end = block.size();
    const std::string_view line = block.substr(at, end - at);
    at = end + 2;
    if (line.empty()) continue;
    if (line.front() == ' ' || line.front() == '\t') {  // obsolete line folding (RFC 5322)
      if (last == nullptr) return fail("a part's header block starts with a continuation line");
      *last += ' ';
      *last += trim(line);
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return fail("a part has a malformed header line (no name: value)");
    const std::string name = lower(trim(line.substr(0, colon)));
    const std::string_view value = trim(line.substr(colon + 1));
    last = nullptr;
    if (name == "content-disposition") {
      disposition_text = std::string(value);
      last = &disposition_text;
    } else if (name == "content-type") {
      content_type = std::string(value);
      last = &content_type;
    }
  }
  if (!disposition_text.empty()) disposition = parse_header_value(disposition_text);
  if (!disposition || disposition->type != "form-data") {
    return fail("a part has no `Content-Disposition: form-data` header");
  }
  const std::string* name = disposition->param("name");
  if (name == nullptr || name->empty()) return fail("a part's Content-Disposition has no name");
  head.name = *name;
  if (const std::string* extended = disposition->param("filename*")) head.filename = decode_ext_value(*extended);
  if (!head.filename) {
    if (const std::string* plain = disposition->param("filename")) head.filename = *plain;
  }
  head.content_type = content_type;
  if (auto error = sink_.begin(head)) return fail(*error);
  return true;
}

}  // namespace docprof::api
