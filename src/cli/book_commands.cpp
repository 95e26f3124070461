// `docprof books …`: import, list, search, remove.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_error.h"
#include "cli/command_context.h"
#include "domain/book_summary.h"
#include "views/book_views.h"
#include "domain/models_json.h"
#include "domain/time_format.h"

namespace docprof::cli {
namespace {

namespace fs = std::filesystem;

// The summary_json files named by the arguments: files as given, folders' *.json files sorted.
std::vector<fs::path> collect_files(const std::vector<std::string>& paths, std::vector<std::string>& problems) {
  std::vector<fs::path> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> found;
      for (const auto& entry : fs::directory_iterator(path, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") found.push_back(entry.path());
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) problems.push_back(path + ": no .json files in this folder");
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, ec)) {
      files.emplace_back(path);
    } else {
      problems.push_back(path + ": no such file or folder");
    }
  }
  return files;
}

struct BookFile {
  fs::path path;
  nlohmann::json document;
  std::string error;  // empty when the document is a valid summary_json
};

// Reads and validates every file first, so that bad input alone never opens (or creates) the database.
BookFile read_book_file(const fs::path& path) {
  BookFile file{path, {}, {}};
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (!in) {
    file.error = "cannot read the file";
    return file;
  }
  try {
    file.document = nlohmann::json::parse(buffer.str());
  } catch (const nlohmann::json::exception& e) {
    // Not only parse_error: a number beyond a double's range (1e400) is an out_of_range. Either
    // way this file is reported and the others are still imported.
    file.error = std::string("not valid JSON: ") + e.what();
    return file;
  }
  auto summary = domain::parse_book_summary(file.document);
  if (!summary) file.error = summary.error().message;
  return file;
}

int import_books(CommandContext& context, const std::vector<std::string>& paths, bool json) {
  std::vector<std::string> problems;
  std::vector<BookFile> files;
  for (const auto& path : collect_files(paths, problems)) files.push_back(read_book_file(path));
  for (const auto& p : problems) fmt::print(stderr, "error: {}\n", p);

  nlohmann::json report = nlohmann::json::array();
  int imported = 0;
  int failed = static_cast<int>(problems.size());
  for (auto& file : files) {
    if (file.error.empty()) {
      auto result = context.runtime().library_service().import_book(file.document);
      if (result) {
        const auto& info = result->info;
        fmt::print(stderr, "imported {}: \"{}\" by {} ({} chapters, {} vectors) as {}\n", file.path.string(),
                   info.title, info.author, info.chapters, result->vectors, info.book_id);
        report.push_back({{"file", file.path.string()},
                          {"status", "imported"},
                          {"book_id", info.book_id},
                          {"title", info.title},
                          {"chapters", info.chapters},
                          {"vectors", result->vectors}});
        ++imported;
        continue;
      }
      file.error = result.error().message;
    }
    ++failed;
    fmt::print(stderr, "error: {}: {} (nothing imported from it)\n", file.path.string(), file.error);
    report.push_back({{"file", file.path.string()}, {"status", "error"}, {"error", file.error}});
  }
  if (json) print_json(report);
  fmt::print(stderr, "{} book(s) imported, {} failed\n", imported, failed);
  return failed > 0 ? kExitBadInput : kExitOk;
}

nlohmann::json book_json(const ports::BookInfo& b) {
  return {{"book_id", b.book_id},     {"title", b.title},
          {"author", b.author},       {"chapters", b.chapters},
          {"embedding_model", b.embedding_model}, {"created_at", domain::format_iso8601(b.created_at_ms)}};
}

}  // namespace

void register_book_commands(CLI::App& app, CommandContext& context) {
  auto* books = app.add_subcommand("books", "Manage the library of books courses are built from");
  books->require_subcommand(1);

  auto paths = std::make_shared<std::vector<std::string>>();
  auto json = std::make_shared<bool>(false);
  auto* import_cmd = books->add_subcommand("import", "Import summary_json files, or folders of them");
  import_cmd->add_option("paths", *paths, "Files or folders")->required();
  import_cmd->add_flag("--json", *json, "Print a JSON report per file");
  import_cmd->callback([&context, paths, json] { context.exit_code = import_books(context, *paths, *json); });

  auto* list_cmd = books->add_subcommand("list", "List the books of the library");
  list_cmd->add_flag("--json", *json, "Print JSON");
  list_cmd->callback([&context, json] {
    const auto books_found = context.runtime().library_service().list();
    if (*json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& b : books_found) out.push_back(book_json(b));
      print_json(out);
      return;
    }
    if (books_found.empty()) fmt::print(stderr, "the library is empty: `docprof books import examples/library`\n");
    for (const auto& b : books_found) fmt::print("{}  {:>3} ch.  {} — {}\n", b.book_id, b.chapters, b.title, b.author);
  });

  auto text = std::make_shared<std::string>();
  auto top_k = std::make_shared<int>(10);
  auto min_similarity = std::make_shared<std::string>();
  auto* search_cmd = books->add_subcommand("search", "Find the books a request would use");
  search_cmd->add_option("text", *text, "A learning request or topic")->required();
  search_cmd->add_option("--top-k", *top_k, "At most this many books (default 10)")
      ->check(CLI::Validator(check_digits, "DIGITS"))
      ->check(CLI::Range(1, 1000));
  search_cmd->add_option("--min-similarity", *min_similarity, "Threshold (default: the embedder's)");
  search_cmd->add_flag("--json", *json, "Print JSON");
  search_cmd->callback([&context, text, top_k, min_similarity, json] {
    const double threshold = min_similarity->empty() ? -1 : parse_number(*min_similarity, "--min-similarity", true);
    auto found = context.runtime().library_service().search(*text, *top_k, threshold);
    if (!found) throw bad_input(found.error().message);
    if (*json) {
      print_json(views::book_search_json(found.value()));
      return;
    }
    if (found->empty()) fmt::print(stderr, "no book is relevant to \"{}\"\n", *text);
    for (const auto& m : found.value()) {
      std::string best;
      for (std::size_t i = 0; i < m.chapter_scores.size() && i < 3; ++i) {
        const int number = m.chapter_scores[i].chapter_number;
        for (const auto& c : m.summary.chapters) {
          if (c.chapter_number == number) best += (best.empty() ? "" : "; ") + ("ch. " + std::to_string(number) + " " + c.chapter_title);
        }
      }
      std::string words;
      for (const auto& w : m.matched_terms) words += (words.empty() ? "" : ", ") + w;
      std::string topics;
      for (const auto& t : m.topics) topics += (topics.empty() ? "" : ", ") + t;
      fmt::print("{:.3f}  {} — {}{}{}\n", m.similarity, m.title, m.author, words.empty() ? "" : "  [" + words + "]",
                 topics.empty() ? "" : "  best for: " + topics);
      if (!best.empty()) fmt::print("       {}\n", best);
    }
  });

  auto all = std::make_shared<bool>(false);
  auto* reembed_cmd = books->add_subcommand(
      "reembed", "Rebuild the books' vectors with the configured embedder (after changing [embedding])");
  reembed_cmd->add_flag("--all", *all, "Rebuild every book, also those already made with this embedder");
  reembed_cmd->callback([&context, all] {
    auto& library = context.runtime().library_service();
    auto report = library.reembed(*all, [](const ports::BookInfo& info, const std::string& previous, int vectors) {
      fmt::print(stderr, "rebuilt \"{}\" ({} vectors, was {})\n", info.title, vectors, previous);
    });
    if (!report) throw CliError(kExitFailure, report.error().message);
    fmt::print(stderr, "{} book(s) rebuilt, {} already up to date\n", report->rebuilt, report->skipped);
    // The chunks of ingested books have vectors of their own.
    auto chunks = context.runtime().ingest_service().reembed_chunks(*all, [](const std::string& book_id, int count) {
      fmt::print(stderr, "rebuilt the vectors of {} chunk(s) of book {}\n", count, book_id);
    });
    if (!chunks) throw CliError(kExitFailure, chunks.error().message);
  });

  auto id = std::make_shared<std::string>();
  auto* remove_cmd = books->add_subcommand("remove", "Remove a book from the library");
  remove_cmd->add_option("id", *id, "Book id (see `books list`)")->required();
  remove_cmd->callback([&context, id] {
    if (!context.runtime().library_service().remove(*id)) throw bad_input("no book with id '" + *id + "'");
    fmt::print(stderr, "removed book {}\n", *id);
  });
}

}  // namespace docprof::cli
