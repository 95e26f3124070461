// Uploads and server-side paths for ingestion runs (POST /books/ingest, issue 14) against the real
// server over loopback: an upload's body is streamed to a spool file under the upload directory,
// never buffered; a Content-Length over server.max_upload_bytes is refused with 413 before any byte
// of the body is sent, a chunked body as soon as it passes the cap, and nothing stays on disk;
// non-admins are refused from the head alone; malformed forms are 400s; a JSON path must resolve
// under server.ingest_paths (links and `..` included). An accepted upload is a run whose status
// and events (SSE) are followed to its book in the library, its document then removed.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "integration/api_harness.h"
#include "integration/ingest_fixtures.h"
#include "integration/raw_http_client.h"
#include "integration/temp_dir.h"

namespace docprof::test_support {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
namespace fs = std::filesystem;

const std::string kBoundary = "----docprofTestBoundary42";

std::size_t files_in(const fs::path& dir) {
  if (!fs::exists(dir)) return 0;
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

std::string file_part(const std::string& filename, const std::string& bytes) {
  return "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
         "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n";
}

std::string upload_head(const std::string& token, const std::string& length_or_chunked,
                        const std::string& extra = "") {
  std::string head = "POST /books/ingest HTTP/1.1\r\nHost: x\r\n";
  if (!token.empty()) head += "Authorization: Bearer " + token + "\r\n";
  return head + "Content-Type: multipart/form-data; boundary=" + kBoundary + "\r\n" + length_or_chunked + extra + "\r\n";
}

class ApiUploadTest : public ::testing::Test {
 protected:
  static api::ApiOptions options(const TempDir& uploads, std::vector<std::string> ingest_paths = {}) {
    api::ApiOptions o = relaxed_api_options();
    o.threads = 4;
    o.upload_dir = uploads.path();
    o.max_upload_bytes = 256 * 1024;
    o.limits.body_timeout = milliseconds(2000);
    o.ingest_paths = std::move(ingest_paths);
    return o;
  }

  // The status and error of an answer read within `timeout` (0 and "" when none came).
  static std::pair<int, json> answer(RawHttpConnection& c, milliseconds timeout = milliseconds(3000)) {
    const auto r = c.read_response(timeout);
    if (!r) return {0, json()};
    return {r->status, json::parse(r->body, nullptr, false)};
  }

  static httplib::Result post(const ApiHarness& h, const std::string& token, const std::string& body,
                              const std::string& content_type) {
    return h.client().Post("/books/ingest", ApiHarness::auth(token), body, content_type.c_str());
  }

  TempDir uploads_{"docprof-uploads"};
};

TEST_F(ApiUploadTest, AContentLengthOverTheCapIs413BeforeAnyOfTheBodyIsSent) {
  ApiHarness h({false, options(uploads_)});
  for (const std::string expect : {"", "Expect: 100-continue\r\n"}) {
    RawHttpConnection c(h.port);
    const auto start = std::chrono::steady_clock::now();
    ASSERT_TRUE(c.send(upload_head(kAdmin, "Content-Length: 314572800\r\n", expect)));
    const auto [status, body] = answer(c);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(status, 413) << "with '" << expect << "' (a 100 Continue first would be a mistake)";
    EXPECT_EQ(body.value("error_code", ""), "payload_too_large");
    EXPECT_NE(body.value("error", "").find("262144"), std::string::npos) << body.dump();
    EXPECT_LT(elapsed, milliseconds(1000)) << "the 413 waited for a body that was never sent";
    EXPECT_EQ(files_in(uploads_.path()), 0u);
  }
}

TEST_F(ApiUploadTest, AChunkedUploadIsSpooledToDiskAnd413OnceItPassesTheCapLeavingNothing) {
  ApiHarness h({false, options(uploads_)});
  RawHttpConnection c(h.port);
  ASSERT_TRUE(c.send(upload_head(kAdmin, "Transfer-Encoding: chunked\r\n")));
  const std::string chunk = "4000\r\n" + std::string(0x4000, 'a') + "\r\n";
  std::size_t sent = 0;
  // Under the cap the body goes to one spool file on disk, growing as it arrives.
  while (sent < 128 * 1024) {
    ASSERT_TRUE(c.send(chunk));
    sent += 0x4000;
  }
  std::uintmax_t spooled = 0;
  for (int i = 0; i < 200 && spooled < 100 * 1024; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
    for (const auto& entry : fs::directory_iterator(uploads_.path())) spooled = fs::file_size(entry.path());
  }
  EXPECT_EQ(files_in(uploads_.path()), 1u);
  EXPECT_GE(spooled, 100u * 1024) << "the body is not being written to its spool file";
  while (sent < 64u * 1024 * 1024 && !c.readable()) {
    if (!c.send(chunk)) break;
    sent += 0x4000;
  }
  const auto [status, body] = answer(c);
  EXPECT_EQ(status, 413) << body.dump();
  EXPECT_EQ(body.value("error_code", ""), "payload_too_large");
  // What the socket buffers and the refusal's linger take in is all that is read past the cap.
  EXPECT_LT(sent, 32u * 1024 * 1024) << "the server read far past its cap";
  EXPECT_EQ(files_in(uploads_.path()), 0u) << "the refused upload's spool file is still there";
}

TEST_F(ApiUploadTest, ALargeUploadIsStreamedThroughInBoundedMemory) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "ASan's shadow memory and quarantine make RSS meaningless";
#endif
  auto o = options(uploads_);
  o.max_upload_bytes = 96u * 1024 * 1024;
  ApiHarness h({false, o});  // no ingestion runs: the form is read whole, then the run refused (503)
  const std::size_t before = resident_bytes();
  const std::string head = "--" + kBoundary +
                           "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n\r\n";
  const std::string tail = "\r\n--" + kBoundary + "--\r\n";
  const std::size_t document = 64u * 1024 * 1024;
  RawHttpConnection c(h.port);
  ASSERT_TRUE(c.send(upload_head(kAdmin, "Content-Length: " + std::to_string(head.size() + document + tail.size()) + "\r\n") +
                     head));
  const std::string piece(1024 * 1024, 'x');
  for (std::size_t sent = 0; sent < document; sent += piece.size()) ASSERT_TRUE(c.send(piece));
  ASSERT_TRUE(c.send(tail));
  const auto [status, body] = answer(c, milliseconds(30000));
  EXPECT_EQ(status, 503) << body.dump();
  EXPECT_NE(body.value("error", "").find("ingestion runs are not available"), std::string::npos) << body.dump();
  EXPECT_LT(resident_bytes(), before + 32u * 1024 * 1024) << "the upload was held in memory";
  EXPECT_EQ(files_in(uploads_.path()), 0u) << "neither the spool file nor the refused document may stay";
}

TEST_F(ApiUploadTest, NonAdminsAndBadBoundariesAreRefusedFromTheHeadAlone) {
  ApiHarness h({false, options(uploads_)});
  struct Case {
    std::string token;
    std::string content_type;
    int status;
    std::string code;
  };
  const std::string good = "multipart/form-data; boundary=" + kBoundary;
  for (const Case& k : std::vector<Case>{{"", good, 401, "unauthorized"},
                                         {"not-a-token", good, 401, "unauthorized"},
                                         {kBob, good, 403, "forbidden"},
                                         {kAdmin, "multipart/form-data", 400, "invalid_multipart"},
                                         {kAdmin, "multipart/form-data; boundary=\"\"", 400, "invalid_multipart"}}) {
    RawHttpConnection c(h.port);
    std::string head = "POST /books/ingest HTTP/1.1\r\nHost: x\r\n";
    if (!k.token.empty()) head += "Authorization: Bearer " + k.token + "\r\n";
    head += "Content-Type: " + k.content_type + "\r\nContent-Length: 1048576\r\n\r\n";
    ASSERT_TRUE(c.send(head));  // the body is never sent: the answer must not wait for it
    const auto [status, body] = answer(c, milliseconds(1500));
    EXPECT_EQ(status, k.status) << k.token << " " << k.content_type;
    EXPECT_EQ(body.value("error_code", ""), k.code) << body.dump();
    EXPECT_EQ(files_in(uploads_.path()), 0u);
  }
}

TEST_F(ApiUploadTest, MalformedFormsAre400AndLeaveNothingBehind) {
  ApiHarness h({false, options(uploads_)});
  const std::string type = "multipart/form-data; boundary=" + kBoundary;
  const std::string closing = "--" + kBoundary + "--\r\n";
  const std::string title = "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nT\r\n";
  struct Case {
    std::string body;
    std::string says;
  };
  for (const Case& k : std::vector<Case>{
           {file_part("guide.md", "# A guide\n\nText.\n"), "truncated"},
           {title + closing, "no part named `file`"},
           {file_part("", "") + closing, "no file name"},
           {"no boundary anywhere", "no part"},
           {"--" + kBoundary + "\r\nContent-Type: text/plain\r\n\r\nx\r\n" + closing, "Content-Disposition"},
           {"--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + std::string(20000, 'n') +
                "\"\r\n\r\nx\r\n" + closing,
            "longer than"},
       }) {
    const auto res = post(h, kAdmin, k.body, type);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << k.says << ": " << res->body;
    const json body = json::parse(res->body, nullptr, false);
    EXPECT_EQ(body.value("error_code", ""), "invalid_multipart");
    EXPECT_NE(body.value("error", "").find(k.says), std::string::npos) << body.dump();
    EXPECT_EQ(files_in(uploads_.path()), 0u) << k.says;
  }
}

TEST_F(ApiUploadTest, AServerPathMustLieUnderIngestPaths) {
  TempDir root("docprof-ingest-paths");
  const fs::path docs = fs::path(root.path()) / "docs";
  const fs::path outside = fs::path(root.path()) / "docs-private";
  fs::create_directories(docs);
  fs::create_directories(outside);
  std::ofstream(docs / "guide.md") << "# Guide\n\nText.\n";
  std::ofstream(outside / "secret.md") << "# Secret\n";
  fs::create_symlink(outside / "secret.md", docs / "link.md");
  fs::create_directory_symlink(outside, docs / "linked-dir");

  const auto post_path = [](const ApiHarness& h, const std::string& token, const std::string& path) {
    return post(h, token, json{{"path", path}}.dump(), "application/json");
  };
  {
    ApiHarness h({false, options(uploads_)});  // no server.ingest_paths: no path at all
    const auto res = post_path(h, kAdmin, (docs / "guide.md").string());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403);
    EXPECT_NE(res->body.find("server.ingest_paths"), std::string::npos) << res->body;
  }
  ApiHarness h({false, options(uploads_, {docs.string()})});
  struct Case {
    std::string path;
    int status;
  };
  for (const Case& k : std::vector<Case>{
           {(outside / "secret.md").string(), 403},
           {(docs / "link.md").string(), 403},               // a link out of the directory
           {(docs / "linked-dir" / "secret.md").string(), 403},
           {(docs / ".." / "docs-private" / "secret.md").string(), 403},
           {"/etc/hostname", 403},
           {"docs/guide.md", 400},                            // relative
           {(docs / "missing.md").string(), 400},
           {docs.string(), 400},                              // a directory
       }) {
    const auto res = post_path(h, kAdmin, k.path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, k.status) << k.path << ": " << res->body;
  }
  EXPECT_EQ(post_path(h, kBob, (docs / "guide.md").string())->status, 403);
  EXPECT_EQ(post(h, kAdmin, "{\"path\": 5}", "application/json")->status, 400);
  EXPECT_EQ(post(h, kAdmin, "{}", "application/json")->status, 400);
  EXPECT_EQ(post(h, kAdmin, "not json", "application/json")->status, 400);
}

// Reads /books/ingest/{id}/events until the server ends the stream.
std::vector<SseEvent> read_ingest_events(const ApiHarness& h, const std::string& id, const std::string& token,
                                         int* status, const std::string& last_event_id = "") {
  SseParser parser;
  auto headers = ApiHarness::auth(token);
  if (!last_event_id.empty()) headers.emplace("Last-Event-ID", last_event_id);
  auto c = h.client();
  c.Get(("/books/ingest/" + id + "/events").c_str(), headers,
        [&](const httplib::Response& r) {
          *status = r.status;
          return true;
        },
        [&](const char* data, std::size_t size) {
          parser.feed(data, size);
          return true;
        });
  return parser.events;
}

api::ApiOptions ingestion_options(const TempDir& uploads, std::vector<std::string> ingest_paths = {}) {
  api::ApiOptions o = relaxed_api_options();
  o.upload_dir = uploads.path();
  o.ingest_paths = std::move(ingest_paths);
  return o;
}

TEST_F(ApiUploadTest, AnUploadIsARunFollowedToItsBookInTheLibrary) {
  ApiHarnessOptions harness{true, ingestion_options(uploads_)};
  harness.ingestion = true;
  ApiHarness h(harness);
  const std::string document = read_file(kIngestFixtures / "field-guide.md");
  const httplib::MultipartFormDataItems form = {
      {"title", "Version Control, Uploaded", "", ""},
      {"file", document, "field-guide.md", "text/markdown"},
  };
  const auto created = h.client().Post("/books/ingest", ApiHarness::auth(kAdmin), form);
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 202) << created->body;
  const json accepted = json::parse(created->body);
  EXPECT_EQ(accepted["status"], "queued");
  const std::string id = accepted["ingest_id"];
  EXPECT_EQ(created->get_header_value("Location"), "/books/ingest/" + id);

  int status = 0;
  const auto events = read_ingest_events(h, id, kAdmin, &status);
  EXPECT_EQ(status, 200);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().event, "complete") << events.back().data.dump();
  int chapters = 0;
  for (const auto& e : events) {
    ASSERT_TRUE(e.id.has_value());
    if (e.event == "step") chapters = std::max(chapters, e.data["progress"]["chapters"].get<int>());
  }
  EXPECT_EQ(chapters, 7) << "no step event carried the chapter count";
  const std::string book_id = events.back().data["book_id"];
  EXPECT_EQ(events.back().data["title"], "Version Control, Uploaded");

  const auto shown = h.client().Get(("/books/ingest/" + id).c_str(), ApiHarness::auth(kAdmin));
  ASSERT_TRUE(shown);
  ASSERT_EQ(shown->status, 200) << shown->body;
  const json view = json::parse(shown->body);
  EXPECT_EQ(view["status"], "complete");
  EXPECT_EQ(view["book_id"], book_id);
  EXPECT_EQ(view["progress"]["chapter"], 7);
  EXPECT_EQ(view["progress"]["chapters"], 7);

  const auto books = h.client().Get("/books", ApiHarness::auth(kAlice));
  ASSERT_TRUE(books);
  bool listed = false;
  for (const auto& b : json::parse(books->body)) listed = listed || b["book_id"] == book_id;
  EXPECT_TRUE(listed) << books->body;
  wait_until([&] { return files_in(uploads_.path()) == 0; }, std::chrono::seconds(5));
  EXPECT_EQ(files_in(uploads_.path()), 0u) << "the finished run left its uploaded document behind";

  // Resumed after an event, the stream sends the rest once; after its last, it ends at once.
  const std::size_t middle = events.size() / 2;
  const auto rest = read_ingest_events(h, id, kAdmin, &status, std::to_string(*events[middle].id));
  ASSERT_EQ(rest.size(), events.size() - middle - 1);
  for (std::size_t i = 0; i < rest.size(); ++i) EXPECT_EQ(rest[i].id, events[middle + 1 + i].id);
  const auto resumed = read_ingest_events(h, id, kAdmin, &status, std::to_string(*events.back().id));
  EXPECT_TRUE(resumed.empty());
  // The list has the run; other users may not look.
  const auto listed_runs = h.client().Get("/books/ingest", ApiHarness::auth(kAdmin));
  ASSERT_TRUE(listed_runs);
  EXPECT_EQ(json::parse(listed_runs->body).at(0)["ingest_id"], id);
  EXPECT_EQ(h.client().Get(("/books/ingest/" + id).c_str(), ApiHarness::auth(kAlice))->status, 403);
  read_ingest_events(h, id, kAlice, &status);
  EXPECT_EQ(status, 403);
  EXPECT_EQ(h.client().Get("/books/ingest/no-such-run", ApiHarness::auth(kAdmin))->status, 404);
}

TEST_F(ApiUploadTest, AServerPathUnderIngestPathsIsIngested) {
  ApiHarnessOptions harness{true, ingestion_options(uploads_, {kIngestFixtures.string()})};
  harness.ingestion = true;
  ApiHarness h(harness);
  const auto created = h.client().Post(
      "/books/ingest", ApiHarness::auth(kAdmin),
      json{{"path", (kIngestFixtures / "single-page.html").string()}, {"id", "tea-over-http"}}.dump(),
      "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 202) << created->body;
  const std::string id = json::parse(created->body)["ingest_id"];
  int status = 0;
  const auto events = read_ingest_events(h, id, kAdmin, &status);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().event, "complete") << events.back().data.dump();
  EXPECT_EQ(events.back().data["book_id"], "tea-over-http");
  EXPECT_TRUE(fs::exists(kIngestFixtures / "single-page.html")) << "a server-side document is not the run's to remove";
  const auto bad_id = h.client().Post("/books/ingest", ApiHarness::auth(kAdmin),
                                      json{{"path", (kIngestFixtures / "notes.txt").string()}, {"id", "Bad Id!"}}.dump(),
                                      "application/json");
  ASSERT_TRUE(bad_id);
  EXPECT_EQ(bad_id->status, 400) << bad_id->body;
}

}  // namespace
}  // namespace docprof::test_support
