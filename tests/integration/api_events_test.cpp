// The live event stream (Server-Sent Events) of the HTTP API over real HTTP on loopback: a client
// follows a run to `complete`, a second client resumes mid-run with Last-Event-ID, heartbeats while
// idle; plus the book routes and the health probes.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <set>
#include <utility>

#include "integration/api_harness.h"

namespace docprof::test_support {
namespace {

using nlohmann::json;

// Reads /courses/{id}/events until the server ends the stream (or `stop` says so).
struct StreamReader {
  SseParser parser;
  std::mutex mu;
  int status = 0;

  void read(const ApiHarness& h, const std::string& id, const std::string& token,
            const std::string& last_event_id = "", const std::function<bool()>& stop = nullptr) {
    auto c = h.client();
    auto headers = ApiHarness::auth(token);
    if (!last_event_id.empty()) headers.emplace("Last-Event-ID", last_event_id);
    auto res = c.Get(("/courses/" + id + "/events").c_str(), headers,
                     [&](const httplib::Response& r) {
                       status = r.status;
                       return true;
                     },
                     [&](const char* data, std::size_t size) {
                       std::lock_guard lock(mu);
                       parser.feed(data, size);
                       return !(stop && stop());
                     });
    (void)res;
  }
  std::vector<SseEvent> events() {
    std::lock_guard lock(mu);
    return parser.events;
  }
};

TEST(ApiEvents, StreamFollowsARunToCompleteThenTheOutlineIsThere) {
  ApiHarness h;
  const std::string id = h.create_course(kAlice);
  StreamReader reader;
  reader.read(h, id, kAlice);
  EXPECT_EQ(reader.status, 200);
  const auto events = reader.events();
  ASSERT_GE(events.size(), 3u);
  const auto& last = events.back();
  ASSERT_EQ(last.event, "complete") << last.data.dump();
  EXPECT_EQ(last.data["course_id"], id);
  EXPECT_GT(last.data["total_minutes"].get<int>(), 0);
  EXPECT_FALSE(last.data["title"].get<std::string>().empty());

  std::int64_t previous = 0;
  bool saw_step = false;
  for (const auto& e : events) {
    ASSERT_TRUE(e.id.has_value());
    EXPECT_GT(*e.id, previous) << "ids must increase";
    previous = *e.id;
    if (e.event == "step") {
      saw_step = true;
      for (const char* key : {"seq", "type", "phase", "progress", "message", "usage", "at"})
        EXPECT_TRUE(e.data.contains(key)) << key << " in " << e.data.dump();
    }
  }
  EXPECT_TRUE(saw_step);
  // Every history entry of the run was sent once.
  EXPECT_EQ(events.size(), h.engine.history(id).size());

  auto outline = h.client().Get("/courses/" + id + "/outline", ApiHarness::auth(kAlice));
  ASSERT_TRUE(outline);
  const auto o = json::parse(outline->body);
  EXPECT_FALSE(o["parts"].empty());
  EXPECT_EQ(o["total_minutes"], last.data["total_minutes"]);
}

// The API's view of the run store (forwarding to `inner`, set once the harness exists), with a
// hook that runs once, right after a read of a course's history that finds nothing new: the moment
// a run finishing is hardest on a stream.
class HookedRunStore final : public ports::RunStore {
 public:
  ports::RunStore* inner = nullptr;
  std::function<void()> when_caught_up;

  bool create(const ports::RunRecord& record, const domain::Envelope& first_event,
              const ports::HistoryEntry& entry) override {
    return inner->create(record, first_event, entry);
  }
  std::optional<ports::RunRecord> load(const std::string& course_id) override {
    return inner->load(course_id);
  }
  ports::CommitResult commit(const ports::StepCommit& commit) override {
    return inner->commit(commit);
  }
  bool hands_off_events() const override { return inner->hands_off_events(); }
  std::vector<domain::Envelope> unpublished(std::int64_t updated_before_ms) override {
    return inner->unpublished(updated_before_ms);
  }
  void clear_outbox(const std::string& course_id, const std::string& event_id) override {
    inner->clear_outbox(course_id, event_id);
  }
  std::vector<ports::HistoryEntry> history(const std::string& course_id,
                                           std::int64_t after_id) override {
    auto entries = inner->history(course_id, after_id);
    if (entries.empty() && after_id > 0 && when_caught_up) std::exchange(when_caught_up, nullptr)();
    return entries;
  }
  std::vector<ports::RunRecord> list_runs(const std::string& user_id) override {
    return inner->list_runs(user_id);
  }
  std::vector<ports::RunRecord> list_ingest_runs(const std::string& user_id) override {
    return inner->list_ingest_runs(user_id);
  }
  ports::RunCounts count_runs() override { return inner->count_runs(); }
  bool remove(const std::string& course_id) override { return inner->remove(course_id); }
  int expire_states(std::int64_t now_ms, std::int64_t state_ttl_ms) override {
    return inner->expire_states(now_ms, state_ttl_ms);
  }
};

TEST(ApiEvents, ARunFinishingBetweenTheStreamsReadsStillEndsWithTheFinalEvent) {
  // The whole run completes right after the stream read the caught-up history and before it reads
  // the run: the stream must still send `complete` (it once ended silently here under load).
  HookedRunStore hooked;
  ApiHarness h(ApiHarnessOptions{false, relaxed_api_options(), &hooked});
  hooked.inner = &h.engine.stores.runs;
  const std::string id = h.create_course(kAlice);
  std::atomic<int> steps{0};
  hooked.when_caught_up = [&] { steps = static_cast<int>(h.engine.deliver_all(*h.runner).size()); };

  StreamReader reader;
  reader.read(h, id, kAlice);
  EXPECT_GT(steps.load(), 3) << "the hook ran the pipeline";
  EXPECT_EQ(h.engine.stores.runs.load(id)->status, ports::RunStatus::complete);
  const auto events = reader.events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().event, "complete");
  EXPECT_EQ(events.size(), h.engine.history(id).size()) << "every entry once, the final one last";
}

TEST(ApiEvents, SecondClientResumesMidRunWithLastEventIdWithoutDuplicates) {
  ApiHarnessOptions options{false, relaxed_api_options()};  // the test runs the steps itself
  ApiHarness h(options);
  const std::string id = h.create_course(kAlice);
  // The run advances to its first model call, and stops there.
  h.engine.deliver_all(*h.runner, domain::EventType::PartsGenerated);
  ASSERT_EQ(h.wait_finished(id, std::chrono::milliseconds(50)), "processing");

  StreamReader first;
  std::thread a([&] { first.read(h, id, kAlice); });
  ASSERT_TRUE(wait_until([&] {
    return !first.events().empty() && first.events().size() == h.engine.history(id).size();
  }));
  const auto seen = first.events();
  const std::int64_t resume_after = *seen.back().id;

  StreamReader second;
  std::atomic<bool> second_connected{false};
  std::thread b([&] {
    second.read(h, id, kAlice, std::to_string(resume_after), [&] {
      second_connected = true;
      return false;
    });
  });
  ASSERT_TRUE(
      wait_until([&] { return second_connected.load(); }));  // the `retry:` preamble arrived
  EXPECT_TRUE(second.events().empty()) << "nothing new happened since Last-Event-ID";

  h.engine.deliver_all(*h.runner);  // the rest of the run
  a.join();
  b.join();
  const auto all = first.events();
  const auto rest = second.events();
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.back().event, "complete");
  std::set<std::int64_t> ids;
  for (const auto& e : rest) {
    EXPECT_GT(*e.id, resume_after);
    EXPECT_TRUE(ids.insert(*e.id).second) << "duplicate id " << *e.id;
  }
  // The second client got exactly what the first got after the resume point.
  std::vector<std::int64_t> expected;
  for (const auto& e : all)
    if (*e.id > resume_after) expected.push_back(*e.id);
  EXPECT_EQ(std::vector<std::int64_t>(ids.begin(), ids.end()), expected);
}

TEST(ApiEvents, IdleStreamsGetHeartbeatsAndAFailedRunEndsWithAnErrorEvent) {
  ApiHarnessOptions options{false, relaxed_api_options()};
  options.api.sse_heartbeat_ms = 50;
  ApiHarness h(options);
  const std::string id = h.create_course(kAlice);
  StreamReader reader;
  std::thread t([&] { reader.read(h, id, kAlice); });
  ASSERT_TRUE(wait_until([&] {
    std::lock_guard lock(reader.mu);
    return reader.parser.comments >= 2;
  }));
  auto cancelled = h.engine.service.cancel(id, "stopped by the test");
  ASSERT_TRUE(cancelled.ok());
  t.join();
  const auto events = reader.events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().event, "error");
  EXPECT_EQ(events.back().data["error_code"], "cancelled");
}

TEST(ApiEvents, StreamNeedsAToken) {
  ApiHarness h;
  const std::string id = h.create_course(kAlice);
  auto res = h.client().Get("/courses/" + id + "/events");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
}

TEST(ApiBooks, ListAndSearchForEveryUserChangesForAdminsOnly) {
  ApiHarness h;
  auto c = h.client();
  auto list = c.Get("/books", ApiHarness::auth(kBob));
  ASSERT_TRUE(list);
  ASSERT_EQ(list->status, 200);
  const auto books = json::parse(list->body);
  ASSERT_GE(books.size(), 3u);
  EXPECT_TRUE(books[0].contains("book_id"));

  auto search =
      c.Get("/books/search?q=discounted%20cash%20flow%20valuation", ApiHarness::auth(kBob));
  ASSERT_TRUE(search);
  ASSERT_EQ(search->status, 200) << search->body;
  const auto found = json::parse(search->body);
  ASSERT_FALSE(found.empty());
  EXPECT_NE(found[0]["title"].get<std::string>().find("aluation"), std::string::npos)
      << found[0]["title"];
  auto empty_q = c.Get("/books/search", ApiHarness::auth(kBob));
  ASSERT_TRUE(empty_q);
  EXPECT_EQ(empty_q->status, 400);

  std::ifstream in(std::filesystem::path(DOCPROF_SOURCE_DIR) / "examples" / "library" /
                   "graham-intelligent-investor.json");
  std::stringstream book;
  book << in.rdbuf();
  auto forbidden = c.Post("/books", ApiHarness::auth(kBob), book.str(), "application/json");
  ASSERT_TRUE(forbidden);
  EXPECT_EQ(forbidden->status, 403);
  auto bad =
      c.Post("/books", ApiHarness::auth(kAdmin), R"({"title":"no chapters"})", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  auto imported = c.Post("/books", ApiHarness::auth(kAdmin), book.str(), "application/json");
  ASSERT_TRUE(imported);
  ASSERT_EQ(imported->status, 201) << imported->body;
  const std::string book_id = json::parse(imported->body)["book_id"];

  auto no_delete = c.Delete("/books/" + book_id, ApiHarness::auth(kAlice));
  ASSERT_TRUE(no_delete);
  EXPECT_EQ(no_delete->status, 403);
  auto deleted = c.Delete("/books/" + book_id, ApiHarness::auth(kAdmin));
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 204);
  EXPECT_EQ(json::parse(c.Get("/books", ApiHarness::auth(kBob))->body).size(), books.size() - 1);
  auto again = c.Delete("/books/" + book_id, ApiHarness::auth(kAdmin));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 404);
}

TEST(ApiHealth, HealthAndReadiness) {
  ApiHarnessOptions options{true, relaxed_api_options()};
  std::atomic<bool> workers{true};
  options.api.workers_running = [&workers] { return workers.load(); };
  ApiHarness h(options);
  auto c = h.client();
  auto health = c.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto ready = c.Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
  EXPECT_EQ(json::parse(ready->body)["database"], "ok");
  workers = false;
  auto not_ready = c.Get("/readyz");
  ASSERT_TRUE(not_ready);
  EXPECT_EQ(not_ready->status, 503);
  EXPECT_EQ(json::parse(not_ready->body)["error_code"], "not_ready");
}

}  // namespace
}  // namespace docprof::test_support
