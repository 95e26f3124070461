// POST /courses/{id}/revise over real HTTP on loopback (issue 17): 202 {"message", "success",
// "course_id"} once the revision's run is queued; 400, 404, 409 and 422 with {"error", "error_code"};
// the outline route serves the stored outline with generation_status (phase revising) while the
// revision runs; an event stream opened without Last-Event-ID starts at the latest revision.
#include <gtest/gtest.h>

#include <string>

#include "integration/api_harness.h"

namespace docprof::test_support {
namespace {

using nlohmann::json;

ApiHarnessOptions steps_driven_by_the_test() {
  ApiHarnessOptions options{false, relaxed_api_options()};
  options.api.offline_planner = true;  // as `serve` with the extractive model
  return options;
}

httplib::Result revise(ApiHarness& h, const std::string& token, const std::string& id, const std::string& body) {
  return h.client().Post(("/courses/" + id + "/revise").c_str(), ApiHarness::auth(token), body, "application/json");
}

std::string revision_body(const std::string& request) { return json{{"revision_request", request}}.dump(); }

// A generated course of alice's with its first section completed.
std::string completed_course(ApiHarness& h, std::string* completed_id = nullptr) {
  const std::string id = h.create_course(kAlice);
  h.engine.deliver_all(*h.runner);
  const auto stored = h.engine.stores.courses.get(id).value();
  for (const auto& row : stored.sections) {
    if (!row.parent_section_id) continue;
    auto res = h.client().Post(("/courses/section/" + row.section_id + "/complete").c_str(), ApiHarness::auth(kAlice),
                               "", "application/json");
    EXPECT_TRUE(res && res->status == 200);
    if (completed_id != nullptr) *completed_id = row.section_id;
    break;
  }
  return id;
}

void expect_error(const httplib::Result& res, int status, const std::string& code) {
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, status) << res->body;
  const json body = json::parse(res->body);
  EXPECT_TRUE(body.contains("error")) << res->body;
  EXPECT_EQ(body.value("error_code", ""), code) << res->body;
}

TEST(ApiRevision, RefusalsAnswer400_404_409_And422) {
  ApiHarness h(steps_driven_by_the_test());
  const std::string id = completed_course(h);
  expect_error(revise(h, kAlice, id, "{}"), 400, "invalid_request");
  expect_error(revise(h, kAlice, id, revision_body("  ")), 400, "invalid_request");
  expect_error(revise(h, kAlice, id, json{{"revision_request", 3}}.dump()), 400, "invalid_request");
  expect_error(revise(h, kAlice, id, "{not json"), 400, "invalid_json");
  expect_error(revise(h, kBob, id, revision_body("make it 3 hours")), 404, "not_found");
  expect_error(revise(h, kAlice, "no-such-course", revision_body("make it 3 hours")), 404, "not_found");
  expect_error(revise(h, kAlice, id, revision_body("make it more fun")), 422, "unsupported_revision");
  EXPECT_EQ(h.engine.stores.runs.load(id)->revision, 0) << "a refusal starts nothing";

  auto accepted = revise(h, kAlice, id, revision_body("make it 3 hours"));
  ASSERT_TRUE(accepted);
  ASSERT_EQ(accepted->status, 202) << accepted->body;
  expect_error(revise(h, kAlice, id, revision_body("make it 4 hours")), 409, "conflict");
}

TEST(ApiRevision, AcceptedRevisionRunsWhileTheOutlineKeepsServingTheStoredOne) {
  ApiHarness h(steps_driven_by_the_test());
  std::string done;
  const std::string id = completed_course(h, &done);
  const auto original_history = h.engine.history(id);
  ASSERT_FALSE(original_history.empty());
  const auto before = h.engine.stores.courses.get(id).value();

  auto res = revise(h, kAlice, id, json{{"revisionRequest", "make it 3 hours"}}.dump());
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body;
  const json accepted = json::parse(res->body);
  EXPECT_EQ(accepted.at("success"), true);
  EXPECT_EQ(accepted.at("course_id"), id);
  EXPECT_TRUE(accepted.at("message").is_string());

  // While it runs: the stored outline, with the revision's status.
  auto outline = h.client().Get(("/courses/" + id + "/outline").c_str(), ApiHarness::auth(kAlice));
  ASSERT_TRUE(outline && outline->status == 200);
  json body = json::parse(outline->body);
  EXPECT_EQ(body.at("total_sections").get<std::size_t>() + body.at("parts").size(), before.sections.size());
  EXPECT_EQ(body.at("generation_status").at("status"), "processing");
  EXPECT_EQ(body.at("generation_status").at("phase"), "revising");
  EXPECT_EQ(body.at("generation_status").at("revision"), 1);
  auto status = h.client().Get(("/courses/" + id + "/status").c_str(), ApiHarness::auth(kAlice));
  ASSERT_TRUE(status && status->status == 200);
  EXPECT_EQ(json::parse(status->body).at("phase"), "revising");

  h.engine.deliver_all(*h.runner);
  ASSERT_EQ(h.wait_finished(id), "complete");
  outline = h.client().Get(("/courses/" + id + "/outline").c_str(), ApiHarness::auth(kAlice));
  body = json::parse(outline->body);
  EXPECT_DOUBLE_EQ(body.at("estimated_hours").get<double>(), 3.0);
  int within = body.at("total_minutes").get<int>();
  EXPECT_GE(within, 171);
  EXPECT_LE(within, 189);
  bool kept = false;
  for (const auto& section : body.at("sections")) {
    if (section.at("section_id") == done) kept = section.at("status") == "completed";
  }
  EXPECT_TRUE(kept) << "the completed section is still there";

  // A stream opened without Last-Event-ID starts at the revision's first entry.
  SseParser parser;
  h.client().Get(("/courses/" + id + "/events").c_str(), ApiHarness::auth(kAlice),
                 [&](const char* data, std::size_t size) {
                   parser.feed(data, size);
                   return true;
                 });
  ASSERT_FALSE(parser.events.empty());
  EXPECT_GT(parser.events.front().id.value_or(0), original_history.back().history_id);
  EXPECT_EQ(parser.events.front().data.at("type"), "RevisionRequested");
  EXPECT_EQ(parser.events.back().event, "complete");
}

}  // namespace
}  // namespace docprof::test_support
