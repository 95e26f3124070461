// Hostile clients against the real server over loopback sockets (issue 15): oversized and endless
// bodies, encoded bodies, bodies without a length, huge request lines and heads, slowloris heads
// and bodies, floods of connections and of event streams. Each attack is refused while it is read —
// before authentication, with the JSON error of its kind — and legitimate requests made during it
// succeed within a 5 s client timeout. Attackers connect from their own 127.0.0.x source addresses.
// Bounded: small limits and 1 s deadlines keep each test to a few seconds.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "integration/api_harness.h"
#include "integration/raw_http_client.h"

namespace docprof::test_support {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kMeasureMemory = false;  // ASan's shadow memory and quarantine make RSS meaningless
#else
constexpr bool kMeasureMemory = true;
#endif
constexpr std::size_t kMemoryBudget = 32u * 1024 * 1024;

api::ApiOptions hostile_options() {
  api::ApiOptions o = relaxed_api_options();
  o.threads = 4;
  o.limits.header_timeout = milliseconds(1000);
  o.limits.body_timeout = milliseconds(1000);
  return o;
}

// The status and error_code of an answer; fails the test when there is none.
std::pair<int, std::string> answer(RawHttpConnection& c, milliseconds timeout = milliseconds(5000)) {
  const auto r = c.read_response(timeout);
  if (!r) {
    ADD_FAILURE() << "no answer within " << timeout.count() << " ms";
    return {0, ""};
  }
  const auto body = json::parse(r->body, nullptr, false);
  return {r->status, body.is_object() && body.contains("error_code") ? body["error_code"].get<std::string>() : ""};
}

// A legitimate request made during an attack: GET path as `token` with a 5 s client timeout.
int legitimate_get(const ApiHarness& h, const std::string& path, const std::string& token = kBob) {
  httplib::Client c("127.0.0.1", h.port);
  c.set_connection_timeout(5, 0);
  c.set_read_timeout(5, 0);
  auto res = c.Get(path.c_str(), ApiHarness::auth(token));
  return res ? res->status : 0;
}

// Sends a chunked body without end, 16 KiB a chunk, until the server answers (or `max` is sent).
std::size_t send_endless_chunked(RawHttpConnection& c, std::size_t max) {
  if (!c.send("POST /courses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              "Transfer-Encoding: chunked\r\n\r\n")) {
    return 0;
  }
  const std::string chunk = "4000\r\n" + std::string(0x4000, 'a') + "\r\n";
  std::size_t sent = 0;
  while (sent < max && !c.readable()) {
    if (!c.send(chunk)) break;
    sent += 0x4000;
  }
  return sent;
}

TEST(ApiHostile, AnEndlessChunkedBodyIs413OnceTheLimitIsPassedAndCostsNoMemory) {
  auto options = hostile_options();
  options.limits.max_body_bytes = 64 * 1024;
  ApiHarness h({false, options});
  const std::size_t before = resident_bytes();
  RawHttpConnection attacker(h.port, "127.0.0.2");
  const std::size_t sent = send_endless_chunked(attacker, 128u * 1024 * 1024);
  const auto [status, code] = answer(attacker);
  EXPECT_EQ(status, 413);
  EXPECT_EQ(code, "payload_too_large");
  EXPECT_LT(sent, 32u * 1024 * 1024) << "the server kept reading long after the limit";
  if (kMeasureMemory) {
    EXPECT_LT(resident_bytes(), before + kMemoryBudget);
  }
  EXPECT_EQ(legitimate_get(h, "/courses"), 200);
}

TEST(ApiHostile, AContentLengthOverTheLimitIs413BeforeAnyBodyIsSent) {
  ApiHarness h({false, hostile_options()});
  RawHttpConnection attacker(h.port, "127.0.0.2");
  ASSERT_TRUE(attacker.send("POST /courses HTTP/1.1\r\nHost: x\r\nContent-Length: 134217728\r\n\r\n"));
  EXPECT_EQ(answer(attacker), std::make_pair(413, std::string("payload_too_large")));
}

TEST(ApiHostile, AnEncodedBodyIs415AndIsNeverInflated) {
  ApiHarness h({false, hostile_options()});
  RawHttpConnection attacker(h.port, "127.0.0.2");
  ASSERT_TRUE(attacker.send("POST /courses HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\n\r\n"
                            "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"));
  EXPECT_EQ(answer(attacker), std::make_pair(415, std::string("unsupported_encoding")));
  // identity is no encoding: the request goes on (to the 401 of a request without a token).
  RawHttpConnection plain(h.port, "127.0.0.2");
  ASSERT_TRUE(plain.send("POST /courses HTTP/1.1\r\nHost: x\r\nContent-Encoding: identity\r\nContent-Length: 2\r\n\r\n{}"));
  EXPECT_EQ(answer(plain).first, 401);
}

TEST(ApiHostile, APostWithoutALengthIs411) {
  ApiHarness h({false, hostile_options()});
  for (const std::string method : {"POST", "PATCH"}) {
    RawHttpConnection attacker(h.port, "127.0.0.2");
    ASSERT_TRUE(attacker.send(method + " /courses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\r\n{\"query\":"));
    EXPECT_EQ(answer(attacker), std::make_pair(411, std::string("length_required"))) << method;
  }
}

TEST(ApiHostile, AHugeRequestLineIs414AndAHugeHeadIs431) {
  ApiHarness h({false, hostile_options()});
  const std::size_t before = resident_bytes();
  {
    // A request line without end: answered once the head limit is passed, not buffered to its end.
    RawHttpConnection attacker(h.port, "127.0.0.2");
    ASSERT_TRUE(attacker.send("GET /"));
    const std::string block(64 * 1024, 'a');
    for (int i = 0; i < 1024 && !attacker.readable(); ++i)
      if (!attacker.send(block)) break;
    EXPECT_EQ(answer(attacker), std::make_pair(414, std::string("uri_too_long")));
  }
  {
    // A target over max_uri_bytes within a head that fits.
    RawHttpConnection attacker(h.port, "127.0.0.2");
    ASSERT_TRUE(attacker.send("GET /courses?x=" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(answer(attacker), std::make_pair(414, std::string("uri_too_long")));
  }
  {
    // 8,192 header fields of 8 KB: refused at the head size limit.
    RawHttpConnection attacker(h.port, "127.0.0.2");
    ASSERT_TRUE(attacker.send("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
    const std::string field = "X-Pad: " + std::string(8192, 'b') + "\r\n";
    for (int i = 0; i < 8192 && !attacker.readable(); ++i)
      if (!attacker.send(field)) break;
    EXPECT_EQ(answer(attacker), std::make_pair(431, std::string("headers_too_large")));
  }
  {
    // Many small fields: refused by their count.
    RawHttpConnection attacker(h.port, "127.0.0.2");
    std::string head = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 150; ++i) head += "X-" + std::to_string(i) + ": y\r\n";
    ASSERT_TRUE(attacker.send(head + "\r\n"));
    EXPECT_EQ(answer(attacker), std::make_pair(431, std::string("headers_too_large")));
  }
  if (kMeasureMemory) {
    EXPECT_LT(resident_bytes(), before + kMemoryBudget);
  }
  EXPECT_EQ(legitimate_get(h, "/healthz"), 200);
}

TEST(ApiHostile, SlowlorisHeadsAndBodiesGet408AndNeverStarveOtherClients) {
  ApiHarness h({false, hostile_options()});  // 4 io threads, 1 s deadlines
  constexpr int kAttackers = 40;
  std::vector<std::unique_ptr<RawHttpConnection>> heads;
  for (int i = 0; i < kAttackers; ++i) {
    heads.push_back(std::make_unique<RawHttpConnection>(h.port, "127.0.0." + std::to_string(2 + i % 8)));
    ASSERT_TRUE(heads.back()->send("GET /healthz HTTP/1.1\r\n"));
  }
  RawHttpConnection slow_body(h.port, "127.0.0.20");
  ASSERT_TRUE(slow_body.send("POST /courses HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"query\""));
  // While the attackers trickle header lines, other clients are served.
  for (int round = 0; round < 3; ++round) {
    for (auto& c : heads) c->send("X-Trickle: " + std::to_string(round) + "\r\n");
    EXPECT_EQ(legitimate_get(h, "/healthz"), 200);
    EXPECT_EQ(legitimate_get(h, "/courses"), 200);
    std::this_thread::sleep_for(milliseconds(200));
  }
  // Past the head deadline, every trickling head is answered 408 and closed.
  for (auto& c : heads) {
    const auto r = c->read_response(milliseconds(3000));
    ASSERT_TRUE(r) << "a slowloris connection was kept open past the head deadline";
    EXPECT_EQ(r->status, 408);
  }
  EXPECT_EQ(answer(slow_body), std::make_pair(408, std::string("request_timeout")));
}

TEST(ApiHostile, ConnectionsAreCappedPerClientAddressAndInAll) {
  auto options = hostile_options();
  options.limits.max_connections_per_client = 4;
  options.limits.max_connections = 12;
  options.limits.header_timeout = milliseconds(5000);
  ApiHarness h({false, options});
  std::vector<std::unique_ptr<RawHttpConnection>> idle;
  for (int i = 0; i < 4; ++i) idle.push_back(std::make_unique<RawHttpConnection>(h.port, "127.0.0.2"));
  std::this_thread::sleep_for(milliseconds(100));  // accepted and counted
  RawHttpConnection fifth(h.port, "127.0.0.2");
  EXPECT_EQ(answer(fifth), std::make_pair(429, std::string("too_many_connections")));
  EXPECT_EQ(legitimate_get(h, "/healthz"), 200) << "another address is not capped by 127.0.0.2's connections";
  std::this_thread::sleep_for(milliseconds(100));  // that client's connection is closed and released

  for (int i = 0; i < 8; ++i)
    idle.push_back(std::make_unique<RawHttpConnection>(h.port, "127.0.0." + std::to_string(3 + i / 4)));
  std::this_thread::sleep_for(milliseconds(100));
  RawHttpConnection over(h.port, "127.0.0.9");
  EXPECT_EQ(answer(over), std::make_pair(503, std::string("too_many_connections")));
  idle.clear();  // closed: their slots are freed
  EXPECT_TRUE(wait_until([&] { return legitimate_get(h, "/healthz") == 200; }, std::chrono::seconds(5)));
}

// Opens GET /courses/{id}/events as `token` on a raw connection; returns the connection once the
// stream's head has arrived (status in `status`).
std::unique_ptr<RawHttpConnection> open_stream(const ApiHarness& h, const std::string& id, const std::string& token,
                                               const std::string& source, int& status) {
  auto c = std::make_unique<RawHttpConnection>(h.port, source);
  c->send("GET /courses/" + id + "/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n");
  status = 0;
  if (!c->readable(milliseconds(5000))) return c;
  char buffer[4096];
  const auto n = ::recv(c->fd(), buffer, sizeof buffer, 0);
  if (n > 12) status = std::atoi(buffer + 9);
  return c;
}

TEST(ApiHostile, HundredsOfOpenStreamsHoldNoThreadAndOtherUsersAreServed) {
  auto options = hostile_options();
  options.threads = 2;
  options.max_streams_per_user = 0;
  options.sse_poll_ms = 200;  // the production default: 200 streams read the store 1,000 times a second
  options.limits.max_connections_per_client = 0;
  ApiHarness h({false, options});
  const std::string id = h.create_course(kAlice);  // no workers: it stays processing, its streams stay open
  std::vector<std::unique_ptr<RawHttpConnection>> streams;
  for (int i = 0; i < 200; ++i) {
    int status = 0;
    streams.push_back(open_stream(h, id, kAlice, "127.0.0." + std::to_string(2 + i % 16), status));
    ASSERT_EQ(status, 200) << "stream " << i;
  }
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(legitimate_get(h, "/courses"), 200);
    EXPECT_EQ(legitimate_get(h, "/healthz"), 200);
  }
}

TEST(ApiHostile, AUserMayHoldOnlyMaxStreamsPerUserStreams) {
  auto options = hostile_options();
  options.max_streams_per_user = 2;
  ApiHarness h({false, options});
  const std::string id = h.create_course(kAlice);
  const std::string bobs = h.create_course(kBob);
  int status = 0;
  auto first = open_stream(h, id, kAlice, "127.0.0.2", status);
  EXPECT_EQ(status, 200);
  auto second = open_stream(h, id, kAlice, "127.0.0.2", status);
  EXPECT_EQ(status, 200);
  RawHttpConnection third(h.port, "127.0.0.2");
  third.send("GET /courses/" + id + "/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kAlice + "\r\n\r\n");
  EXPECT_EQ(answer(third), std::make_pair(429, std::string("too_many_streams")));
  auto bob = open_stream(h, bobs, kBob, "127.0.0.3", status);
  EXPECT_EQ(status, 200) << "the cap is per user";
  first.reset();  // a closed stream frees its slot (noticed by the server's pending read)
  EXPECT_TRUE(wait_until(
      [&] {
        auto again = open_stream(h, id, kAlice, "127.0.0.2", status);
        return status == 200;
      },
      std::chrono::seconds(5)));
}

TEST(ApiHostile, HoursMustBeANumberOrPlainDecimalText) {
  ApiHarness h({false, hostile_options()});
  for (const std::string hours : {"0x10", "1e1", "+2", " 2", "2 ", "-2", "2.", ".5", "inf", "nan", "١٢"}) {
    auto res = h.client().Post("/courses", ApiHarness::auth(kAlice),
                               json{{"query", kValuationQuery}, {"hours", hours}}.dump(), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << "hours \"" << hours << "\": " << res->body;
  }
  auto ok = h.client().Post("/courses", ApiHarness::auth(kAlice),
                            json{{"query", kValuationQuery}, {"hours", "2.5"}}.dump(), "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 202) << ok->body;
  EXPECT_EQ(json::parse(ok->body)["hours"], 2.5);
}

TEST(ApiHostile, NoAuthenticationIsRefusedOffLoopback) {
  ApiHarness h({false, hostile_options()});
  api::ApiServer open_server(api::ApiServices{h.engine.service, h.engine.stores.runs, h.engine.stores.courses,
                                              h.engine.library_service, h.engine.clock},
                             api::Authenticator::none(), hostile_options());
  EXPECT_THROW(open_server.bind("0.0.0.0", 0), std::runtime_error);
  api::ApiServer local_server(api::ApiServices{h.engine.service, h.engine.stores.runs, h.engine.stores.courses,
                                               h.engine.library_service, h.engine.clock},
                              api::Authenticator::none(), hostile_options());
  EXPECT_GT(local_server.bind("localhost", 0), 0);
  EXPECT_TRUE(local_server.listening_on_loopback());
}

}  // namespace
}  // namespace docprof::test_support
