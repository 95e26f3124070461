// SpoolFile: a new, uniquely named file (mode 0600) in a directory, removed when the SpoolFile is
// destroyed or reset — unless release()d to a new owner. The listener spools an upload's body to
// one (removed once its request is answered, or refused half-way); the upload route saves the
// document's part to another, which the ingestion run takes over.
//
// Thread safety: a plain value, used by one thread at a time.
#pragma once

#include <chrono>
#include <string>

#include "domain/result.h"

namespace docprof::api {

class SpoolFile {
 public:
  // Creates `<directory>/<prefix>XXXXXX<suffix>` (the directory too, when missing). Errors: io_error.
  static domain::Result<SpoolFile> create(const std::string& directory, const std::string& prefix,
                                          const std::string& suffix = "");

  SpoolFile() = default;
  ~SpoolFile() { remove(); }
  SpoolFile(SpoolFile&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  SpoolFile& operator=(SpoolFile&& other) noexcept;
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;

  const std::string& path() const { return path_; }
  bool empty() const { return path_.empty(); }
  // Removes the file now (nothing when empty).
  void remove();
  // Hands the file over: it is no longer removed here. Returns its path.
  std::string release();

  // Removes the files named `<prefix>…<suffix>` in `directory` that nothing has written to for
  // longer than `idle`: what a process killed mid-upload left behind (a live upload writes more
  // often than the body timeout, or is refused). Other files — documents handed to ingestion
  // runs — are never touched. Returns how many were removed; a missing directory is none.
  static int remove_stale(const std::string& directory, const std::string& prefix, const std::string& suffix,
                          std::chrono::seconds idle);

 private:
  explicit SpoolFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace docprof::api
