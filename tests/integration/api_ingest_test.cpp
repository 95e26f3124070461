// The HTTP routes of ingested books against a real ApiServer on loopback over a real SQLite file:
// GET /books/{id} (an ingested book's structure) and GET /search (passages, with book and top_k),
// both behind bearer auth, with their errors.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/embed/stemming_analyzer.h"
#include "adapters/ingest/file_document_reader.h"
#include "adapters/sqlite/sqlite_corpus.h"
#include "api/auth.h"
#include "api/http_server.h"
#include "engine/ingest_service.h"
#include "integration/engine_harness.h"
#include "integration/ingest_fixtures.h"

namespace {

using namespace docprof;
using nlohmann::json;

class ApiIngestTest : public ::testing::Test {
 protected:
  ApiIngestTest()
      : corpus_(engine_.stores.db, engine_.stores.library, adapters::embed::default_analyzer()),
        ingest_(reader_, corpus_, engine_.embedder, engine_.clock, adapters::embed::default_analyzer()) {
    const std::string tokens = engine_.dir.file("tokens.txt");
    if (!api::append_token(tokens, "alice", false, "alice-token")) throw std::runtime_error("token");
    auto auth = api::Authenticator::from_tokens_file(tokens);
    if (!auth) throw std::runtime_error(auth.error().message);
    api::ApiOptions options;
    options.rate_per_minute = 0;
    server_ = std::make_unique<api::ApiServer>(
        api::ApiServices{engine_.service, engine_.stores.runs, engine_.stores.courses, engine_.library_service,
                         engine_.clock, &ingest_},
        std::move(auth).value(), options);
    port_ = server_->bind("127.0.0.1", 0);
    thread_ = std::thread([this] { server_->run(); });
    for (int i = 0; i < 200 && !client().Get("/healthz"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~ApiIngestTest() override {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }

  httplib::Client client() const { return httplib::Client("127.0.0.1", port_); }
  httplib::Result get(const std::string& path, bool authorised = true) {
    httplib::Headers headers;
    if (authorised) headers.emplace("Authorization", "Bearer alice-token");
    return client().Get(path.c_str(), headers);
  }

  test_support::EngineHarness engine_;
  adapters::sqlite::SqliteCorpus corpus_;
  adapters::ingest::FileDocumentReader reader_;
  engine::IngestService ingest_;
  std::unique_ptr<api::ApiServer> server_;
  int port_ = 0;
  std::thread thread_;
};

TEST_F(ApiIngestTest, BookStructureAndPassageSearch) {
  auto guide = ingest_.ingest((test_support::kIngestFixtures / "field-guide.md").string(), {});
  ASSERT_TRUE(guide.ok()) << guide.error().message;
  auto tea = ingest_.ingest((test_support::kIngestFixtures / "single-page.html").string(), {});
  ASSERT_TRUE(tea.ok()) << tea.error().message;

  const auto book = get("/books/" + guide->book_id);
  ASSERT_TRUE(book);
  ASSERT_EQ(book->status, 200) << book->body;
  const json structure = json::parse(book->body);
  EXPECT_EQ(structure["title"], "A Field Guide to Version Control");
  EXPECT_EQ(structure["format"], "markdown");
  ASSERT_EQ(structure["chapters"].size(), 7u);
  EXPECT_EQ(structure["chapters"][5]["kind"], "appendix");

  const auto found = get("/search?q=how%20do%20I%20undo%20a%20commit&top_k=3");
  ASSERT_TRUE(found);
  ASSERT_EQ(found->status, 200) << found->body;
  const json passages = json::parse(found->body);
  ASSERT_FALSE(passages.empty());
  EXPECT_LE(passages.size(), 3u);
  EXPECT_EQ(passages[0]["chapter_title"], "3. Undoing Changes");
  EXPECT_TRUE(passages[0]["page"].is_null());

  const auto only_tea = get("/search?q=commit%20water&book=" + tea->book_id);
  ASSERT_TRUE(only_tea);
  ASSERT_EQ(only_tea->status, 200);
  for (const auto& p : json::parse(only_tea->body)) EXPECT_EQ(p["book_id"], tea->book_id);

  EXPECT_EQ(get("/search?q=commit", false)->status, 401);
  EXPECT_EQ(get("/search")->status, 400);
  EXPECT_EQ(get("/search?q=commit&top_k=0")->status, 400);
  EXPECT_EQ(get("/search?q=commit&top_k=abc")->status, 400);
  EXPECT_EQ(get("/books/no-such-book")->status, 404);
  EXPECT_EQ(get("/books/" + guide->book_id, false)->status, 401);
}

}  // namespace
