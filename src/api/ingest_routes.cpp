// Ingestion runs over HTTP (issue 14), for admin tokens only — an ingested book joins the shared
// library, which only admins change:
//   POST /books/ingest   multipart/form-data with the document in the part `file` (and optional
//                        text parts id, title, author), its body streamed to a file by the listener
//                        (plan_upload_body); or JSON {"path", "id"?, "title"?, "author"?} naming a
//                        file under server.ingest_paths (ingest_paths.h). 202 {"ingest_id", "status"}.
//   GET /books/ingest           every ingestion run, newest first (the page's "recent uploads")
//   GET /books/ingest/{id}      views::ingest_status_json, as `books ingest-status --json`
// The run removes an uploaded document when it ends; a request refused before its run exists
// removes it at once (SpoolFile).
#include <spdlog/spdlog.h>

#include <cctype>
#include <filesystem>

#include "api/ingest_paths.h"
#include "api/json_errors.h"
#include "api/multipart_parser.h"
#include "api/route_context.h"
#include "api/upload_form.h"
#include "views/ingest_views.h"

namespace docprof::api {
namespace {

using nlohmann::json;

const std::string kIngest = "ingest books";

// The media type of a Content-Type, lower-cased, without its parameters.
std::string media_type(const std::string& content_type) {
  std::string out = content_type.substr(0, content_type.find(';'));
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_upload(const Request& req) {
  return media_type(req.get_header_value("Content-Type")) == "multipart/form-data";
}

int status_of(const domain::Error& error) {
  if (error.code == "invalid_request" || error.code == "invalid_multipart") return 400;
  if (error.code == "path_not_allowed") return 403;
  return 500;
}

// Starts the run and answers 202; the document's file is the run's once it exists.
void submit(State& state, engine::IngestRunRequest request, SpoolFile* owned, Response& res) {
  if (state.services.ingest_runs == nullptr) {
    return send_error(res, 503, "unavailable", "ingestion runs are not available in this server");
  }
  auto started = state.services.ingest_runs->submit(request);
  if (!started) return send_error(res, status_of(started.error()), started.error().code, started.error().message);
  if (owned != nullptr) owned->release();
  res.set_header("Location", "/books/ingest/" + started.value());
  reply_json(res, 202, {{"ingest_id", started.value()}, {"status", "queued"}});
}

void submit_upload(State& state, const Principal& user, const Request& req, Response& res) {
  auto form = read_upload_form(req.get_header_value("Content-Type"), req.body_file, state.options.upload_dir);
  if (!form) {
    if (status_of(form.error()) == 500) {
      spdlog::error("api: cannot read an upload: {}", form.error().message);
      return send_error(res, 500, "upload_storage", "the server cannot store the upload now (see its log)");
    }
    return send_error(res, 400, form.error().code, form.error().message);
  }
  UploadForm& upload = form.value();
  auto& fields = upload.fields;
  engine::IngestRunRequest request{std::filesystem::absolute(upload.document.path()).string(),
                                   upload.file_name,
                                   true,
                                   fields["id"],
                                   fields["title"],
                                   fields["author"],
                                   user.user_id};
  submit(state, std::move(request), &upload.document, res);
}

// An optional string member of the JSON body, at most kMaxFieldBytes; false with the 400 written.
bool text_member(const json& body, const char* name, std::string& out, Response& res) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return true;
  if (!it->is_string()) {
    send_error(res, 400, "invalid_request", std::string(name) + " must be a string");
    return false;
  }
  out = it->get<std::string>();
  if (out.size() > kMaxFieldBytes) {
    send_error(res, 400, "invalid_request",
               std::string(name) + " is longer than " + std::to_string(kMaxFieldBytes) + " bytes");
    return false;
  }
  return true;
}

void submit_path(State& state, const Principal& user, const Request& req, Response& res) {
  auto body = parse_body(req, res);
  if (!body) return;
  std::string path;
  engine::IngestRunRequest request;
  if (!text_member(*body, "path", path, res) || !text_member(*body, "id", request.book_id, res) ||
      !text_member(*body, "title", request.title, res) || !text_member(*body, "author", request.author, res)) {
    return;
  }
  if (path.empty()) {
    return send_error(res, 400, "invalid_request",
                      "path is required (or upload the document as multipart/form-data, in a part named file)");
  }
  auto resolved = resolve_ingest_path(path, state.options.ingest_paths);
  if (!resolved) return send_error(res, status_of(resolved.error()), resolved.error().code, resolved.error().message);
  request.path = resolved.value();
  request.user_id = user.user_id;
  submit(state, std::move(request), nullptr, res);
}

void post_ingest(State& state, const Request& req, Response& res) {
  auto user = require_user(state, req, res);
  if (!user || !require_admin(*user, kIngest, res)) return;
  if (!req.body_file.empty()) return submit_upload(state, *user, req, res);
  if (is_upload(req)) {  // plan_upload_body sends every upload to a file: this server keeps none
    return send_error(res, 503, "unavailable", "this server accepts no uploads (no upload directory)");
  }
  submit_path(state, *user, req, res);
}

// The service, for an admin; nullptr with the answer written otherwise.
engine::IngestRunService* runs_for_admin(State& state, const Request& req, Response& res) {
  auto user = require_user(state, req, res);
  if (!user || !require_admin(*user, kIngest, res)) return nullptr;
  if (state.services.ingest_runs == nullptr) {
    send_error(res, 503, "unavailable", "ingestion runs are not available in this server");
  }
  return state.services.ingest_runs;
}

void list_ingests(State& state, const Request& req, Response& res) {
  auto* runs = runs_for_admin(state, req, res);
  if (runs == nullptr) return;
  json out = json::array();
  for (const auto& view : runs->list("")) out.push_back(views::ingest_status_json(view));
  reply_json(res, 200, out);
}

void show_ingest(State& state, const Request& req, Response& res) {
  auto* runs = runs_for_admin(state, req, res);
  if (runs == nullptr) return;
  const std::string id = req.matches[1];
  const auto view = runs->status(id);
  if (!view) return send_error(res, 404, "not_found", "no ingestion run " + id);
  reply_json(res, 200, views::ingest_status_json(*view));
}

}  // namespace

BodyPlan plan_upload_body(State& state, const Request& head, Response& refusal) {
  if (head.method != "POST" || head.path != "/books/ingest" || !is_upload(head)) return {};
  const BodyPlan refuse{BodyPlan::Kind::refuse, "", 0};
  auto user = require_user(state, head, refusal);
  if (!user || !require_admin(*user, kIngest, refusal)) return refuse;
  if (auto boundary = multipart_boundary(head.get_header_value("Content-Type")); !boundary) {
    send_error(refusal, 400, boundary.error().code, boundary.error().message);
    return refuse;
  }
  if (state.options.upload_dir.empty()) {
    send_error(refusal, 503, "unavailable", "this server accepts no uploads (no upload directory)");
    return refuse;
  }
  return {BodyPlan::Kind::file, state.options.upload_dir, state.options.max_upload_bytes};
}

void register_ingest_routes(Router& svr, State& state) {
  State* s = &state;
  svr.Post("/books/ingest", [s](const auto& req, auto& res) { post_ingest(*s, req, res); });
  svr.Get("/books/ingest", [s](const auto& req, auto& res) { list_ingests(*s, req, res); });
  svr.Get(R"(/books/ingest/([^/]+))", [s](const auto& req, auto& res) { show_ingest(*s, req, res); });
}

}  // namespace docprof::api
