// TempDir: a fresh directory for one test (under $TMPDIR or /tmp), removed with everything in it
// when the object goes away. The integration tests put their real database files and cassettes
// here; the end-to-end tests (tests/e2e/cli_harness.h) run the docprof binary in one.
// Thread safety: not shared between threads while it is being created or destroyed.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace docprof::test_support {

class TempDir {
 public:
  // The directory is named `<prefix>-XXXXXX`, so a leftover one tells which tests made it.
  explicit TempDir(const std::string& prefix = "docprof-test") {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/" + prefix + "-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (mkdtemp(buffer.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = buffer.data();
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace docprof::test_support
