// Configuration: defaults, TOML, environment overrides and the errors a typo gets.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/config.h"

namespace docprof::config {
namespace {

TEST(Config, DefaultsWithoutFileOrEnvironment) {
  auto c = parse_config("", "(defaults)", {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->storage_path, "docprof.db");
  EXPECT_EQ(c->queue_lease_seconds, 300);
  EXPECT_EQ(c->queue_max_deliveries, 6);
  EXPECT_EQ(c->workflow_max_repairs, 2);
  EXPECT_EQ(c->llm_provider, "extractive");
  EXPECT_FALSE(c->search_min_similarity.has_value());
}

TEST(Config, TomlValuesAreRead) {
  auto c = parse_config("[storage]\npath = \"x.db\"\n[queue]\nlease_seconds = 60\n[search]\nmin_similarity = 0.3\n"
                        "[log]\njson = true\n",
                        "t.toml", {});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->storage_path, "x.db");
  EXPECT_EQ(c->queue_lease_seconds, 60);
  EXPECT_DOUBLE_EQ(*c->search_min_similarity, 0.3);
  EXPECT_TRUE(c->log_json);
}

TEST(Config, EnvironmentOverridesTheFile) {
  auto c = parse_config("[queue]\nlease_seconds = 60\n", "t.toml",
                        {{"DOCPROF_QUEUE_LEASE_SECONDS", "2"}, {"DOCPROF_DB", "/tmp/e.db"},
                         {"DOCPROF_LLM_PROVIDER", "replay:c.jsonl"}});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->queue_lease_seconds, 2);
  EXPECT_EQ(c->storage_path, "/tmp/e.db");
  EXPECT_EQ(c->llm_provider, "replay:c.jsonl");
}

TEST(Config, MaxRetryAfterHasItsDefaultAndCanBeSet) {
  auto defaults = parse_config("", "(defaults)", {});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->queue_max_retry_after_ms, 300000);
  auto toml = parse_config("[queue]\nmax_retry_after_ms = 1500\n", "t.toml", {});
  ASSERT_TRUE(toml.ok()) << toml.error().message;
  EXPECT_EQ(toml->queue_max_retry_after_ms, 1500);
  auto env = parse_config("", "t", {{"DOCPROF_QUEUE_MAX_RETRY_AFTER_MS", "0"}});
  ASSERT_TRUE(env.ok()) << env.error().message;
  EXPECT_EQ(env->queue_max_retry_after_ms, 0);
  EXPECT_FALSE(parse_config("", "t", {{"DOCPROF_QUEUE_MAX_RETRY_AFTER_MS", "-1"}}).ok());
}

TEST(Config, UploadLimitAndIngestPaths) {
  auto defaults = parse_config("", "(defaults)", {});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->server_max_upload_bytes, 268435456);
  EXPECT_TRUE(defaults->server_ingest_paths.empty());
  auto toml = parse_config("[server]\nmax_upload_bytes = 1024\ningest_paths = [\"/srv/books\", \"/mnt/a:b\"]\n", "t.toml", {});
  ASSERT_TRUE(toml.ok()) << toml.error().message;
  EXPECT_EQ(toml->server_max_upload_bytes, 1024);
  EXPECT_EQ(toml->server_ingest_paths, (std::vector<std::string>{"/srv/books", "/mnt/a:b"}));
  auto env = parse_config("[server]\ningest_paths = [\"/x\"]\n", "t.toml",
                          {{"DOCPROF_SERVER_INGEST_PATHS", "/srv/books::/data/docs"}});
  ASSERT_TRUE(env.ok()) << env.error().message;
  EXPECT_EQ(env->server_ingest_paths, (std::vector<std::string>{"/srv/books", "/data/docs"}));
  for (const char* bad : {"[server]\ningest_paths = \"/srv\"\n", "[server]\ningest_paths = [1]\n",
                          "[server]\nmax_upload_bytes = 0\n"}) {
    auto c = parse_config(bad, "t.toml", {});
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_NE(c.error().message.find("server."), std::string::npos) << c.error().message;
  }
}

TEST(Config, UnknownKeysAreErrorsNamingTheKey) {
  auto c = parse_config("[queue]\nlease_secs = 60\n", "t.toml", {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("queue.lease_secs"), std::string::npos);
}

TEST(Config, WrongTypesAreErrors) {
  auto toml = parse_config("[queue]\nlease_seconds = \"sixty\"\n", "t.toml", {});
  ASSERT_FALSE(toml.ok());
  EXPECT_NE(toml.error().message.find("expected an integer"), std::string::npos);
  auto env = parse_config("", "t", {{"DOCPROF_QUEUE_LEASE_SECONDS", "abc"}});
  ASSERT_FALSE(env.ok());
  EXPECT_NE(env.error().message.find("DOCPROF_QUEUE_LEASE_SECONDS"), std::string::npos);
  auto low = parse_config("", "t", {{"DOCPROF_QUEUE_LEASE_SECONDS", "0"}});
  EXPECT_FALSE(low.ok());
}

TEST(Config, TomlSyntaxErrorsNameTheLine) {
  auto c = parse_config("[queue\nlease_seconds = 1\n", "bad.toml", {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("bad.toml:1"), std::string::npos);
}

TEST(Config, MissingExplicitFileIsAnError) {
  auto c = load_config(std::string("/nonexistent/docprof.toml"), {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("not found"), std::string::npos);
}

TEST(Config, EveryKeyIsDocumented) {
  std::ifstream in(std::string(DOCPROF_SOURCE_DIR) + "/docs/configuration.md");
  ASSERT_TRUE(in.good());
  std::stringstream doc;
  doc << in.rdbuf();
  for (const auto& key : config_keys()) {
    EXPECT_NE(doc.str().find("`" + key.section + "." + key.key + "`"), std::string::npos)
        << key.section << "." << key.key << " is missing from docs/configuration.md";
  }
}

}  // namespace
}  // namespace docprof::config
