#include "api/ingest_paths.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace docprof::api {
namespace {

namespace fs = std::filesystem;

// True when `inner` is `outer` or lies below it, by whole components (both resolved).
bool within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // the empty last component of a path ending in '/'
    if (i == inner.end() || *i != *o) return false;
  }
  return true;
}

}  // namespace

domain::Result<std::string> resolve_ingest_path(const std::string& path, const std::vector<std::string>& allowed) {
  if (allowed.empty()) {
    return domain::Error{"path_not_allowed",
                         "this server ingests no server-side paths: server.ingest_paths lists no directory "
                         "(upload the document instead, as multipart/form-data)"};
  }
  if (path.empty() || !fs::path(path).is_absolute()) {
    return domain::Error{"invalid_request", "path must be an absolute path on the server"};
  }
  std::error_code ec;
  // weakly_canonical resolves every link of the part that exists: a missing file under an allowed
  // directory is told apart from one outside them without saying what exists elsewhere.
  const fs::path resolved = fs::weakly_canonical(path, ec);
  if (ec) return domain::Error{"invalid_request", "cannot resolve " + path + ": " + ec.message()};
  const bool inside = std::any_of(allowed.begin(), allowed.end(), [&](const std::string& dir) {
    std::error_code dir_ec;
    const fs::path root = fs::canonical(dir, dir_ec);
    return !dir_ec && within(resolved, root);
  });
  if (!inside) {
    return domain::Error{"path_not_allowed", path + " is not under a directory of server.ingest_paths"};
  }
  if (!fs::exists(resolved, ec)) return domain::Error{"invalid_request", "no such file: " + path};
  if (!fs::is_regular_file(resolved, ec)) return domain::Error{"invalid_request", path + " is not a regular file"};
  return resolved.string();
}

}  // namespace docprof::api
