// `docprof books ingest PATH…`, `docprof books show ID`, `docprof search QUERY`: bringing one's own
// books (PDF, EPUB, HTML, Markdown, text) into the library and searching their text (issue 13).
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/cli_error.h"
#include "cli/command_context.h"
#include "cli/run_follower.h"
#include "domain/text.h"
#include "views/corpus_views.h"
#include "views/ingest_views.h"

namespace docprof::cli {
namespace {

struct IngestArgs {
  std::vector<std::string> paths;
  std::string id;
  std::string title;
  std::string author;
  std::string llm;     // who writes the summaries; "" = ingest.summarizer
  std::string record;  // a cassette the model calls are recorded to
  std::string user = "local";
  bool no_wait = false;
  bool json = false;
};

// "12,345"
std::string thousands(long long n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

// What a finished ingestion run stored, as `books ingest` reports it (the same shape as before
// ingestion became runs: {file, status, book_id, title, chapters, words, chunks}).
nlohmann::json report_of(Runtime& runtime, const std::string& file, const engine::IngestRunView& view, double seconds) {
  const std::string book_id = view.book_id.value_or("");
  const auto book = runtime.ingest_service().structure(book_id);
  const int words = book ? book->source.words : 0;
  const int chunks = book ? book->chunks : 0;
  if (view.outcome == "unchanged") {
    fmt::print(stderr, "unchanged {}: \"{}\" is already in the library as {}\n", file, view.title, book_id);
  } else if (book) {
    fmt::print(stderr, "{} {}: \"{}\"{} ({}, {} chapters, {} words, {} chunks{}) as {} in {:.1f} s ({} words/s)\n",
               view.outcome, file, view.title, book->info.author.empty() ? "" : " by " + book->info.author,
               book->source.format, view.chapters, thousands(words), chunks,
               book->source.pages > 0 ? ", " + std::to_string(book->source.pages) + " pages" : "", book_id, seconds,
               thousands(static_cast<long long>(words / std::max(seconds, 1e-3))));
  }
  return {{"file", file},          {"status", view.outcome}, {"book_id", book_id}, {"title", view.title},
          {"chapters", view.chapters}, {"words", words},        {"chunks", chunks},   {"ingest_id", view.ingest_id}};
}

int ingest_books(CommandContext& context, const IngestArgs& args) {
  if (!args.id.empty() && args.paths.size() > 1) {
    throw bad_input("--id names one book: give one path with it (" + std::to_string(args.paths.size()) + " given)");
  }
  if (!args.id.empty()) {
    if (auto problem = engine::IngestService::check_book_id(args.id)) throw bad_input(*problem);
  }
  auto& runtime = context.runtime();
  // The summarizer: --llm if given, else ingest.summarizer — never silently the course planner's model.
  const std::string summarizer = args.llm.empty() ? runtime.config().ingest_summarizer : args.llm;
  if (summarizer != "extractive") Runtime::check_model_spec(runtime.config(), summarizer);
  runtime.connect_bus();
  engine::IngestRunService runs(runtime.runs(), runtime.queue(), runtime.clock(), runtime.ids(), summarizer,
                                runtime.engine_settings().workflow.state_ttl_ms);

  nlohmann::json report = nlohmann::json::array();
  int bad = 0;
  int failed = 0;
  int done = 0;
  for (const auto& path : args.paths) {
    std::error_code error;
    const auto absolute = std::filesystem::absolute(path, error);
    if (error || !std::filesystem::exists(absolute, error)) {
      ++bad;
      fmt::print(stderr, "error: {}: no such file or folder (nothing stored from it)\n", path);
      report.push_back({{"file", path}, {"status", "error"}, {"error_code", "invalid_document"},
                        {"error", path + ": no such file or folder"}});
      continue;
    }
    auto submitted = runs.submit(engine::IngestRunRequest{absolute.lexically_normal().string(), "", false, args.id,
                                                          args.title, args.author, args.user});
    if (!submitted) throw bad_input(submitted.error().message);
    const std::string ingest_id = submitted.value();
    if (args.no_wait) {
      report.push_back({{"file", path}, {"ingest_id", ingest_id}, {"status", "queued"}});
      continue;
    }
    const auto started = std::chrono::steady_clock::now();
    follow_run(runtime, ingest_id, summarizer, args.record, args.json);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const auto view = runs.status(ingest_id);
    if (!view) throw CliError(kExitFailure, "the ingestion run " + ingest_id + " disappeared");
    if (view->status == "error") {
      const std::string code = view->error_code.value_or("error");
      const bool document = code == "invalid_document" || code == "invalid_request";
      (document ? bad : failed) += 1;
      fmt::print(stderr, "error: {} (nothing stored from it){}\n", view->error.value_or("the run failed"),
                 document ? "" : "; `docprof dlq replay " + ingest_id + "` resumes it");
      report.push_back({{"file", path}, {"status", "error"}, {"error_code", code},
                        {"error", view->error.value_or("")}, {"ingest_id", ingest_id}});
      continue;
    }
    ++done;
    report.push_back(report_of(runtime, path, *view, seconds));
  }
  if (args.no_wait) {
    print_json(report);
    return bad > 0 ? kExitBadInput : kExitOk;
  }
  if (args.json) print_json(report);
  if (args.paths.size() > 1) fmt::print(stderr, "{} book(s) in the library, {} failed\n", done, bad + failed);
  if (bad > 0) return kExitBadInput;
  return failed > 0 ? kExitFailure : kExitOk;
}

int ingest_status(CommandContext& context, const std::string& id, bool json) {
  auto view = context.runtime().ingest_runs().status(id);
  if (!view) throw bad_input("no ingestion run with id '" + id + "' (`docprof books ingest --no-wait` prints them)");
  if (json) {
    print_json(views::ingest_status_json(*view));
  } else {
    fmt::print("{}  {}  {}\n", view->ingest_id, view->status, view->file_name);
    fmt::print("{}\n", views::ingest_status_message(*view));
    if (view->book_id) fmt::print("book: {} ({})\n", *view->book_id, view->title);
    if (view->usage.total() > 0) fmt::print("tokens: {}\n", view->usage.total());
  }
  return kExitOk;  // the status was shown, whatever it is (as `course status` does)
}

// An imported book (summary_json) has no source: its structure comes from its summary.
ports::BookStructure structure_of_summary(const std::string& book_id, const domain::BookSummary& summary) {
  ports::BookStructure out;
  out.info.book_id = book_id;
  out.info.title = summary.source_title;
  out.info.author = summary.author;
  out.source.format = "summary_json";
  for (const auto& c : summary.chapters) {
    ports::StoredChapter chapter{c.chapter_number, c.kind, c.chapter_title, c.words, 0, 0, {}};
    int index = 0;
    for (const auto& s : c.sections) chapter.sections.push_back(ports::StoredSection{++index, s.section_title, s.words, 0, 0});
    out.source.words += c.words;
    out.chapters.push_back(std::move(chapter));
  }
  return out;
}

void show_book(CommandContext& context, const std::string& id, bool json) {
  auto& runtime = context.runtime();
  std::optional<ports::BookStructure> book = runtime.ingest_service().structure(id);
  if (!book) {
    if (auto summary = runtime.library().get_book(id)) book = structure_of_summary(id, *summary);
  }
  if (!book) throw bad_input("no book with id '" + id + "' (see `docprof books list`)");
  if (json) {
    print_json(views::book_structure_json(*book));
    return;
  }
  fmt::print("{}{}\n", book->info.title, book->info.author.empty() ? "" : " — " + book->info.author);
  fmt::print("{}  {}, {} words, {} chunks{}\n", book->info.book_id, book->source.format, thousands(book->source.words),
             book->chunks, book->source.pages > 0 ? ", " + std::to_string(book->source.pages) + " pages" : "");
  for (const auto& c : book->chapters) {
    const std::string pages = c.first_page > 0 ? fmt::format(", pp. {}-{}", c.first_page, c.last_page) : "";
    const std::string kind = c.kind == "chapter" ? "" : " [" + c.kind + "]";
    fmt::print("{:>3}. {}{}  ({} words{})\n", c.chapter_number, c.title, kind, thousands(c.words), pages);
    for (const auto& s : c.sections) {
      if (c.sections.size() == 1 && s.title == c.title) continue;
      fmt::print("       {}  ({} words)\n", s.title, thousands(s.words));
    }
  }
}

void search_corpus(CommandContext& context, const std::string& text, const std::string& book, int top_k, bool json) {
  if (domain::trim(text).empty()) throw bad_input("the query is empty");
  auto found = context.runtime().ingest_service().search(text, book.empty() ? std::nullopt : std::optional(book), top_k);
  if (!found) {
    if (found.error().code == "invalid_request") throw bad_input(found.error().message);
    throw CliError(kExitFailure, found.error().message);
  }
  if (json) {
    print_json(views::chunk_matches_json(found.value()));
    return;
  }
  if (found->empty()) fmt::print(stderr, "no passage matches \"{}\" (ingest books with `docprof books ingest`)\n", text);
  for (const auto& m : found.value()) {
    std::string where = fmt::format("ch. {} \"{}\"", m.chapter_number, m.chapter_title);
    if (m.section_title && *m.section_title != m.chapter_title) where += " § " + *m.section_title;
    if (m.page) where += ", p. " + std::to_string(*m.page);
    fmt::print("{:.3f}  {}, {}  [{}]\n", m.score, m.book_title, where, m.chunk_id);
    std::string excerpt = m.text;
    for (char& c : excerpt) {
      if (c == '\n') c = ' ';
    }
    fmt::print("       {}{}\n", domain::utf8_prefix(excerpt, 240), domain::utf8_length(excerpt) > 240 ? "…" : "");
  }
}

}  // namespace

void register_ingest_commands(CLI::App& app, CommandContext& context) {
  CLI::App* books = app.get_subcommand("books");

  auto args = std::make_shared<IngestArgs>();
  auto* ingest = books->add_subcommand(
      "ingest", "Bring your own books: read PDF, EPUB, HTML (a file or a manual's folder), Markdown or text files "
                "into the library, with chapters, summaries and searchable chunks");
  ingest->add_option("paths", args->paths, "Files (or folders of HTML manuals)")->required();
  ingest->add_option("--id", args->id, "The book's id (one path only; default: derived from the source path)");
  ingest->add_option("--title", args->title, "Title (default: the document's own)");
  ingest->add_option("--author", args->author, "Author (default: the document's own)");
  ingest->add_option("--llm", args->llm,
                     "Who writes the summaries: extractive (offline), replay:CASSETTE, openai or bedrock "
                     "(default: ingest.summarizer, extractive unless configured)");
  ingest->add_option("--record", args->record, "Append the model calls to this cassette (JSON lines)");
  ingest->add_option("--user", args->user, "Who asks (default: local)");
  ingest->add_flag("--no-wait", args->no_wait,
                   "Queue the ingestion runs and print [{file, ingest_id, status}] at once; `docprof worker` runs them");
  ingest->add_flag("--json", args->json, "Print a JSON array, one object per file");
  ingest->callback([&context, args] { context.exit_code = ingest_books(context, *args); });

  auto status_id = std::make_shared<std::string>();
  auto status_json = std::make_shared<bool>(false);
  auto* status = books->add_subcommand("ingest-status", "Show where an ingestion run is (chapter i of N) or how it ended");
  status->add_option("id", *status_id, "The ingest id (`books ingest --no-wait` prints it)")->required();
  status->add_flag("--json", *status_json, "Print JSON (the shape of GET /books/ingest/{id})");
  status->callback([&context, status_id, status_json] {
    context.exit_code = ingest_status(context, *status_id, *status_json);
  });

  auto id = std::make_shared<std::string>();
  auto show_json = std::make_shared<bool>(false);
  auto* show = books->add_subcommand("show", "Show a book's chapters, sections and word counts");
  show->add_option("id", *id, "Book id (see `books list`)")->required();
  show->add_flag("--json", *show_json, "Print JSON");
  show->callback([&context, id, show_json] { show_book(context, *id, *show_json); });

  auto query = std::make_shared<std::string>();
  auto book = std::make_shared<std::string>();
  auto top_k = std::make_shared<int>(10);
  auto search_json = std::make_shared<bool>(false);
  auto* search = app.add_subcommand("search", "Search the text of ingested books for passages");
  search->add_option("query", *query, "What to look for")->required();
  search->add_option("--book", *book, "Only this book (its id)");
  search->add_option("--top-k", *top_k, "At most this many passages (default 10)")
      ->check(CLI::Validator(check_digits, "DIGITS"))
      ->check(CLI::Range(1, 1000));
  search->add_flag("--json", *search_json, "Print JSON");
  search->callback([&context, query, book, top_k, search_json] {
    search_corpus(context, *query, *book, *top_k, *search_json);
  });
}

}  // namespace docprof::cli
