// `docprof books ingest PATH…`, `docprof books show ID`, `docprof search QUERY`: bringing one's own
// books (PDF, EPUB, HTML, Markdown, text) into the library and searching their text (issue 13).
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "cli/cli_error.h"
#include "cli/command_context.h"
#include "domain/text.h"
#include "views/corpus_views.h"

namespace docprof::cli {
namespace {

struct IngestArgs {
  std::vector<std::string> paths;
  std::string id;
  std::string title;
  std::string author;
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

// The live line on a terminal: what the ingest of one file is doing.
class IngestProgressLine {
 public:
  explicit IngestProgressLine(std::string file) : file_(std::move(file)), live_(isatty(STDERR_FILENO) == 1) {}
  ~IngestProgressLine() { clear(); }
  IngestProgressLine(const IngestProgressLine&) = delete;
  IngestProgressLine& operator=(const IngestProgressLine&) = delete;

  // "book.pdf: reading page 120 of 1158 (850 pages/s)", "book.pdf: embedding chunk 64 of 1200".
  void show(const engine::IngestStage& stage) {
    if (!live_) return;
    if (stage.stage != stage_) {
      stage_ = stage.stage;
      stage_started_ = std::chrono::steady_clock::now();
    }
    std::string line = file_ + ": " + stage.stage;
    if (stage.done > 0 || stage.total > 0) {
      std::string unit = stage.unit.empty() ? std::string("items") : stage.unit;
      const std::string one = unit.ends_with('s') ? unit.substr(0, unit.size() - 1) : unit;
      line += " " + one + " " + std::to_string(stage.done);
      if (stage.total > 0) line += " of " + std::to_string(stage.total);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - stage_started_).count();
      if (seconds > 0.2) line += fmt::format(" ({:.0f} {}/s)", stage.done / seconds, unit);
    }
    fmt::print(stderr, "\r\033[K{}", domain::utf8_prefix(line, 110));
    std::fflush(stderr);
    shown_ = true;
  }
  void clear() {
    if (shown_) fmt::print(stderr, "\r\033[K");
    shown_ = false;
  }

 private:
  std::string file_;
  bool live_;
  bool shown_ = false;
  std::string stage_;
  std::chrono::steady_clock::time_point stage_started_ = std::chrono::steady_clock::now();
};

int ingest_books(CommandContext& context, const IngestArgs& args) {
  if (!args.id.empty() && args.paths.size() > 1) {
    throw bad_input("--id names one book: give one path with it (" + std::to_string(args.paths.size()) + " given)");
  }
  if (!args.id.empty()) {
    if (auto problem = engine::IngestService::check_book_id(args.id)) throw bad_input(*problem);
  }
  auto& service = context.runtime().ingest_service();
  nlohmann::json report = nlohmann::json::array();
  int bad = 0;
  int failed = 0;
  int done = 0;
  for (const auto& path : args.paths) {
    const auto started = std::chrono::steady_clock::now();
    // The progress line is cleared (its destructor) before the outcome is printed.
    const auto result = [&] {
      IngestProgressLine progress(path);
      return service.ingest(path, engine::IngestOptions{args.id, args.title, args.author},
                            [&progress](const engine::IngestStage& stage) { progress.show(stage); });
    }();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!result) {
      const auto& error = result.error();
      (error.code == "provider_error" ? failed : bad) += 1;
      fmt::print(stderr, "error: {} (nothing stored from it)\n", error.message);
      report.push_back({{"file", path}, {"status", "error"}, {"error", error.message}});
      continue;
    }
    ++done;
    const auto& book = result.value();
    const std::string status(engine::to_string(book.status));
    if (book.status == engine::IngestStatus::unchanged) {
      fmt::print(stderr, "unchanged {}: \"{}\" is already in the library as {}\n", path, book.title, book.book_id);
    } else {
      fmt::print(stderr, "{} {}: \"{}\"{} ({}, {} chapters, {} words, {} chunks{}) as {} in {:.1f} s ({} words/s)\n",
                 status, path, book.title, book.author.empty() ? "" : " by " + book.author, book.format,
                 book.chapters, thousands(book.words), book.chunks,
                 book.pages > 0 ? ", " + std::to_string(book.pages) + " pages" : "", book.book_id, seconds,
                 thousands(static_cast<long long>(book.words / std::max(seconds, 1e-3))));
    }
    report.push_back({{"file", path},
                      {"status", status},
                      {"book_id", book.book_id},
                      {"title", book.title},
                      {"chapters", book.chapters},
                      {"words", book.words},
                      {"chunks", book.chunks}});
  }
  if (args.json) print_json(report);
  if (args.paths.size() > 1) fmt::print(stderr, "{} book(s) in the library, {} failed\n", done, bad + failed);
  if (bad > 0) return kExitBadInput;
  return failed > 0 ? kExitFailure : kExitOk;
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
  ingest->add_flag("--json", args->json, "Print a JSON array, one object per file");
  ingest->callback([&context, args] { context.exit_code = ingest_books(context, *args); });

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
