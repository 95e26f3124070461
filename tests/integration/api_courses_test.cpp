// The course routes of the HTTP API over real HTTP on loopback (domain.md §8): shapes, both path
// variants, validation errors, authentication, ownership, limits.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "integration/api_harness.h"

namespace docprof::test_support {
namespace {

using nlohmann::json;

json body_of(const httplib::Result& res) {
  return json::parse(res->body);
}

void expect_error(const httplib::Result& res, int status, const std::string& code) {
  ASSERT_TRUE(res) << "no response";
  EXPECT_EQ(res->status, status) << res->body;
  const auto body = json::parse(res->body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << res->body;
  EXPECT_TRUE(body.contains("error")) << res->body;
  EXPECT_EQ(body.value("error_code", ""), code) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
}

TEST(ApiCourses, CreateAnswers202WithTheContractShapeOnBothPaths) {
  ApiHarness h;
  auto c = h.client();
  auto res =
      c.Post("/courses", ApiHarness::auth(kAlice),
             R"({"query":"  Corporate valuation with DCF  ","hours":3})", "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body;
  const auto body = body_of(res);
  EXPECT_EQ(body["course_id"], body["courseId"]);
  EXPECT_EQ(body["status"], "processing");
  EXPECT_EQ(body["pending"], true);
  EXPECT_EQ(body["query"], "Corporate valuation with DCF");
  EXPECT_EQ(body["title"], "Corporate valuation with DCF");
  EXPECT_DOUBLE_EQ(body["hours"].get<double>(), 3.0);
  EXPECT_FALSE(body["message"].get<std::string>().empty());

  auto other = c.Post("/courses/create", ApiHarness::auth(kAlice),
                      R"({"query":"Value investing","time_hours":1.5})", "application/json");
  ASSERT_TRUE(other);
  ASSERT_EQ(other->status, 202) << other->body;
  EXPECT_DOUBLE_EQ(body_of(other)["hours"].get<double>(), 1.5);
  EXPECT_NE(body_of(other)["course_id"], body["course_id"]);

  auto defaulted = c.Post("/courses", ApiHarness::auth(kAlice), R"({"query":"Value investing"})",
                          "application/json");
  ASSERT_TRUE(defaulted);
  EXPECT_DOUBLE_EQ(body_of(defaulted)["hours"].get<double>(), 2.0);
}

TEST(ApiCourses, InvalidRequestsAre400WithJsonErrors) {
  ApiHarness h;
  auto c = h.client();
  const auto post = [&](const std::string& body) {
    return c.Post("/courses", ApiHarness::auth(kAlice), body, "application/json");
  };
  expect_error(post("{not json"), 400, "invalid_json");
  expect_error(post("[1,2]"), 400, "invalid_json");
  expect_error(post(R"({"hours":2})"), 400, "invalid_request");
  expect_error(post(R"({"query":"   "})"), 400, "invalid_request");
  expect_error(post(R"({"query":"DCF","hours":0})"), 400, "invalid_request");
  expect_error(post(R"({"query":"DCF","hours":101})"), 400, "invalid_request");
  expect_error(post(R"({"query":"DCF","hours":"lots"})"), 400, "invalid_request");
  expect_error(post(R"({"query":"DCF","preferences":{"depth":"bottomless"}})"), 400,
               "invalid_request");
  expect_error(post(R"({"query":"DCF","preferences":{"pace":"warp"}})"), 400, "invalid_request");
  expect_error(post(json{{"query", std::string(4001, 'a')}}.dump()), 400, "invalid_request");
  // 4000 code points of a 2-byte character are within the limit.
  std::string accented;
  for (int i = 0; i < 4000; ++i) accented += "\xc3\xa9";
  auto ok = post(json{{"query", accented}}.dump());
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 202) << ok->body;
  EXPECT_TRUE(h.engine.stores.runs.list_runs("alice").size() == 1);
}

TEST(ApiCourses, MissingOrWrongTokenIs401WithWwwAuthenticate) {
  ApiHarness h;
  auto c = h.client();
  for (const auto& headers : {httplib::Headers{}, ApiHarness::auth("wrong-token"),
                              httplib::Headers{{"Authorization", "Basic YWxpY2U6eA=="}}}) {
    auto res = c.Get("/courses", headers);
    expect_error(res, 401, "unauthorized");
    EXPECT_EQ(res->get_header_value("WWW-Authenticate").rfind("Bearer", 0), 0u);
  }
  expect_error(c.Post("/courses", R"({"query":"DCF"})", "application/json"), 401, "unauthorized");
  EXPECT_TRUE(h.engine.stores.runs.list_runs("alice").empty());
  // Health probes need no token.
  auto health = c.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST(ApiCourses, StatusOutlineListAndCourseAfterCompletion) {
  ApiHarness h;
  auto c = h.client();
  const std::string id = h.create_course(kAlice);
  ASSERT_EQ(h.wait_finished(id), "complete");

  for (const std::string& path : {"/courses/" + id + "/status", "/course-status/" + id}) {
    auto res = c.Get(path, ApiHarness::auth(kAlice));
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << path;
    const auto status = body_of(res);
    EXPECT_EQ(status["course_id"], id);
    EXPECT_EQ(status["status"], "complete");
    EXPECT_EQ(status["phase"], "complete");
    EXPECT_EQ(status["progress"]["outline_complete"], true);
    EXPECT_GT(status["progress"]["parts_count"].get<int>(), 0);
  }

  auto outline = c.Get("/courses/" + id + "/outline", ApiHarness::auth(kAlice));
  ASSERT_TRUE(outline);
  ASSERT_EQ(outline->status, 200);
  const auto o = body_of(outline);
  ASSERT_FALSE(o["parts"].empty());
  EXPECT_GT(o["total_sections"].get<int>(), 0);
  EXPECT_EQ(o["completed_sections"], 0);
  EXPECT_GT(o["total_minutes"].get<int>(), 0);
  // Reading references and notes (docs/formats.md): every section row has its sources, the part
  // rows none; the offline planner's sections come from the library, so they have some.
  ASSERT_TRUE(o["notes"].is_array());
  int with_sources = 0;
  for (const auto& part : o["parts"]) {
    for (const auto& section : part["sections"]) {
      ASSERT_TRUE(section["sources"].is_array()) << section.dump();
      for (const auto& source : section["sources"]) {
        ++with_sources;
        for (const char* key : {"book_id", "book_title", "chapter_number", "chapter_title", "section_title"})
          EXPECT_TRUE(source.contains(key)) << key << " in " << source.dump();
        EXPECT_GT(source["chapter_number"].get<int>(), 0);
        EXPECT_FALSE(source["book_title"].get<std::string>().empty());
      }
    }
  }
  EXPECT_GT(with_sources, 0) << o.dump();
  for (const auto& row : o["sections"]) {
    ASSERT_TRUE(row["sources"].is_array());
    if (row["parent_section_id"].is_null()) {
      EXPECT_TRUE(row["sources"].empty());
    }
  }

  auto list = c.Get("/courses", ApiHarness::auth(kAlice));
  ASSERT_TRUE(list);
  const auto courses = body_of(list);
  ASSERT_EQ(courses.size(), 1u);
  EXPECT_EQ(courses[0]["courseId"], id);
  auto bobs = c.Get("/courses", ApiHarness::auth(kBob));
  ASSERT_TRUE(bobs);
  EXPECT_TRUE(body_of(bobs).empty());

  auto course = c.Get("/course?courseId=" + id, ApiHarness::auth(kAlice));
  ASSERT_TRUE(course);
  ASSERT_EQ(course->status, 200) << course->body;
  const auto cj = body_of(course);
  EXPECT_EQ(cj["course"]["course_id"], id);
  EXPECT_TRUE(cj["course"]["notes"].is_array());
  EXPECT_EQ(cj["section_count"].get<std::size_t>(), cj["sections"].size());
  EXPECT_GT(cj["section_count"].get<int>(), 0);
  expect_error(c.Get("/course", ApiHarness::auth(kAlice)), 400, "invalid_request");
}

TEST(ApiCourses, PatchSectionRecordsProgress) {
  ApiHarness h;
  auto c = h.client();
  const std::string id = h.create_course(kAlice);
  ASSERT_EQ(h.wait_finished(id), "complete");
  const auto outline = body_of(c.Get("/courses/" + id + "/outline", ApiHarness::auth(kAlice)));
  const std::string section = outline["parts"][0]["sections"][0]["section_id"];

  auto res = c.Patch("/courses/" + id + "/sections/" + section, ApiHarness::auth(kAlice),
                     R"({"status":"completed"})", "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const auto after = body_of(c.Get("/courses/" + id + "/outline", ApiHarness::auth(kAlice)));
  EXPECT_EQ(after["completed_sections"], 1);

  expect_error(c.Patch("/courses/" + id + "/sections/" + section, ApiHarness::auth(kAlice),
                       R"({"status":"done"})", "application/json"),
               400, "invalid_request");
  expect_error(c.Patch("/courses/" + id + "/sections/no-such-section", ApiHarness::auth(kAlice),
                       R"({"status":"completed"})", "application/json"),
               404, "not_found");
  expect_error(c.Patch("/courses/" + id + "/sections/" + section, ApiHarness::auth(kBob),
                       R"({"status":"in_progress"})", "application/json"),
               404, "not_found");
  // Bob's attempt changed nothing.
  EXPECT_EQ(
      body_of(c.Get("/courses/" + id + "/outline", ApiHarness::auth(kAlice)))["completed_sections"],
      1);
}

TEST(ApiCourses, AnotherUsersCourseIs404OnEveryRoute) {
  ApiHarness h;
  auto c = h.client();
  const std::string id = h.create_course(kAlice);
  ASSERT_EQ(h.wait_finished(id), "complete");
  const auto bob = ApiHarness::auth(kBob);
  expect_error(c.Get("/courses/" + id + "/status", bob), 404, "not_found");
  expect_error(c.Get("/course-status/" + id, bob), 404, "not_found");
  expect_error(c.Get("/courses/" + id + "/outline", bob), 404, "not_found");
  expect_error(c.Get("/courses/" + id + "/events", bob), 404, "not_found");
  expect_error(c.Get("/course?courseId=" + id, bob), 404, "not_found");
  expect_error(c.Delete("/courses/" + id, bob), 404, "not_found");
  // Still there for its owner.
  auto res = c.Get("/courses/" + id + "/status", ApiHarness::auth(kAlice));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  expect_error(c.Get("/courses/no-such-course/status", ApiHarness::auth(kAlice)), 404, "not_found");
}

TEST(ApiCourses, DeleteAnswers204AndCancelsARunningGeneration) {
  ApiHarnessOptions options{false,
                            relaxed_api_options()};  // no workers: the run stays in processing
  ApiHarness h(options);
  auto c = h.client();
  const std::string id = h.create_course(kAlice);
  auto del = c.Delete("/courses/" + id, ApiHarness::auth(kAlice));
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 204);
  expect_error(c.Get("/courses/" + id + "/status", ApiHarness::auth(kAlice)), 404, "not_found");
  // Running the queued events now must not bring the course back.
  h.engine.deliver_all(*h.runner);
  EXPECT_FALSE(h.engine.stores.courses.get(id).has_value());
  EXPECT_TRUE(body_of(c.Get("/courses", ApiHarness::auth(kAlice))).empty());
  expect_error(c.Delete("/courses/" + id, ApiHarness::auth(kAlice)), 404, "not_found");
}

TEST(ApiCourses, BodyOverTheLimitIs413) {
  ApiHarness h;
  auto c = h.client();
  const std::string big =
      json{{"query", "DCF"}, {"padding", std::string(1024 * 1024 + 10, 'x')}}.dump();
  auto res = c.Post("/courses", ApiHarness::auth(kAlice), big, "application/json");
  expect_error(res, 413, "payload_too_large");
  EXPECT_TRUE(h.engine.stores.runs.list_runs("alice").empty());
}

TEST(ApiCourses, CourseCreationIsRateLimitedPerUserWithRetryAfter) {
  ApiHarnessOptions options{false, relaxed_api_options()};
  options.api.rate_per_minute = 2;
  ApiHarness h(options);
  auto c = h.client();
  h.create_course(kAlice);
  h.create_course(kAlice);
  auto third =
      c.Post("/courses", ApiHarness::auth(kAlice), R"({"query":"DCF"})", "application/json");
  expect_error(third, 429, "rate_limited");
  const int retry = std::stoi(third->get_header_value("Retry-After"));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 30);
  EXPECT_EQ(h.engine.stores.runs.list_runs("alice").size(), 2u);
  // Another user has a bucket of their own.
  EXPECT_NO_THROW(h.create_course(kBob));
}

TEST(ApiCourses, ConcurrentRunsPerUserAreCapped) {
  ApiHarnessOptions options{false, relaxed_api_options()};
  options.api.max_concurrent_runs = 1;
  ApiHarness h(options);
  auto c = h.client();
  const std::string first = h.create_course(kAlice);
  auto second =
      c.Post("/courses", ApiHarness::auth(kAlice), R"({"query":"DCF"})", "application/json");
  expect_error(second, 429, "too_many_runs");
  EXPECT_FALSE(second->get_header_value("Retry-After").empty());
  // Once the first run finishes, a new one is accepted.
  h.engine.deliver_all(*h.runner);
  ASSERT_EQ(h.wait_finished(first), "complete");
  EXPECT_NO_THROW(h.create_course(kAlice));
}

TEST(ApiCourses, ConcurrentRunCapHoldsUnderParallelRequests) {
  ApiHarnessOptions options{false, relaxed_api_options()};
  options.api.max_concurrent_runs = 2;
  ApiHarness h(options);
  std::atomic<int> accepted{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 6; ++i) {
    clients.emplace_back([&] {
      auto res = h.client().Post("/courses", ApiHarness::auth(kAlice), R"({"query":"DCF"})",
                                 "application/json");
      if (res && res->status == 202) ++accepted;
      if (res && res->status == 429) ++refused;
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(accepted.load(), 2);
  EXPECT_EQ(refused.load(), 4);
  EXPECT_EQ(h.engine.stores.runs.list_runs("alice").size(), 2u);
}

TEST(ApiCourses, RequestIdIsEchoedOrGeneratedAndUnknownRoutesAreJson404) {
  ApiHarness h;
  auto c = h.client();
  auto echoed = c.Get("/healthz", httplib::Headers{{"X-Request-Id", "trace-123"}});
  ASSERT_TRUE(echoed);
  EXPECT_EQ(echoed->get_header_value("X-Request-Id"), "trace-123");
  auto a = c.Get("/healthz");
  auto b = c.Get("/healthz");
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(a->get_header_value("X-Request-Id").empty());
  EXPECT_NE(a->get_header_value("X-Request-Id"), b->get_header_value("X-Request-Id"));
  auto missing = c.Get("/no/such/route", ApiHarness::auth(kAlice));
  expect_error(missing, 404, "not_found");
  EXPECT_FALSE(missing->get_header_value("X-Request-Id").empty());
}

TEST(ApiCourses, CorsHeadersOnlyForConfiguredOrigins) {
  ApiHarnessOptions options{true, relaxed_api_options()};
  options.api.cors_origins = {"https://app.example"};
  ApiHarness h(options);
  auto c = h.client();
  auto allowed = c.Get("/healthz", httplib::Headers{{"Origin", "https://app.example"}});
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->get_header_value("Access-Control-Allow-Origin"), "https://app.example");
  auto other = c.Get("/healthz", httplib::Headers{{"Origin", "https://evil.example"}});
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->has_header("Access-Control-Allow-Origin"));
  auto preflight =
      c.Options("/courses", httplib::Headers{{"Origin", "https://app.example"},
                                             {"Access-Control-Request-Method", "POST"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);
  EXPECT_NE(preflight->get_header_value("Access-Control-Allow-Headers").find("Authorization"),
            std::string::npos);
}

}  // namespace
}  // namespace docprof::test_support
