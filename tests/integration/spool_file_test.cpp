// SpoolFile on a real directory: a spool is removed with its owner unless released to a new one,
// and the sweep at `serve` start removes only the listener's spools nothing has written to for
// longer than the idle time — never a document handed to an ingestion run, never a live spool.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "api/spool_file.h"

namespace {

namespace fs = std::filesystem;
using docprof::api::SpoolFile;

class SpoolDir : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("docprof-spool-" + std::to_string(::getpid()) + "-" +
                                        testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path file(const std::string& name, std::chrono::hours age) const {
    const fs::path path = dir_ / name;
    std::ofstream(path) << "bytes";
    fs::last_write_time(path, fs::file_time_type::clock::now() - age);
    return path;
  }
  fs::path dir_;
};

TEST_F(SpoolDir, ASpoolGoesWithItsOwnerUnlessReleased) {
  std::string kept;
  std::string dropped;
  {
    auto created = SpoolFile::create(dir_.string(), "upload-", ".pdf");
    ASSERT_TRUE(created) << created.error().message;
    auto created_too = SpoolFile::create(dir_.string(), "body-", ".part");
    ASSERT_TRUE(created_too);
    SpoolFile first = std::move(created).value();
    SpoolFile second = std::move(created_too).value();
    EXPECT_TRUE(first.path().ends_with(".pdf"));
    EXPECT_EQ((fs::status(first.path()).permissions() & fs::perms::all), fs::perms::owner_read | fs::perms::owner_write);
    kept = first.release();
    dropped = second.path();
    EXPECT_TRUE(fs::exists(dropped));
  }
  EXPECT_TRUE(fs::exists(kept));
  EXPECT_FALSE(fs::exists(dropped));
}

TEST_F(SpoolDir, TheSweepRemovesOnlyIdleSpoolsOfTheListener) {
  fs::create_directories(dir_);
  const auto stale = file("body-abc123.part", std::chrono::hours(3));
  const auto live = file("body-def456.part", std::chrono::hours(0));
  const auto document = file("upload-ghi789.pdf", std::chrono::hours(3));
  const auto other = file("notes.part", std::chrono::hours(3));
  EXPECT_EQ(SpoolFile::remove_stale(dir_.string(), "body-", ".part", std::chrono::hours(1)), 1);
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(live));
  EXPECT_TRUE(fs::exists(document)) << "a document handed to an ingestion run stays";
  EXPECT_TRUE(fs::exists(other));
  EXPECT_EQ(SpoolFile::remove_stale((dir_ / "missing").string(), "body-", ".part", std::chrono::hours(1)), 0);
}

}  // namespace
