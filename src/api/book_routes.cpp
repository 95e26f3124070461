// The shared library's routes: list and search for every user; import (a summary_json body) and
// delete for admin tokens only; an ingested book's structure and the search of the ingested books'
// passages for every user.
#include "api/json_errors.h"
#include "api/route_context.h"
#include "domain/models_json.h"
#include "views/book_views.h"
#include "views/corpus_views.h"

namespace docprof::api {
namespace {

using nlohmann::json;

const std::string kChangeLibrary = "change the shared library";

json book_json(const ports::BookInfo& b) {
  return json{{"book_id", b.book_id},
              {"title", b.title},
              {"author", b.author},
              {"chapters", b.chapters},
              {"embedding_model", b.embedding_model}};
}

void list_books(State& state, const Request& req, Response& res) {
  if (!require_user(state, req, res)) return;
  json out = json::array();
  for (const auto& b : state.services.library.list()) out.push_back(book_json(b));
  reply_json(res, 200, out);
}

void search_books(State& state, const Request& req, Response& res) {
  if (!require_user(state, req, res)) return;
  const std::string q = req.get_param_value("q");
  if (q.empty()) return send_error(res, 400, "invalid_request", "q is required");
  if (q.size() > 16000) return send_error(res, 400, "invalid_request", "q is too long");
  auto found = state.services.library.search(q, state.options.search_top_k, -1);
  if (!found) {
    // A library embedded with another model is a server configuration conflict, not a provider failure.
    const int status = found.error().code == "embedder_mismatch" ? 409 : 502;
    return send_error(res, status, found.error().code, found.error().message);
  }
  reply_json(res, 200, views::book_search_json(found.value()));
}

void import_book(State& state, const Request& req, Response& res) {
  auto user = require_user(state, req, res);
  if (!user || !require_admin(*user, kChangeLibrary, res)) return;
  auto body = parse_body(req, res);
  if (!body) return;
  auto imported = state.services.library.import_book(*body);
  if (!imported) {
    const int status = imported.error().code == "invalid_book" ? 400 : 502;
    return send_error(res, status, imported.error().code, imported.error().message);
  }
  json out = book_json(imported.value().info);
  out["vectors"] = imported.value().vectors;
  reply_json(res, 201, out);
}

void delete_book(State& state, const Request& req, Response& res) {
  auto user = require_user(state, req, res);
  if (!user || !require_admin(*user, kChangeLibrary, res)) return;
  const std::string book_id = req.matches[1];
  if (!state.services.library.remove(book_id))
    return send_error(res, 404, "not_found", "no book " + book_id);
  res.status = 204;
}

void show_book(State& state, const Request& req, Response& res) {
  if (!require_user(state, req, res)) return;
  const std::string book_id = req.matches[1];
  const auto book = state.services.ingest == nullptr ? std::nullopt : state.services.ingest->structure(book_id);
  if (!book) return send_error(res, 404, "not_found", "no ingested book " + book_id);
  reply_json(res, 200, views::book_structure_json(*book));
}

void search_passages(State& state, const Request& req, Response& res) {
  if (!require_user(state, req, res)) return;
  if (state.services.ingest == nullptr) return send_error(res, 503, "unavailable", "no corpus in this server");
  const std::string q = req.get_param_value("q");
  if (q.empty()) return send_error(res, 400, "invalid_request", "q is required");
  if (q.size() > 16000) return send_error(res, 400, "invalid_request", "q is too long");
  int top_k = 10;
  if (req.has_param("top_k")) {
    const std::string text = req.get_param_value("top_k");
    top_k = 0;
    for (const char c : text) {
      if (c < '0' || c > '9' || top_k > 1000) {
        top_k = 0;
        break;
      }
      top_k = top_k * 10 + (c - '0');
    }
    if (top_k < 1 || top_k > 1000) return send_error(res, 400, "invalid_request", "top_k must be 1 to 1000");
  }
  const std::string book = req.get_param_value("book");
  auto found = state.services.ingest->search(q, book.empty() ? std::nullopt : std::optional(book), top_k);
  if (!found) {
    const int status = found.error().code == "invalid_request" ? 400 : 502;
    return send_error(res, status, found.error().code, found.error().message);
  }
  reply_json(res, 200, views::chunk_matches_json(found.value()));
}

}  // namespace

void register_book_routes(Router& svr, State& state) {
  State* s = &state;
  svr.Get("/books", [s](const auto& req, auto& res) { list_books(*s, req, res); });
  svr.Get("/books/search", [s](const auto& req, auto& res) { search_books(*s, req, res); });
  svr.Post("/books", [s](const auto& req, auto& res) { import_book(*s, req, res); });
  svr.Delete(R"(/books/([^/]+))", [s](const auto& req, auto& res) { delete_book(*s, req, res); });
  svr.Get(R"(/books/([^/]+))", [s](const auto& req, auto& res) { show_book(*s, req, res); });
  svr.Get("/search", [s](const auto& req, auto& res) { search_passages(*s, req, res); });
}

}  // namespace docprof::api
