// End to end: `docprof serve` as a user runs it — a token from `docprof auth add-token`, the
// server started on a loopback port with its workers, a course requested over HTTP, its event
// stream followed to `complete`, the outline read back; SIGTERM stops it cleanly. And the refusals
// a user meets at startup: no tokens file, `--auth none` on a non-loopback address, a bad --listen.
#include <httplib.h>

#include <gtest/gtest.h>

#include "e2e_support.h"

namespace docprof::e2e {
namespace {

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cli.import_library();
    cli.env()["DOCPROF_AUTH_TOKENS_FILE"] = cli.file("tokens.txt");
    const ProcessResult added = cli.run({"auth", "add-token", "alice"});
    ASSERT_EQ(added.exit_code, 0) << describe(added);
    token = added.out.substr(0, added.out.find_first_of("\r\n"));
    ASSERT_EQ(token.size(), 64u) << added.out;
  }

  // Starts the server and waits until /readyz says so.
  std::unique_ptr<BackgroundProcess> start_server(const Environment& extra = {}) {
    port = free_loopback_port();
    auto server = cli.start({"serve", "--listen", "127.0.0.1:" + std::to_string(port)}, "serve", extra);
    const bool ready = wait_until(
        [&] {
          httplib::Client c("127.0.0.1", port);
          auto r = c.Get("/readyz");
          return r && r->status == 200;
        },
        Millis(20000));
    EXPECT_TRUE(ready) << "docprof serve did not become ready";
    return server;
  }

  httplib::Headers auth() const { return {{"Authorization", "Bearer " + token}}; }

  DocprofCli cli;
  std::string token;
  int port = 0;
};

TEST_F(ServeTest, ACourseRequestedOverHttpIsBuiltStreamedAndServed) {
  auto server = start_server();
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(120, 0);

  const json body{{"query", "I want to learn how to value a company"}, {"hours", 6}};
  auto anonymous = client.Post("/courses", body.dump(), "application/json");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_FALSE(anonymous->get_header_value("WWW-Authenticate").empty());

  auto posted = client.Post("/courses", auth(), body.dump(), "application/json");
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 202) << posted->body;
  const std::string id = json::parse(posted->body).at("course_id").get<std::string>();

  // The event stream, read until its final event.
  std::string stream;
  auto streamed = client.Get("/courses/" + id + "/events", auth(), [&](const char* data, std::size_t size) {
    stream.append(data, size);
    return stream.find("event: complete") == std::string::npos && stream.find("event: error") == std::string::npos;
  });
  EXPECT_NE(stream.find("event: complete"), std::string::npos) << stream;
  EXPECT_NE(stream.find("event: step"), std::string::npos) << "progress events before the end:\n" << stream;

  auto outline = client.Get("/courses/" + id + "/outline", auth());
  ASSERT_TRUE(outline);
  ASSERT_EQ(outline->status, 200) << outline->body;
  const json o = json::parse(outline->body);
  int minutes = 0;
  int sections = 0;
  for (const auto& part : o.at("parts")) {
    for (const auto& section : part.at("sections")) {
      minutes += section.at("estimated_minutes").get<int>();
      ++sections;
    }
  }
  EXPECT_NEAR(minutes, 360, 18) << o.dump(2);
  EXPECT_GT(sections, 4);
  // The same course is in the CLI's view of the shared database.
  EXPECT_EQ(cli.status(id).value("status", ""), "complete");

  server->send(SIGTERM);
  const ProcessResult stopped = server->wait(Millis(30000));
  EXPECT_FALSE(stopped.timed_out) << describe(stopped);
  EXPECT_EQ(stopped.exit_code, 0) << describe(stopped);
}

TEST_F(ServeTest, StartupRefusalsAreClear) {
  const ProcessResult no_tokens = cli.run({"serve", "--listen", "127.0.0.1:" + std::to_string(free_loopback_port())},
                                          {{"DOCPROF_AUTH_TOKENS_FILE", cli.file("missing.txt")}}, Millis(20000));
  EXPECT_EQ(no_tokens.exit_code, 2) << describe(no_tokens);
  EXPECT_NE(no_tokens.err.find("auth add-token"), std::string::npos) << no_tokens.err;

  const ProcessResult open_everywhere =
      cli.run({"serve", "--auth", "none", "--listen", "0.0.0.0:" + std::to_string(free_loopback_port())}, {},
              Millis(20000));
  EXPECT_EQ(open_everywhere.exit_code, 2) << describe(open_everywhere);
  EXPECT_NE(open_everywhere.err.find("loopback"), std::string::npos) << open_everywhere.err;

  for (const std::string bad : {"0x50", "+80", " 80"}) {  // digits only (issue 15)
    const ProcessResult bad_port = cli.run({"serve", "--listen", "127.0.0.1:" + bad}, {}, Millis(20000));
    EXPECT_EQ(bad_port.exit_code, 2) << describe(bad_port);
    EXPECT_NE(bad_port.err.find("bad port"), std::string::npos) << bad_port.err;
  }
  const ProcessResult bad_listen = cli.run({"serve", "--listen", "nowhere"}, {}, Millis(20000));
  EXPECT_EQ(bad_listen.exit_code, 2) << describe(bad_listen);
  EXPECT_NE(bad_listen.err.find("HOST:PORT"), std::string::npos) << bad_listen.err;
}

// auth.mode = "jwt" with a bad setting stops the start with exit 2 and says what to fix.
TEST_F(ServeTest, JwtStartupRefusalsNameTheSetting) {
  const std::string listen = "127.0.0.1:" + std::to_string(free_loopback_port());
  const Environment jwt = {{"DOCPROF_AUTH_ISSUER", "https://idp.example"}, {"DOCPROF_AUTH_AUDIENCE", "app"}};
  struct Case {
    Environment env;
    std::string says;
  };
  std::ofstream(cli.file("empty-jwks.json")) << R"({"keys": []})";
  const std::vector<Case> cases = {
      {{}, "auth.jwks is required"},
      {{{"DOCPROF_AUTH_JWKS", cli.file("missing-jwks.json")}}, "missing-jwks.json"},
      {{{"DOCPROF_AUTH_JWKS", cli.file("empty-jwks.json")}}, "no RSA or P-256 signing key"},
      {{{"DOCPROF_AUTH_JWKS", "http://idp.example/jwks.json"}}, "https"},
  };
  for (const auto& c : cases) {
    Environment env = jwt;
    for (const auto& [name, value] : c.env) env[name] = value;
    const ProcessResult r = cli.run({"serve", "--auth", "jwt", "--listen", listen}, env, Millis(20000));
    EXPECT_EQ(r.exit_code, 2) << describe(r);
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
  }
  const ProcessResult no_audience =
      cli.run({"serve", "--auth", "jwt", "--listen", listen},
              {{"DOCPROF_AUTH_ISSUER", "https://idp.example"}, {"DOCPROF_AUTH_JWKS", cli.file("empty-jwks.json")}},
              Millis(20000));
  EXPECT_EQ(no_audience.exit_code, 2) << describe(no_audience);
  EXPECT_NE(no_audience.err.find("auth.audience is required"), std::string::npos) << no_audience.err;
}

// Issue 15: a hosts entry mapping a "127.…" name to 0.0.0.0 does not pass any address off as
// loopback: the server decides on the address its socket bound to, and refuses --auth none there.
// Runs in a private mount namespace (unshare -m) where /etc/hosts is a bind mount: needs root.
TEST_F(ServeTest, AHostsEntryCannotPassEveryAddressOffAsLoopback) {
  if (::geteuid() != 0 || run_process({"/usr/bin/unshare", "-m", "true"}, {}, cli.dir().path(), Millis(5000)).exit_code != 0) {
    GTEST_SKIP() << "needs root and unshare -m (a private mount namespace)";
  }
  const std::string hosts = cli.file("hosts");
  write_text(hosts, "127.0.0.1 localhost\n0.0.0.0 127.evil.example\n");
  const std::string listen = "127.evil.example:" + std::to_string(free_loopback_port());
  Environment env = cli.env();
  const ProcessResult r = run_process(
      {"/usr/bin/unshare", "-m", "/bin/sh", "-c", "/usr/bin/mount --bind \"$0\" /etc/hosts && shift && exec \"$@\"", hosts,
       "unused", DOCPROF_BINARY, "--db", cli.db(), "serve", "--no-workers", "--auth", "none", "--listen", listen},
      env, cli.dir().path(), Millis(20000));
  EXPECT_FALSE(r.timed_out) << "the server ran on 0.0.0.0 without authentication\n" << describe(r);
  EXPECT_NE(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.err.find("loopback"), std::string::npos) << describe(r);
  EXPECT_NE(r.err.find("0.0.0.0"), std::string::npos) << "names the address it bound: " << describe(r);
}

}  // namespace
}  // namespace docprof::e2e
