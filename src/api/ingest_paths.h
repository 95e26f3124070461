// Which server-side documents a JSON `POST /books/ingest {"path"}` may name: files under one of the
// directories of server.ingest_paths (none by default — the API then ingests uploads only).
// Both the path and each directory are resolved first (symbolic links, `.` and `..`), and the
// resolved file must lie under a resolved directory, compared by whole path components — so that
// neither a link nor `..` leads out, and /srv/docs does not admit /srv/docs-private.
//
// Thread safety: stateless (reads the file system).
#pragma once

#include <string>
#include <vector>

#include "domain/result.h"

namespace docprof::api {

// The resolved, absolute path of `path` when it is a regular file under one of `allowed`. Errors:
// path_not_allowed (no directory is allowed, or the file lies outside them: a 403),
// invalid_request (not absolute, no such file, not a regular file: a 400).
domain::Result<std::string> resolve_ingest_path(const std::string& path, const std::vector<std::string>& allowed);

}  // namespace docprof::api
