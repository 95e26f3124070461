#include "api/spool_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

namespace docprof::api {

domain::Result<SpoolFile> SpoolFile::create(const std::string& directory, const std::string& prefix,
                                            const std::string& suffix) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) return domain::Error{"io_error", "cannot create the directory " + directory + ": " + ec.message()};
  const std::string pattern = (std::filesystem::path(directory) / (prefix + "XXXXXX" + suffix)).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  // mkstemps: a name nobody else holds, created with O_EXCL and mode 0600 in one call.
  const int fd = ::mkstemps(name.data(), static_cast<int>(suffix.size()));
  if (fd < 0) {
    return domain::Error{"io_error", "cannot create a file in " + directory + ": " + std::strerror(errno)};
  }
  ::close(fd);
  return SpoolFile(std::string(name.data()));
}

SpoolFile& SpoolFile::operator=(SpoolFile&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

void SpoolFile::remove() {
  if (path_.empty()) return;
  std::error_code ignored;  // already gone is fine; nothing else can be done about a failure here
  std::filesystem::remove(path_, ignored);
  path_.clear();
}

std::string SpoolFile::release() {
  std::string out = std::move(path_);
  path_.clear();
  return out;
}

int SpoolFile::remove_stale(const std::string& directory, const std::string& prefix, const std::string& suffix,
                            std::chrono::seconds idle) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator entries(directory, ec);
  if (ec) return 0;
  const auto cutoff = fs::file_time_type::clock::now() - idle;
  int removed = 0;
  for (const auto& entry : entries) {
    const std::string name = entry.path().filename().string();
    if (name.size() < prefix.size() + suffix.size() || !name.starts_with(prefix) || !name.ends_with(suffix)) continue;
    if (!entry.is_regular_file(ec) || ec) continue;
    const auto written = entry.last_write_time(ec);
    if (ec || written > cutoff) continue;
    if (fs::remove(entry.path(), ec) && !ec) ++removed;
  }
  return removed;
}

}  // namespace docprof::api
