// The form of an upload (POST /books/ingest as multipart/form-data), read from its spooled body in
// pieces (multipart_parser.h): the part named `file` is copied to a file of its own, keeping its
// name's extension (.pdf, .epub, .md, .html, .txt …: the document reader goes by it); the text
// parts `id`, `title` and `author` are kept (each at most kMaxFieldBytes); other parts are skipped.
//
// Errors: invalid_multipart (a malformed body, no boundary, no part named `file` or more than one,
// no file name, an empty document, a field too long) — the client's fault, a 400; io_error (the
// body or the document's file cannot be read or written) — the server's.
//
// Thread safety: stateless.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "api/spool_file.h"
#include "domain/result.h"

namespace docprof::api {

inline constexpr std::size_t kMaxFieldBytes = 1000;

struct UploadForm {
  SpoolFile document;     // the part `file`, saved under the directory given
  std::string file_name;  // its name as the client gave it (the last path component)
  std::map<std::string, std::string> fields;  // id, title, author: those sent
};

// `content_type`: the request's Content-Type (for its boundary); `body_path`: the spooled body;
// `directory`: where the document's file goes.
domain::Result<UploadForm> read_upload_form(std::string_view content_type, const std::string& body_path,
                                            const std::string& directory);

// The extension kept for a file name: ".pdf" for "Manual.PDF"; "" when it has none, or one that is
// not 1 to 10 letters and digits.
std::string upload_extension(std::string_view file_name);

}  // namespace docprof::api
