// The API's authentication helpers and rate limiter: SHA-256 hashing, the tokens file (parsing,
// creation with mode 0600, re-reading it when it changes), loopback detection, and the token bucket's refill.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "api/auth.h"
#include "api/rate_limiter.h"
#include "integration/temp_dir.h"
#include "util/digest.h"

namespace docprof::api {
namespace {

using util::sha256_hex;

TEST(ApiAuth, Sha256MatchesTheStandardVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(ApiAuth, GeneratedTokensAreFreshHex) {
  const auto a = generate_token();
  const auto b = generate_token();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(ApiAuth, TokensFileMapsTokensToUsersAndIsCreatedPrivate) {
  test_support::TempDir dir("api-auth");
  const std::string file = dir.file("tokens.txt");
  ASSERT_TRUE(append_token(file, "alice", false, "t-alice").ok());
  ASSERT_TRUE(append_token(file, "root", true, "t-root").ok());
  EXPECT_FALSE(append_token(file, "bad user", false, "x").ok());
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(file);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find("t-alice"), std::string::npos) << "plain tokens are never stored";

  auto auth = Authenticator::from_tokens_file(file);
  ASSERT_TRUE(auth.ok()) << auth.error().message;
  EXPECT_EQ(auth->token_count(), 2u);
  auto alice = auth->authenticate("Bearer t-alice");
  ASSERT_TRUE(alice);
  EXPECT_EQ(alice->user_id, "alice");
  EXPECT_FALSE(alice->admin);
  auto root = auth->authenticate("bearer t-root");
  ASSERT_TRUE(root);
  EXPECT_TRUE(root->admin);
  EXPECT_FALSE(auth->authenticate("Bearer t-alicex"));
  EXPECT_FALSE(auth->authenticate("t-alice"));
  EXPECT_FALSE(auth->authenticate(""));
  EXPECT_FALSE(auth->authenticate("Bearer "));
}

TEST(ApiAuth, MalformedTokensFileIsAnErrorNamingTheLine) {
  test_support::TempDir dir("api-auth");
  const std::string file = dir.file("tokens.txt");
  std::ofstream(file) << "# comment\n\n" << sha256_hex("x") << " bob\nnot-a-hash alice\n";
  auto auth = Authenticator::from_tokens_file(file);
  ASSERT_FALSE(auth.ok());
  EXPECT_NE(auth.error().message.find(":4"), std::string::npos) << auth.error().message;
  EXPECT_FALSE(Authenticator::from_tokens_file(dir.file("missing.txt")).ok());
}

TEST(ApiAuth, TheTokensFileIsReadAgainWhenItChanges) {
  test_support::TempDir dir("api-auth");
  const std::string file = dir.file("tokens.txt");
  ASSERT_TRUE(append_token(file, "alice", false, "t-alice").ok());
  auto auth = Authenticator::from_tokens_file(file);
  ASSERT_TRUE(auth.ok()) << auth.error().message;
  const Authenticator server_copy = auth.value();  // what the server holds shares the table
  EXPECT_FALSE(server_copy.authenticate("Bearer t-bob"));

  // A token added (as `docprof auth add-token` does) works once the file has been looked at again.
  ASSERT_TRUE(append_token(file, "bob", false, "t-bob").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // looked at no more than once a second
  auto bob = server_copy.authenticate("Bearer t-bob");
  ASSERT_TRUE(bob);
  EXPECT_EQ(bob->user_id, "bob");
  EXPECT_EQ(auth->token_count(), 2u);

  // Removing a line revokes its token even when the same edit adds a malformed line: the malformed
  // line is skipped and the rest of the file applies (fails closed, never the previous set).
  std::ofstream(file, std::ios::trunc) << sha256_hex("t-bob") << " bob\nhalf-written line\n";
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_FALSE(server_copy.authenticate("Bearer t-alice")) << "a removed token is revoked";
  EXPECT_TRUE(server_copy.authenticate("Bearer t-bob"));
  EXPECT_EQ(server_copy.token_count(), 1u);

  // A deleted (or unreadable) file leaves no valid token; once it is back, its tokens work again.
  std::filesystem::remove(file);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_FALSE(server_copy.authenticate("Bearer t-bob")) << "a missing tokens file must fail closed";
  EXPECT_EQ(server_copy.token_count(), 0u);
  std::ofstream(file, std::ios::trunc) << sha256_hex("t-bob") << " bob\n";
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_TRUE(server_copy.authenticate("Bearer t-bob"));
}

TEST(ApiAuth, NoneModeIsTheLocalUserAndLoopbackIsRecognised) {
  auto local = Authenticator::none().authenticate("");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->user_id, "local");
  EXPECT_TRUE(is_loopback("127.0.0.1"));
  EXPECT_TRUE(is_loopback("::1"));
  EXPECT_TRUE(is_loopback("localhost"));
  EXPECT_FALSE(is_loopback("0.0.0.0"));
  EXPECT_FALSE(is_loopback("192.168.1.4"));
  EXPECT_FALSE(is_loopback("::"));
}

TEST(ApiRateLimiter, BucketRefillsAtTheConfiguredRate) {
  RateLimiter limiter(6);  // burst 6, one token every 10 s
  for (int i = 0; i < 6; ++i) EXPECT_FALSE(limiter.try_acquire("u", 1000)) << i;
  auto wait = limiter.try_acquire("u", 1000);
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 10);
  EXPECT_FALSE(limiter.try_acquire("other", 1000));
  EXPECT_TRUE(limiter.try_acquire("u", 5000));
  EXPECT_FALSE(limiter.try_acquire("u", 11000));
  EXPECT_FALSE(RateLimiter(0).try_acquire("u", 0)) << "0 disables the limit";
}

}  // namespace
}  // namespace docprof::api
