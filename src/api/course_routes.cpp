// The course routes of domain.md §8: create (both paths), status (both paths), outline, list, one
// course, delete (cancelling a running generation first), and learners' section progress (PATCH of a
// section's status, the next section to study, marking a section complete by its id alone).
#include <spdlog/spdlog.h>

#include <cmath>
#include <string>

#include "api/json_errors.h"
#include "api/route_context.h"
#include "domain/learner_progress.h"
#include "domain/models_json.h"
#include "domain/request.h"
#include "util/decimal_text.h"
#include "views/course_views.h"

namespace docprof::api {
namespace {

using nlohmann::json;

// A string field of the request (or its camelCase alias); a non-string value is a 400.
bool read_string(const json& object, const char* key, const char* alias,
                 std::optional<std::string>& out, std::string& problem) {
  for (const char* name : {key, alias}) {
    if (name == nullptr || !object.contains(name) || object[name].is_null()) continue;
    if (!object[name].is_string()) {
      problem = std::string(name) + " must be a string";
      return false;
    }
    out = object[name].get<std::string>();
    return true;
  }
  return true;
}

// The raw request of a POST /courses body; nullopt (with `problem`) for a field of the wrong type.
std::optional<domain::RawCourseRequest> raw_request(const json& body, std::string& problem) {
  domain::RawCourseRequest raw;
  if (!body.contains("query") || body["query"].is_null()) {
    problem = "query is required";
    return std::nullopt;
  }
  if (!body["query"].is_string()) {
    problem = "query must be a string";
    return std::nullopt;
  }
  raw.query = body["query"].get<std::string>();
  for (const char* key : {"hours", "time_hours"}) {
    if (!body.contains(key) || body[key].is_null()) continue;
    const json& value = body[key];
    if (value.is_number()) {
      raw.hours = value.get<double>();
    } else if (value.is_string()) {
      // A number as text: plain decimal digits only (no "0x10", "1e3", sign or spaces).
      const auto number = util::parse_decimal(value.get<std::string>());
      if (!number) {
        problem = std::string(key) + " must be a number (a JSON number, or a string like \"2\" or \"1.5\")";
        return std::nullopt;
      }
      raw.hours = *number;
    } else {
      problem = std::string(key) + " must be a number";
      return std::nullopt;
    }
    break;
  }
  if (body.contains("preferences") && !body["preferences"].is_null()) {
    const json& p = body["preferences"];
    if (!p.is_object()) {
      problem = "preferences must be an object";
      return std::nullopt;
    }
    if (!read_string(p, "depth", nullptr, raw.depth, problem) ||
        !read_string(p, "pace", nullptr, raw.pace, problem) ||
        !read_string(p, "presentation_style", "presentationStyle", raw.presentation_style,
                     problem) ||
        !read_string(p, "additional_notes", "additionalNotes", raw.additional_notes, problem)) {
      return std::nullopt;
    }
  }
  return raw;
}

int active_runs(State& state, const std::string& user_id) {
  int n = 0;
  for (const auto& run : state.services.runs.list_runs(user_id))
    n += run.status == ports::RunStatus::processing;
  return n;
}

void create_course(State& state, const Request& req, Response& res) {
  auto user = require_user(state, req, res);
  if (!user) return;
  auto body = parse_body(req, res);
  if (!body) return;
  std::string problem;
  auto raw = raw_request(*body, problem);
  if (!raw) return send_error(res, 400, "invalid_request", problem);
  if (auto checked = domain::validate_course_request(*raw); !checked) {
    return send_error(res, 400, checked.error().code, checked.error().message);
  }
  std::unique_lock create_lock(state.create_mu);
  const int cap = state.options.max_concurrent_runs;
  if (cap > 0 && active_runs(state, user->user_id) >= cap) {
    res.set_header("Retry-After", "10");
    return send_error(res, 429, "too_many_runs",
                      "you already have " + std::to_string(cap) +
                          " course(s) being generated; wait for one to finish");
  }
  if (auto wait = state.limiter.try_acquire(user->user_id, state.services.clock.now_ms())) {
    res.set_header("Retry-After", std::to_string(*wait));
    return send_error(res, 429, "rate_limited",
                      "too many course requests; retry in " + std::to_string(*wait) + " second(s)");
  }
  auto id = state.services.course_service.request_course(user->user_id, *raw);
  create_lock.unlock();
  if (!id) return send_error(res, 400, id.error().code, id.error().message);
  const auto run = state.services.runs.load(id.value());
  const std::string title = run ? run->title : raw->query;
  spdlog::info("api: course {} requested by {} [{}]", id.value(), user->user_id,
               res.get_header_value("X-Request-Id"));
  reply_json(res, 202,
             {{"course_id", id.value()},
              {"courseId", id.value()},
              {"title", title},
              {"status", "processing"},
              {"pending", true},
              {"message", "Course generation started"},
              {"query", run ? run->query : raw->query},
              {"hours", run ? run->hours : raw->hours.value_or(domain::kDefaultHours)}});
}

void course_status(State& state, const Request& req, Response& res,
                   const std::string& course_id) {
  auto user = require_user(state, req, res);
  if (!user) return;
  auto run = state.services.runs.load(course_id);
  if (!run || run->user_id != user->user_id) {
    // A stored course without its run (an old one) reads as complete.
    auto stored = state.services.courses.get(course_id);
    if (!run && stored && stored->course.user_id == user->user_id) {
      return reply_json(res, 200,
                        {{"course_id", course_id},
                         {"status", "complete"},
                         {"phase", "complete"},
                         {"message", "Course ready"},
                         {"query", stored->course.original_query},
                         {"hours", stored->course.estimated_hours}});
    }
    return send_error(res, 404, "not_found", "no course " + course_id);
  }
  reply_json(res, 200, views::status_json(*run));
}

void course_outline(State& state, const Request& req, Response& res) {
  auto user = require_user(state, req, res);
  if (!user) return;
  const std::string course_id = req.matches[1];
  if (!require_owned(state, *user, course_id, res)) return;
  const auto run = state.services.runs.load(course_id);
  reply_json(
      res, 200,
      views::outline_json(state.services.courses.get(course_id), run ? &*run : nullptr, course_id));
}

void list_courses(State& state, const Request& req, Response& res) {
  auto user = require_user(state, req, res);
  if (!user) return;
  reply_json(res, 200,
             views::course_list_json(state.services.courses.list_for_user(user->user_id),
                                     state.services.runs.list_runs(user->user_id)));
}

void get_course(State& state, const Request& req, Response& res) {
  auto user = require_user(state, req, res);
  if (!user) return;
  std::string course_id = req.get_param_value("courseId");
  if (course_id.empty()) course_id = req.get_param_value("course_id");
  if (course_id.empty()) return send_error(res, 400, "invalid_request", "courseId is required");
  if (!require_owned(state, *user, course_id, res)) return;
  auto stored = state.services.courses.get(course_id);
  if (!stored)
    return send_error(res, 404, "not_found", "course " + course_id + " is not stored yet");
  json sections = json::array();
  for (const auto& s : stored->sections) sections.push_back(views::section_json(s));
  const auto count = sections.size();
  reply_json(
      res, 200,
      {{"course", stored->course}, {"sections", std::move(sections)}, {"section_count", count}});
}

void delete_course(State& state, const Request& req, Response& res) {
  auto user = require_user(state, req, res);
  if (!user) return;
  const std::string course_id = req.matches[1];
  if (!require_owned(state, *user, course_id, res)) return;
  auto removed = state.services.course_service.remove(course_id);
  if (!removed) return send_error(res, 404, removed.error().code, removed.error().message);
  res.status = 204;
}

void patch_section(State& state, const Request& req, Response& res) {
  auto user = require_user(state, req, res);
  if (!user) return;
  const std::string course_id = req.matches[1];
  const std::string section_id = req.matches[2];
  if (!require_owned(state, *user, course_id, res)) return;
  auto body = parse_body(req, res);
  if (!body) return;
  if (!body->contains("status") || !(*body)["status"].is_string()) {
    return send_error(res, 400, "invalid_request",
                      "status is required (not_started | in_progress | completed)");
  }
  auto status = domain::parse_section_status((*body)["status"].get<std::string>());
  if (!status) return send_error(res, 400, "invalid_request", status.error().message);
  if (!state.services.courses.set_section_status(course_id, section_id, status.value(),
                                                 state.services.clock.now_ms())) {
    return send_error(res, 404, "not_found",
                      "no section " + section_id + " in course " + course_id);
  }
  reply_json(res, 200,
             {{"course_id", course_id},
              {"section_id", section_id},
              {"status", domain::to_string(status.value())}});
}

// POST /courses/{id}/revise {"revision_request"} (issue 17): 202 once the revision's run is
// queued; 400 a missing, empty or overlong request; 404 another user's or unknown course; 409 a run
// of the course in progress; 422 unsupported_revision (refused when made, never a silent no-op).
void revise_course(State& state, const Request& req, Response& res) {
  auto user = require_user(state, req, res);
  if (!user) return;
  const std::string course_id = req.matches[1];
  auto body = parse_body(req, res);
  if (!body) return;
  std::optional<std::string> request;
  std::string problem;
  if (!read_string(*body, "revision_request", "revisionRequest", request, problem)) {
    return send_error(res, 400, "invalid_request", problem);
  }
  if (!request) return send_error(res, 400, "invalid_request", "revision_request is required");
  auto revision = state.services.course_service.request_revision(
      user->user_id, course_id, *request, engine::CourseService::RevisionChecks{state.options.offline_planner});
  if (!revision) {
    const std::string& code = revision.error().code;
    const int status = code == "not_found"              ? 404
                       : code == "conflict"             ? 409
                       : code == "unsupported_revision" ? 422
                       : code == "invalid_request"      ? 400
                                                        : 500;
    return send_error(res, status, code, revision.error().message);
  }
  spdlog::info("api: revision {} of course {} requested by {} [{}]", revision.value(), course_id, user->user_id,
               res.get_header_value("X-Request-Id"));
  reply_json(res, 202,
             {{"message", "Course revision started"},
              {"success", true},
              {"course_id", course_id},
              {"revision", revision.value()},
              {"status", "processing"}});
}

// POST /courses/{id}/next: the first leaf section not completed (by order_index). Reads only.
void next_section(State& state, const Request& req, Response& res) {
  auto user = require_user(state, req, res);
  if (!user) return;
  const std::string course_id = req.matches[1];
  if (!require_owned(state, *user, course_id, res)) return;
  const auto stored = state.services.courses.get(course_id);
  if (!stored) {
    return send_error(res, 409, "not_ready",
                      "course " + course_id + " is still being generated (or failed): it has no sections yet");
  }
  const domain::CourseSection* next = domain::next_section(stored->sections);
  if (next == nullptr) return reply_json(res, 200, {{"message", "All sections are completed"}});
  reply_json(res, 200,
             {{"section",
               {{"section_id", next->section_id},
                {"title", next->title},
                {"estimated_minutes", next->estimated_minutes}}},
              {"message", "Next section: " + next->title}});
}

// POST /courses/section/{section_id}/complete: the web client knows only the section id; the
// section must belong to one of the caller's courses (anything else is a 404, as for courses).
void complete_section(State& state, const Request& req, Response& res) {
  auto user = require_user(state, req, res);
  if (!user) return;
  const std::string section_id = req.matches[1];
  const auto course_id =
      state.services.courses.complete_section(user->user_id, section_id, state.services.clock.now_ms());
  if (!course_id) return send_error(res, 404, "not_found", "no section " + section_id);
  reply_json(res, 200,
             {{"message", "Section marked as complete"}, {"section_id", section_id}, {"course_id", *course_id}});
}

}  // namespace

void register_course_routes(Router& svr, State& state) {
  State* s = &state;
  const auto create = [s](const Request& req, Response& res) {
    create_course(*s, req, res);
  };
  svr.Post("/courses", create);
  svr.Post("/courses/create", create);
  const auto status = [s](const Request& req, Response& res) {
    course_status(*s, req, res, req.matches[1]);
  };
  svr.Get(R"(/courses/([^/]+)/status)", status);
  svr.Get(R"(/course-status/([^/]+))", status);
  svr.Get(R"(/courses/([^/]+)/outline)",
          [s](const auto& req, auto& res) { course_outline(*s, req, res); });
  svr.Get("/courses", [s](const auto& req, auto& res) { list_courses(*s, req, res); });
  svr.Get("/course", [s](const auto& req, auto& res) { get_course(*s, req, res); });
  svr.Delete(R"(/courses/([^/]+))",
             [s](const auto& req, auto& res) { delete_course(*s, req, res); });
  svr.Patch(R"(/courses/([^/]+)/sections/([^/]+))",
            [s](const auto& req, auto& res) { patch_section(*s, req, res); });
  svr.Post(R"(/courses/([^/]+)/next)", [s](const auto& req, auto& res) { next_section(*s, req, res); });
  svr.Post(R"(/courses/([^/]+)/revise)", [s](const auto& req, auto& res) { revise_course(*s, req, res); });
  svr.Post(R"(/courses/section/([^/]+)/complete)",
           [s](const auto& req, auto& res) { complete_section(*s, req, res); });
}

}  // namespace docprof::api
