// The server layer under the routes (http_message.h, router.h, http_listener.h): decoding of paths
// and queries, routing with captures, and over real loopback sockets — HEAD answered by the GET
// route without a body, pipelined requests on one kept-alive connection, and stop() ending open
// event streams (with their last chunk) and idle connections.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "api/http_message.h"
#include "api/router.h"
#include "integration/api_harness.h"
#include "integration/raw_http_client.h"

namespace docprof::test_support {
namespace {

using std::chrono::milliseconds;

TEST(ApiHttpLayer, PathsAndQueriesAreDecoded) {
  EXPECT_EQ(api::decode_url("/books/a%20b+c", false), "/books/a b+c");
  EXPECT_EQ(api::decode_url("a%2", false), "a%2") << "an incomplete escape stays as it is";
  EXPECT_EQ(api::decode_url("%zz", false), "%zz");
  const auto q = api::parse_query("q=cost+of%20capital&top_k=3&&flag&q=second");
  EXPECT_EQ(q.count("q"), 2u);
  EXPECT_EQ(q.find("q")->second, "cost of capital");
  EXPECT_EQ(q.find("top_k")->second, "3");
  EXPECT_EQ(q.find("flag")->second, "");
}

TEST(ApiHttpLayer, HeaderNamesCompareCaseInsensitively) {
  api::Response res;
  res.set_header("X-Request-Id", "a");
  res.set_header("x-request-id", "b");
  EXPECT_EQ(res.headers.all().size(), 1u) << "set replaces";
  EXPECT_EQ(res.get_header_value("X-REQUEST-ID"), "b");
  EXPECT_FALSE(res.has_header("Content-Type"));
}

TEST(ApiHttpLayer, TheRouterMatchesWholePathsWithCapturesAndRoutesHeadAsGet) {
  api::Router router;
  int hit = 0;
  router.Get(R"(/courses/([^/]+)/status)", [&](const api::Request&, api::Response&) { hit = 1; });
  router.Delete(R"(/courses/([^/]+))", [&](const api::Request&, api::Response&) { hit = 2; });
  api::Request req;
  req.method = "HEAD";
  req.path = "/courses/c-1/status";
  const api::Handler* handler = router.find(req);
  ASSERT_NE(handler, nullptr);
  ASSERT_EQ(req.matches.size(), 2u);
  EXPECT_EQ(req.matches[1], "c-1");
  api::Response res;
  (*handler)(req, res);
  EXPECT_EQ(hit, 1);
  req.path = "/courses/c-1/status/extra";
  EXPECT_EQ(router.find(req), nullptr) << "patterns match the whole path";
  req.method = "DELETE";
  req.path = "/courses/c-1/status";
  EXPECT_EQ(router.find(req), nullptr) << "DELETE /courses/{id} does not match a longer path";
}

TEST(ApiHttpLayer, HeadIsAnsweredWithoutABodyAndPipelinedRequestsShareAConnection) {
  ApiHarness h({false, relaxed_api_options()});
  RawHttpConnection c(h.port);
  ASSERT_TRUE(c.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                     "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                     "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"));
  // HEAD: a Content-Length but no body — so the next answer's status line comes right after it.
  const auto head = c.read_response(milliseconds(5000), true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_NE(head->head.find("Content-Length: 15"), std::string::npos) << head->head;
  const auto get = c.read_response(milliseconds(5000));
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(nlohmann::json::parse(get->body)["status"], "ok");
  const auto missing = c.read_response(milliseconds(5000));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("no route GET /nowhere"), std::string::npos) << missing->body;
  EXPECT_FALSE(get->head.find("X-Request-Id") == std::string::npos);
}

TEST(ApiHttpLayer, StopEndsOpenStreamsWithTheirLastChunkAndClosesIdleConnections) {
  ApiHarness h({false, relaxed_api_options()});
  const std::string id = h.create_course(kAlice);  // no workers: its stream stays open
  RawHttpConnection stream(h.port);
  ASSERT_TRUE(stream.send("GET /courses/" + id + "/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kAlice +
                          "\r\n\r\n"));
  RawHttpConnection idle(h.port, "127.0.0.2");
  ASSERT_TRUE(stream.readable(milliseconds(5000)));
  const auto started = std::chrono::steady_clock::now();
  h.server->stop();
  h.thread.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3)) << "stop() took too long";
  std::string seen;
  char buffer[4096];
  while (stream.readable(milliseconds(1000))) {
    const auto n = ::recv(stream.fd(), buffer, sizeof buffer, 0);
    if (n <= 0) break;
    seen.append(buffer, static_cast<std::size_t>(n));
  }
  EXPECT_NE(seen.find("HTTP/1.1 200"), std::string::npos) << seen;
  EXPECT_NE(seen.find("\r\n0\r\n\r\n"), std::string::npos) << "the stream ends with its last chunk: " << seen;
  EXPECT_TRUE(idle.closed_by_server(milliseconds(1000))) << "an idle connection is closed on stop";
}

}  // namespace
}  // namespace docprof::test_support
