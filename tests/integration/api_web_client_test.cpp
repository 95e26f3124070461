// What the original web client needs beyond the course routes (issue 16): the next section to
// study, marking a section complete by its id alone, and CORS headers exactly once on every answer
// (errors and the listener's own refusals included), with `*` by default when authentication is on.
#include <gtest/gtest.h>

#include <algorithm>

#include "api/cors.h"
#include "integration/api_harness.h"
#include "integration/raw_http_client.h"

namespace docprof::test_support {
namespace {

using nlohmann::json;

json body_of(const httplib::Result& res) { return json::parse(res->body); }

httplib::Result post(ApiHarness& h, const std::string& path, const std::string& token) {
  return h.client().Post(path, ApiHarness::auth(token), "", "application/json");
}

// The leaf sections of a stored course, by order_index.
std::vector<domain::CourseSection> leaves(ApiHarness& h, const std::string& course_id) {
  std::vector<domain::CourseSection> out;
  const auto stored = h.engine.stores.courses.get(course_id);
  for (const auto& s : stored->sections) {
    if (s.parent_section_id) out.push_back(s);
  }
  return out;
}

TEST(ApiWebClient, NextSectionFollowsCompletionAndCompletingAllCompletesTheCourse) {
  ApiHarness h;
  const std::string id = h.create_course(kAlice, kValuationQuery, 1);
  ASSERT_EQ(h.wait_finished(id), "complete");
  const auto sections = leaves(h, id);
  ASSERT_GE(sections.size(), 2u);

  auto next = post(h, "/courses/" + id + "/next", kAlice);
  ASSERT_TRUE(next);
  ASSERT_EQ(next->status, 200) << next->body;
  EXPECT_EQ(body_of(next)["section"]["section_id"], sections[0].section_id);
  EXPECT_EQ(body_of(next)["section"]["title"], sections[0].title);
  EXPECT_EQ(body_of(next)["section"]["estimated_minutes"], sections[0].estimated_minutes);
  EXPECT_TRUE(body_of(next)["message"].is_string());
  EXPECT_EQ(body_of(post(h, "/courses/" + id + "/next", kAlice))["section"]["section_id"], sections[0].section_id)
      << "asking again changes nothing";

  auto done = post(h, "/courses/section/" + sections[0].section_id + "/complete", kAlice);
  ASSERT_TRUE(done);
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_TRUE(body_of(done)["message"].is_string());
  const auto first_time = h.engine.stores.courses.get(id)->sections;
  EXPECT_EQ(body_of(post(h, "/courses/section/" + sections[0].section_id + "/complete", kAlice))["message"],
            body_of(done)["message"])
      << "idempotent";
  EXPECT_EQ(h.engine.stores.courses.get(id)->sections, first_time) << "a second completion changes nothing";
  EXPECT_EQ(body_of(post(h, "/courses/" + id + "/next", kAlice))["section"]["section_id"], sections[1].section_id);

  // Another user's section, and an unknown one: 404, and nothing changes.
  auto theirs = post(h, "/courses/section/" + sections[1].section_id + "/complete", kBob);
  ASSERT_TRUE(theirs);
  EXPECT_EQ(theirs->status, 404);
  EXPECT_EQ(body_of(theirs)["error_code"], "not_found");
  EXPECT_EQ(post(h, "/courses/section/no-such-section/complete", kAlice)->status, 404);
  EXPECT_EQ(post(h, "/courses/" + id + "/next", kBob)->status, 404);
  EXPECT_EQ(post(h, "/courses/" + id + "/next", "wrong-token")->status, 401);

  for (const auto& s : sections) {
    EXPECT_EQ(post(h, "/courses/section/" + s.section_id + "/complete", kAlice)->status, 200);
  }
  auto finished = post(h, "/courses/" + id + "/next", kAlice);
  ASSERT_EQ(finished->status, 200);
  EXPECT_FALSE(body_of(finished).contains("section")) << finished->body;
  EXPECT_TRUE(body_of(finished)["message"].is_string());
  const auto stored = h.engine.stores.courses.get(id);
  EXPECT_EQ(stored->course.status, domain::CourseStatus::completed);
  for (const auto& s : stored->sections) {
    if (s.parent_section_id) {
      EXPECT_TRUE(s.completed_at.has_value()) << s.section_id;
    }
  }
  auto outline = h.client().Get("/courses/" + id + "/outline", ApiHarness::auth(kAlice));
  EXPECT_EQ(body_of(outline)["completed_sections"], body_of(outline)["total_sections"]);
}

TEST(ApiWebClient, NextSectionOfACourseStillBeingGeneratedIsAConflict) {
  ApiHarness h({false, relaxed_api_options()});  // no workers: the run stays at its start
  const std::string id = h.create_course(kAlice);
  auto next = post(h, "/courses/" + id + "/next", kAlice);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 409);
  EXPECT_EQ(body_of(next)["error_code"], "not_ready");
}

TEST(ApiWebClient, CorsOriginsDefaultToAnyWithAuthenticationAndNoneWithout) {
  EXPECT_EQ(api::resolve_cors_origins("auto", true), std::vector<std::string>{"*"});
  EXPECT_TRUE(api::resolve_cors_origins("auto", false).empty());
  EXPECT_TRUE(api::resolve_cors_origins("", true).empty()) << "an explicit empty list: no CORS";
  EXPECT_EQ(api::resolve_cors_origins(" https://a.example, https://b.example ", false),
            (std::vector<std::string>{"https://a.example", "https://b.example"}));
}

// How many times a header field appears in a raw response head.
int count_field(const std::string& head, const std::string& name) {
  int n = 0;
  std::string lower_head = head;
  std::string lower_name = name + ":";
  for (auto* s : {&lower_head, &lower_name}) {
    std::transform(s->begin(), s->end(), s->begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  for (auto at = lower_head.find("\r\n" + lower_name); at != std::string::npos;
       at = lower_head.find("\r\n" + lower_name, at + 1)) {
    ++n;
  }
  return n;
}

TEST(ApiWebClient, EveryAnswerCarriesTheCorsHeaderExactlyOnceErrorsIncluded) {
  ApiHarnessOptions options{false, relaxed_api_options()};
  options.api.cors_origins = api::resolve_cors_origins("auto", true);
  options.api.limits.max_body_bytes = 1024;
  options.api.rate_per_minute = 1;  // the second creation is a 429
  ApiHarness h(options);
  const std::string origin = "Origin: http://127.0.0.1:9\r\n";
  const std::string bearer = "Authorization: Bearer " + kAlice + "\r\n";
  const std::string create_body = json{{"query", kValuationQuery}, {"hours", 2}}.dump();
  const std::string create = "POST /courses HTTP/1.1\r\nHost: x\r\n" + origin + bearer +
                             "Content-Type: application/json\r\nContent-Length: " +
                             std::to_string(create_body.size()) + "\r\n\r\n" + create_body;
  struct Case {
    std::string name;
    std::string request;
    int status;
  };
  const std::vector<Case> cases = {
      {"ok", "GET /courses HTTP/1.1\r\nHost: x\r\n" + origin + bearer + "\r\n", 200},
      {"preflight",
       "OPTIONS /courses/section/s1/complete HTTP/1.1\r\nHost: x\r\n" + origin +
           "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization\r\n\r\n",
       204},
      {"created", create, 202},
      {"rate limited", create, 429},
      {"unauthorized", "GET /courses HTTP/1.1\r\nHost: x\r\n" + origin + "\r\n", 401},
      {"not found", "GET /courses/nope/outline HTTP/1.1\r\nHost: x\r\n" + origin + bearer + "\r\n", 404},
      {"no route", "GET /nothing HTTP/1.1\r\nHost: x\r\n" + origin + "\r\n", 404},
      {"too large", "POST /courses HTTP/1.1\r\nHost: x\r\n" + origin + bearer + "Content-Length: 5000\r\n\r\n", 413},
  };
  for (const auto& c : cases) {
    RawHttpConnection connection(h.port);
    ASSERT_TRUE(connection.send(c.request)) << c.name;
    const auto answer = connection.read_response();
    ASSERT_TRUE(answer) << c.name;
    EXPECT_EQ(answer->status, c.status) << c.name << "\n" << answer->head;
    EXPECT_EQ(count_field(answer->head, "Access-Control-Allow-Origin"), 1) << c.name << "\n" << answer->head;
    EXPECT_NE(answer->head.find("Access-Control-Allow-Origin: *"), std::string::npos) << c.name;
  }
}

}  // namespace
}  // namespace docprof::test_support
